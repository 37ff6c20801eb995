"""The storage layer works on the configured backend (SQLite or PostgreSQL)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from bot.db.models import ProcessedEvent, QuestionLog


def test_round_trip_keeps_utc_timestamps(db: Database) -> None:
    asked = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)
    with db.session() as s:
        s.add(
            QuestionLog(
                org_id="region-x", platform="slack", user_key="k", question="Vad är CEMR?",
                lang="sv", entry_id="cemr-vad-ar", confidence=0.9, abstained=False, created_at=asked,
            )
        )
    with db.session() as s:
        row = s.scalars(select(QuestionLog)).one()
    assert row.created_at == asked
    assert row.created_at.tzinfo is not None


def test_unique_event_rejects_a_retry(db: Database) -> None:
    with db.session() as s:
        s.add(ProcessedEvent(platform="slack", event_id="Ev1"))
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(ProcessedEvent(platform="slack", event_id="Ev1"))


def test_backend_matches_request(db: Database, db_backend: str) -> None:
    assert db.engine.dialect.name == db_backend
    assert db.ping()
