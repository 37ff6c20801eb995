"""Status updates and their revisions.

Every submission is kept (a strategist may want to see what changed), and the
highest revision counts. The revision number is computed inside the INSERT
itself, so two people of the same administration submitting at the same moment
both get stored: one wins the number, the other retries with the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, literal, select
from sqlalchemy.exc import IntegrityError

from chat.text_safety import strip_invisible
from reminders.ports import Database
from reminders.tables import StatusUpdate, UTCDateTime, utcnow
from reminders.texts import t

STATUSES = ("on_track", "some_deviation", "major_deviation", "not_started")
TEXT_FIELDS = ("done", "next_steps", "support_needed")
# The action of the button that opens the status form (on reminders and receipts); the bot's
# reporting dialog handles it. Here, so the reminder and the dialog name it the same way.
OPEN_FORM = "report_status"
TEXT_LIMIT = 2000
_MAX_ATTEMPTS = 20


def status_label(status: str | None, lang: str = "sv") -> str:
    return t(f"reporting.status.{status or 'missing'}", lang)


@dataclass(frozen=True)
class StatusInput:
    status: str | None
    done: str = ""
    next_steps: str = ""
    support_needed: str = ""


class InvalidStatus(ValueError):
    """A submission that breaks the form's rules; ``errors`` holds (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {msg}" for name, msg in errors))


def validate(
    fields: Mapping[str, str], lang: str = "sv", require_status: bool = True
) -> StatusInput:
    """Check a submitted form; raise InvalidStatus with every problem at once."""
    errors: list[tuple[str, str]] = []
    status = (fields.get("status") or "").strip() or None
    if status is None and require_status:
        errors.append(("status", t("reporting.form.required", lang)))
    elif status is not None and status not in STATUSES:
        errors.append(("status", t("reporting.form.bad_status", lang)))
    texts = {name: strip_invisible(fields.get(name) or "").strip() for name in TEXT_FIELDS}
    for name, value in texts.items():
        if len(value) > TEXT_LIMIT:
            errors.append(
                (name, t("reporting.form.too_long", lang, limit=TEXT_LIMIT, length=len(value)))
            )
    if errors:
        raise InvalidStatus(errors)
    return StatusInput(status=status, **texts)


@dataclass(frozen=True)
class Submitter:
    user_id: str
    name: str
    platform: str


def record_update(
    db: Database,
    org_id: str,
    administration_id: str,
    period: str,
    data: StatusInput,
    submitter: Submitter,
    now: datetime | None = None,
) -> int:
    """Store a new revision and return its number."""
    created = now or utcnow()
    for _ in range(_MAX_ATTEMPTS):
        next_revision = select(
            literal(org_id),
            literal(administration_id),
            literal(period),
            func.coalesce(func.max(StatusUpdate.revision), 0) + 1,
            literal(data.status),
            literal(data.done),
            literal(data.next_steps),
            literal(data.support_needed),
            literal(submitter.user_id),
            literal(submitter.name),
            literal(submitter.platform),
            literal(created, UTCDateTime()),
        ).where(
            StatusUpdate.org_id == org_id,
            StatusUpdate.administration_id == administration_id,
            StatusUpdate.period == period,
        )
        statement = (
            insert(StatusUpdate)
            .from_select(
                [
                    "org_id",
                    "administration_id",
                    "period",
                    "revision",
                    "status",
                    "done",
                    "next_steps",
                    "support_needed",
                    "submitted_by",
                    "submitted_by_name",
                    "platform",
                    "created_at",
                ],
                next_revision,
            )
            .returning(StatusUpdate.revision)
        )
        try:
            with db.session() as session:
                revision = int(session.execute(statement).scalar_one())
        except IntegrityError:
            continue  # someone else took this revision number; take the next
        return revision
    raise RuntimeError(f"could not store a revision for {administration_id} {period}")


@dataclass(frozen=True)
class LatestUpdate:
    update: StatusUpdate
    revisions: int


def latest_updates(db: Database, org_id: str, period: str) -> dict[str, LatestUpdate]:
    """The counting revision of each administration that has reported (deleted rows ignored)."""
    return {
        adm: LatestUpdate(revisions[-1], len(revisions))
        for adm, revisions in update_history(db, org_id, period).items()
    }


def latest_update(
    db: Database, org_id: str, administration_id: str, period: str
) -> StatusUpdate | None:
    with db.session() as session:
        return session.scalars(
            select(StatusUpdate)
            .where(
                StatusUpdate.org_id == org_id,
                StatusUpdate.administration_id == administration_id,
                StatusUpdate.period == period,
                StatusUpdate.deleted_at.is_(None),
            )
            .order_by(StatusUpdate.revision.desc())
            .limit(1)
        ).first()


def reported_administrations(db: Database, org_id: str, period: str) -> set[str]:
    with db.session() as session:
        return set(
            session.scalars(
                select(StatusUpdate.administration_id)
                .where(
                    StatusUpdate.org_id == org_id,
                    StatusUpdate.period == period,
                    StatusUpdate.deleted_at.is_(None),
                )
                .distinct()
            )
        )


def update_history(db: Database, org_id: str, period: str) -> dict[str, list[StatusUpdate]]:
    """Every kept revision of each administration that has reported, oldest first.

    The exports show what changed between revisions (status, person, time), and when
    the first one came in, which decides whether the report was late.
    """
    with db.session() as session:
        rows = session.scalars(
            select(StatusUpdate)
            .where(
                StatusUpdate.org_id == org_id,
                StatusUpdate.period == period,
                StatusUpdate.deleted_at.is_(None),
            )
            .order_by(StatusUpdate.administration_id, StatusUpdate.revision)
        ).all()
    history: dict[str, list[StatusUpdate]] = {}
    for row in rows:
        history.setdefault(row.administration_id, []).append(row)
    return history
