"""Staff text as blocks: paragraphs and the ``- `` lists people type in a chat box.

Shared by the Word and Markdown renderers, so a contact's list becomes a real
list in both (a Word bullet, a Markdown list with its blank line before it)
instead of running into the paragraph. Only the block structure is read here;
each renderer escapes the words for its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+(?=\S)")


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" (lines kept as line breaks) or "list" (one entry per item)
    lines: tuple[str, ...]


def text_blocks(text: str) -> list[Block]:
    """Paragraphs split on blank lines; a run of bulleted or numbered lines is one list."""
    blocks: list[Block] = []
    kind, lines = "", list[str]()  # the block being collected

    def close() -> None:
        nonlocal kind, lines
        if lines:
            blocks.append(Block(kind, tuple(lines)))
        kind, lines = "", []

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close()
            continue
        bullet = _BULLET.match(raw)
        this = "list" if bullet else "paragraph"
        if this != kind:
            close()
            kind = this
        lines.append(raw[bullet.end() :].strip() if bullet else line)
    close()
    return blocks
