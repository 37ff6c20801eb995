"""Tables of the conversation side: questions asked, feedback, escalations, platform state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class QuestionLog(Base):
    """One question and what the bot answered; ``user_key`` is a keyed hash, never a raw id."""

    __tablename__ = "question_log"
    __table_args__ = (Index("ix_question_log_org_created", "org_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    user_key: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    entry_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    confidence: Mapped[float] = mapped_column(Float)
    abstained: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("question_id", "user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question_log.id", ondelete="CASCADE"))
    user_key: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Escalation(Base):
    """A question passed to the strategists; ``reply_to`` holds what is needed to answer the asker.

    Until a post reaches a channel, ``thread_key``/``escalation_ref`` are empty and the question
    waits for the periodic re-post; ``post_claimed_at`` marks a post in flight so that two
    replicas never post the same question twice.
    """

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_log.id", ondelete="SET NULL"), nullable=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[dict] = mapped_column(JSON)
    escalation_ref: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    thread_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    post_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ProcessedEvent(Base):
    """Deduplicates platform retries: the first insert of (platform, event_id) wins."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConversationRef(Base):
    """Where the bot can reach a user or channel proactively (Teams conversation reference, Slack DM)."""

    __tablename__ = "conversation_ref"
    __table_args__ = (UniqueConstraint("org_id", "platform", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    reference: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Download(Base):
    """A file handed out as a short-lived link where the platform cannot take an upload (Teams).

    The random ``token`` is the only credential, so rows expire after an hour and are purged.
    """

    __tablename__ = "download"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
