"""Completed gender-equality analyses per administration, for ``/jambot status``.

The measure regions report on gender-equal decisions is how many decisions were
analysed; this shows that number per administration for one quarter, never content.
The counts come with the quarter's report (``bot.quarter_report``), read once.
"""

from __future__ import annotations

from bot.texts import t
from reminders.export import QuarterReport


def analyses_overview(report: QuarterReport, lang: str = "sv") -> str:
    """A Markdown block to append to the quarter's status overview."""
    lines = ["", "", f"**{t('analysis.status_heading', lang, period=report.period)}**"]
    lines += [f"- {row.administration}: {row.analyses}" for row in report.rows]
    if report.analyses_unassigned:
        lines.append(
            f"- {t('analysis.stats_no_administration', lang)}: {report.analyses_unassigned}"
        )
    return "\n".join(lines)
