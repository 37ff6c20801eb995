"""Block Kit that Slack accepts and that keeps text inert (issue 10, items 13 and 14).

Slack rejects a section over 3,000 characters, and a cut inside ``<url|label>`` leaves
two broken pieces of markup (the first a dangling link, the second stray text).
"""

from __future__ import annotations

import re

import pytest

from bot.slack.blocks import SECTION_TEXT_LIMIT, render, split_text
from chat.replies import Reply, Source

LINK = re.compile(r"<[^<>]*>")


def _sections(reply: Reply) -> list[str]:
    return [
        block["text"]["text"]
        for message in render(reply)
        for block in message["blocks"]
        if block["type"] == "section"
    ]


def _links_whole(piece: str) -> bool:
    """Every "<" of the piece opens a link markup that closes in the same piece."""
    return "<" not in LINK.sub("", piece) and ">" not in LINK.sub("", piece)


@pytest.mark.parametrize("offset", range(0, 120, 7))
def test_a_long_paragraph_is_never_cut_inside_a_link(offset: int) -> None:
    link = "[en länk med många ord i sin etikett](https://example.se/" + "sökväg/" * 8 + ")"
    words = "ord " * ((SECTION_TEXT_LIMIT - 60 - offset) // 4)
    body = f"{words}{link} och sedan mer text " + "slut " * 200
    reply = Reply(kind="answer", text=body)

    sections = _sections(reply)

    assert len(sections) >= 2
    assert all(len(s) <= SECTION_TEXT_LIMIT for s in sections)
    assert all(_links_whole(s) for s in sections), sections
    assert sum(s.count("<https://example.se/") for s in sections) == 1


def test_split_text_keeps_link_markup_whole_even_without_spaces_nearby() -> None:
    text = "x" * 2990 + "<https://example.se/" + "a" * 40 + "|etikett>" + " y" * 50

    pieces = split_text(text, SECTION_TEXT_LIMIT)

    assert all(len(p) <= SECTION_TEXT_LIMIT for p in pieces)
    assert all(_links_whole(p) for p in pieces), pieces
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_a_title_longer_than_a_section_is_clipped() -> None:
    reply = Reply(kind="answer", title="Rubrik " * 600, text="Kort svar.")

    sections = _sections(reply)

    assert all(len(s) <= SECTION_TEXT_LIMIT for s in sections)
    assert sections[0].startswith("*Rubrik") and sections[0].endswith("…*")


def test_the_fallback_text_is_escaped_plain_text() -> None:
    reply = Reply(
        kind="answer",
        title="Om <!channel>",
        text="## Rubrik\n**Fet** och *kursiv* text, se [SKR](https://skr.se/). <!channel> <@U0STRAT1>",
        sources=(Source("Källa", "https://k.se"),),
    )

    [message] = render(reply)

    fallback = message["text"]
    assert "<" not in fallback and ">" not in fallback.replace("&gt;", "")
    assert "&lt;!channel&gt;" in fallback and "&lt;@U0STRAT1&gt;" in fallback
    assert "**" not in fallback and "##" not in fallback
    assert "SKR (https://skr.se/)" in fallback
    assert fallback.startswith("Om &lt;!channel&gt;\nRubrik\nFet och kursiv text")
