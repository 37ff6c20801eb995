"""The scheduler inside ``jambot serve``: persistent job, a run at start, one lease holder at a time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text

from bot.db import Database
from reminders.lease import acquire_lease, release_lease
from reminders.scheduler import JOB_ID, ReminderScheduler

T0 = datetime(2025, 4, 4, 7, 0, tzinfo=UTC)
TTL = timedelta(minutes=15)


def test_one_holder_at_a_time_and_takeover_after_expiry(db: Database) -> None:
    assert acquire_lease(db, "reminders", "replica-a", TTL, T0)
    assert not acquire_lease(db, "reminders", "replica-b", TTL, T0 + timedelta(minutes=1))
    assert acquire_lease(db, "reminders", "replica-a", TTL, T0 + timedelta(minutes=5))  # renewal
    assert not acquire_lease(db, "reminders", "replica-b", TTL, T0 + timedelta(minutes=19))
    assert acquire_lease(db, "reminders", "replica-b", TTL, T0 + timedelta(minutes=21))  # a died
    assert not acquire_lease(db, "reminders", "replica-a", TTL, T0 + timedelta(minutes=22))
    release_lease(db, "reminders", "replica-b")
    assert acquire_lease(db, "reminders", "replica-a", TTL, T0 + timedelta(minutes=23))


async def test_scheduler_runs_at_start_and_keeps_its_job_in_the_database(db: Database) -> None:
    ran = asyncio.Event()

    async def run_once() -> None:
        ran.set()

    scheduler = ReminderScheduler(db.url, run_once, tick_minutes=5)
    scheduler.start()
    try:
        await asyncio.wait_for(ran.wait(), timeout=10)
        assert "apscheduler_jobs" in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            ids = [row[0] for row in conn.execute(text("SELECT id FROM apscheduler_jobs"))]
        assert ids == [JOB_ID]
    finally:
        scheduler.shutdown()
    # a restart replaces the stored job instead of failing on the duplicate id
    again = ReminderScheduler(db.url, run_once, tick_minutes=5)
    again.start()
    again.shutdown()
