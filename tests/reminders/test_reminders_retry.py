"""``retry_operational``: a database outage is waited out, every other error is not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.db import Database
from reminders.retry import retry_operational

NO_WAIT = (0.0, 0.0, 0.0)


def _select_one(database: Database) -> int:
    with database.session() as session:
        return int(session.execute(text("SELECT 1")).scalar_one())


def _unreachable(tmp_path: Path) -> Database:
    """A database whose file cannot be opened: every statement raises a real OperationalError."""
    return Database(f"sqlite:///{tmp_path / 'missing-folder' / 'jambot.db'}")


def test_a_short_outage_is_waited_out(db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    down = _unreachable(tmp_path)
    attempts: list[Database] = []

    def query() -> int:
        attempts.append(down if len(attempts) < 2 else db)  # back up on the third try
        return _select_one(attempts[-1])

    with caplog.at_level(logging.WARNING, logger="reminders.retry"):
        assert retry_operational(query, NO_WAIT, "testing") == 1
    assert len(attempts) == 3
    assert [r.getMessage() for r in caplog.records] == [
        "database unavailable while testing; retry in 0.0 s"
    ] * 2
    down.dispose()


def test_a_long_outage_raises_after_the_last_delay(tmp_path: Path) -> None:
    down = _unreachable(tmp_path)
    attempts: list[int] = []

    def query() -> int:
        attempts.append(1)
        return _select_one(down)

    with pytest.raises(OperationalError):
        retry_operational(query, NO_WAIT, "testing")
    assert len(attempts) == len(NO_WAIT) + 1  # each delay, then one last try
    down.dispose()


def test_a_lost_race_is_not_retried() -> None:
    """A unique key that refused the row has decided a race: trying again cannot change it."""
    attempts: list[int] = []

    def insert() -> None:
        attempts.append(1)
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    with pytest.raises(IntegrityError):
        retry_operational(insert, NO_WAIT, "testing")
    assert attempts == [1]
