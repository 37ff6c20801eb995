"""The two control-character rules: what no client shows, and what XML 1.0 forbids."""

from __future__ import annotations

import io

from docx import Document
from lxml import etree

from chat.text_safety import strip_invisible, strip_xml_forbidden

CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"]
KEPT = {"\t", "\n", "\r"}


def _xml_accepts(char: str) -> bool:
    try:
        etree.Element("w").text = char
    except ValueError:
        return False
    return True


def test_xml_rule_removes_exactly_what_an_xml_writer_refuses() -> None:
    for char in CONTROLS:
        assert (strip_xml_forbidden(char) == char) is _xml_accepts(char), repr(char)


def test_invisible_rule_also_drops_delete_and_keeps_tabs_and_line_breaks() -> None:
    assert [c for c in CONTROLS if strip_invisible(c)] == sorted(KEPT)
    assert strip_invisible("a\x00b\x7fc\td\r\ne") == "abc\td\r\ne"
    assert strip_xml_forbidden("a\x00b\x7fc") == "ab\x7fc"


def test_a_word_file_of_hostile_text_opens() -> None:
    doc = Document()
    doc.add_paragraph(strip_xml_forbidden("Bedömning\x00\x0b\x1f klar\x7f"))
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    assert Document(out).paragraphs[0].text == "Bedömning klar\x7f"
