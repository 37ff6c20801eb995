"""The quarter's export data as the bot and the CLI load it: status updates and analysis counts.

``reminders.export.build_report`` reads the status updates; the completed guided
analyses live in the bot's analysis store, so they are read here and handed in as
plain counts. Every export and status path loads the quarter through this one function,
so no format can show a report without its analysis counts.
"""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from bot.stores.analysis import completed_analyses
from reminders.export import QuarterReport, build_report
from reminders.organisation import OrgConfig
from reminders.periods import Quarter


def load_quarter_report(
    db: Database,
    org: OrgConfig,
    quarter: Quarter,
    lang: str = "sv",
    now: datetime | None = None,
    assessment: str | None = None,
) -> QuarterReport:
    """The quarter's report with each administration's count of completed analyses."""
    analyses = completed_analyses(db, org.organisation.id, quarter)
    return build_report(db, org, quarter, lang, now, assessment, analyses=analyses)
