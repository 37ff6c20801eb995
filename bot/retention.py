"""Forget what the bot no longer needs: old question logs, escalations, references, files.

Everything here is personal data, even when pseudonymous, and is kept only as long as
its purpose lasts (docs/production.md, "What is kept, for how long and why"):

* question logs, feedback and escalations (answered or not, with the asker's ids):
  ``JAMBOT_LOG_RETENTION_DAYS``;
* Teams conversation references of people the organisation config does not list:
  ``JAMBOT_LOG_RETENTION_DAYS`` after they last used the bot (listed contacts,
  strategists and channels are kept: reminders and escalations need them);
* export files behind download links: until the link expires (an hour);
* Slack/Teams retry markers: two days.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import (
    ConversationRef,
    Download,
    Escalation,
    Feedback,
    ProcessedEvent,
    QuestionLog,
)
from bot.stores.analysis import purge_drafts

log = logging.getLogger(__name__)

PROCESSED_EVENT_DAYS = 2


@dataclass(frozen=True)
class Purged:
    questions: int
    feedback: int
    escalations: int
    events: int
    downloads: int = 0
    references: int = 0


def purge_expired(
    db: Database,
    retention_days: int,
    now: datetime | None = None,
    keep_references: Collection[str] = frozenset(),
) -> Purged:
    """Delete rows past their purpose; ``keep_references``: reference keys still needed."""
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    with db.session() as session:
        # An unanswered question a whole retention period old will not be answered; its
        # asker's ids must not outlive the period either.
        escalations = _count(session.execute(delete(Escalation).where(Escalation.created_at < cutoff)))
        old_questions = QuestionLog.created_at < cutoff
        feedback = _count(session.execute(
            delete(Feedback).where(
                Feedback.question_id.in_(
                    QuestionLog.__table__.select().with_only_columns(QuestionLog.id).where(old_questions)
                )
            )
        ))  # fmt: skip
        questions = _count(session.execute(delete(QuestionLog).where(old_questions)))
        events = _count(session.execute(
            delete(ProcessedEvent).where(
                ProcessedEvent.created_at < now - timedelta(days=PROCESSED_EVENT_DAYS)
            )
        ))  # fmt: skip
        downloads = _count(session.execute(delete(Download).where(Download.expires_at < now)))
        references = _count(session.execute(
            delete(ConversationRef).where(
                ConversationRef.platform == "teams",
                ConversationRef.updated_at < cutoff,
                ConversationRef.key.not_in(list(keep_references)),
            )
        ))  # fmt: skip
    purge_drafts(db, retention_days, now)  # guided analyses: drafts go, the counts stay
    purged = Purged(questions, feedback, escalations, events, downloads, references)
    if questions or escalations or downloads or references:
        log.info("retention purge: %s", purged)
    return purged


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
