"""Markdown export injection: a contact's text must never become structure, HTML or a link.

A contact of one administration writes a ``done`` text that, pasted raw into the
Markdown, would forge a section for another administration (a heading and a bold
"Läge" line), run a script, load a tracking image and carry a ``javascript:`` link.
The export is rendered with a CommonMark renderer (markdown-it-py, what wikis and
chat previews use) and the HTML is checked for anything the contact did not type
as plain text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from docx import Document
from markdown_it import MarkdownIt
from reporting_org import make_org

from reminders.export import FORMATS, build_report
from reminders.periods import Quarter
from reminders.ports import Database
from reminders.updates import StatusInput, Submitter, record_update

Q1 = Quarter(2025, 1)
BO = Submitter("U0HSF1", "Bo Berg", "slack")
ATTACK = (
    "Vi har gjort lite.\n"
    "\n"
    "## Regionstyrelseförvaltningen\n"
    "\n"
    "**Läge:** Enligt plan\n"
    "<script>alert('x')</script>\n"
    "![](https://tracker.example/pixel.gif?u=1)\n"
    "[Läs mer](javascript:alert(document.cookie))\n"
    "<img src=x onerror=alert(1)>\n"
    "Rubrik\n"
    "===\n"
    "    indented code\n"
    "| a | b |\n"
    "&lt;b&gt;entity&lt;/b&gt;"
)


def _render(db: Database, fmt: str) -> bytes:
    org = make_org()
    record_update(
        db,
        org.organisation.id,
        "hsf",
        Q1.key,
        StatusInput("major_deviation", done=ATTACK, next_steps="<b>x</b>", support_needed="`x`"),
        BO,
        now=datetime(2025, 4, 10, 12, 0, tzinfo=UTC),
    )
    report = build_report(db, org, Q1, now=datetime(2025, 4, 23, tzinfo=UTC))
    return FORMATS[fmt].render(report)


def test_markdown_contact_text_cannot_forge_sections_html_or_links(db: Database) -> None:
    source = _render(db, "md").decode("utf-8")
    html = MarkdownIt("commonmark").enable("table").render(source)

    headings = re.findall(r"<h([1-6])>(.*?)</h\1>", html)
    # Regionstyrelseförvaltningen has not reported: it must appear as a heading once, from us.
    assert [text for _, text in headings].count("Regionstyrelseförvaltningen") == 1
    assert not any("Rubrik" in text for _, text in headings)
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # never inside a tag
    assert "href=" not in html
    assert "<pre" not in html and "<code" not in html
    # Only our own labels are bold: one "Läge" per administration, not the forged one.
    assert html.count("<strong>Läge:</strong>") == 3
    # The contact's words are all still there, as text.
    for words in ("## Regionstyrelseförvaltningen", "**Läge:** Enligt plan", "javascript:alert"):
        assert words.replace("<", "&lt;") in html.replace("&quot;", '"')
    assert "&amp;lt;b&amp;gt;entity" in html  # shown as typed, not decoded to a tag


def test_docx_keeps_contact_text_as_plain_runs(db: Database) -> None:
    import io

    doc = Document(io.BytesIO(_render(db, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert not any("Rubrik" in h or h.startswith("##") for h in headings)
    assert headings.count("Regionstyrelseförvaltningen") == 1
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "<script>alert('x')</script>" in text  # inert text in Word, shown as typed
    body = doc.element.body.xml
    assert "hyperlink" not in body and "javascript" not in body.split("<w:t")[0]
