"""One data model behind every export format: the quarter as a strategist reads it.

Built once from the database and the organisation config, so csv, xlsx, docx
and Markdown can never disagree about who reported, and so an administration
that has not reported still gets its row (marked missing) in config order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.config import OrgConfig
from bot.db import Database
from bot.db.base import utcnow
from bot.texts import t
from reminders.calendar import deadline
from reminders.periods import Quarter
from reminders.updates import STATUSES, latest_updates, status_label


@dataclass(frozen=True)
class ReportRow:
    administration_id: str
    administration: str
    development_area: str
    status: str | None  # None: not reported
    status_label: str
    done: str = ""
    next_steps: str = ""
    support_needed: str = ""
    submitted_by: str = ""
    submitted_at: datetime | None = None  # in the organisation's time zone
    revisions: int = 0

    @property
    def missing(self) -> bool:
        return self.revisions == 0


@dataclass(frozen=True)
class QuarterReport:
    org_id: str
    org_name: str
    period: str
    deadline: date
    generated_at: datetime
    lang: str
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def missing(self) -> list[ReportRow]:
        return [r for r in self.rows if r.missing]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(label, count) for every status and for "not reported", zeros included."""
        tally: dict[str | None, int] = {key: 0 for key in (*STATUSES, None)}
        for row in self.rows:
            key = None if row.missing else (row.status or "unspecified")
            tally[key] = tally.get(key, 0) + 1
        return [(status_label(key, self.lang), n) for key, n in tally.items()]

    def column(self, name: str) -> str:
        return t(f"reporting.export.col.{name}", self.lang)


COLUMNS = (
    "administration_id",
    "administration",
    "development_area",
    "status",
    "done",
    "next_steps",
    "support_needed",
    "submitted_by",
    "submitted_at",
    "revisions",
)


def row_values(row: ReportRow) -> list[str | int]:
    """A row's cells in COLUMNS order (the tabular formats share it)."""
    return [
        row.administration_id,
        row.administration,
        row.development_area,
        row.status_label,
        row.done,
        row.next_steps,
        row.support_needed,
        row.submitted_by,
        row.submitted_at.strftime("%Y-%m-%d %H:%M") if row.submitted_at else "",
        row.revisions,
    ]


def build_report(
    db: Database, org: OrgConfig, quarter: Quarter, lang: str = "sv", now: datetime | None = None
) -> QuarterReport:
    latest = latest_updates(db, org.organisation.id, quarter.key)
    rows = []
    for adm in org.administrations:
        found = latest.get(adm.id)
        if found is None:
            rows.append(
                ReportRow(adm.id, adm.name, adm.development_area, None, status_label(None, lang))
            )
            continue
        u = found.update
        rows.append(
            ReportRow(
                administration_id=adm.id,
                administration=adm.name,
                development_area=adm.development_area,
                status=u.status,
                status_label=status_label(u.status or "unspecified", lang),
                done=u.done,
                next_steps=u.next_steps,
                support_needed=u.support_needed,
                submitted_by=u.submitted_by_name,
                submitted_at=u.created_at.astimezone(org.tz),
                revisions=found.revisions,
            )
        )
    return QuarterReport(
        org_id=org.organisation.id,
        org_name=org.organisation.name,
        period=quarter.key,
        deadline=deadline(org.reporting, quarter),
        generated_at=(now or utcnow()).astimezone(org.tz),
        lang=lang,
        rows=rows,
    )
