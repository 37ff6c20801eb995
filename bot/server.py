"""One aiohttp server for every platform: Slack, Teams, the web chat, health.

``jambot serve`` runs it; tests build the same application in-process with
``create_app``. This module uses ``bot.app`` (the wired core and its extensions), never
the other way round.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version

from aiohttp import web

from bot.app import CONTEXT, EXTENSIONS, AppContext, prepare_database
from bot.demo import is_demo
from bot.slack import attach_slack
from bot.slack.outbox import SlackOutbox
from bot.teams import TeamsOutbox, attach_teams
from bot.web import WebOutbox, attach_webchat

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
SHUTDOWN_TIMEOUT_SECONDS = 20.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(context: AppContext) -> web.Application:
    """The aiohttp application: platform endpoints, health, web chat and extensions."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[])
    app[CONTEXT] = context
    add_routes(app, context)
    for extension in EXTENSIONS:
        extension(app, context)
    return app


def add_routes(app: web.Application, context: AppContext) -> None:
    settings = context.settings
    app.middlewares.append(limit_body_size)

    async def migrate(_app: web.Application) -> None:
        await asyncio.to_thread(prepare_database, context.db, settings)

    app.on_startup.insert(0, migrate)
    outboxes = context.outboxes
    if isinstance(slack := outboxes.get("slack"), SlackOutbox):
        attach_slack(app, context.conversation, settings, context.db, slack)
    else:
        log.info("Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)")
    if isinstance(teams := outboxes.get("teams"), TeamsOutbox):
        attach_teams(app, context.conversation, settings, context.db, teams)
    if isinstance(webchat := outboxes.get("web"), WebOutbox):
        attach_webchat(app, context.conversation, webchat)
    app.router.add_get("/healthz", HealthCheck(context).handle)


@web.middleware
async def limit_body_size(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse oversized bodies before anything reads them (chunked ones hit client_max_size)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return web.json_response(
            {"ok": False, "error": f"request body larger than {MAX_BODY_BYTES} bytes"}, status=413
        )
    return await handler(request)


class HealthCheck:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    async def handle(self, _request: web.Request) -> web.Response:
        db_ok = await asyncio.to_thread(self.context.db.ping)
        body = {
            "status": "ok" if db_ok else "unavailable",
            "database": db_ok,
            "kb_entries": len(self.context.kb.entries),
            "organisation": self.context.conversation.org_id,
            "platforms": configured_platforms(self.context),
            "demo": is_demo(self.context.org),
            "version": _version(),
        }
        return web.json_response(body, status=200 if db_ok else 503)


def configured_platforms(context: AppContext) -> list[str]:
    """Platforms set up to talk to people: Teams only with an app id (not the Emulator mode)."""
    settings = context.settings
    on = {"slack": settings.slack_enabled, "teams": bool(settings.microsoft_app_id)}
    return sorted(name for name in context.outboxes if on.get(name, True))


def _version() -> str:
    try:
        return version("jambot")
    except PackageNotFoundError:
        return "unknown"


async def freeze_startup_heap(_app: web.Application) -> None:
    """Keep everything loaded at start out of the garbage collector's full scans.

    The knowledge index, the config and the libraries live as long as the process; a full
    collection walking them stalled the event loop for ~100 ms, long enough to hold up 50
    Slack acks at once (measured with bench.slack_ack: worst ack 120-150 ms -> 35-45 ms).
    """
    gc.collect()
    gc.freeze()


def serve(context: AppContext, host: str, port: int) -> None:
    app = create_app(context)
    app.on_startup.append(freeze_startup_heap)  # last, after the extensions' start-up work
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host

    def started(text: str) -> None:  # run_app's "Running on": the web chat's address comes last
        log.info("%s", text)
        if context.settings.webchat_enabled:
            print(f"Jämbot web chat: http://{shown}:{port}/", flush=True)

    web.run_app(
        app,
        host=host,
        port=port,
        shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        print=started,
        access_log=None,
    )
