"""Every platform this process can send to, built once, before the core that uses them.

``jambot serve`` and ``jambot remind`` build their outboxes here, so a reminder sent
from cron goes out exactly as one sent by the server's scheduler. The server then attaches
each platform's endpoint to the outbox it was given (``attach_slack``, ``attach_teams``,
``attach_webchat``) instead of creating a second sender.
"""

from __future__ import annotations

from bot.config import Settings
from bot.conversation import DEFAULT_ORG_ID
from bot.db import Database
from chat.outbox import Outbox
from reminders.organisation import OrgConfig


def build_outboxes(
    settings: Settings, db: Database, org: OrgConfig | None, *, serving: bool
) -> dict[str, Outbox]:
    """The outboxes by platform name.

    Serving, Slack is on with its credentials (SLACK_BOT_TOKEN and a signing secret or app
    token), Teams always (its endpoint also serves the Emulator without credentials) and
    the web chat when enabled. A one-shot command needs no endpoint: Slack is on with a bot
    token alone, and Teams when the config names anyone on Teams (people who never talked
    to the bot have no stored conversation and are reported to the strategists as unreachable).
    """
    outboxes: dict[str, Outbox] = {}
    if settings.slack_enabled if serving else settings.slack_bot_token:
        from bot.slack import make_outbox

        outboxes["slack"] = make_outbox(settings)
    if serving or (org is not None and _names_teams(org)):
        from bot.teams import make_outbox as make_teams_outbox

        org_id = org.organisation.id if org is not None else DEFAULT_ORG_ID
        outboxes["teams"] = make_teams_outbox(settings, db, org_id)
    if serving and settings.webchat_enabled:
        from bot.web import WebOutbox

        outboxes["web"] = WebOutbox()
    return outboxes


def _names_teams(org: OrgConfig) -> bool:
    people = [*org.strategists, *(c for a in org.administrations for c in a.contacts)]
    return any(p.teams for p in people) or any(a.teams_channel for a in org.administrations)
