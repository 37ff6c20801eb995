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
# How long a shutting-down replica lets a reminder run in progress finish sending.
SHUTDOWN_GRACE_SECONDS = 15.0
# A run that failed (say the database restarted) is tried again this soon, not a tick later.
RETRY_AFTER_SECONDS = 30.0

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
        self.paused = False
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

    def run_now(self) -> None:
        """Run the job at once (this replica has just taken the lease over)."""
        if self._scheduler.running:
            self._scheduler.modify_job(self.name, next_run_time=utcnow())

    def pause(self) -> None:
        """Start no new runs (shutting down); a run in progress carries on."""
        self.paused = True
        if self._scheduler.running:
            self._scheduler.pause()

    def shutdown(self) -> None:
        _TICKS.pop(self.name, None)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


SCHEDULER = web.AppKey("reminder_scheduler", ReminderScheduler)
LEASE_KEEPER = web.AppKey("reminder_lease_keeper", asyncio.Task)
RETRY_TASKS = web.AppKey("reminder_retries", set)


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
    ttl = timedelta(seconds=context.settings.lease_seconds)  # JAMBOT_LEASE_SECONDS
    running = asyncio.Lock()  # held during a run, so a shutdown can let it finish

    def take_lease() -> bool:
        return acquire_lease(context.db, LEASE_NAME, worker, ttl, utcnow())

    async def keep_lease(scheduler: ReminderScheduler) -> None:
        """Renew the lease while this replica holds it; take it over when its holder died.

        Checked every third of the lease time, so a dead holder's lease is taken over at
        most ``ttl * 4/3`` after its last renewal (60 s by default), and the new holder
        runs at once to finish what the dead one may have left half done.
        """
        held: bool | None = None
        while True:
            try:
                now_held = await asyncio.to_thread(take_lease)
            except Exception:  # the database is away: not holding it, try again soon
                log.exception("scheduler lease check failed")
                now_held = False
            if now_held and held is False:
                log.info("scheduler lease taken over by %s", worker)
                scheduler.run_now()
            held = now_held
            await asyncio.sleep(ttl.total_seconds() / 3)

    async def run_once() -> None:
        async with running:
            try:
                if not await asyncio.to_thread(take_lease):
                    return
                report = await run_reminders(
                    context.db,
                    org,
                    context.outboxes,
                    context.clock(),
                    limiter=limiter,
                    worker=worker,
                )
                if report.sent or report.failed or report.unreachable:
                    log.info(
                        "reminders: %d sent, %d failed, %d unreachable reported",
                        len(report.sent),
                        len(report.failed),
                        len(report.unreachable),
                    )
            except Exception:  # one failed run must not stop the scheduler; retried soon
                log.exception("reminder run failed; retrying in %.0f s", RETRY_AFTER_SECONDS)
                # A timer, not the job store: the store lives in the database that just failed.
                asyncio.get_running_loop().call_later(RETRY_AFTER_SECONDS, retry_soon)

    def retry_soon() -> None:
        if SCHEDULER in app and not app[SCHEDULER].paused:
            app[RETRY_TASKS].add(task := asyncio.create_task(run_once()))
            task.add_done_callback(app[RETRY_TASKS].discard)

    async def start(app: web.Application) -> None:
        scheduler = ReminderScheduler(context.settings.database_url, run_once)
        scheduler.start()
        app[SCHEDULER] = scheduler
        app[RETRY_TASKS] = set()
        app[LEASE_KEEPER] = asyncio.create_task(keep_lease(scheduler))

    async def stop(app: web.Application) -> None:
        app[LEASE_KEEPER].cancel()
        scheduler = app[SCHEDULER]
        scheduler.pause()
        try:  # SIGTERM: let the run in progress finish its sends before stopping
            async with asyncio.timeout(SHUTDOWN_GRACE_SECONDS), running:
                pass
        except TimeoutError:
            log.warning("reminder run still busy after %.0f s; its claims are retried later",
                        SHUTDOWN_GRACE_SECONDS)
        scheduler.shutdown()
        await asyncio.to_thread(release_lease, context.db, LEASE_NAME, worker)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
