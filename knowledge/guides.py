"""Guided walks (``guides/*.yaml``): the steps of a gender-equality analysis, as content.

Strategists own the method a case officer is walked through (3R, 4R, JämKAS Bas ...):
its steps, one-line help texts, choices and the sentences the final text is built
from. So a guide is a file in the knowledge base, edited like the entries and
checked by ``jambot kb check`` with ``path:line: message`` errors. A broken guide is
reported and skipped; the other guides and every entry still load.

The file is untrusted input like the entries: the same size cap, no YAML anchors or
aliases, every scalar read as text. Nothing here knows about chat platforms.
"""

from __future__ import annotations

import logging
import os
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from knowledge import messages
from knowledge.loader import ID_PATTERN, MAX_ENTRY_BYTES, OUTSIDE_LINK_MESSAGE
from knowledge.safe_yaml import (
    Problem,
    TooLargeError,
    compose_and_load,
    read_capped,
    within,
    yaml_problem,
)
from knowledge.yaml_lines import line_of, node_key, validation_problems

log = logging.getLogger(__name__)

GUIDES_DIR = "guides"
GUIDE_SUFFIXES = (".yaml", ".yml")
MAX_GUIDE_BYTES = MAX_ENTRY_BYTES
MAX_STEPS = 12
MAX_FIELDS_PER_STEP = 4
MAX_HELP_CHARS = 300  # one line under the question; the KB entry holds the explanation
MAX_LABEL_CHARS = 2000  # Slack's input label limit
MAX_CHOICE_LABEL_CHARS = 75  # Slack's option text limit
MAX_PLACEHOLDER_CHARS = 150  # Slack's placeholder limit
MAX_ANSWER_CHARS = 3000  # Slack's plain_text_input limit
TEMPLATE_FIELD = "answer"
TOO_LARGE_MESSAGE = messages.too_large_guide(MAX_GUIDE_BYTES // 1024)

FieldKind = Literal["text", "multiline", "choice"]


# -- the guide as the core uses it --------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    short_path: bool = False  # choosing it ends the walk on the guide's short path


@dataclass(frozen=True)
class GuideField:
    """One question. ``text`` becomes a sentence of the final text when answered (``{answer}``);
    ``missing`` names the gap when left empty; ``gap`` files the answered sentence as a gap."""

    id: str
    label: str
    kind: FieldKind = "multiline"
    required: bool = False
    placeholder: str = ""
    max_length: int = 2000
    choices: tuple[Choice, ...] = ()
    text: str = ""
    missing: str = ""
    gap: bool = False

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    help: str
    fields: tuple[GuideField, ...]
    entry: str | None = None  # the KB entry that explains this step


@dataclass(frozen=True)
class Guide:
    id: str
    lang: Literal["sv", "en"]
    title: str
    summary: str
    heading: str  # the decision paper's section, e.g. "Konsekvenser för jämställdhet"
    gaps_heading: str
    steps: tuple[Step, ...]
    short_path: Step | None = None
    entry: str | None = None
    offer_tags: frozenset[str] = frozenset()
    offer_entries: frozenset[str] = frozenset()
    order: int = 100  # where it stands when the bot offers a choice of guides
    path: str = ""

    def step(self, step_id: str) -> Step | None:
        if self.short_path is not None and self.short_path.id == step_id:
            return self.short_path
        return next((s for s in self.steps if s.id == step_id), None)

    def walk(self, answers: dict[str, str]) -> tuple[Step, ...]:
        """The steps this person goes through, given their answers so far.

        A choice marked ``short_path`` ends the walk after its step with the short path
        (the matter does not concern people), so the later steps are never asked.
        """
        walked: list[Step] = []
        for step in self.steps:
            walked.append(step)
            if self.short_path is not None and self.takes_short_path(step, answers):
                return (*walked, self.short_path)
        return tuple(walked)

    @staticmethod
    def takes_short_path(step: Step, answers: dict[str, str]) -> bool:
        for f in step.fields:
            chosen = f.choice(answers.get(f.id, ""))
            if chosen is not None and chosen.short_path:
                return True
        return False

    def offered_after(self, entry_id: str, tags: Iterable[str]) -> bool:
        """Whether an answer from this entry should offer to start the guide."""
        if entry_id in self.offer_entries:
            return True
        return any(tag.strip().casefold() in self.offer_tags for tag in tags)


@dataclass
class LoadedGuides:
    guides: list[Guide] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# -- the file format ----------------------------------------------------------------------------


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(messages.NOT_BLANK)
    return value.strip()


def _one_line(value: str) -> str:
    value = _not_blank(value)
    if "\n" in value:
        raise ValueError(messages.ONE_LINE)
    if len(value) > MAX_HELP_CHARS:
        raise ValueError(messages.too_long_help(len(value), MAX_HELP_CHARS))
    return value


def _slug(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(messages.not_a_slug(value))
    return value


def _field_id(value: str) -> str:
    # Field ids become Slack block_ids and form keys; "action"/"value" carry routing in Teams.
    if not ID_PATTERN.match(value.replace("_", "-")):
        raise ValueError(messages.not_a_field_id(value))
    if value in ("action", "value", "msteams"):
        raise ValueError(messages.reserved_id(value))
    return value


def _template(value: str) -> str:
    """A sentence with at most the ``{answer}`` placeholder (``{{``/``}}`` for braces)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        raise ValueError(messages.bad_template(exc)) from None
    unknown = sorted({n for n in names if n != TEMPLATE_FIELD})
    if unknown:
        raise ValueError(messages.unknown_placeholder(unknown[0], TEMPLATE_FIELD))
    return value.strip()


Text = Annotated[str, AfterValidator(_not_blank)]
OneLine = Annotated[str, AfterValidator(_one_line)]
Slug = Annotated[str, AfterValidator(_slug)]
FieldId = Annotated[str, AfterValidator(_field_id)]
Template = Annotated[str, AfterValidator(_template)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ChoiceModel(_Strict):
    value: Slug
    label: Annotated[Text, Field(max_length=MAX_CHOICE_LABEL_CHARS)]
    short_path: bool = False


class _FieldModel(_Strict):
    id: FieldId
    label: Annotated[Text, Field(max_length=MAX_LABEL_CHARS)]
    kind: FieldKind = "multiline"
    required: bool = False
    placeholder: Annotated[str, Field(max_length=MAX_PLACEHOLDER_CHARS)] = ""
    max_length: int = Field(default=2000, ge=10, le=MAX_ANSWER_CHARS)
    choices: list[_ChoiceModel] = Field(default_factory=list, max_length=10)
    text: Template = ""
    missing: Template = ""
    gap: bool = False

    @field_validator("choices")
    @classmethod
    def _unique_values(cls, choices: list[_ChoiceModel]) -> list[_ChoiceModel]:
        values = [c.value for c in choices]
        duplicate = next((v for v in values if values.count(v) > 1), None)
        if duplicate is not None:
            raise ValueError(messages.duplicate_value(duplicate))
        return choices


class _StepModel(_Strict):
    id: Slug
    title: Text
    help: OneLine
    entry: Slug | None = None
    fields: list[_FieldModel] = Field(min_length=1, max_length=MAX_FIELDS_PER_STEP)


class _OfferModel(_Strict):
    tags: list[Text] = Field(default_factory=list)
    entries: list[Slug] = Field(default_factory=list)


class _OutputModel(_Strict):
    heading: Text
    gaps_heading: Text


class _GuideModel(_Strict):
    id: Slug
    lang: Literal["sv", "en"] = "sv"
    title: Text
    summary: OneLine
    order: int = Field(default=100, ge=0, le=1000)
    entry: Slug | None = None
    offer_after: _OfferModel = Field(default_factory=_OfferModel)
    output: _OutputModel
    steps: list[_StepModel] = Field(min_length=1, max_length=MAX_STEPS)
    short_path: _StepModel | None = None


# -- loading ------------------------------------------------------------------------------------


def load_guides(
    root: str | Path, known_entries: Iterable[str] | None = None, warn: bool = True
) -> LoadedGuides:
    """Every guide under ``root/guides`` (none when the folder is absent); broken ones skipped.

    ``known_entries``: the knowledge base's entry ids, to report a guide that points at an
    entry that does not exist (``kb check`` passes them; the bot loads without them).
    """
    root = Path(root)
    result = LoadedGuides()
    folder = root / GUIDES_DIR
    if not folder.is_dir() or folder.is_symlink():
        return result
    known = frozenset(known_entries) if known_entries is not None else None
    seen: dict[tuple[str, str], str] = {}
    inside = root.resolve()
    for path in _guide_files(folder):
        where = str(path)
        if path.is_symlink() and not within(path, inside):
            result.problems.append(Problem(where, 1, OUTSIDE_LINK_MESSAGE))
            continue
        problems, guide = parse_guide_file(path, known)
        if guide is not None and (guide.id, guide.lang) in seen:
            other = seen[(guide.id, guide.lang)]
            problems.append(
                Problem(
                    where,
                    1,
                    messages.duplicate_guide(guide.id, guide.lang, str(other)),
                )
            )
            guide = None
        result.problems.extend(problems)
        if guide is not None:
            seen[(guide.id, guide.lang)] = where
            result.guides.append(guide)
    result.guides.sort(key=lambda g: (g.order, g.id, g.lang))
    for problem in result.problems if warn else ():
        log.warning("guides: %s", problem)
    return result


def _guide_files(folder: Path) -> list[Path]:
    """``*.yaml``/``*.yml`` under ``folder``, in path order; hidden names and linked folders skipped."""
    found: list[Path] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(current) / name
            for name in files
            if not name.startswith(".") and name.lower().endswith(GUIDE_SUFFIXES)
        )
    return sorted(found)


def parse_guide_file(
    path: Path, known_entries: frozenset[str] | None = None
) -> tuple[list[Problem], Guide | None]:
    """The problems of one guide file, or the guide."""
    where = str(path)
    try:
        text = read_capped(path, MAX_GUIDE_BYTES).lstrip("\ufeff")
    except TooLargeError:
        return [Problem(where, 1, TOO_LARGE_MESSAGE)], None
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(where, 1, messages.cannot_read(exc))], None
    try:
        node, data = compose_and_load(text)
    except yaml.YAMLError as exc:
        return [yaml_problem(where, exc, 1)], None
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        return [Problem(where, 1, messages.GUIDE_NOT_MAPPING)], None
    problems = _duplicate_keys(where, node)
    try:
        model = _GuideModel.model_validate(data)
    except ValidationError as exc:
        return problems + _validation_problems(where, node, exc), None
    problems += _cross_check(where, node, model, known_entries)
    if problems:
        return problems, None
    return [], _guide(model, where)


def _cross_check(
    where: str, node: yaml.MappingNode, model: _GuideModel, known: frozenset[str] | None
) -> list[Problem]:
    """What one field cannot see: ids unique across steps, the short path wired both ways,
    entries that exist."""
    problems: list[Problem] = []
    steps = [("steps", i, s) for i, s in enumerate(model.steps)]
    if model.short_path is not None:
        steps.append(("short_path", -1, model.short_path))
    step_ids: set[str] = set()
    field_ids: set[str] = set()
    short_choices = 0
    for key, index, step in steps:
        base: tuple[str | int, ...] = (key, index) if index >= 0 else (key,)
        if step.id in step_ids:
            problems.append(
                Problem(where, _line_of(node, (*base, "id")), messages.duplicate_step(step.id))
            )
        step_ids.add(step.id)
        for number, f in enumerate(step.fields):
            loc = (*base, "fields", number)
            if f.id in field_ids:
                problems.append(
                    Problem(where, _line_of(node, (*loc, "id")), messages.duplicate_field(f.id))
                )
            field_ids.add(f.id)
            if f.kind == "choice" and len(f.choices) < 2:
                problems.append(Problem(where, _line_of(node, loc), messages.CHOICE_NEEDS_TWO))
            if f.kind != "choice" and f.choices:
                problems.append(
                    Problem(
                        where,
                        _line_of(node, (*loc, "choices")),
                        messages.choices_only_for_choice(f.kind),
                    )
                )
            for c_number, choice in enumerate(f.choices):
                if not choice.short_path:
                    continue
                short_choices += 1
                if key == "short_path" or not f.required:
                    problems.append(
                        Problem(
                            where,
                            _line_of(node, (*loc, "choices", c_number, "short_path")),
                            messages.SHORT_PATH_ONLY_ON_REQUIRED,
                        )
                    )
    if model.short_path is not None and short_choices == 0:
        problems.append(
            Problem(
                where,
                _line_of(node, ("short_path",)),
                messages.SHORT_PATH_NEVER_REACHED,
            )
        )
    if model.short_path is None and short_choices:
        problems.append(Problem(where, 1, messages.SHORT_PATH_MISSING))
    if known is not None:
        for loc, entry_id in _entry_refs(model):
            if entry_id not in known:
                problems.append(
                    Problem(where, _line_of(node, loc), messages.unknown_entry(entry_id))
                )
    return problems


def _entry_refs(model: _GuideModel) -> list[tuple[tuple[str | int, ...], str]]:
    refs: list[tuple[tuple[str | int, ...], str]] = []
    if model.entry:
        refs.append((("entry",), model.entry))
    for i, step in enumerate(model.steps):
        if step.entry:
            refs.append((("steps", i, "entry"), step.entry))
    if model.short_path is not None and model.short_path.entry:
        refs.append((("short_path", "entry"), model.short_path.entry))
    refs += [(("offer_after", "entries", i), e) for i, e in enumerate(model.offer_after.entries)]
    return refs


def _guide(model: _GuideModel, where: str) -> Guide:
    return Guide(
        id=model.id,
        lang=model.lang,
        title=model.title,
        summary=model.summary,
        heading=model.output.heading,
        gaps_heading=model.output.gaps_heading,
        steps=tuple(_step(s) for s in model.steps),
        short_path=_step(model.short_path) if model.short_path else None,
        entry=model.entry,
        offer_tags=frozenset(t.casefold() for t in model.offer_after.tags),
        offer_entries=frozenset(model.offer_after.entries),
        order=model.order,
        path=where,
    )


def _step(model: _StepModel) -> Step:
    return Step(
        id=model.id,
        title=model.title,
        help=model.help,
        entry=model.entry,
        fields=tuple(
            GuideField(
                id=f.id,
                label=f.label,
                kind=f.kind,
                required=f.required,
                placeholder=f.placeholder.strip(),
                max_length=f.max_length,
                choices=tuple(Choice(c.value, c.label, c.short_path) for c in f.choices),
                text=f.text,
                missing=f.missing,
                gap=f.gap,
            )
            for f in model.fields
        ),
    )


# -- line numbers for messages (the whole file is YAML: line = mark + 1) ------------------------


def _line_of(node: yaml.Node, loc: Sequence[int | str]) -> int:
    return line_of(node, loc, 1)


def _duplicate_keys(where: str, node: yaml.Node) -> list[Problem]:
    """Repeated keys at any depth (YAML keeps the last one silently)."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value in node.value:
            key = node_key(key_node)
            if key in seen:
                problems.append(
                    Problem(where, key_node.start_mark.line + 1, messages.duplicate_key(key))
                )
            seen.add(key)
            problems += _duplicate_keys(where, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _duplicate_keys(where, item)
    return problems


def _validation_problems(where: str, node: yaml.Node, exc: ValidationError) -> list[Problem]:
    return [Problem(where, line, message) for line, message in validation_problems(node, exc, 1)]
