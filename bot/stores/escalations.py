"""Escalations: questions passed to the strategists, from the first post to the answer.

Two races are settled here, in the database, so that replicas and double clicks agree:
posting (``claim_post``: one replica posts a waiting question, a post cut short is taken
over after ``POST_CLAIM_TIMEOUT``) and closing (``close``: two strategists answering at
once, one wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import Escalation
from bot.stores.questions import LoggedQuestion
from chat.refs import MessageRef

# A post claimed longer ago than this was cut short (the process died mid-send): post it again.
POST_CLAIM_TIMEOUT = timedelta(minutes=2)


@dataclass(frozen=True)
class Waiting:
    """An open escalation no channel has taken yet."""

    id: int
    question: str
    platform: str


@dataclass(frozen=True)
class OpenEscalation:
    id: int
    question: str
    created_at: datetime
    posted: bool  # False: no channel has taken it yet; the server keeps trying


class EscalationStore:
    def __init__(self, db: Database, org_id: str) -> None:
        self.db = db
        self.org_id = org_id

    def open(self, question: LoggedQuestion, platform: str, reply_to: dict[str, Any]) -> int | None:
        """Record the escalation; None if this question was already escalated."""
        with self.db.session() as session:
            exists = session.scalar(
                select(Escalation.id).where(
                    Escalation.org_id == self.org_id, Escalation.question_id == question.id
                )
            )
            if exists is not None:
                return None
            row = Escalation(
                org_id=self.org_id,
                question_id=question.id,
                platform=platform,
                question=question.text,
                reply_to=reply_to,
                status="open",
                post_claimed_at=utcnow(),  # this process posts it now; the re-post job waits
            )
            session.add(row)
            session.flush()
            return row.id

    def unposted(self) -> list[Waiting]:
        """Open escalations no channel has taken and nobody is posting right now."""
        with self.db.session() as session:
            rows = session.execute(
                select(Escalation.id, Escalation.question, Escalation.platform)
                .where(Escalation.org_id == self.org_id, *_postable(utcnow()))
                .order_by(Escalation.created_at)
            ).all()
        return [Waiting(row[0], row[1], row[2]) for row in rows]

    def claim_post(self, escalation_id: int) -> bool:
        """Take the right to post this escalation; False if another replica holds it or posted it."""
        now = utcnow()
        with self.db.session() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, *_postable(now))
                .values(post_claimed_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def release(self, escalation_id: int) -> None:
        """No channel took it: leave it for the next re-post run."""
        with self.db.session() as session:
            session.execute(
                update(Escalation).where(Escalation.id == escalation_id).values(post_claimed_at=None)
            )

    def posted(self, escalation_id: int, ref: MessageRef) -> None:
        """Remember where the post landed; a stored ``escalation_ref`` marks it posted."""
        with self.db.session() as session:
            row = session.get(Escalation, escalation_id)
            if row is not None:
                row.escalation_ref = ref.as_json()
                row.thread_key = ref.thread_key()

    def by_thread(self, key: str) -> Escalation | None:
        with self.db.session() as session:
            return session.scalar(
                select(Escalation).where(
                    Escalation.org_id == self.org_id, Escalation.thread_key == key
                )
            )

    def by_id(self, escalation_id: int) -> Escalation | None:
        with self.db.session() as session:
            row = session.get(Escalation, escalation_id)
            return row if row is not None and row.org_id == self.org_id else None

    def close(self, escalation_id: int, answer: str | None) -> bool:
        """Close an open escalation; False if someone else closed it first (two strategists)."""
        with self.db.session() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status == "open")
                .values(status="resolved", answer=answer, resolved_at=utcnow())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def forget_asker(self, escalation_id: int) -> None:
        """Once answered, who asked is no longer needed: keep only platform and language."""
        with self.db.session() as session:
            row = session.get(Escalation, escalation_id)
            if row is not None:
                row.reply_to = {"platform": row.reply_to.get("platform"), "lang": row.reply_to.get("lang")}

    def reopen(self, escalation_id: int) -> None:
        with self.db.session() as session:
            session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id)
                .values(status="open", answer=None, resolved_at=None)
            )

    def still_open(self) -> list[OpenEscalation]:
        """Every open escalation, oldest first, for ``jambot stats``."""
        with self.db.session() as session:
            rows = session.execute(
                select(Escalation.id, Escalation.question, Escalation.created_at, Escalation.escalation_ref)
                .where(Escalation.org_id == self.org_id, Escalation.status == "open")
                .order_by(Escalation.created_at)
            ).all()
        return [OpenEscalation(row[0], row[1], row[2], posted=row[3] is not None) for row in rows]


def _postable(now: datetime) -> tuple[Any, ...]:
    """Conditions of an escalation waiting to be posted: open, never posted, not being posted."""
    return (
        Escalation.status == "open",
        # Posted means "its reference is stored"; a post may have no thread key (a chat
        # without threads), and such a post must not be posted again.
        Escalation.escalation_ref.is_(None),
        or_(
            Escalation.post_claimed_at.is_(None),
            Escalation.post_claimed_at < now - POST_CLAIM_TIMEOUT,
        ),
    )
