"""Who has reported for a quarter, who has not, and who is overdue: for strategists in chat and CLI.

Each line also shows where the administration stood last quarter, the counts of both
quarters are given side by side, and an administration that reported last quarter
but not now is called out, as in the board paper.
"""

from __future__ import annotations

from datetime import datetime

from reminders.export.model import STATUS_ORDER, QuarterReport
from reminders.export.wording import names_words, quarter_short
from reminders.texts import t


def _counts(report: QuarterReport, previous: bool) -> str:
    tally = report.tally(previous=previous)
    return ", ".join(f"{report.label(key)} {tally[key]}" for key in STATUS_ORDER if tally[key])


def overview_text(report: QuarterReport, now: datetime) -> str:
    lang = report.lang
    overdue = now.astimezone(report.generated_at.tzinfo).date() > report.deadline
    lines = [
        t(
            "reporting.overview.header",
            lang,
            deadline=report.deadline.isoformat(),
            reported=len(report.reported),
            total=len(report.rows),
        ),
        t(
            "board.overview.counts",
            lang,
            quarter=quarter_short(report.quarter, lang),
            counts=_counts(report, previous=False),
            previous=quarter_short(report.quarter.previous(), lang),
            previous_counts=_counts(report, previous=True),
        ),
        "",
    ]
    for row in report.rows:
        if not row.missing:
            when = row.submitted_at.strftime("%Y-%m-%d") if row.submitted_at else ""
            line = t(
                "reporting.overview.reported_line",
                lang,
                administration=row.administration,
                status=row.status_label,
                who=row.submitted_by,
                when=when,
            )
        elif overdue:
            line = t("reporting.overview.overdue_line", lang, administration=row.administration)
        else:
            line = t("reporting.overview.missing_line", lang, administration=row.administration)
        previous = t("board.overview.previous", lang, status=report.label(row.previous_status))
        lines.append(f"{line} – {previous}")
    if report.dropped:
        names = names_words([r.administration for r in report.dropped], lang)
        lines += ["", t("board.overview.dropped", lang, names=names)]
    if report.assessment:
        lines += ["", t("board.overview.assessment", lang, text=report.assessment)]
    return "\n".join(lines)
