"""Reads a knowledge-base directory and validates it, reporting every problem as ``path:line``.

Strategists edit these files by hand, so a mistake must point at the exact line and never
take the rest of the knowledge base down: a broken file is reported and skipped, the
others load.

The files are also untrusted input (a knowledge base may come from a shared folder or a
pull request), so the loader refuses what could exhaust the process or read outside the
directory: YAML anchors and aliases (an "alias bomb" of a few hundred bytes expands to
gigabytes), links to files outside the knowledge base, and entries over ``MAX_ENTRY_BYTES``.
Those safe-reading pieces live in ``knowledge.safe_yaml``, shared with the guide loader.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from knowledge import messages
from knowledge.entry import Entry, Source
from knowledge.safe_yaml import (
    Problem,
    TooLargeError,
    compose_and_load,
    read_capped,
    within,
    yaml_problem,
)
from knowledge.text import phrasing_key
from knowledge.yaml_lines import line_of, node_key, validation_problems

log = logging.getLogger(__name__)

SYNONYMS_FILE = "synonyms.yaml"
IGNORED_FILES = frozenset({"readme.md"})
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ENTRY_BYTES = 256 * 1024  # an answer is chat-sized; this is ~50x the longest entry
MAX_TITLE_CHARS = 150  # longer titles still load, but `kb check` warns
# Developer documentation of the chat platforms backs how the bot is built, never an answer
# about gender equality or reporting: `kb check` warns when such an entry cites it.
DEVELOPER_DOC_HOSTS = (
    "api.slack.com",
    "slack.dev",
    "learn.microsoft.com",
    "docs.microsoft.com",
    "developer.microsoft.com",
    "botframework.com",
)
OUTSIDE_LINK_MESSAGE = messages.OUTSIDE_LINK
TOO_LARGE_MESSAGE = messages.too_large_entry(MAX_ENTRY_BYTES // 1024)


@dataclass
class LoadedFiles:
    """Everything read from a knowledge-base directory.

    ``problems`` make a file unusable (it is skipped, ``kb check`` fails); ``warnings`` are
    worth fixing but the entry loads and ``kb check`` still passes.
    """

    entries: list[Entry] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def about_jambot(entry_id: str, tags: Sequence[str]) -> bool:
    """Whether an entry explains Jämbot itself (id ``jambot-…`` or tag ``jambot``).

    Such an entry describes this bot's own behaviour, which no public text documents, so
    it may have ``sources: []``; every other entry must cite what supports it.
    """
    return entry_id.startswith("jambot-") or any(t.strip().lower() == "jambot" for t in tags)


def _developer_doc(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == known or host.endswith("." + known) for known in DEVELOPER_DOC_HOSTS)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(messages.NOT_BLANK)
    return value


NonEmptyText = Annotated[str, AfterValidator(_not_blank)]


class _SourceModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: NonEmptyText
    # None: a document with no public address (the region's own minutes), cited by title only.
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in url.strip():
            raise ValueError(messages.not_a_url(url))
        return url.strip()


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: NonEmptyText
    questions: list[NonEmptyText] = Field(min_length=1)
    tags: list[NonEmptyText] = Field(default_factory=list)
    sources: list[_SourceModel]  # may be empty only for entries about Jämbot itself
    lang: Literal["sv", "en"] = "sv"
    related: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(messages.not_a_slug(value))
        return value


ALLOWED_KEYS = tuple(_FrontMatter.model_fields)


@dataclass
class SourceFiles:
    """A knowledge-base directory as read from disk, before any parsing.

    Each file is its text or, when it could not be read (too large, not UTF-8, a link out
    of the directory), the problem saying so. Reading is cheap and parsing is not, so the
    index cache (``knowledge.index_cache``) keys a finished knowledge base on exactly this.
    """

    root: Path
    entries: list[tuple[str, str | Problem]] = field(default_factory=list)  # (path, text)
    synonyms: tuple[str, str | Problem] | None = None  # None: the directory has no such file
    missing: Problem | None = None  # the directory itself is not there


def read_directory(root: str | Path) -> SourceFiles:
    """Every ``*.md`` entry under ``root`` and its ``synonyms.yaml``, as text."""
    root = Path(root)
    source = SourceFiles(root)
    if not root.is_dir():
        source.missing = Problem(str(root), 0, messages.NOT_A_DIRECTORY)
        return source
    source.entries = [
        (path, _read_file(path) if inside else Problem(path, 1, OUTSIDE_LINK_MESSAGE))
        for path, inside in _entry_files(root)
    ]
    synonyms_path = root / SYNONYMS_FILE
    if synonyms_path.is_symlink() and not within(synonyms_path, root.resolve()):
        where = str(synonyms_path)
        source.synonyms = where, Problem(where, 1, OUTSIDE_LINK_MESSAGE)
    elif synonyms_path.exists():
        source.synonyms = str(synonyms_path), _read_file(str(synonyms_path))
    return source


def load_directory(root: str | Path, warn: bool = True) -> LoadedFiles:
    """Read every ``*.md`` entry under ``root`` plus ``synonyms.yaml``; skip broken files.

    Each problem is also logged as a warning unless ``warn`` is False (``kb check``
    prints them itself).
    """
    result = parse_files(read_directory(root))
    if warn:
        log_problems(result)
    return result


@dataclass(frozen=True)
class _Parsed:
    """A valid entry and the file lines the cross-file checks point at."""

    entry: Entry
    id_line: int
    related_lines: list[int]
    question_lines: list[int]


def parse_files(source: SourceFiles) -> LoadedFiles:
    """Validate what ``read_directory`` read: the entries, their cross-references, the
    synonym groups, and every problem and warning found on the way."""
    result = LoadedFiles()
    if source.missing is not None:
        result.problems.append(source.missing)
        return result
    parsed: list[_Parsed] = []
    for path, text in source.entries:
        if isinstance(text, Problem):
            result.problems.append(text)
            continue
        problems, item = _parse_entry(path, text, result.warnings)
        result.problems.extend(problems)
        if item is not None:
            parsed.append(item)
    result.entries = _cross_check(parsed, result.problems)
    result.warnings.extend(_shared_questions(parsed))
    if source.synonyms is not None:
        path, text = source.synonyms
        if isinstance(text, Problem):
            result.problems.append(text)
        else:
            groups, problems = _parse_synonyms(path, text)
            result.synonyms = groups
            result.problems.extend(problems)
    return result


def log_problems(loaded: LoadedFiles) -> None:
    """Log every problem and warning, as loading a knowledge base does."""
    for problem in loaded.problems:
        log.warning("knowledge base: %s", problem)
    for warning in loaded.warnings:
        log.warning("knowledge base (warning): %s", warning)


def _read_file(path: str) -> str | Problem:
    """The file's text, or why it cannot be used."""
    try:
        return read_capped(path, MAX_ENTRY_BYTES)
    except TooLargeError:
        return Problem(path, 1, TOO_LARGE_MESSAGE)
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(path, 1, messages.cannot_read(exc))


def _entry_files(root: Path) -> Iterator[tuple[str, bool]]:
    """Every ``*.md`` file under ``root`` in path order, skipping hidden files and folders,
    each with whether it lies inside ``root`` once links are resolved.

    ``os.scandir`` knows from the directory listing which names are files and which are
    links; ``rglob`` plus ``is_file`` cost a stat call per file, so only links are resolved.
    Folders that are links are never entered (as ``rglob``: no loops, nothing outside).
    Paths stay strings, sorted by their parts as ``Path`` objects sort: making and comparing
    10 000 ``Path`` objects took longer than reading the files.
    """
    files: list[tuple[list[str], str, bool]] = []
    inside = root.resolve()
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            listing = list(os.scandir(folder))
        except OSError:
            continue
        for item in listing:
            if item.name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                folders.append(Path(item.path))
            elif (
                item.is_file()
                and item.name.endswith(".md")
                and item.name.lower() not in IGNORED_FILES
            ):
                inside_root = not item.is_symlink() or within(Path(item.path), inside)
                files.append((item.path.split(os.sep), item.path, inside_root))
    files.sort()
    for _, path, inside_root in files:
        yield path, inside_root


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line number of the closing '---') or None when absent."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number
    return None


def _parse_entry(
    where: str, text: str, warnings: list[Problem]
) -> tuple[list[Problem], _Parsed | None]:
    """Problems of one entry file, or the entry; its warnings are appended to ``warnings``."""
    split = _split_front_matter(text)
    if split is None:
        return [Problem(where, 1, messages.MISSING_FRONT_MATTER)], None
    front, body, closing_line = split
    try:
        node, data = compose_and_load(front)
    except yaml.YAMLError as exc:
        return [yaml_problem(where, exc, FRONT_MATTER_FIRST_LINE)], None
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        return [Problem(where, 2, messages.FRONT_MATTER_NOT_MAPPING)], None
    problems = _duplicate_keys(where, node)
    try:
        meta = _FrontMatter.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(where, node, exc))
        meta = None
    if meta is not None and not meta.sources and not about_jambot(meta.id, meta.tags):
        line = _line_of(node, ("sources",))
        problems.append(Problem(where, line, f"sources: {messages.at_least_one(('sources',))}"))
    if not body.strip():
        problems.append(Problem(where, closing_line, messages.EMPTY_BODY))
    if problems or meta is None:
        return problems, None
    warnings.extend(_entry_warnings(where, node, meta))
    entry = Entry(
        id=meta.id,
        title=meta.title.strip(),
        body=body.strip(),
        questions=tuple(q.strip() for q in meta.questions),
        tags=tuple(t.strip() for t in meta.tags),
        sources=tuple(Source(title=s.title.strip(), url=s.url or "") for s in meta.sources),
        lang=meta.lang,
        related=tuple(meta.related),
        path=where,
    )
    return [], _Parsed(
        entry,
        _line_of(node, ("id",)),
        [_line_of(node, ("related", i)) for i in range(len(meta.related))],
        [_line_of(node, ("questions", i)) for i in range(len(meta.questions))],
    )


def _entry_warnings(where: str, node: yaml.MappingNode, meta: _FrontMatter) -> list[Problem]:
    """What ``kb check`` points out in a valid entry without failing it."""
    warnings = []
    title = meta.title.strip()
    if len(title) > MAX_TITLE_CHARS:
        warnings.append(
            Problem(
                where,
                _line_of(node, ("title",)),
                messages.long_title(len(title), MAX_TITLE_CHARS),
            )
        )
    if not about_jambot(meta.id, meta.tags):
        for number, source in enumerate(meta.sources):
            if source.url and _developer_doc(source.url):
                warnings.append(
                    Problem(
                        where,
                        _line_of(node, ("sources", number, "url")),
                        messages.developer_doc(source.url),
                    )
                )
    return warnings


def _duplicate_keys(where: str, node: yaml.MappingNode) -> list[Problem]:
    seen: set[Any] = set()
    problems = []
    for key_node, _ in node.value:
        key = node_key(key_node)
        if key in seen:
            line = key_node.start_mark.line + 2
            problems.append(Problem(where, line, messages.duplicate_key(key)))
        seen.add(key)
    return problems


FRONT_MATTER_FIRST_LINE = 2  # the opening '---' is line 1


def _line_of(node: yaml.Node, loc: Sequence[int | str]) -> int:
    """File line of the YAML key or item at ``loc`` (front matter starts on line 2)."""
    return line_of(node, loc, FRONT_MATTER_FIRST_LINE)


def _validation_problems(where: str, node: yaml.MappingNode, exc: ValidationError) -> list[Problem]:
    found = validation_problems(node, exc, FRONT_MATTER_FIRST_LINE, _allowed_for)
    return [Problem(where, line, message) for line, message in found]


def _allowed_for(loc: Sequence[int | str]) -> tuple[str, ...]:
    return tuple(_SourceModel.model_fields) if loc and loc[0] == "sources" else ALLOWED_KEYS


def _cross_check(parsed: list[_Parsed], problems: list[Problem]) -> list[Entry]:
    """Drop duplicate (id, lang) entries and dangling `related` links, reporting both."""
    first_seen: dict[tuple[str, str], Entry] = {}
    kept: list[tuple[Entry, list[int]]] = []
    for item in parsed:
        entry, id_line, related_lines = item.entry, item.id_line, item.related_lines
        key = (entry.id, entry.lang)
        if key in first_seen:
            other = first_seen[key]
            problems.append(
                Problem(
                    entry.path,
                    id_line,
                    messages.duplicate_entry(entry.id, entry.lang, other.path),
                )
            )
            continue
        first_seen[key] = entry
        kept.append((entry, related_lines))
    known_ids = {entry.id for entry, _ in kept}
    entries = []
    for entry, related_lines in kept:
        dangling = [
            (rid, line)
            for rid, line in zip(entry.related, related_lines, strict=True)
            if rid not in known_ids
        ]
        for rid, line in dangling:
            problems.append(Problem(entry.path, line, messages.unknown_related(rid)))
        if dangling:
            missing = {rid for rid, _ in dangling}
            entry = Entry(
                **{**entry.__dict__, "related": tuple(r for r in entry.related if r not in missing)}
            )
        entries.append(entry)
    return entries


def _shared_questions(parsed: list[_Parsed]) -> list[Problem]:
    """Example questions that two entries both claim, as the engine reads them (case,
    diacritics and punctuation aside): the engine can answer only one of them, and the
    writers meant different things. An entry's own language versions may share phrasings."""
    first: dict[str, Entry] = {}
    warnings = []
    for item in parsed:
        for question, line in zip(item.entry.questions, item.question_lines, strict=True):
            key = phrasing_key(question)
            owner = first.setdefault(key, item.entry)
            if key and owner.id != item.entry.id:
                message = messages.shared_question(question, owner.id, owner.path)
                warnings.append(Problem(item.entry.path, line, message))
    return warnings


def _parse_synonyms(where: str, text: str) -> tuple[list[list[str]], list[Problem]]:
    try:
        node, data = compose_and_load(text)
    except yaml.YAMLError as exc:
        return [], [yaml_problem(where, exc, 1)]
    if data is None:
        return [], []
    if not isinstance(node, yaml.SequenceNode) or not isinstance(data, list):
        return [], [Problem(where, 1, messages.SYNONYMS_NOT_A_LIST)]
    groups: list[list[str]] = []
    problems: list[Problem] = []
    for item_node, group in zip(node.value, data, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(group, list) or not all(
            isinstance(t, str | int | float) and str(t).strip() for t in group
        ):
            problems.append(Problem(where, line, messages.SYNONYM_GROUP_NOT_TERMS))
        elif len(group) < 2:
            problems.append(Problem(where, line, messages.SYNONYM_GROUP_TOO_SMALL))
        else:
            groups.append([str(t).strip() for t in group])
    return groups, problems
