"""Forget what the bot no longer needs: old question logs, closed escalations, retry markers.

Question logs are personal data even when pseudonymous, so they are kept only for
``JAMBOT_LOG_RETENTION_DAYS``. Slack retry markers only matter for minutes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.analysis_store import purge_drafts
from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import Escalation, Feedback, ProcessedEvent, QuestionLog

log = logging.getLogger(__name__)

PROCESSED_EVENT_DAYS = 2


@dataclass(frozen=True)
class Purged:
    questions: int
    feedback: int
    escalations: int
    events: int


def purge_expired(db: Database, retention_days: int, now: datetime | None = None) -> Purged:
    """Delete rows older than the retention period; open escalations stay until answered."""
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    with db.session() as session:
        escalations = session.execute(
            delete(Escalation).where(
                Escalation.created_at < cutoff, Escalation.status != "open"
            )
        ).rowcount  # type: ignore[attr-defined]
        old_questions = QuestionLog.created_at < cutoff
        feedback = session.execute(
            delete(Feedback).where(
                Feedback.question_id.in_(
                    QuestionLog.__table__.select().with_only_columns(QuestionLog.id).where(old_questions)
                )
            )
        ).rowcount  # type: ignore[attr-defined]
        questions = session.execute(delete(QuestionLog).where(old_questions)).rowcount  # type: ignore[attr-defined]
        events = session.execute(
            delete(ProcessedEvent).where(
                ProcessedEvent.created_at < now - timedelta(days=PROCESSED_EVENT_DAYS)
            )
        ).rowcount  # type: ignore[attr-defined]
    purge_drafts(db, retention_days, now)  # guided analyses: drafts go, the counts stay
    purged = Purged(questions, feedback, escalations, events)
    if questions or escalations:
        log.info("retention purge: %s", purged)
    return purged
