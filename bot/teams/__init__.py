"""The Microsoft Teams adapter: the only package that imports botbuilder.

Upstream has archived botbuilder-python in favour of ``microsoft-teams-apps``;
keeping every botbuilder import behind ``attach_teams`` and the ``Outbox`` it
returns means that swap touches this folder and nothing else.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.config import Settings
from bot.db import Database
from bot.downloads import add_download_route
from bot.teams.adapter import build_adapter
from bot.teams.auth import TokenChecks
from bot.teams.bot import ConversationCore, TeamsBot
from bot.teams.endpoint import messages_handler
from bot.teams.outbox import TeamsOutbox
from bot.teams.render import ReplyRenderer
from bot.teams.turns import BackgroundTurns

__all__ = ["TEAMS_TURNS", "ConversationCore", "TeamsOutbox", "attach_teams", "make_outbox"]

log = logging.getLogger(__name__)

# The turns still running after their HTTP answer (tests wait for them with ``drain``).
TEAMS_TURNS = web.AppKey("teams_turns", BackgroundTurns)
SHUTDOWN_DRAIN_SECONDS = 15.0


def make_outbox(settings: Settings, db: Database, org_id: str) -> TeamsOutbox:
    """The proactive sender (reminders, escalations); ``attach_teams`` serves its adapter."""
    renderer = ReplyRenderer(db, org_id, settings)
    return TeamsOutbox(build_adapter(settings), db, org_id, renderer, settings.microsoft_app_id)


def attach_teams(
    app: web.Application,
    conversation: ConversationCore,
    settings: Settings,
    db: Database,
    outbox: TeamsOutbox,
) -> None:
    """Add ``POST /api/messages`` and ``GET /downloads/{token}`` to ``app``, on ``outbox``'s
    adapter, so a turn's replies and proactive messages share one connector client."""
    adapter = outbox.adapter
    bot = TeamsBot(conversation, db, outbox.org_id, outbox.renderer, outbox)
    adapter.on_turn_error = bot.on_error
    turns = BackgroundTurns()
    app[TEAMS_TURNS] = turns
    checks = TokenChecks(adapter.bot_framework_authentication)
    open_mode = not settings.microsoft_app_id
    app.router.add_post("/api/messages", messages_handler(adapter, bot, checks, turns, open_mode))
    add_download_route(app, db)

    async def finish_turns(_app: web.Application) -> None:
        try:
            await turns.drain(SHUTDOWN_DRAIN_SECONDS)
        except TimeoutError:
            log.warning("Teams: stopped with turns still running")

    async def stop_checks(_app: web.Application) -> None:
        await checks.close()

    app.on_shutdown.append(finish_turns)
    app.on_cleanup.append(stop_checks)
