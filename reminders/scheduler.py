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
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from chat.outbox import Outbox
from reminders.claims import worker_id
from reminders.lease import acquire_lease, release_lease
from reminders.organisation import OrgConfig
from reminders.ports import Database, ReminderMetrics
from reminders.ratelimit import RateLimiter
from reminders.runner import run_reminders
from reminders.tables import utcnow

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

    def pause(self) -> None:
        """Start no new runs (shutting down); a run in progress carries on."""
        self.paused = True
        if self._scheduler.running:
            self._scheduler.pause()

    def shutdown(self) -> None:
        _TICKS.pop(self.name, None)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


class ReminderService:
    """The reminder cycle of one server process: start with it, stop with it, run on demand.

    Every tick first takes the database lease, so of several replicas only one sends; the
    replica that takes the lease (at start, or from a holder that died) runs at once, to
    send what was missed while down and finish what a dead holder may have left half done.
    A failed run (the database restarting, say) is retried after RETRY_AFTER_SECONDS by a
    timer, not the job store, since the store lives in the database that just failed.
    """

    def __init__(
        self,
        db: Database,
        database_url: str,
        org: OrgConfig,
        outboxes: Mapping[str, Outbox],
        clock: Callable[[], datetime],
        lease_ttl: timedelta,
        metrics: ReminderMetrics | None = None,
    ) -> None:
        self.db = db
        self.org = org
        self.outboxes = outboxes
        self.clock = clock
        self.lease_ttl = lease_ttl  # JAMBOT_LEASE_SECONDS
        self.metrics = metrics
        self.worker = worker_id()
        self.limiter = RateLimiter()  # one per process, like the Slack sender's DM cache
        self.scheduler = ReminderScheduler(database_url, self.run_once)
        self._running = asyncio.Lock()  # held during a run, so a shutdown can let it finish
        self._lease_keeper: asyncio.Task[None] | None = None
        self._extra_runs: set[asyncio.Task[None]] = set()  # besides the ticks: kept referenced

    def start(self) -> None:
        """Schedule the ticks and keep the lease; call from inside the running event loop."""
        self.scheduler.start()
        self._lease_keeper = asyncio.create_task(self._keep_lease())

    async def stop(self) -> None:
        """SIGTERM: start no new run, let the one in progress finish its sends, free the lease."""
        if self._lease_keeper is not None:
            self._lease_keeper.cancel()
        self.scheduler.pause()
        try:
            async with asyncio.timeout(SHUTDOWN_GRACE_SECONDS), self._running:
                pass
        except TimeoutError:
            log.warning(
                "reminder run still busy after %.0f s; its claims are retried later",
                SHUTDOWN_GRACE_SECONDS,
            )
        self.scheduler.shutdown()
        await asyncio.to_thread(release_lease, self.db, LEASE_NAME, self.worker)

    async def run_once(self) -> None:
        """One tick: send what is due if this replica holds the lease; never raises."""
        async with self._running:
            try:
                if not await asyncio.to_thread(self._take_lease):
                    return
                report = await run_reminders(
                    self.db,
                    self.org,
                    self.outboxes,
                    self.clock(),
                    limiter=self.limiter,
                    worker=self.worker,
                    metrics=self.metrics,
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
                asyncio.get_running_loop().call_later(RETRY_AFTER_SECONDS, self._run_soon)

    def _take_lease(self) -> bool:
        return acquire_lease(self.db, LEASE_NAME, self.worker, self.lease_ttl, utcnow())

    async def _keep_lease(self) -> None:
        """Renew the lease while this replica holds it; take it over when its holder died.

        Checked every third of the lease time, so a dead holder's lease is taken over at
        most ``ttl * 4/3`` after its last renewal (60 s by default).
        """
        held: bool | None = None
        while True:
            try:
                now_held = await asyncio.to_thread(self._take_lease)
            except Exception:  # the database is away: not holding it, try again soon
                log.exception("scheduler lease check failed")
                now_held = False
            if now_held and not held:
                if held is False:
                    log.info("scheduler lease taken over by %s", self.worker)
                # The holder runs at once, itself. The job store is shared, so the start-up
                # run may have been taken by a replica that does not hold the lease (and so
                # sent nothing); the next tick would be TICK_MINUTES away. Seen in CI: the
                # start-up reminders of two replicas started together went out 5 min late.
                self._run_soon()
            held = now_held
            await asyncio.sleep(self.lease_ttl.total_seconds() / 3)

    def _run_soon(self) -> None:
        if not self.scheduler.paused:
            task = asyncio.create_task(self.run_once())
            self._extra_runs.add(task)
            task.add_done_callback(self._extra_runs.discard)
