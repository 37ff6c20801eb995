"""The reminder scheduler inside ``jambot serve``: APScheduler with a persistent job store.

The job (every TICK_MINUTES, and once at start so reminders missed while the bot
was down go out at once) lives in the database through SQLAlchemyJobStore, so
its schedule survives restarts. APScheduler 3 does not coordinate processes that
share a job store, so every tick first takes the database lease (lease.py): only
one replica works at a time, and the claim in dispatch.py rules out duplicates
even if two ever overlap.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.db.base import utcnow
from reminders.dispatch import worker_id
from reminders.lease import acquire_lease, release_lease
from reminders.ratelimit import RateLimiter
from reminders.runner import run_reminders

if TYPE_CHECKING:
    from bot.app import AppContext

log = logging.getLogger(__name__)

JOB_ID = "jambot-reminders"
LEASE_NAME = "reminders"
TICK_MINUTES = 5
LEASE_TTL = timedelta(minutes=3 * TICK_MINUTES)

# The job store keeps a textual reference to ``tick``, not the live objects it needs,
# so the running process registers its tick function here.
_TICKS: dict[str, Callable[[], Awaitable[None]]] = {}


async def tick(name: str) -> None:
    """The persisted job: run the registered tick of this process, if any."""
    run = _TICKS.get(name)
    if run is None:
        log.warning("reminder tick %r has no runner in this process", name)
        return
    await run()


class ReminderScheduler:
    def __init__(
        self,
        database_url: str,
        run_once: Callable[[], Awaitable[None]],
        tick_minutes: int = TICK_MINUTES,
        name: str = JOB_ID,
    ) -> None:
        self.name = name
        self.worker = worker_id()
        self.tick_minutes = tick_minutes
        self._run_once = run_once
        self._scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=database_url)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
            timezone="UTC",
        )

    def start(self) -> None:
        _TICKS[self.name] = self._run_once
        self._scheduler.start()
        self._scheduler.add_job(
            tick,
            "interval",
            args=[self.name],
            minutes=self.tick_minutes,
            id=self.name,
            replace_existing=True,
            next_run_time=utcnow(),  # at start: send what was missed while down
        )

    def shutdown(self) -> None:
        _TICKS.pop(self.name, None)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


SCHEDULER = web.AppKey("reminder_scheduler", ReminderScheduler)


def install_reminders(app: web.Application, context: AppContext) -> None:
    """The ``bot.app`` extension: start the scheduler with the server, stop it with it.

    Off without an organisation config (nobody to remind) or with JAMBOT_SCHEDULER=0
    (when reminders run from cron with ``jambot remind`` instead).
    """
    org = context.org
    if org is None or not context.settings.scheduler:
        return
    worker = worker_id()
    limiter = RateLimiter()  # one per process, like the Slack sender's DM cache

    def take_lease() -> bool:
        return acquire_lease(context.db, LEASE_NAME, worker, LEASE_TTL, utcnow())

    async def keep_lease() -> None:
        """Renew the lease while a long run (DMs paced by rate limits) is still sending."""
        while True:
            await asyncio.sleep(LEASE_TTL.total_seconds() / 3)
            await asyncio.to_thread(take_lease)

    async def run_once() -> None:
        try:
            if not await asyncio.to_thread(take_lease):
                return
            renewing = asyncio.create_task(keep_lease())
            try:
                report = await run_reminders(
                    context.db,
                    org,
                    context.outboxes,
                    context.clock(),
                    limiter=limiter,
                    worker=worker,
                )
            finally:
                renewing.cancel()
            if report.sent or report.failed or report.unreachable:
                log.info(
                    "reminders: %d sent, %d failed, %d unreachable reported",
                    len(report.sent),
                    len(report.failed),
                    len(report.unreachable),
                )
        except Exception:  # one failed tick must not stop the scheduler; the next retries
            log.exception("reminder run failed")

    async def start(app: web.Application) -> None:
        scheduler = ReminderScheduler(context.settings.database_url, run_once)
        scheduler.start()
        app[SCHEDULER] = scheduler

    async def stop(app: web.Application) -> None:
        app[SCHEDULER].shutdown()
        await asyncio.to_thread(release_lease, context.db, LEASE_NAME, worker)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
