"""A local Bot Connector: what Microsoft's Teams service is to the bot, on 127.0.0.1.

The bot's replies and proactive messages go to the ``serviceUrl`` of the
activities it receives; tests point that at this app and read what arrived.
It answers the Bot Connector REST routes botbuilder uses (v3 conversations and
activities), records every call, and can be told to fail the next sends with a
status code (429, 503, 403 ...) to exercise the bot's error handling.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass(frozen=True)
class ConnectorCall:
    """One request the bot made to the connector."""

    method: str
    route: str  # "send", "reply", "update", "delete", "create", "members"
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    authorization: str | None
    posted_id: str | None = None  # the id the connector gave a posted activity

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards attached to the activity this call carried."""
        return [
            a["content"]
            for a in self.body.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def text(self) -> str:
        """Everything readable in the activity: its text and every TextBlock of its cards."""
        parts = [self.body.get("text") or ""]
        parts += [_card_text(card) for card in self.cards]
        return "\n".join(p for p in parts if p)


def _card_text(element: Any) -> str:
    if isinstance(element, dict):
        own = [element["text"]] if element.get("type") == "TextBlock" else []
        return "\n".join(own + [_card_text(v) for k, v in element.items() if k != "text"])
    if isinstance(element, list):
        return "\n".join(_card_text(v) for v in element)
    return ""


@dataclass
class BotConnectorStandIn:
    calls: list[ConnectorCall] = field(default_factory=list)
    # Status codes to answer the next activity sends with, one per send, instead of 200.
    fail_next: list[int] = field(default_factory=list)
    # Entra object ids of people who have the app (installed by an admin policy, say):
    # Teams opens a personal chat with them on request and refuses (403) anyone else.
    installed_for: set[str] = field(default_factory=set)
    url: str = ""
    _ids: Any = field(default_factory=lambda: itertools.count(1_700_000_000_001))
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def sent(self) -> list[ConnectorCall]:
        """Messages posted (new ones and replies), in order."""
        return [c for c in self.calls if c.route in ("send", "reply")]

    def sent_to(self, conversation_id: str) -> list[ConnectorCall]:
        return [c for c in self.sent if c.conversation_id == conversation_id]

    async def wait_for(
        self, condition: Callable[[BotConnectorStandIn], bool], timeout: float = 5.0
    ) -> None:
        """Wait until ``condition`` holds (for sends that happen after a response)."""
        async with asyncio.timeout(timeout):
            while not condition(self):
                self._changed.clear()
                await self._changed.wait()

    def app(self) -> web.Application:
        app = web.Application()
        base = "/v3/conversations"
        app.router.add_post(base, self._create)
        app.router.add_post(base + "/{conversation_id}/activities", self._activity("send"))
        app.router.add_post(
            base + "/{conversation_id}/activities/{activity_id}", self._activity("reply")
        )
        app.router.add_put(
            base + "/{conversation_id}/activities/{activity_id}", self._activity("update")
        )
        app.router.add_delete(
            base + "/{conversation_id}/activities/{activity_id}", self._activity("delete")
        )
        app.router.add_get(base + "/{conversation_id}/members", self._members)
        return app

    def _record(
        self, request: web.Request, route: str, body: dict[str, Any], posted_id: str | None = None
    ) -> None:
        self.calls.append(
            ConnectorCall(
                method=request.method,
                route=route,
                conversation_id=request.match_info.get("conversation_id", ""),
                activity_id=request.match_info.get("activity_id"),
                body=body,
                authorization=request.headers.get("Authorization"),
                posted_id=posted_id,
            )
        )
        self._changed.set()

    @staticmethod
    async def _json(request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        data = json.loads(await request.text())
        assert isinstance(data, dict), "the Bot Connector only accepts JSON objects"
        return data

    def _activity(self, route: str) -> Any:
        async def handle(request: web.Request) -> web.Response:
            body = await self._json(request)
            if route in ("send", "reply") and self.fail_next:
                status = self.fail_next.pop(0)
                self._record(request, "failed", body)
                return web.json_response(
                    {"error": {"code": "ServiceError", "message": f"stand-in failure {status}"}},
                    status=status,
                )
            if route == "delete":
                self._record(request, route, body)
                return web.Response(status=200)
            posted_id = str(next(self._ids))
            self._record(request, route, body, posted_id)
            return web.json_response({"id": posted_id})

        return handle

    async def _create(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        self._record(request, "create", body)
        members = [m.get("id") for m in body.get("members") or []]
        if not members or not set(members) <= self.installed_for:
            return web.json_response(
                {
                    "error": {
                        "code": "Forbidden",
                        "message": "Bot is not installed in user's personal scope",
                    }
                },
                status=403,
            )
        return web.json_response(
            {"id": f"a:created-{next(self._ids)}", "activityId": "", "serviceUrl": self.url}
        )

    async def _members(self, request: web.Request) -> web.Response:
        self._record(request, "members", {})
        return web.json_response([])


@pytest.fixture(name="bot_connector")
async def bot_connector_fixture() -> AsyncIterator[BotConnectorStandIn]:
    """A running stand-in; use ``bot_connector.url`` as the activities' ``serviceUrl``.

    Import ``bot_connector_fixture`` into a test module (or conftest) to use it.
    """
    standin = BotConnectorStandIn()
    server = TestServer(standin.app(), host="127.0.0.1")
    await server.start_server()
    standin.url = str(server.make_url("/"))
    try:
        yield standin
    finally:
        await server.close()


# ---------------------------------------------------------------------------
# Activities as Microsoft Teams sends them to POST /api/messages
# ---------------------------------------------------------------------------

TENANT_ID = "72f988bf-0000-4000-8000-00000000beef"
BOT = {"id": "28:11111111-2222-3333-4444-555555555555", "name": "Jämbot"}
TEAM_ID = "19:team-general@thread.tacv2"
_activity_ids = itertools.count(1_763_900_000_001)


@dataclass(frozen=True)
class TeamsUser:
    aad_object_id: str
    name: str
    # The Bot Framework id Teams uses for this user towards our bot ("29:...").
    id: str = ""
    personal_conversation: str = ""

    def account(self) -> dict[str, Any]:
        return {
            "id": self.id or f"29:1{self.aad_object_id}",
            "name": self.name,
            "aadObjectId": self.aad_object_id,
        }

    @property
    def conversation_id(self) -> str:
        return self.personal_conversation or f"a:1personal-{self.aad_object_id}"


def _envelope(
    kind: str, service_url: str, user: TeamsUser, conversation: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    activity_id = str(next(_activity_ids))
    return {
        "type": kind,
        "id": activity_id,
        "timestamp": "2026-11-23T09:00:00.000Z",
        "localTimestamp": "2026-11-23T10:00:00.000+01:00",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": user.account(),
        "conversation": {"tenantId": TENANT_ID, **conversation},
        "recipient": BOT,
        "entities": [
            {
                "type": "clientInfo",
                "locale": "sv-SE",
                "country": "SE",
                "platform": "Web",
                "timezone": "Europe/Stockholm",
            }
        ],
        "channelData": {"tenant": {"id": TENANT_ID}},
        "locale": "sv-SE",
        "localTimezone": "Europe/Stockholm",
        **extra,
    }


def personal(user: TeamsUser) -> dict[str, Any]:
    return {"conversationType": "personal", "id": user.conversation_id}


def channel(channel_id: str, thread_id: str | None = None) -> dict[str, Any]:
    conversation_id = f"{channel_id};messageid={thread_id}" if thread_id else channel_id
    return {"isGroup": True, "conversationType": "channel", "id": conversation_id}


def personal_message(service_url: str, user: TeamsUser, text: str) -> dict[str, Any]:
    return _envelope("message", service_url, user, personal(user), text=text, textFormat="plain")


def channel_mention(
    service_url: str, user: TeamsUser, channel_id: str, text: str, thread_id: str | None = None
) -> dict[str, Any]:
    """A channel post ``@Jämbot <text>``; a new post is its own thread, as in Teams."""
    mention = f"<at>{BOT['name']}</at>"
    activity = _envelope(
        "message",
        service_url,
        user,
        {},
        text=f"{mention} {text}\n",
        textFormat="plain",
    )
    activity["conversation"].update(channel(channel_id, thread_id or activity["id"]))
    activity["entities"].append({"type": "mention", "text": mention, "mentioned": BOT})
    activity["channelData"].update(
        {
            "teamsChannelId": channel_id,
            "teamsTeamId": TEAM_ID,
            "channel": {"id": channel_id},
            "team": {"id": TEAM_ID},
        }
    )
    return activity


def channel_reply(
    service_url: str, user: TeamsUser, channel_id: str, thread_id: str, text: str
) -> dict[str, Any]:
    """A reply in a channel thread without mentioning the bot (needs the RSC permission)."""
    activity = _envelope(
        "message", service_url, user, channel(channel_id, thread_id), text=text, textFormat="plain"
    )
    activity["channelData"].update({"channel": {"id": channel_id}, "team": {"id": TEAM_ID}})
    return activity


def card_submit(
    service_url: str,
    user: TeamsUser,
    conversation: dict[str, Any],
    data: dict[str, Any],
    reply_to_id: str = "1763900000000",
) -> dict[str, Any]:
    """A press on an Adaptive Card Action.Submit: the data plus the card's input values."""
    return _envelope(
        "message",
        service_url,
        user,
        conversation,
        value=data,
        replyToId=reply_to_id,
        channelData={
            "tenant": {"id": TENANT_ID},
            "source": {"name": "message"},
            "legacy": {"replyToId": reply_to_id},
        },
    )


def bot_added(service_url: str, user: TeamsUser, conversation: dict[str, Any]) -> dict[str, Any]:
    """conversationUpdate: the bot became a member (personal install or added to a team)."""
    return _envelope(
        "conversationUpdate", service_url, user, conversation, membersAdded=[{"id": BOT["id"]}]
    )


def installation(
    service_url: str, user: TeamsUser, conversation: dict[str, Any], action: str = "add"
) -> dict[str, Any]:
    """installationUpdate: the app was installed ("add") or uninstalled ("remove")."""
    return _envelope("installationUpdate", service_url, user, conversation, action=action)


# ---------------------------------------------------------------------------
# The Bot Framework's token signing keys (OpenID metadata + JWKS)
# ---------------------------------------------------------------------------


class BotFrameworkKeys:
    """Serves OpenID metadata and a JWKS on 127.0.0.1, and signs tokens with its key.

    botbuilder fetches these with blocking ``requests`` calls from inside the event
    loop, so this server runs in its own thread: on the test's loop it would never
    get to answer.
    """

    ISSUER = "https://api.botframework.com"

    def __init__(self, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa
        from jwt.algorithms import RSAAlgorithm

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self.kid = "jambot-test-key"
        self.jwks = {
            "keys": [{**jwk, "kid": self.kid, "use": "sig", "endorsements": list(endorsements)}]
        }
        self.fetches: list[str] = []
        self._server: Any = None

    def start(self) -> str:
        """Start serving; returns the OpenID metadata URL."""
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        keys = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                keys.fetches.append(self.path)
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/v1/.well-known/openidconfiguration":
                    body = {"issuer": keys.ISSUER, "jwks_uri": f"{base}/v1/.well-known/keys"}
                elif self.path == "/v1/.well-known/keys":
                    body = keys.jwks
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return (
            f"http://127.0.0.1:{self._server.server_address[1]}/v1/.well-known/openidconfiguration"
        )

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def token(self, app_id: str, service_url: str, *, key: Any = None, **claims: Any) -> str:
        """A token as the Bot Connector sends it to the bot (``aud`` = the bot's app id)."""
        import time

        import jwt

        now = int(time.time())
        payload = {
            "iss": self.ISSUER,
            "aud": app_id,
            "serviceurl": service_url,
            "nbf": now - 10,
            "iat": now - 10,
            "exp": now + 3600,
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": self.kid})
