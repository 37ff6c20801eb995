"""One data model behind every export format: the quarter as a strategist reads it.

Built once from the database and the organisation config, so csv, xlsx, docx
and Markdown can never disagree about who reported, and so an administration
that has not reported still gets its row (marked missing) in config order.
It also carries what the board asks about: who was late, what changed between
revisions, how each administration stood last quarter, and who needs support.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from reminders.assessment import get_assessment
from reminders.calendar import deadline
from reminders.organisation import OrgConfig
from reminders.periods import Quarter
from reminders.ports import Database
from reminders.tables import StatusUpdate, utcnow
from reminders.texts import t
from reminders.updates import STATUSES, status_label, update_history

# Every status a row can be counted under, in the order the board reads them: the four
# statuses of the form, a report without a status, and no report at all.
STATUS_ORDER = (*STATUSES, "unspecified", "missing")


def status_key(update: StatusUpdate | None) -> str:
    if update is None:
        return "missing"
    return update.status or "unspecified"


@dataclass(frozen=True)
class Revision:
    number: int
    status: str  # a STATUS_ORDER key
    by: str
    at: datetime  # in the organisation's time zone


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
    submitted_at: datetime | None = None  # latest revision, in the organisation's time zone
    revisions: int = 0
    history: tuple[Revision, ...] = ()  # every revision, oldest first
    days_late: int = 0  # calendar days the first revision came after the deadline
    previous_status: str = "missing"  # a STATUS_ORDER key for the previous quarter
    analyses: int = 0  # guided gender-equality analyses completed in the quarter (a count only)

    @property
    def missing(self) -> bool:
        return self.revisions == 0

    @property
    def key(self) -> str:
        """This quarter's STATUS_ORDER key."""
        return "missing" if self.missing else (self.status or "unspecified")

    @property
    def first_submitted_at(self) -> datetime | None:
        return self.history[0].at if self.history else None

    @property
    def dropped(self) -> bool:
        """Reported last quarter, missing now: the board asks about these first."""
        return self.missing and self.previous_status != "missing"


@dataclass(frozen=True)
class QuarterReport:
    org_id: str
    org_name: str
    period: str
    deadline: date
    generated_at: datetime
    lang: str
    rows: list[ReportRow] = field(default_factory=list)
    case_number: str = ""
    send_to: str = ""
    assessment: str = ""  # the strategist's Bedömning, written by hand
    analyses_unassigned: int = 0  # completed analyses not tied to an administration in the config

    @property
    def quarter(self) -> Quarter:
        return Quarter.parse(self.period)

    @property
    def previous_period(self) -> str:
        return self.quarter.previous().key

    @property
    def missing(self) -> list[ReportRow]:
        return [r for r in self.rows if r.missing]

    @property
    def reported(self) -> list[ReportRow]:
        return [r for r in self.rows if not r.missing]

    @property
    def late(self) -> list[ReportRow]:
        return [r for r in self.rows if r.days_late > 0]

    @property
    def dropped(self) -> list[ReportRow]:
        return [r for r in self.rows if r.dropped]

    @property
    def support(self) -> list[ReportRow]:
        return [r for r in self.rows if not r.missing and r.support_needed.strip()]

    @property
    def analyses_total(self) -> int:
        """Every guided analysis completed in the quarter, with or without an administration."""
        return sum(r.analyses for r in self.rows) + self.analyses_unassigned

    def tally(self, previous: bool = False) -> dict[str, int]:
        """Count per STATUS_ORDER key (zeros included), this quarter or the previous one."""
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for row in self.rows:
            counts[row.previous_status if previous else row.key] += 1
        return counts

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(label, count) for every status and for "not reported", zeros included."""
        return [(status_label(key, self.lang), n) for key, n in self.tally().items()]

    def column(self, name: str) -> str:
        return t(f"reporting.export.col.{name}", self.lang)

    def label(self, key: str) -> str:
        return status_label(key, self.lang)


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
    "analyses",  # appended last: other tools read the CSV's columns by position
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
        row.analyses,
    ]


def build_report(
    db: Database,
    org: OrgConfig,
    quarter: Quarter,
    lang: str = "sv",
    now: datetime | None = None,
    assessment: str | None = None,
    analyses: Mapping[str | None, int] | None = None,
) -> QuarterReport:
    """The quarter's report; ``assessment`` replaces the one stored for the quarter, if any.

    ``analyses`` is the count of completed guided analyses per administration id (None: no
    administration), passed in by the caller that reads them (``bot.quarter_report``), so
    this package needs nothing of the analysis store; without it every count is 0.
    """
    org_id = org.organisation.id
    counts = dict(analyses or {})
    if assessment is None:
        stored = get_assessment(db, org_id, quarter.key)
        assessment = stored.text if stored else ""
    history = update_history(db, org_id, quarter.key)
    before = update_history(db, org_id, quarter.previous().key)
    due = deadline(org.reporting, quarter)
    rows = []
    for adm in org.administrations:
        previous = status_key(before[adm.id][-1] if adm.id in before else None)
        revisions = history.get(adm.id)
        if not revisions:
            rows.append(
                ReportRow(
                    adm.id,
                    adm.name,
                    adm.development_area,
                    None,
                    status_label(None, lang),
                    previous_status=previous,
                    analyses=counts.get(adm.id, 0),
                )
            )
            continue
        kept = tuple(
            Revision(
                r.revision, status_key(r), r.submitted_by_name, r.created_at.astimezone(org.tz)
            )
            for r in revisions
        )
        u = revisions[-1]
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
                submitted_at=kept[-1].at,
                revisions=len(kept),
                history=kept,
                days_late=max(0, (kept[0].at.date() - due).days),
                previous_status=previous,
                analyses=counts.get(adm.id, 0),
            )
        )
    known = {adm.id for adm in org.administrations}
    return QuarterReport(
        org_id=org_id,
        org_name=org.organisation.name,
        period=quarter.key,
        deadline=due,
        generated_at=(now or utcnow()).astimezone(org.tz),
        lang=lang,
        rows=rows,
        case_number=org.reporting.case_number,
        send_to=org.reporting.send_to,
        assessment=assessment,
        analyses_unassigned=sum(n for adm_id, n in counts.items() if adm_id not in known),
    )
