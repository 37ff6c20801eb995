"""The strategist's assessment (bedömning) of a quarter, kept for the board paper.

Written in chat (``/jambot bedomning 2025-Q1 …``) or given to ``jambot export
--assessment FILE``; stored one per organisation and quarter, so every export of
that quarter, in any format, carries the same words, and ``status`` shows them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from chat.text_safety import strip_invisible
from reminders.ports import Database
from reminders.tables import BoardAssessment, utcnow

ASSESSMENT_LIMIT = 5000


def clean_assessment(text: str) -> str:
    """Control characters dropped (the exports and PostgreSQL refuse them), ends trimmed."""
    return strip_invisible(text).strip()


def get_assessment(db: Database, org_id: str, period: str) -> BoardAssessment | None:
    with db.session() as session:
        return session.scalars(
            select(BoardAssessment).where(
                BoardAssessment.org_id == org_id, BoardAssessment.period == period
            )
        ).first()


def save_assessment(
    db: Database,
    org_id: str,
    period: str,
    text: str,
    written_by: str,
    platform: str,
    now: datetime | None = None,
) -> None:
    """Store or replace the quarter's assessment (two strategists at once: the last one wins)."""
    values = {"text": text, "written_by": written_by, "platform": platform,
              "updated_at": now or utcnow()}  # fmt: skip
    where = (BoardAssessment.org_id == org_id, BoardAssessment.period == period)
    for _ in range(2):
        with db.session() as session:
            result = session.execute(update(BoardAssessment).where(*where).values(**values))
            if cast(CursorResult[Any], result).rowcount:
                return
        try:
            with db.session() as session:
                session.add(BoardAssessment(org_id=org_id, period=period, **values))
            return
        except IntegrityError:
            continue  # written by someone else in between: replace theirs
    raise RuntimeError(f"could not store the assessment for {org_id} {period}")
