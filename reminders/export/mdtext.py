"""Staff text made safe for Markdown: every value shown as typed, never as structure.

A contact's text lands in a page other people read (a wiki, an e-mail, a chat
preview). Raw, ``## Regionstyrelseförvaltningen`` would forge another
administration's section, ``<script>`` or ``![](…)`` would run or track in an
HTML renderer, ``[x](javascript:…)`` would become a link. So the characters that
make inline Markdown (emphasis, code, links, tables, strike-through) are escaped
with a backslash, HTML's three with entities (``&lt;b&gt;`` stays as typed), and
a line that would open a block (heading, quote, list, setext underline, thematic
break) has its first character escaped. Line breaks and indentation never reach
the output: the renderers place each line themselves (``md_lines``).
"""

from __future__ import annotations

import re

from reminders.export.blocks import text_blocks

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_INLINE = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^([#>+=-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
_SPACES = re.compile(r"\s+")


def md_inline(text: str) -> str:
    """One line of text, inert wherever it is put (a paragraph, a list item, a table cell)."""
    flat = _SPACES.sub(" ", text).strip()  # no line break, tab or leading indent survives
    escaped = _INLINE.sub(r"\\\1", flat.translate(_HTML))
    escaped = _ORDERED_START.sub(r"\1\\\2", escaped)
    return _BLOCK_START.sub(r"\\\1", escaped)


def md_lines(text: str) -> list[str]:
    """A staff text as Markdown lines: paragraphs with hard breaks, ``- `` lists as lists.

    Every block is preceded by a blank line, which lists need in most renderers.
    """
    out: list[str] = []
    for block in text_blocks(text):
        out.append("")
        if block.kind == "list":
            out += [f"- {md_inline(item)}" for item in block.lines]
        else:
            lines = [md_inline(line) for line in block.lines]
            out += [line + "\\" for line in lines[:-1]] + lines[-1:]
    return out
