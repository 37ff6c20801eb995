"""Who has reported for a quarter, who has not, and who is overdue: for strategists in chat and CLI."""

from __future__ import annotations

from datetime import datetime

from bot.texts import t
from reminders.export.model import QuarterReport


def overview_text(report: QuarterReport, now: datetime) -> str:
    lang = report.lang
    overdue = now.astimezone(report.generated_at.tzinfo).date() > report.deadline
    reported = [r for r in report.rows if not r.missing]
    lines = [
        t(
            "reporting.overview.header",
            lang,
            deadline=report.deadline.isoformat(),
            reported=len(reported),
            total=len(report.rows),
        ),
        "",
    ]
    for row in report.rows:
        if not row.missing:
            when = row.submitted_at.strftime("%Y-%m-%d") if row.submitted_at else ""
            lines.append(
                t(
                    "reporting.overview.reported_line",
                    lang,
                    administration=row.administration,
                    status=row.status_label,
                    who=row.submitted_by,
                    when=when,
                )
            )
        elif overdue:
            lines.append(
                t("reporting.overview.overdue_line", lang, administration=row.administration)
            )
        else:
            lines.append(
                t("reporting.overview.missing_line", lang, administration=row.administration)
            )
    return "\n".join(lines)
