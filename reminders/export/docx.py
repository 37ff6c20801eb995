"""Word: the board paper (tjänsteskrivelse) a strategist hands to the regional board unchanged.

Modelled on the board's own papers (RS § 334 Kvartalsrapportering –
Jämställdhetsintegrering): a case header, a *Sammanfattning* generated from the
data, the strategist's *Bedömning*, the proposed decision and *Skickas till* on
the first pages, then one section per administration with labelled fields. A4,
Swedish proofing language, the organisation and case number in the header, page
numbers in the footer, and document properties that say what the file is.

Staff text goes into plain runs only (python-docx escapes it for XML): Word
interprets no markup in it, so ``<script>`` or ``## …`` is shown as typed.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from chat.text_safety import strip_xml_forbidden
from reminders.export.blocks import text_blocks
from reminders.export.model import QuarterReport, ReportRow
from reminders.export.options import DEFAULT, ExportOptions, grouped
from reminders.export.summary import (
    change_lines,
    count_rows,
    submitted_words,
    summary_sentences,
)
from reminders.export.wording import day_words, quarter_short, quarter_words
from reminders.texts import t

_FONT = "Arial"
_LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}
_DARK = RGBColor(0x1F, 0x1F, 0x1F)
# Paragraph styles of our own, so 300 administrations' fields are styled by one id each
# instead of per-paragraph spacing (which python-docx builds slowly).
_FIELD, _LABEL, _LABELLED_TEXT = "JambotField", "JambotLabel", "JambotLabelledText"


class _Paper:
    """The document being written, with the few paragraph kinds a board paper uses."""

    def __init__(self, report: QuarterReport) -> None:
        self.report = report
        self.lang = report.lang
        self.doc: DocxDocument = Document()
        self._end = self.doc.element.body.find(qn("w:sectPr"))
        self._setup()

    # -- page, styles, properties --------------------------------------------------

    def _setup(self) -> None:
        report, doc = self.report, self.doc
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(25), Mm(20)
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        lang.set(qn("w:val"), _LANGUAGES.get(self.lang, "sv-SE"))
        lang.set(qn("w:eastAsia"), _LANGUAGES.get(self.lang, "sv-SE"))
        sizes = {"Normal": 11, "Title": 20, "Heading 1": 14, "Heading 2": 12.5, "Heading 3": 11.5,
                 "Header": 9, "Footer": 9}  # fmt: skip
        for name, size in sizes.items():
            style = doc.styles[name]
            fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)  # a theme font would win over ours
            style.font.name = _FONT
            style.font.size = Pt(size)
            if name.startswith(("Heading", "Title")):
                style.font.color.rgb = _DARK
                style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
                style.paragraph_format.space_after = Pt(4)
                style.paragraph_format.keep_with_next = True  # never alone at a page's foot
        doc.styles["Normal"].paragraph_format.space_after = Pt(4)
        doc.styles["List Bullet"].paragraph_format.space_after = Pt(2)
        for style_id, before, keep in ((_FIELD, 0, False), (_LABEL, 6, True),
                                       (_LABELLED_TEXT, 6, False)):  # fmt: skip
            style = doc.styles.add_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(2)
            style.paragraph_format.keep_with_next = keep
        doc.styles["Normal"].paragraph_format.line_spacing = 1.1

        header = section.header.paragraphs[0]
        header.paragraph_format.tab_stops.clear_all()
        header.style.paragraph_format.tab_stops.clear_all()
        header.paragraph_format.tab_stops.add_tab_stop(Mm(160), WD_TAB_ALIGNMENT.RIGHT)
        header.add_run(strip_xml_forbidden(report.org_name))
        if report.case_number:
            header.add_run(f"\t{t('board.case_number', self.lang)}: {strip_xml_forbidden(report.case_number)}")
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        page, _, rest = t("board.page", self.lang, page="\0", pages="\1").partition("\0")
        between, _, after = rest.partition("\1")
        for piece in (page, ("PAGE",), between, ("NUMPAGES",), after):
            if isinstance(piece, tuple):
                _field(footer, piece[0])
            elif piece:
                footer.add_run(piece)

        props = doc.core_properties
        props.title = f"{t('board.title', self.lang)}, {quarter_words(report.quarter, self.lang)}"
        props.subject = t("board.title", self.lang)
        props.author = strip_xml_forbidden(report.org_name)
        props.last_modified_by = "Jämbot"
        props.comments = ""
        props.category = t("board.title", self.lang)
        props.identifier = report.case_number
        props.keywords = f"{report.period}; {t('board.summary', self.lang)}"
        props.language = _LANGUAGES.get(self.lang, "sv-SE")
        props.created = props.modified = _naive_utc(report.generated_at)
        props.revision = 1

    # -- paragraph kinds -------------------------------------------------------------

    def new_paragraph(self, style_id: str | None = None) -> Paragraph:
        """An empty paragraph at the end of the body.

        Inserted just before the section properties and styled by id: python-docx's
        ``add_paragraph(style=name)`` searches the body and the styles on every call,
        which made 300 administrations take seconds.
        """
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        if style_id:
            element.get_or_add_pPr().get_or_add_pStyle().val = style_id
        return Paragraph(element, self.doc._body)

    def heading(self, text: str, level: int) -> Paragraph:
        paragraph = self.new_paragraph("Title" if level == 0 else f"Heading{level}")
        _append_run(paragraph, text)
        return paragraph

    def para(self, text: str = "", bold: bool = False, italic: bool = False) -> Paragraph:
        paragraph = self.new_paragraph()
        if text:
            run = paragraph.add_run(strip_xml_forbidden(text))
            run.bold, run.italic = bold, italic
        return paragraph

    def field(self, label: str, value: str, style_id: str = _FIELD) -> Paragraph:
        """``Label: value`` on one line, the label bold."""
        paragraph = self.new_paragraph(style_id)
        _append_run(paragraph, f"{label}: ", bold=True)
        if value:
            _append_run(paragraph, value)
        return paragraph

    def bullet(self, text: str, label: str = "") -> Paragraph:
        paragraph = self.new_paragraph("ListBullet")
        if label:
            _append_run(paragraph, f"{label}: ", bold=True)
        _append_run(paragraph, text)
        return paragraph

    def label(self, text: str) -> Paragraph:
        """A bold label on its own line, kept with what follows it."""
        paragraph = self.new_paragraph(_LABEL)
        _append_run(paragraph, text, bold=True)
        return paragraph

    def staff_text(self, label: str, value: str) -> None:
        """The contact's paragraphs and real bullet lists under a bold label.

        A single paragraph shares the label's line (``Nästa steg: Utvärdera.``); anything
        longer starts on the line below it.
        """
        blocks = text_blocks(value)
        if len(blocks) <= 1 and all(b.kind == "paragraph" for b in blocks):
            paragraph = self.field(label, "", _LABELLED_TEXT)
            _append_run(paragraph, "\n".join(blocks[0].lines) if blocks else "–")
            return
        self.label(label)
        for block in blocks:
            if block.kind == "list":
                for item in block.lines:
                    self.bullet(item)
                continue
            _append_run(self.new_paragraph(), "\n".join(block.lines))


_W_R, _W_RPR, _W_B, _W_T, _W_BR = (qn(f"w:{tag}") for tag in ("r", "rPr", "b", "t", "br"))
_XML_SPACE = qn("xml:space")


def _append_run(paragraph: Paragraph, text: str, bold: bool = False) -> None:
    """A run of plain text (line breaks as Word breaks), written straight as XML.

    The same XML python-docx's ``add_run`` writes, without its per-element schema
    look-ups, which dominated rendering 300 administrations. The text is set as an
    element's text, so lxml escapes it: nothing in it can become markup.
    """
    run = etree.SubElement(paragraph._p, _W_R)
    if bold:
        etree.SubElement(etree.SubElement(run, _W_RPR), _W_B)
    for index, line in enumerate(strip_xml_forbidden(text).split("\n")):
        if index:
            etree.SubElement(run, _W_BR)
        element = etree.SubElement(run, _W_T)
        element.text = line
        element.set(_XML_SPACE, "preserve")


def _naive_utc(moment: datetime) -> datetime:
    """python-docx writes core-property times as UTC without an offset."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) the reader's program fills in when it lays out pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            number = OxmlElement("w:t")
            number.text = "1"
            run._r.append(number)


def _case_header(paper: _Paper) -> None:
    report, lang = paper.report, paper.lang
    paper.heading(t("board.title", lang), 0)
    subtitle = paper.para(quarter_words(report.quarter, lang, capital=True), bold=True)
    subtitle.runs[0].font.size = Pt(14)
    if report.case_number:
        paper.field(t("board.case_number", lang), report.case_number)
    paper.field(t("board.organisation", lang), report.org_name)
    paper.field(t("board.deadline", lang), day_words(report.deadline, lang, year=True))
    generated = paper.field(
        t("board.generated", lang), day_words(report.generated_at.date(), lang, year=True)
    )
    generated.paragraph_format.space_after = Pt(12)


def _summary(paper: _Paper) -> None:
    report, lang = paper.report, paper.lang
    paper.heading(t("board.summary", lang), 1)
    sentences = summary_sentences(report)
    paper.para(" ".join(sentences)).paragraph_format.space_after = Pt(8)
    _counts_table(paper)
    paper.heading(t("board.support", lang), 2)
    if not report.support:
        paper.para(t("board.support.none", lang))
    for row in report.support:
        flat = " ".join(line for b in text_blocks(row.support_needed) for line in b.lines)
        paper.bullet(flat, label=row.administration)


def _counts_table(paper: _Paper) -> None:
    report, lang = paper.report, paper.lang
    table = paper.doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = (
        t("board.col.status", lang),
        quarter_short(report.quarter, lang),
        t("board.col.share", lang),
        quarter_short(report.quarter.previous(), lang),
    )
    rows = [(label, str(n), part, str(before)) for label, n, part, before in count_rows(report)]
    for index, values in enumerate((head, *rows)):
        cells = table.rows[0].cells if index == 0 else table.add_row().cells
        bold = index in (0, len(rows))
        for column, value in enumerate(values):
            paragraph = cells[column].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = index < len(rows)
            run = paragraph.add_run(value)
            run.bold = bold
            if column and index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.autofit = False
    widths = (Mm(70), Mm(30), Mm(30), Mm(30))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    paper.para().paragraph_format.space_after = Pt(0)


def _assessment_and_decision(paper: _Paper) -> None:
    report, lang = paper.report, paper.lang
    paper.heading(t("board.assessment", lang), 1)
    blocks = text_blocks(report.assessment)
    if not blocks:
        paper.para(t("board.assessment.missing", lang, period=report.period), italic=True)
    for block in blocks:
        if block.kind == "list":
            for item in block.lines:
                paper.bullet(item)
        else:
            paper.para(" ".join(block.lines))
    paper.heading(t("board.decision", lang), 1)
    paper.para(t("board.decision.text", lang))
    paper.heading(t("board.send_to", lang), 1)
    paper.para(report.send_to or t("board.send_to.default", lang))


def _administration(paper: _Paper, row: ReportRow, level: int) -> None:
    report, lang = paper.report, paper.lang
    paper.heading(row.administration, level)
    paper.field(t("board.field.development_area", lang), row.development_area)
    paper.field(t("board.field.status", lang), row.status_label)
    paper.field(t("board.field.previous", lang), report.label(row.previous_status))
    if row.missing:
        paper.para(t("board.not_reported", lang), italic=True)
        if row.dropped:
            paper.para(t("board.dropped", lang), bold=True)
    else:
        _report_fields(paper, row)
    # Last in the section: counted whether or not the administration has reported.
    paper.field(report.column("analyses"), str(row.analyses))


def _report_fields(paper: _Paper, row: ReportRow) -> None:
    """What an administration that has reported wrote, and when."""
    report, lang = paper.report, paper.lang
    submitted = paper.field(
        t("board.field.submitted", lang), submitted_words(report, row.history, row.days_late)
    )
    if row.days_late:
        for run in submitted.runs[1:]:
            run.font.color.rgb = RGBColor(0xA5, 0x1D, 0x1D)
    paper.staff_text(report.column("done"), row.done)
    paper.staff_text(report.column("next_steps"), row.next_steps)
    paper.staff_text(report.column("support_needed"), row.support_needed)
    if row.revisions > 1:
        paper.label(t("board.field.changes", lang))
        for line in change_lines(row.history, report):
            paper.bullet(line)


def render_docx(report: QuarterReport, options: ExportOptions = DEFAULT) -> bytes:
    paper = _Paper(report)
    _case_header(paper)
    _summary(paper)
    _assessment_and_decision(paper)
    reports = paper.heading(t("board.reports", report.lang), 1)
    reports.paragraph_format.page_break_before = True
    for title, rows in grouped(report, options.group_by):
        if title is not None:
            paper.heading(title, 2)
        for row in rows:
            _administration(paper, row, 3 if title is not None else 2)
    out = io.BytesIO()
    paper.doc.save(out)
    return out.getvalue()
