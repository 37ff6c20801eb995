"""How an export is laid out, beyond its data: grouping and the CSV separator."""

from __future__ import annotations

from dataclasses import dataclass

from reminders.export.model import STATUS_ORDER, QuarterReport, ReportRow
from reminders.texts import t

GROUP_BY = ("development-area", "status")
CSV_SEPARATORS = {"semicolon": ";", "comma": ",", ";": ";", ",": ","}


@dataclass(frozen=True)
class ExportOptions:
    group_by: str | None = None  # one of GROUP_BY: sections under one heading per group
    csv_separator: str | None = None  # None: ";" in Swedish (Excel's list separator), else ","


DEFAULT = ExportOptions()


def csv_separator(report: QuarterReport, options: ExportOptions) -> str:
    """Excel with Swedish regional settings splits on ";" when it opens a file; tools want ","."""
    if options.csv_separator:
        return CSV_SEPARATORS[options.csv_separator]
    return ";" if report.lang == "sv" else ","


def grouped(
    report: QuarterReport, group_by: str | None
) -> list[tuple[str | None, list[ReportRow]]]:
    """The rows under their group titles (config order within a group), or one untitled group.

    By status the groups follow STATUS_ORDER, so the board reads the worst news in the
    same place every quarter; by development area, the order the config first names them.
    """
    if group_by is None:
        return [(None, list(report.rows))]
    groups: dict[str, list[ReportRow]] = {}
    if group_by == "status":
        for key in STATUS_ORDER:
            members = [r for r in report.rows if r.key == key]
            if members:
                groups[report.label(key)] = members
    else:
        for row in report.rows:
            title = row.development_area.strip() or t("board.group.none", report.lang)
            groups.setdefault(title, []).append(row)
    return list(groups.items())
