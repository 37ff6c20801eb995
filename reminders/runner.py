"""One reminder run: what is due now, minus who has reported, claimed and sent.

The same function serves ``jambot remind`` (cron, by hand) and the scheduler
inside ``jambot serve``, so both behave identically and can even overlap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime

from chat.outbox import Outbox
from reminders.dispatch import Dispatcher, RunReport
from reminders.organisation import OrgConfig
from reminders.ports import Database, ReminderMetrics
from reminders.ratelimit import RateLimiter
from reminders.schedule import due_reminders, periods_in_play
from reminders.updates import reported_administrations


def _reported(db: Database, org: OrgConfig, now: datetime) -> dict[str, set[str]]:
    return {
        q.key: reported_administrations(db, org.organisation.id, q.key)
        for q in periods_in_play(org, now)
    }


async def run_reminders(
    db: Database,
    org: OrgConfig,
    outboxes: Mapping[str, Outbox],
    now: datetime,
    *,
    dry_run: bool = False,
    limiter: RateLimiter | None = None,
    worker: str | None = None,
    metrics: ReminderMetrics | None = None,
) -> RunReport:
    reported = await asyncio.to_thread(_reported, db, org, now)
    due = due_reminders(org, now, reported)
    dispatcher = Dispatcher(db, org, outboxes, worker=worker, limiter=limiter, metrics=metrics)
    return await dispatcher.run(due, dry_run=dry_run)
