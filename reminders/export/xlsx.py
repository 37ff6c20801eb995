"""Excel: a print-ready workbook, the summary sheet first, then one row per administration.

*Sammanställning* holds what the board asks first (period, deadline, counts with
share and last quarter, missing and late reports, who dropped out, support needs,
the assessment) and two charts side by side, this quarter and the previous one,
with the same fixed status colours and category order every quarter and a
whole-number axis. *Rapporter* is the data: dates as dates, ids last, row heights
that fit the wrapped text. Both print on A4 landscape, fitted to the page width,
with the header row repeated and page numbers in the footer.

Staff text is stored as text cells (``quotePrefix``, never a formula), so a
``- `` list item or ``=HYPERLINK(…)`` is shown as typed without a visible
apostrophe and is never run.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from reminders.export.model import STATUS_ORDER, QuarterReport, ReportRow
from reminders.export.options import DEFAULT, ExportOptions
from reminders.export.summary import count_rows, submitted_words, summary_sentences
from reminders.export.wording import quarter_short, quarter_words
from reminders.texts import t

# Fixed per status, whatever the quarter: green, amber, red for the form's judgements,
# brown for not started, light grey for no status given, grey for not reported.
STATUS_COLOURS = {
    "on_track": "2E7D32",
    "some_deviation": "F9A825",
    "major_deviation": "C62828",
    "not_started": "6D4C41",
    "unspecified": "B0BEC5",
    "missing": "757575",
}
# (column key, header text key, width): the data sheet, ids last.
_DATA_COLUMNS = (
    ("administration", "reporting.export.col.administration", 22),
    ("development_area", "reporting.export.col.development_area", 20),
    ("status", "reporting.export.col.status", 13),
    ("previous", "board.col.previous", 13),
    ("done", "reporting.export.col.done", 60),
    ("next_steps", "reporting.export.col.next_steps", 30),
    ("support_needed", "reporting.export.col.support_needed", 28),
    ("submitted_by", "reporting.export.col.submitted_by", 15),
    ("submitted_at", "reporting.export.col.submitted_at", 16),
    ("first_submitted", "board.col.first_submitted", 16),
    ("days_late", "board.col.days_late", 9),
    ("revisions", "reporting.export.col.revisions", 9),
    ("analyses", "reporting.export.col.analyses", 14),
    ("administration_id", "board.col.administration_id", 12),
)
_MISSING_FILL = PatternFill("solid", fgColor="FDE9D9")
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FONT = "Calibri"
_LINE_POINTS = 15.0  # one line of 11 pt Calibri
_MAX_ROW_POINTS = 409.0  # Excel's limit
_DATE = "yyyy-mm-dd"
_DATE_TIME = "yyyy-mm-dd hh:mm"


CellValue = str | int | float | date | datetime | None


def _put(cell: Cell, value: CellValue) -> Cell:
    """Store a value; text as text (never a formula), without characters Excel refuses."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(("=", "+", "-", "@", "\t", "\r")):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited, too
    else:
        cell.value = value
    return cell


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped cell of this width (in characters) needs."""
    chars = max(width * 1.15 - 2, 1)  # Calibri 11 fits a little more than the width unit
    return sum(max(1, math.ceil(len(line) / chars)) for line in str(text).split("\n"))


def _fit_row(sheet: Worksheet, row: int, widths: Mapping[int, float]) -> None:
    lines = 1
    for column, width in widths.items():
        value = sheet.cell(row=row, column=column).value
        if isinstance(value, str) and value:
            lines = max(lines, _lines(value, width))
    sheet.row_dimensions[row].height = min(_MAX_ROW_POINTS, lines * _LINE_POINTS + 3)


def _print_setup(sheet: Worksheet, report: QuarterReport, title_rows: str | None) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    if title_rows:
        sheet.print_title_rows = title_rows
    case = f" · {report.case_number}" if report.case_number else ""
    sheet.oddHeader.left.text = f"{report.org_name}{case}".replace("&", "&&")
    sheet.oddHeader.right.text = quarter_words(report.quarter, report.lang, capital=True)
    sheet.oddFooter.center.text = t("board.page", report.lang, page="&P", pages="&N")


def _naive(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the organisation's local time, as people read it."""
    return moment.replace(tzinfo=None) if moment else None


def _data_values(report: QuarterReport, row: ReportRow) -> dict[str, CellValue]:
    return {
        "administration": row.administration,
        "development_area": row.development_area,
        "status": row.status_label,
        "previous": report.label(row.previous_status),
        "done": row.done,
        "next_steps": row.next_steps,
        "support_needed": row.support_needed,
        "submitted_by": row.submitted_by,
        "submitted_at": _naive(row.submitted_at),
        "first_submitted": _naive(row.first_submitted_at),
        "days_late": row.days_late if not row.missing else None,
        "revisions": row.revisions,
        "analyses": row.analyses,
        "administration_id": row.administration_id,
    }


def _data_sheet(book: Workbook, report: QuarterReport) -> None:
    sheet = book.create_sheet(t("reporting.export.sheet", report.lang))
    widths = {index: width for index, (_, _, width) in enumerate(_DATA_COLUMNS, start=1)}
    for index, (_, header, width) in enumerate(_DATA_COLUMNS, start=1):
        cell = _put(sheet.cell(row=1, column=index), t(header, report.lang))
        cell.font = Font(name=_FONT, bold=True)
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    _fit_row(sheet, 1, widths)
    for number, row in enumerate(report.rows, start=2):
        values = _data_values(report, row)
        for index, (key, _, _) in enumerate(_DATA_COLUMNS, start=1):
            cell = _put(sheet.cell(row=number, column=index), values[key])
            cell.alignment = _WRAP
            if key in ("submitted_at", "first_submitted"):
                cell.number_format = _DATE_TIME
            if row.missing:
                cell.fill = _MISSING_FILL
        _fit_row(sheet, number, widths)
    last = get_column_letter(len(_DATA_COLUMNS))
    table = Table(displayName="Kvartalsrapport", ref=f"A1:{last}{max(sheet.max_row, 2)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    _print_setup(sheet, report, "1:1")


class _Summary:
    """The summary sheet, written top to bottom."""

    def __init__(self, sheet: Worksheet, report: QuarterReport) -> None:
        self.sheet, self.report, self.lang = sheet, report, report.lang
        self.row = 0
        for column, width in zip("ABCD", (34, 17, 12, 14), strict=True):
            sheet.column_dimensions[column].width = width

    def line(self, *values: CellValue, bold: bool = False) -> int:
        self.row += 1
        for column, value in enumerate(values, start=1):
            cell = _put(self.sheet.cell(row=self.row, column=column), value)
            cell.alignment = Alignment(vertical="top", wrap_text=column > 1 or len(values) == 1)
            if bold:
                cell.font = Font(name=_FONT, bold=True)
        return self.row

    def paragraph(self, text: str, bold: bool = False, size: float | None = None) -> None:
        """Text across columns A–J, wrapped, its row as tall as the text."""
        row = self.line(text, bold=bold)
        self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
        if size:
            self.sheet.cell(row=row, column=1).font = Font(name=_FONT, bold=bold, size=size)
        lines = _lines(text, 34 + 14 + 12 + 14 + 6 * 9)
        height = max(size or 11, 11) / 11 * _LINE_POINTS
        self.sheet.row_dimensions[row].height = lines * height + 3

    def heading(self, text: str) -> None:
        self.row += 1
        self.paragraph(text, bold=True, size=12)

    def listing(self, items: list[tuple[str, str]]) -> None:
        for label, text in items:
            row = self.line(label, text)
            self.sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=10)
            self.sheet.cell(row=row, column=1).alignment = _WRAP
            lines = max(_lines(text, 14 + 12 + 14 + 6 * 9), _lines(label, 34))
            self.sheet.row_dimensions[row].height = lines * _LINE_POINTS + 3


def _title(text: str) -> Title:
    """A chart title at 11 pt: the default 14 pt squeezes the bars in a printed chart."""
    font = CharacterProperties(sz=1100, b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _chart(sheet: Worksheet, report: QuarterReport, column: int, first: int, previous: bool,
           top: int) -> BarChart:  # fmt: skip
    """One quarter's administrations per status: fixed order and colours, whole numbers."""
    lang, quarter = report.lang, report.quarter.previous() if previous else report.quarter
    last = first + len(STATUS_ORDER) - 1
    chart = BarChart()
    chart.type = "col"
    chart.title = _title(f"{t('reporting.export.chart', lang)}, {quarter_words(quarter, lang)}")
    chart.legend = None
    chart.add_data(
        Reference(sheet, min_col=column, min_row=first, max_row=last), titles_from_data=False
    )
    series = chart.series[0]
    # The status names are text: a string reference, so Excel does not read them as numbers.
    categories = Reference(sheet, min_col=1, min_row=first, max_row=last)
    series.cat = AxDataSource(strRef=StrRef(f=str(categories)))
    for index, key in enumerate(STATUS_ORDER):
        point = DataPoint(idx=index)
        point.graphicalProperties = GraphicalProperties(solidFill=STATUS_COLOURS[key])
        series.dPt.append(point)
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = top
    chart.y_axis.majorUnit = max(1, math.ceil(top / 10))
    chart.y_axis.number_format = "0"
    chart.y_axis.majorGridlines = None
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.gapWidth = 60
    chart.width, chart.height = 13.0, 8.0
    return chart


def _summary_sheet(book: Workbook, report: QuarterReport) -> None:
    lang = report.lang
    sheet = book.active
    sheet.title = t("reporting.export.summary_sheet", lang)
    s = _Summary(sheet, report)
    s.paragraph(t("board.title", lang), bold=True, size=14)
    s.paragraph(quarter_words(report.quarter, lang, capital=True), bold=True)
    s.line(t("board.organisation", lang), report.org_name)
    if report.case_number:
        s.line(t("board.case_number", lang), report.case_number)
    deadline_row = s.line(t("board.deadline", lang), report.deadline)
    sheet.cell(row=deadline_row, column=2).number_format = _DATE
    sheet.cell(row=deadline_row, column=2).alignment = Alignment(horizontal="left")
    generated_row = s.line(t("board.generated", lang), _naive(report.generated_at))
    sheet.cell(row=generated_row, column=2).number_format = _DATE_TIME
    sheet.cell(row=generated_row, column=2).alignment = Alignment(horizontal="left")
    s.heading(t("board.summary", lang))
    s.paragraph(" ".join(summary_sentences(report)))
    s.row += 1
    header = s.line(t("board.col.status", lang), quarter_short(report.quarter, lang),
                    t("board.col.share", lang), quarter_short(report.quarter.previous(), lang),
                    bold=True)  # fmt: skip
    for column in range(1, 5):
        sheet.cell(row=header, column=column).fill = _HEADER_FILL
    total = len(report.rows)
    first = s.row + 1
    for label, n, _, before in count_rows(report):
        row = s.line(
            label, n, n / total if total else 0, before, bold=label == t("board.total", lang)
        )
        sheet.cell(row=row, column=3).number_format = "0%"
    top = max(1, max(max(report.tally().values()), max(report.tally(previous=True).values())))
    s.row += 1
    charts_at = s.row + 1
    now = _chart(sheet, report, 2, first, previous=False, top=top)
    before_chart = _chart(sheet, report, 4, first, previous=True, top=top)
    sheet.add_chart(now, f"A{charts_at}")
    sheet.add_chart(before_chart, f"E{charts_at}")
    s.row += 17  # the charts' height in rows
    sheet.row_breaks.append(Break(id=s.row))  # the lists start a page, no heading left behind

    s.heading(t("reporting.export.missing_list", lang))
    missing = [(r.administration, t("board.dropped", lang) if r.dropped else "")
               for r in report.missing]  # fmt: skip
    s.listing(missing or [(t("reporting.export.none_missing", lang), "")])
    if report.late:
        s.heading(t("board.col.days_late", lang))
        s.listing([(r.administration, submitted_words(report, r.history, r.days_late))
                   for r in report.late])  # fmt: skip
    s.heading(t("board.support", lang))
    s.listing([(r.administration, r.support_needed) for r in report.support]
              or [(t("board.support.none", lang), "")])  # fmt: skip
    s.heading(t("board.assessment", lang))
    s.paragraph(report.assessment or t("board.assessment.missing", lang, period=report.period))
    _print_setup(sheet, report, None)


def render_xlsx(report: QuarterReport, options: ExportOptions = DEFAULT) -> bytes:
    book = Workbook()
    _summary_sheet(book, report)
    _data_sheet(book, report)
    book.properties.title = f"{t('board.title', report.lang)}, {report.period}"
    book.properties.creator = report.org_name
    book.properties.lastModifiedBy = "Jämbot"
    book.properties.created = book.properties.modified = _naive(report.generated_at)
    book.properties.language = "sv-SE" if report.lang == "sv" else "en-GB"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
