"""Drafts of the guided gender-equality analysis, and the count strategists report.

Every read of a draft is filtered by its owner's ``user_key`` (a keyed hash of the
platform and user id, as for the question log), so a draft id pressed or typed by
someone else finds nothing: nobody but the author can read or change a draft.
Completions are stored apart from the drafts, without content or person, so the
quarterly count survives the purge of the drafts.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import AnalysisCompletion, AnalysisDraft
from reminders.periods import Quarter


@dataclass(frozen=True)
class Draft:
    """A detached copy of one person's draft."""

    id: int
    ref: str
    guide_id: str
    lang: str
    answers: dict[str, str]
    step_id: str
    completed: bool
    updated_at: datetime


def _copy(row: AnalysisDraft) -> Draft:
    return Draft(
        id=row.id,
        ref=row.ref,
        guide_id=row.guide_id,
        lang=row.lang,
        answers=dict(row.answers or {}),
        step_id=row.step_id,
        completed=row.completed_at is not None,
        updated_at=row.updated_at,
    )


def create_draft(
    db: Database,
    org_id: str,
    user_key: str,
    guide_id: str,
    lang: str,
    step_id: str,
    now: datetime | None = None,
) -> Draft:
    now = now or utcnow()
    with db.session() as session:
        row = AnalysisDraft(
            ref=secrets.token_hex(16),
            org_id=org_id,
            user_key=user_key,
            guide_id=guide_id,
            lang=lang,
            answers={},
            step_id=step_id,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        return _copy(row)


def _own(session: Session, org_id: str, user_key: str, draft_id: int) -> AnalysisDraft | None:
    row = session.get(AnalysisDraft, draft_id)
    if row is None or row.org_id != org_id or row.user_key != user_key:
        return None
    return row


def own_draft(db: Database, org_id: str, user_key: str, draft_id: int) -> Draft | None:
    """The draft if it exists and belongs to this person; None for anyone else's."""
    with db.session() as session:
        row = _own(session, org_id, user_key, draft_id)
        return _copy(row) if row is not None else None


def latest_draft(db: Database, org_id: str, user_key: str) -> Draft | None:
    """This person's most recently changed draft, finished or not."""
    with db.session() as session:
        row = session.scalar(
            select(AnalysisDraft)
            .where(AnalysisDraft.org_id == org_id, AnalysisDraft.user_key == user_key)
            .order_by(AnalysisDraft.updated_at.desc(), AnalysisDraft.id.desc())
            .limit(1)
        )
        return _copy(row) if row is not None else None


def save_answers(
    db: Database,
    org_id: str,
    user_key: str,
    draft_id: int,
    answers: dict[str, str],
    next_step_id: str,
    now: datetime | None = None,
) -> Draft | None:
    """Merge ``answers`` into the draft and remember where to continue; None if not theirs."""
    with db.session() as session:
        row = _own(session, org_id, user_key, draft_id)
        if row is None:
            return None
        row.answers = {**(row.answers or {}), **answers}
        row.step_id = next_step_id
        row.updated_at = now or utcnow()
        return _copy(row)


def complete(
    db: Database,
    org_id: str,
    user_key: str,
    draft_id: int,
    administration_id: str | None,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> Draft | None:
    """Mark the draft finished and count it once (editing it later does not count again)."""
    now = now or utcnow()
    with db.session() as session:
        row = _own(session, org_id, user_key, draft_id)
        if row is None:
            return None
        row.completed_at = row.completed_at or now
        row.updated_at = now
        counted = session.scalar(
            select(AnalysisCompletion.id).where(AnalysisCompletion.draft_ref == row.ref)
        )
        if counted is None:
            session.add(
                AnalysisCompletion(
                    draft_ref=row.ref,
                    org_id=org_id,
                    administration_id=administration_id,
                    guide_id=row.guide_id,
                    period=Quarter.containing(now.astimezone(tz).date()).key,
                    completed_at=now,
                )
            )
        return _copy(row)


def completed_analyses(
    db: Database, org_id: str, quarter: Quarter | None = None
) -> dict[str | None, int]:
    """Completed analyses per administration id (None: no administration) in ``quarter``
    (every quarter when None). A count only: the table holds no content."""
    query = select(AnalysisCompletion.administration_id).where(AnalysisCompletion.org_id == org_id)
    if quarter is not None:
        query = query.where(AnalysisCompletion.period == quarter.key)
    with db.session() as session:
        return dict(Counter(session.scalars(query).all()))


def completed_by_quarter(
    db: Database, org_id: str, since: datetime | None = None
) -> dict[tuple[str, str | None], int]:
    """``(quarter, administration id) -> count`` of completed analyses, for ``jambot stats``."""
    query = select(AnalysisCompletion.period, AnalysisCompletion.administration_id).where(
        AnalysisCompletion.org_id == org_id
    )
    if since is not None:
        query = query.where(AnalysisCompletion.completed_at >= since)
    with db.session() as session:
        return dict(Counter((period, adm) for period, adm in session.execute(query).all()))


def purge_drafts(db: Database, retention_days: int, now: datetime | None = None) -> int:
    """Delete drafts untouched for the retention period; completions (counts only) stay."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    with db.session() as session:
        result = session.execute(delete(AnalysisDraft).where(AnalysisDraft.updated_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]
