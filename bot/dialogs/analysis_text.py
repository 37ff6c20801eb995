"""The decision paper's section from a guide and one person's answers: Markdown and Word.

The sentences come from the guide file (strategists' wording); this module only fills
in the answers, keeps what was walked (the short path drops the later steps) and names
every gap honestly in a list of its own, so nobody mistakes a missing analysis for a
finished one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from docx import Document

from chat.text_safety import strip_xml_forbidden
from knowledge.guides import TEMPLATE_FIELD, Guide, GuideField

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_MIMETYPE = "text/markdown; charset=utf-8"
_TRAILING = re.compile(r"[\s.;:,!]+$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Section:
    """The finished text: a heading, its paragraphs and the gaps to fill before the decision."""

    heading: str
    paragraphs: tuple[str, ...]
    gaps_heading: str
    gaps: tuple[str, ...]

    def markdown(self) -> str:
        lines = [f"## {self.heading}", "", *_between(self.paragraphs)]
        if self.gaps:
            lines += ["", f"**{self.gaps_heading}**", "", *(f"- {gap}" for gap in self.gaps)]
        return "\n".join(lines) + "\n"

    def body(self) -> str:
        """The section without its heading (the chat shows the heading as the title)."""
        return self.markdown().split("\n", 2)[2].strip()

    def docx(self) -> bytes:
        doc = Document()
        doc.add_heading(strip_xml_forbidden(self.heading), level=2)
        for paragraph in self.paragraphs:
            doc.add_paragraph(strip_xml_forbidden(paragraph))
        if self.gaps:
            doc.add_paragraph().add_run(strip_xml_forbidden(self.gaps_heading)).bold = True
            for gap in self.gaps:
                doc.add_paragraph(strip_xml_forbidden(gap), style="List Bullet")
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def compose(guide: Guide, answers: dict[str, str]) -> Section:
    """The section for the steps this person walked, in the guide's order."""
    paragraphs: list[str] = []
    gaps: list[str] = []
    for step in guide.walk(answers):
        for field in step.fields:
            answer = _answer(field, answers.get(field.id, ""))
            if answer and field.text:
                sentence = _fill(field.text, answer)
                (gaps if field.gap else paragraphs).append(sentence)
            elif not answer and field.missing:
                gaps.append(_fill(field.missing, ""))
    return Section(guide.heading, tuple(paragraphs), guide.gaps_heading, tuple(gaps))


def _answer(field: GuideField, raw: str) -> str:
    """The answer as it reads inside a sentence: a choice's label, one line, no end stop."""
    if field.kind == "choice":
        chosen = field.choice(raw)
        return chosen.label if chosen else ""
    return _TRAILING.sub("", _SPACES.sub(" ", raw).strip())


def _fill(template: str, answer: str) -> str:
    """Put the answer in its sentence. A sentence that opens with the answer gets a capital;
    inside a sentence the answer is left as written (lowering it would mangle names)."""
    starts = template.lstrip().startswith("{" + TEMPLATE_FIELD + "}")
    if answer and starts:
        answer = answer[0].upper() + answer[1:]
    return template.format(**{TEMPLATE_FIELD: answer}).strip()


def _between(paragraphs: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        lines.append(paragraph)
    return lines
