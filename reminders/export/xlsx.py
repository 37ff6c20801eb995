"""Excel: a formatted table (frozen header, widths, missing rows shaded) and a status chart."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from bot.texts import t
from reminders.export.injection import neutralise
from reminders.export.model import COLUMNS, QuarterReport, row_values

_WIDTHS = {"administration_id": 16, "administration": 34, "development_area": 36, "status": 18,
           "done": 50, "next_steps": 40, "support_needed": 36, "submitted_by": 22,
           "submitted_at": 17, "revisions": 10}  # fmt: skip
_MISSING_FILL = PatternFill("solid", fgColor="FDE9D9")


def _clean(value: str | int) -> str | int:
    """Drop control characters openpyxl refuses to store, then guard against formulas.

    In this order: "\x01=HYPERLINK(…)" would otherwise pass the guard and become a formula.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def render_xlsx(report: QuarterReport) -> bytes:
    lang = report.lang
    book = Workbook()
    sheet = book.active
    sheet.title = t("reporting.export.sheet", lang)
    sheet.append([report.column(name) for name in COLUMNS])
    for row in report.rows:
        sheet.append([_clean(v) for v in row_values(row)])
        if row.missing:
            for cell in sheet[sheet.max_row]:
                cell.fill = _MISSING_FILL
    last = get_column_letter(len(COLUMNS))
    table = Table(displayName="Kvartalsrapport", ref=f"A1:{last}{max(sheet.max_row, 2)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[name]
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    summary = book.create_sheet(t("reporting.export.summary_sheet", lang))
    summary.append([t("reporting.export.title", lang, period=report.period)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([t("reporting.export.organisation", lang), report.org_name])
    summary.append([t("reporting.export.deadline", lang), report.deadline.isoformat()])
    summary.append([])
    summary.append([report.column("status"), t("reporting.export.count", lang)])
    first = summary.max_row
    for label, count in report.counts:
        summary.append([label, count])
    summary.column_dimensions["A"].width = 24
    chart = BarChart()
    chart.type = "bar"
    chart.title = t("reporting.export.chart", lang)
    chart.legend = None
    chart.add_data(
        Reference(summary, min_col=2, min_row=first, max_row=summary.max_row), titles_from_data=True
    )
    chart.set_categories(Reference(summary, min_col=1, min_row=first + 1, max_row=summary.max_row))
    summary.add_chart(chart, "D2")

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
