"""Quarterly exports: one data model (``model.QuarterReport``), one renderer per format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from reminders.export.csv import render_csv
from reminders.export.docx import render_docx
from reminders.export.markdown import render_markdown
from reminders.export.model import QuarterReport, build_report
from reminders.export.options import CSV_SEPARATORS, GROUP_BY, ExportOptions
from reminders.export.xlsx import render_xlsx


class Renderer(Protocol):
    def __call__(self, report: QuarterReport, options: ExportOptions = ..., /) -> bytes: ...


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    mimetype: str
    render: Renderer


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv", render_csv),
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx
    ),
    "docx": ExportFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render_docx,
    ),
    "md": ExportFormat("md", "text/markdown", render_markdown),
}


def export_filename(report: QuarterReport, fmt: str) -> str:
    return f"jambot-{report.org_id}-{report.period}.{FORMATS[fmt].extension}"


__all__ = [
    "CSV_SEPARATORS",
    "FORMATS",
    "GROUP_BY",
    "ExportFormat",
    "ExportOptions",
    "QuarterReport",
    "build_report",
    "export_filename",
]
