"""Add example questions to an entry file by hand-editing its text, never re-dumping the YAML.

Strategists write these files by hand: comments, key order, quoting and list style are
theirs. Loading and dumping the YAML would lose all of that, so new phrasings are inserted
as text into the ``questions:`` list, in the list's own style (a block list ``- ...`` at its
indentation, or a flow list ``[a, b]``), and the result is parsed again before anything is
written: if the file would not read back as the old questions plus the new ones, nothing
changes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.text import phrasing_key

_QUESTIONS_KEY = re.compile(r"^questions[ \t]*:(?P<rest>.*)$")
_BLOCK_ITEM = re.compile(r"^(?P<indent>[ \t]*)-(?:[ \t]|$)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class EditError(Exception):
    """The file cannot be edited safely; the message says why (the file is unchanged)."""


@dataclass(frozen=True)
class Added:
    path: Path
    added: tuple[str, ...]  # the phrasings written, in order
    skipped: tuple[str, ...]  # already among the entry's questions (or its title)


def add_questions(path: Path, phrasings: list[str]) -> Added:
    """Append the phrasings the entry does not already have to its ``questions:`` list."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EditError(f"{path}: cannot read ({exc})") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom) :].replace("\r\n", "\n").split("\n")
    front_end = _front_matter_end(lines, path)
    before = _front_matter(lines, front_end, path)
    existing = _questions(before)
    known = {phrasing_key(q) for q in existing} | {phrasing_key(str(before.get("title", "")))}
    wanted: list[str] = []
    skipped: list[str] = []
    for phrasing in phrasings:
        clean = " ".join(_CONTROL.sub(" ", phrasing).split())
        if not clean:
            continue
        key = phrasing_key(clean)
        if key in known:
            skipped.append(clean)
            continue
        known.add(key)
        wanted.append(clean)
    if not wanted:
        return Added(path, (), tuple(skipped))
    new_lines = _insert(lines, front_end, wanted, path)
    after = _front_matter(new_lines, front_end + len(new_lines) - len(lines), path)
    if _questions(after) != existing + wanted or {
        k: v for k, v in after.items() if k != "questions"
    } != {k: v for k, v in before.items() if k != "questions"}:
        raise EditError(f"{path}: the edit would not read back as intended; file left unchanged")
    _write_atomically(path, bom + newline.join(new_lines))
    return Added(path, tuple(wanted), tuple(skipped))


def _front_matter_end(lines: list[str], path: Path) -> int:
    """Index of the closing ``---`` line."""
    if not lines or lines[0].strip() != "---":
        raise EditError(f"{path}: no YAML front matter (the file must start with '---')")
    for number in range(1, len(lines)):
        if lines[number].strip() == "---":
            return number
    raise EditError(f"{path}: the front matter has no closing '---'")


def _front_matter(lines: list[str], end: int, path: Path) -> dict[str, object]:
    try:
        # BaseLoader reads every scalar as text, as the knowledge-base loader does.
        data = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        raise EditError(f"{path}: the front matter is not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise EditError(f"{path}: the front matter is not a mapping of keys")
    questions = data.get("questions")
    if questions is not None and not isinstance(questions, list):
        raise EditError(f"{path}: 'questions' is not a list")
    return data


def _questions(front: dict[str, object]) -> list[str]:
    value = front.get("questions")
    return [str(q) for q in value] if isinstance(value, list) else []


def _insert(lines: list[str], end: int, wanted: list[str], path: Path) -> list[str]:
    key_line = next((i for i in range(1, end) if _QUESTIONS_KEY.match(lines[i])), None)
    if key_line is None:
        raise EditError(f"{path}: no top-level 'questions:' key to add to")
    rest = _QUESTIONS_KEY.match(lines[key_line])["rest"]  # type: ignore[index]
    value = _strip_comment(rest).strip()
    if value.startswith("["):
        return _insert_flow(lines, key_line, end, wanted, path)
    if value:
        raise EditError(f"{path}:{key_line + 1}: 'questions' is not a plain list; edit it by hand")
    return _insert_block(lines, key_line, end, wanted, path)


def _insert_block(
    lines: list[str], key_line: int, end: int, wanted: list[str], path: Path
) -> list[str]:
    """After the list's last item (and its continuation lines), at the first item's indent."""
    indent: str | None = None
    last = key_line
    for number in range(key_line + 1, end):
        line = lines[number]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        item = _BLOCK_ITEM.match(line)
        if indent is None:
            if item is None:
                break
            indent = item["indent"]
        if item is not None and item["indent"] == indent:
            last = number
        elif len(line) - len(line.lstrip()) > len(indent):
            last = number  # a wrapped or nested line of the item above
        else:
            break
    if indent is None:
        raise EditError(f"{path}:{key_line + 1}: 'questions' has no items to add to")
    new = [f"{indent}- {_scalar(q, flow=False)}" for q in wanted]
    return [*lines[: last + 1], *new, *lines[last + 1 :]]


def _insert_flow(
    lines: list[str], key_line: int, end: int, wanted: list[str], path: Path
) -> list[str]:
    """Before the closing bracket of ``[a, b]``; a list over several lines gets one new line
    per phrasing at its items' indent, after the last item's comment if it has one."""
    body = "\n".join(lines[key_line:end])
    scanned = _scan_flow(body, body.index("["))
    if scanned is None:
        raise EditError(f"{path}:{key_line + 1}: cannot find the end of the 'questions' list")
    close, last = scanned  # the closing bracket, the end of the last item (or of "[")
    items = [_scalar(q, flow=True) for q in wanted]
    if "\n" not in body[: close + 1]:
        separator = "" if body[last - 1] in "[," else ", "
        joined = f"{body[:last]}{separator}{', '.join(items)}{body[last:]}"
    else:
        line_start = body.rfind("\n", 0, last) + 1
        line = body[line_start:last]
        indent = line[: len(line) - len(line.lstrip())] if "[" not in line else "  "
        trailing_comma = body[last - 1] == ","
        line_end = body.find("\n", last, close)
        line_end = close if line_end < 0 else line_end
        comma = "" if trailing_comma or body[last - 1] == "[" else ","
        new_lines = [f"\n{indent}{item}," for item in items]
        if not trailing_comma:
            new_lines[-1] = new_lines[-1][:-1]
        joined = f"{body[:last]}{comma}{body[last:line_end]}{''.join(new_lines)}{body[line_end:]}"
    return [*lines[:key_line], *joined.split("\n"), *lines[end:]]


def _scan_flow(text: str, start: int) -> tuple[int, int] | None:
    """(index of the bracket closing the one at ``start``, index just after the last
    character of content before it), skipping quoted text and comments."""
    depth = 0
    quote: str | None = None
    last = start + 1
    i = start
    while i < len(text):
        char = text[i]
        if quote == '"':
            if char == "\\":
                i += 1
            elif char == '"':
                quote = None
                last = i + 1
        elif quote == "'":
            if char == "'":
                if text[i + 1 : i + 2] == "'":
                    i += 1
                else:
                    quote = None
                    last = i + 1
        elif char in "\"'":
            quote = char
        elif char == "#" and text[i - 1 : i] in (" ", "\t", "\n"):
            newline = text.find("\n", i)
            if newline < 0:
                return None
            i = newline
        elif char in "[{":
            depth += 1
            if depth > 1:
                last = i + 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return i, last
            last = i + 1
        elif not char.isspace():
            last = i + 1
        i += 1
    return None


def _strip_comment(text: str) -> str:
    """The part before a ``#`` comment (a comment starts after whitespace)."""
    match = re.search(r"(^|[ \t])#", text)
    return text[: match.start()] if match else text


def _scalar(text: str, *, flow: bool) -> str:
    """``text`` as a YAML scalar: plain when that reads back as the same text, else
    double-quoted (JSON's string syntax is valid YAML)."""
    document = f"[{text}]" if flow else f"- {text}"
    try:
        if yaml.safe_load(document) == [text] and text == text.strip():
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the file and rename over it: a crash never leaves half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        mode = path.stat().st_mode & 0o777
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise EditError(f"{path}: cannot write ({exc.strerror})") from None
