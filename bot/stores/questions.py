"""The question log: every question asked, with a pseudonymous user key and what was answered.

Strategists read it to see what staff ask and what the knowledge base lacks, without
learning who asked (the key is a keyed hash; see ``bot/pseudonym.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.db import Database
from bot.db.models import QuestionLog
from chat.replies import Lang
from knowledge.entry import Answer

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class LoggedQuestion:
    """A detached copy of one logged question (what an escalation needs of it)."""

    id: int
    text: str
    lang: Lang
    user_key: str


@dataclass(frozen=True)
class Asked:
    """One logged question as ``jambot stats`` counts it."""

    question: str
    entry_id: str | None
    abstained: bool


class QuestionStore:
    def __init__(self, db: Database, org_id: str) -> None:
        self.db = db
        self.org_id = org_id

    def log(self, platform: str, user_key: str, question: str, answer: Answer) -> int:
        """Store a question and the engine's answer to it; its id (buttons carry it)."""
        row = QuestionLog(
            org_id=self.org_id,
            platform=platform,
            user_key=user_key,
            question=question[:MAX_QUESTION_CHARS],
            lang=answer.lang,
            entry_id=answer.entry.id if answer.entry else None,
            confidence=float(answer.confidence),
            abstained=answer.entry is None,
        )
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return row.id

    def get(self, question_id: int) -> LoggedQuestion | None:
        """The question if it is this organisation's and still kept."""
        with self.db.session() as session:
            row = session.get(QuestionLog, question_id)
            if row is None or row.org_id != self.org_id:
                return None
            lang: Lang = "en" if row.lang == "en" else "sv"
            return LoggedQuestion(row.id, row.question, lang, row.user_key)

    def asked(self, since: datetime | None = None) -> list[Asked]:
        query = select(QuestionLog.question, QuestionLog.entry_id, QuestionLog.abstained).where(
            QuestionLog.org_id == self.org_id
        )
        if since is not None:
            query = query.where(QuestionLog.created_at >= since)
        with self.db.session() as session:
            return [Asked(*row) for row in session.execute(query).all()]
