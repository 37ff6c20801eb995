"""Tables of the guided gender-equality analysis: private drafts and content-free counts.

A draft belongs to one person (``user_key``, a keyed hash of their platform id) and is
only ever read back for that same key, so nobody else can read it. Drafts are personal
data and are purged with the question logs. A completion keeps no content and no person,
only the administration and quarter, because strategists report the number of analysed
decisions and nothing else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class AnalysisDraft(Base):
    __tablename__ = "analysis_draft"
    __table_args__ = (Index("ix_analysis_draft_owner", "org_id", "user_key", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Random and never reused, so a completion is counted once even after drafts are purged.
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    org_id: Mapped[str] = mapped_column(String(64))
    user_key: Mapped[str] = mapped_column(String(64))
    guide_id: Mapped[str] = mapped_column(String(128))
    lang: Mapped[str] = mapped_column(String(8))
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    step_id: Mapped[str] = mapped_column(String(128))  # the step to continue at
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnalysisCompletion(Base):
    """One completed analysis, counted per administration and quarter; never its content."""

    __tablename__ = "analysis_completion"
    __table_args__ = (Index("ix_analysis_completion_org_period", "org_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_ref: Mapped[str] = mapped_column(String(32), unique=True)
    org_id: Mapped[str] = mapped_column(String(64))
    administration_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    guide_id: Mapped[str] = mapped_column(String(128))
    period: Mapped[str] = mapped_column(String(8))  # "2025-Q1", in the organisation's time zone
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
