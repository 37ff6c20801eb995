"""Word: the quarterly summary a strategist can send on to the regional board."""

from __future__ import annotations

import io
import re

from docx import Document

from bot.texts import t
from reminders.export.model import QuarterReport

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 forbids these; Word would refuse


def _text(value: str) -> str:
    return _CONTROL.sub("", value)


def render_docx(report: QuarterReport) -> bytes:
    lang = report.lang
    doc = Document()
    doc.add_heading(_text(t("reporting.export.title", lang, period=report.period)), level=0)
    doc.add_paragraph(
        f"{t('reporting.export.organisation', lang)}: {_text(report.org_name)}\n"
        f"{t('reporting.export.period', lang)}: {report.period}\n"
        f"{t('reporting.export.deadline', lang)}: {report.deadline.isoformat()}\n"
        f"{t('reporting.export.generated', lang)}: {report.generated_at:%Y-%m-%d %H:%M}"
    )
    doc.add_heading(t("reporting.export.counts", lang), level=1)
    counts = doc.add_table(rows=1, cols=2)
    counts.style = "Light Grid Accent 1"
    counts.rows[0].cells[0].text = report.column("status")
    counts.rows[0].cells[1].text = t("reporting.export.count", lang)
    for label, n in report.counts:
        cells = counts.add_row().cells
        cells[0].text = label
        cells[1].text = str(n)

    for row in report.rows:
        doc.add_heading(_text(row.administration), level=1)
        doc.add_paragraph(_text(row.development_area), style="Intense Quote")
        status = doc.add_paragraph()
        status.add_run(f"{report.column('status')}: ").bold = True
        status.add_run(row.status_label)
        if row.missing:
            continue
        for name, value in (
            ("done", row.done),
            ("next_steps", row.next_steps),
            ("support_needed", row.support_needed),
        ):
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{report.column(name)}: ").bold = True
            paragraph.add_run(_text(value) or "–")
        when = row.submitted_at.strftime("%Y-%m-%d %H:%M") if row.submitted_at else ""
        doc.add_paragraph(
            f"{report.column('submitted_by')}: {_text(row.submitted_by)}, {when} "
            f"({report.column('revisions')}: {row.revisions})"
        )

    doc.add_heading(t("reporting.export.missing_list", lang), level=1)
    if report.missing:
        for row in report.missing:
            doc.add_paragraph(_text(row.administration), style="List Bullet")
    else:
        doc.add_paragraph(t("reporting.export.none_missing", lang))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
