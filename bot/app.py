"""The composition root: settings + organisation + knowledge base -> one running bot.

Everything is wired here and nowhere else, so the server, the terminal chat, the
reminder command and the tests build the same bot the same way. Features that
live beside the conversation (the reminder scheduler, metrics, retention) plug in
through ``EXTENSIONS``: one line each; ``bot.server.create_app`` installs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.config import DEFAULT_CONFIG_PATH, Settings
from bot.conversation import Conversation, Reporting
from bot.db import Database
from bot.db.base import utcnow
from bot.db.migrate import upgrade
from bot.demo import demo_org, seed_demo
from bot.dialogs.reporting import ReportingDialog
from bot.observability.http import install_observability
from bot.observability.metrics import PrometheusReminderMetrics
from bot.outboxes import build_outboxes
from bot.retention import purge_expired
from chat.outbox import Outbox
from knowledge import KnowledgeBase
from reminders.organisation import OrgConfig, load_org_config
from reminders.scheduler import ReminderService

log = logging.getLogger(__name__)

RETENTION_INTERVAL_SECONDS = 24 * 3600
# How often questions no escalation channel took are offered again (kept short: someone waits).
ESCALATION_REPOST_SECONDS = 180.0


@dataclass
class AppContext:
    """The bot's parts, shared by every adapter and extension of one process."""

    settings: Settings
    org: OrgConfig | None
    kb: KnowledgeBase
    db: Database
    conversation: Conversation
    outboxes: dict[str, Outbox] = field(default_factory=dict)
    clock: Callable[[], datetime] = utcnow


def load_org(settings: Settings) -> OrgConfig | None:
    """The organisation config; None (Q&A only) when the default file is simply absent.

    A file that was asked for explicitly, or one that exists but is broken, is an error:
    running silently without reminders would be worse than not starting.
    """
    if settings.demo:
        log.warning("demo organisation (JAMBOT_DEMO): made-up data; a real config switches it off")
        return demo_org(settings.now.date() if settings.now else None)
    path = settings.config_path
    if not path.exists() and path == DEFAULT_CONFIG_PATH:
        log.warning(
            "no organisation config at %s: serving questions and answers only "
            "(no escalations, no reporting). Pass --config FILE or set JAMBOT_CONFIG.",
            path,
        )
        return None
    return load_org_config(path)


def load_kb(settings: Settings, kb_dir: Path | None = None) -> KnowledgeBase:
    kb = KnowledgeBase.load(kb_dir or settings.kb_dir)
    for problem in kb.problems:
        log.warning("knowledge base: %s", problem)
    return kb


def prepare_database(db: Database, settings: Settings) -> None:
    """Bring the schema up to date before serving (Alembic), unless JAMBOT_AUTO_MIGRATE=0.

    With auto-migration off an operator runs ``jambot db upgrade`` as its own step.
    """
    if settings.run_migrations:
        upgrade(db.url)


def build_context(
    settings: Settings,
    org: OrgConfig | None,
    kb: KnowledgeBase,
    *,
    db: Database | None = None,
    clock: Callable[[], datetime] = utcnow,
    outboxes: dict[str, Outbox] | None = None,
) -> AppContext:
    """Wire the core on the given outboxes (none: the terminal chat and core tests, where
    nothing can be sent to anyone who is not in the conversation)."""
    if settings.now is not None and clock is utcnow:
        log.warning("JAMBOT_NOW is set: the bot acts as if it were always %s", settings.now.isoformat())
        fixed = settings.now
        clock = lambda: fixed  # noqa: E731
    database = db or Database(settings.database_url)
    outboxes = dict(outboxes or {})
    reporting: Reporting | None = (
        ReportingDialog(org, database, settings, clock=clock) if org is not None else None
    )
    conversation = Conversation(kb, org, database, settings, outboxes, reporting, clock)
    return AppContext(settings, org, kb, database, conversation, outboxes, clock)


def build_server_context(
    settings: Settings,
    org: OrgConfig | None,
    kb: KnowledgeBase,
    *,
    db: Database | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> AppContext:
    """The core of ``jambot serve``: wired on every platform this server talks to."""
    database = db or Database(settings.database_url)
    outboxes = build_outboxes(settings, database, org, serving=True)
    return build_context(settings, org, kb, db=database, clock=clock, outboxes=outboxes)


# Each extension gets the app before it starts and may add routes, middlewares and
# on_startup/on_cleanup callbacks. Order matters only for middlewares.
Extension = Callable[[web.Application, AppContext], None]


def periodic(name: str, job: Callable[[AppContext], Awaitable[object]], every: Callable[[], float]) -> Extension:
    """An extension running ``job`` at start and then every ``every()`` seconds while serving.

    A failing run is logged and retried on the next one: background upkeep must never stop the bot.
    """
    key = web.AppKey(f"{name}_task", asyncio.Task)

    def install(app: web.Application, context: AppContext) -> None:
        async def loop() -> None:
            while True:
                try:
                    await job(context)
                except Exception:
                    log.exception("%s failed", name)
                await asyncio.sleep(every())

        async def start(app: web.Application) -> None:
            app[key] = asyncio.create_task(loop())

        async def stop(app: web.Application) -> None:
            task = app[key]
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        app.on_startup.append(start)
        app.on_cleanup.append(stop)

    return install


async def _purge_expired(context: AppContext) -> None:
    """Drop personal data past its retention period (see bot/retention.py)."""
    await asyncio.to_thread(
        purge_expired,
        context.db,
        context.settings.log_retention_days,
        context.clock(),
        context.org.teams_addresses() if context.org is not None else frozenset(),
    )


async def _repost_escalations(context: AppContext) -> None:
    """Post the questions no escalation channel took when they were asked."""
    posted = await context.conversation.escalation.repost_pending()
    if posted:
        log.info("escalations: %d question(s) posted to the strategists on a later try", posted)


install_retention = periodic("retention", _purge_expired, lambda: RETENTION_INTERVAL_SECONDS)
install_escalation_repost = periodic(
    "escalation_repost", _repost_escalations, lambda: ESCALATION_REPOST_SECONDS
)
CONTEXT = web.AppKey("jambot_context", AppContext)
REMINDERS = web.AppKey("reminder_service", ReminderService)


def install_reminders(app: web.Application, context: AppContext) -> None:
    """The reminder scheduler starts with the server and stops with it.

    Off without an organisation config (nobody to remind) or with JAMBOT_SCHEDULER=0
    (when reminders run from cron with ``jambot remind`` instead).
    """
    if context.org is None or not context.settings.scheduler:
        return
    service = ReminderService(
        context.db,
        context.settings.database_url,
        context.org,
        context.outboxes,
        context.clock,
        lease_ttl=timedelta(seconds=context.settings.lease_seconds),
        metrics=PrometheusReminderMetrics(),
    )
    app[REMINDERS] = service

    async def start(_app: web.Application) -> None:
        service.start()

    async def stop(_app: web.Application) -> None:
        await service.stop()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


def install_demo(app: web.Application, context: AppContext) -> None:
    """The demo's reported administrations for the quarter being reported (no-op otherwise)."""

    async def seed(_app: web.Application) -> None:
        await asyncio.to_thread(seed_demo, context.db, context.org, context.clock())

    app.on_startup.append(seed)

EXTENSIONS: list[Extension] = [
    install_demo,
    install_retention,
    install_escalation_repost,
    install_reminders,
    install_observability,
]
