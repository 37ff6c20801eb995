"""The pieces the end-to-end fixtures are made of: the server handle and a Slack client.

``SignedSlackRequests`` plays Slack's side of the Events API, interactivity and
slash commands with real v0 signatures; ``JambotServer`` is the running bot.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from standins.slack_api import BOT_USER_ID, TEAM_ID, SlackApiStandIn

from bot.app import AppContext, build_server_context, load_kb
from bot.config import Settings
from bot.server import create_app
from bot.slack import SLACK_WORK
from bot.teams import TEAMS_TURNS
from reminders.organisation import load_org_config

E2E_DIR = Path(__file__).parent
E2E_KB = E2E_DIR / "kb"
E2E_ORG = E2E_DIR / "org.yaml"
SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-e2e-test-token"
STRATEGIST = "U0STRAT1"
ESCALATION_CHANNEL = "C0ESCAL"
STAFF = "U0HSF1"  # a contact of the "hsf" administration, not a strategist


@dataclass
class JambotServer:
    url: str  # base URL, no trailing slash
    context: AppContext
    app: web.Application
    http: aiohttp.ClientSession

    @property
    def db(self) -> Any:
        return self.context.db

    @property
    def settings(self) -> Settings:
        return self.context.settings

    async def drain(self, timeout: float = 10) -> None:
        """Wait until every request acknowledged so far has been answered (Slack and Teams)."""
        for work in (self.app.get(SLACK_WORK), self.app.get(TEAMS_TURNS)):
            if work is not None:
                await work.drain(timeout)

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.http.get(self.url + path) as response:
            return response.status, await _decode(response)

    async def post_json(self, path: str, body: Any) -> tuple[int, Any]:
        async with self.http.post(self.url + path, json=body) as response:
            return response.status, await _decode(response)


@contextlib.asynccontextmanager
async def serve_jambot(
    database_url: str, slack_api: SlackApiStandIn, options: dict[str, Any]
) -> AsyncIterator[JambotServer]:
    """The real app on a loopback port until the block ends, then shut down as in production.

    ``options`` (the ``jambot_server_options`` fixture): {"env": {...}, "clock": callable,
    "org": path|None, "kb_dir": path}.
    """
    options = dict(options)
    listening = listening_socket()  # its port known before the app: JAMBOT_PUBLIC_URL names it
    port = listening.getsockname()[1]
    env = {"JAMBOT_PUBLIC_URL": f"http://127.0.0.1:{port}", **options.pop("env", {})}
    settings = Settings.from_env(e2e_env(database_url, slack_api, **env))
    org_path = options.pop("org", E2E_ORG)
    org = load_org_config(org_path) if org_path is not None else None
    kb = load_kb(settings, options.pop("kb_dir", None))
    clock: Callable[[], datetime] | None = options.pop("clock", None)
    if options:
        raise ValueError(f"unknown jambot_server_options: {sorted(options)}")
    context = build_server_context(settings, org, kb, **({"clock": clock} if clock else {}))
    app = create_app(context)
    try:
        async with served(app, listening), aiohttp.ClientSession() as http:
            yield JambotServer(f"http://127.0.0.1:{port}", context, app, http)
    finally:
        context.db.dispose()


def listening_socket(host: str = "127.0.0.1") -> socket.socket:
    """A socket bound to a free port of ``host``, kept bound until ``served`` listens on it.

    A port merely looked up as free and bound seconds later (once the app is built) was
    meanwhile taken by another test's outgoing connection ("Address already in use", in CI).
    """
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind((host, 0))
    return listening


@contextlib.asynccontextmanager
async def served(app: web.Application, listening: socket.socket) -> AsyncIterator[None]:
    """``app`` answering on ``listening`` until the block ends, then shut down and closed."""
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.SockSite(runner, listening).start()
        yield
    finally:
        await runner.cleanup()
        listening.close()


async def _decode(response: aiohttp.ClientResponse) -> Any:
    text = await response.text()
    try:
        return json.loads(text)
    except ValueError:
        return text


def e2e_env(database_url: str, slack_api: SlackApiStandIn, **extra: str) -> dict[str, str]:
    """The environment a test server runs with (also usable for subprocess servers)."""
    env = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.url,
        "JAMBOT_CONFIG": str(E2E_ORG),
        "JAMBOT_KB_DIR": str(E2E_KB),
        "JAMBOT_WEBCHAT": "1",
        "JAMBOT_SCHEDULER": "0",
        "JAMBOT_PSEUDONYM_SECRET": "e2e-pseudonym-secret",
        # Required with a platform configured; the in-process fixture sets the real port.
        "JAMBOT_PUBLIC_URL": "http://127.0.0.1",
    }
    env.update(extra)
    return env


@dataclass
class SlackResponse:
    status: int
    body: Any


class SignedSlackRequests:
    """Plays Slack's side of the Events API, interactivity and slash commands."""

    def __init__(self, server: JambotServer, slack_api: SlackApiStandIn) -> None:
        self.server = server
        self.slack_api = slack_api
        self._ids = itertools.count(1)
        # The last request as sent (body, timestamp, content type): a replay sends it again.
        self.last_sent: tuple[bytes, int, str] | None = None

    @property
    def url(self) -> str:
        return self.server.url + "/slack/events"

    @staticmethod
    def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
        base = b"v0:" + str(timestamp).encode() + b":" + body
        return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()

    async def __call__(
        self,
        body: dict[str, Any] | str | bytes,
        *,
        content_type: str = "application/json",
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> SlackResponse:
        """POST ``body`` signed with ``secret`` at ``timestamp`` (now by default)."""
        if isinstance(body, dict):
            raw = json.dumps(body).encode()
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = body
        ts = int(time.time()) if timestamp is None else timestamp
        self.last_sent = (raw, ts, content_type)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or self.sign(raw, ts, secret),
            **(headers or {}),
        }
        async with self.server.http.post(self.url, data=raw, headers=all_headers) as response:
            return SlackResponse(response.status, await _decode(response))

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> SlackResponse:
        """An ``event_callback`` envelope around ``event``."""
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0E2E",
            "event": {"event_ts": event.get("ts", _ts()), **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            if retry_num
            else None
        )
        return await self(envelope, headers=headers)

    async def dm(
        self, text: str, *, user: str = STAFF, thread_ts: str | None = None, **kw: Any
    ) -> SlackResponse:
        """A direct message to the bot (``message.im``)."""
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "D" + user[1:],
            "user": user,
            "text": text,
            "ts": _ts(),
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        return await self.event(event, **kw)

    async def mention(
        self,
        text: str,
        *,
        user: str = STAFF,
        channel: str = "C0GENERAL",
        thread_ts: str | None = None,
    ) -> SlackResponse:
        event = {
            "type": "app_mention",
            "channel": channel,
            "user": user,
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": _ts(),
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        return await self.event(event)

    async def channel_message(
        self, text: str, *, user: str, channel: str, thread_ts: str | None
    ) -> SlackResponse:
        """A plain message in a channel (``message.channels``), e.g. a reply in a thread."""
        event = {
            "type": "message",
            "channel_type": "channel",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": _ts(),
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        return await self.event(event)

    async def press(
        self,
        button: dict[str, Any],
        *,
        user: str = STAFF,
        channel: str | None = None,
        message_ts: str | None = None,
        thread_ts: str | None = None,
        ephemeral: bool = False,
    ) -> SlackResponse:
        """Press a button taken from a recorded message (``Call.button(...)``): ``block_actions``.

        ``ephemeral``: the button was on a message only this user sees (a /jambot answer);
        Slack then sends no ``message`` and flags the container.
        """
        channel = channel or "D" + user[1:]
        message: dict[str, Any] = {
            "type": "message",
            "ts": message_ts or _ts(),
            "text": "",
            "user": BOT_USER_ID,
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        payload = {
            "type": "block_actions",
            "user": {
                "id": user,
                "username": user.lower(),
                "name": user.lower(),
                "team_id": TEAM_ID,
            },
            "api_app_id": "A0E2E",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"trigger-{next(self._ids)}",
            "team": {"id": TEAM_ID, "domain": "e2e"},
            "channel": {
                "id": channel,
                "name": "directmessage" if channel.startswith("D") else "general",
            },
            "message": message,
            "response_url": self.slack_api.response_url("action"),
            "actions": [
                {
                    "action_id": button["action_id"],
                    "block_id": "b1",
                    "type": "button",
                    "text": button.get("text", {"type": "plain_text", "text": ""}),
                    "value": button.get("value", ""),
                    "action_ts": _ts(),
                }
            ],
        }
        if ephemeral:
            del payload["message"]
        return await self.form({"payload": json.dumps(payload)})

    async def submit_view(
        self, view: dict[str, Any], values: dict[str, str], *, user: str = STAFF
    ) -> SlackResponse:
        """Submit a modal the bot opened (``views.open`` body's ``view``) with field values."""
        state: dict[str, Any] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block["element"]
            name = block["block_id"]
            if element["type"] == "static_select":
                chosen = next(
                    (o for o in element["options"] if o["value"] == values.get(name)), None
                )
                state[name] = {
                    element["action_id"]: {"type": "static_select", "selected_option": chosen}
                }
            else:
                state[name] = {
                    element["action_id"]: {"type": "plain_text_input", "value": values.get(name)}
                }
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "e2e"},
            "user": {
                "id": user,
                "username": user.lower(),
                "name": user.lower(),
                "team_id": TEAM_ID,
            },
            "api_app_id": "A0E2E",
            "token": "legacy-verification-token",
            "trigger_id": f"trigger-{next(self._ids)}",
            "view": {**view, "id": "V0E2E", "team_id": TEAM_ID, "state": {"values": state}},
        }
        return await self.form({"payload": json.dumps(payload)})

    async def command(
        self, text: str, *, user: str = STAFF, channel: str = "C0GENERAL"
    ) -> SlackResponse:
        """``/jambot <text>`` as a slash command."""
        return await self.form(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM_ID,
                "team_domain": "e2e",
                "channel_id": channel,
                "channel_name": "directmessage" if channel.startswith("D") else "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/jambot",
                "text": text,
                "api_app_id": "A0E2E",
                "response_url": self.slack_api.response_url("command"),
                "trigger_id": f"trigger-{next(self._ids)}",
            }
        )

    async def replay(self) -> SlackResponse:
        """Send the last request again, byte for byte, with its original signature."""
        assert self.last_sent is not None, "nothing sent yet"
        raw, ts, content_type = self.last_sent
        return await self(raw, content_type=content_type, timestamp=ts)

    async def form(self, fields: dict[str, str]) -> SlackResponse:
        return await self(urlencode(fields), content_type="application/x-www-form-urlencoded")


def _ts() -> str:
    return f"{time.time():.6f}"
