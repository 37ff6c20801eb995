"""Feedback: one 👍 or 👎 per person and answer, changeable, counted per entry for stats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from bot.db.models import Feedback, QuestionLog
from chat.replies import Lang


class FeedbackStore:
    def __init__(self, db: Database, org_id: str) -> None:
        self.db = db
        self.org_id = org_id

    def record(self, question_id: int, user_key: str, helpful: bool) -> Lang | None:
        """Store (or change) one person's verdict on one answer; the answer's language, or
        None if the question is gone (or another organisation's)."""
        try:
            return self._upsert(question_id, user_key, helpful)
        except IntegrityError:
            # A double click raced itself: the unique (question_id, user_key) key let one
            # insert through; the row exists now, so the second attempt updates it.
            return self._upsert(question_id, user_key, helpful)

    def _upsert(self, question_id: int, user_key: str, helpful: bool) -> Lang | None:
        with self.db.session() as session:
            question = session.get(QuestionLog, question_id)
            if question is None or question.org_id != self.org_id:
                return None
            existing = session.scalar(
                select(Feedback).where(
                    Feedback.question_id == question_id, Feedback.user_key == user_key
                )
            )
            if existing is None:
                session.add(
                    Feedback(
                        org_id=self.org_id,
                        question_id=question_id,
                        user_key=user_key,
                        helpful=helpful,
                    )
                )
            else:
                existing.helpful = helpful
            return "en" if question.lang == "en" else "sv"

    def verdicts(self, since: datetime | None = None) -> list[tuple[bool, str | None, int]]:
        """``(helpful, entry id, count)`` over the feedback given since ``since``."""
        query = (
            select(Feedback.helpful, QuestionLog.entry_id, func.count())
            .join(QuestionLog, QuestionLog.id == Feedback.question_id)
            .where(Feedback.org_id == self.org_id)
            .group_by(Feedback.helpful, QuestionLog.entry_id)
        )
        if since is not None:
            query = query.where(Feedback.created_at >= since)
        with self.db.session() as session:
            return [(bool(ok), entry_id, int(count)) for ok, entry_id, count in session.execute(query)]
