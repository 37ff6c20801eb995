"""A local aiohttp app playing the Slack Web API, recording every call.

Tests point ``SLACK_API_URL`` at ``SlackApiStandIn.url`` and assert on what the bot
sent, exactly as Slack would have received it (method, token, JSON or form body).
It can be told to answer a method with HTTP 429 + ``Retry-After`` once, to fail
a method with a Slack error, or to refuse posts to a channel for a while, to prove
back-off, error handling and retries.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER_ID = "UBOT"
BOT_ID = "B0BOT"
TEAM_ID = "T0E2E"


@dataclass
class Call:
    """One request the bot made: the API method (or ``upload`` / ``response_url``) and its body."""

    method: str
    body: dict[str, Any]
    token: str | None
    response: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)

    def blocks(self) -> list[dict[str, Any]]:
        raw = self.body.get("blocks") or []
        return json.loads(raw) if isinstance(raw, str) else list(raw)

    def text_of_blocks(self) -> str:
        """All visible text of the message's blocks, joined (for assertions)."""
        parts: list[str] = []
        for block in self.blocks():
            text = block.get("text")
            if isinstance(text, dict):
                parts.append(text.get("text", ""))
            for element in block.get("elements", []):
                inner = element.get("text")
                parts.append(inner.get("text", "") if isinstance(inner, dict) else str(inner or ""))
        return "\n".join(parts)

    def buttons(self) -> list[dict[str, Any]]:
        return [
            element
            for block in self.blocks()
            if block.get("type") == "actions"
            for element in block.get("elements", [])
            if element.get("type") == "button"
        ]

    def button(self, action: str) -> dict[str, Any]:
        """The first button whose action_id names ``action`` (``jambot:<action>:<n>``)."""
        for element in self.buttons():
            if element["action_id"].split(":")[1] == action:
                return element
        raise AssertionError(f"no {action!r} button in {self.buttons()}")


class SlackApiStandIn:
    def __init__(self, bot_user_id: str = BOT_USER_ID) -> None:
        self.bot_user_id = bot_user_id
        self.calls: list[Call] = []
        self._rate_limited: dict[str, int] = {}
        self._failures: dict[str, tuple[str, int]] = {}
        self._refused_channels: dict[str, str] = {}
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base = ""
        self.app = web.Application(client_max_size=10 * 1024 * 1024)
        self.app.router.add_post("/api/{method}", self._api)
        self.app.router.add_get("/api/{method}", self._api)  # conversations.history is a GET
        self.app.router.add_post("/upload/{file_id}", self._upload)
        self.app.router.add_post("/response/{token}", self._response_url)
        self.app.router.add_get("/socket", self._socket)
        self.app.router.add_get("/_stats", self._stats)  # for benchmarks running it in a process
        self.sockets: list[web.WebSocketResponse] = []

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base = f"http://{host}:{port}"

    async def stop(self) -> None:
        for socket in self.sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """The Web API base URL for SLACK_API_URL (ends with a slash)."""
        return f"{self.base}/api/"

    def response_url(self, token: str = "cmd") -> str:
        """A slash command's response_url that lands here (recorded as ``response_url``)."""
        return f"{self.base}/response/{token}"

    # -- test controls ---------------------------------------------------------------------

    def rate_limit_once(self, method: str, retry_after: int = 1) -> None:
        """Answer the next call of ``method`` with HTTP 429 and ``Retry-After``."""
        self._rate_limited[method] = retry_after

    def fail_once(self, method: str, error: str, status: int = 200) -> None:
        """Answer the next call of ``method`` with ``{"ok": false, "error": error}`` and ``status``."""
        self._failures[method] = (error, status)

    def refuse_channel(self, channel: str, error: str = "not_in_channel") -> None:
        """Refuse every chat.postMessage to ``channel`` with ``error`` until ``accept_channel``."""
        self._refused_channels[channel] = error

    def accept_channel(self, channel: str) -> None:
        self._refused_channels.pop(channel, None)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least ``count`` calls of ``method`` arrived; fail the test otherwise."""

        def enough() -> bool:
            return len(self.calls_to(method)) >= count

        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(enough), timeout)
        except TimeoutError:
            seen = [c.method for c in self.calls]
            raise AssertionError(
                f"expected {count} call(s) to {method} within {timeout}s; calls so far: {seen}"
            ) from None
        return self.calls_to(method)

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until no call has arrived for ``quiet`` seconds (to assert that nothing more comes)."""
        while True:
            count = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == count:
                return

    async def push_socket(self, envelope_type: str, payload: dict[str, Any], envelope_id: str) -> None:
        """Send a Socket Mode envelope (``events_api``, ``interactive``, ``slash_commands``)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: bool(self.sockets)), 10)
        await self.sockets[-1].send_json(
            {"envelope_id": envelope_id, "type": envelope_type, "payload": payload,
             "accepts_response_payload": envelope_type != "events_api"}
        )

    # -- handlers --------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: the app connects here (URL from apps.connections.open); acks come back."""
        socket = web.WebSocketResponse(heartbeat=30)
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0E2E"}})
        async with self._changed:
            self.sockets.append(socket)
            self._changed.notify_all()
        async for message in socket:
            if message.type == web.WSMsgType.TEXT:
                await self._record(Call("socket.ack", json.loads(message.data), None))
        return socket

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = {**request.query, **await _body(request)}  # some methods send GET-style params
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or body.get("token")
        if method in self._rate_limited:
            retry_after = self._rate_limited.pop(method)
            await self._record(Call(f"{method}#429", body, token))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        status = 200
        refused = self._refused_channels.get(str(body.get("channel"))) if method == "chat.postMessage" else None
        if method in self._failures:
            error, status = self._failures.pop(method)
            result = {"ok": False, "error": error}
        elif refused is not None:
            result = {"ok": False, "error": refused}
        elif not token:
            result = {"ok": False, "error": "not_authed"}
        elif handler is None:
            result = {"ok": False, "error": "unknown_method"}
        else:
            result = {"ok": True, **handler(body)}
        await self._record(Call(method, body, token, result))
        return web.json_response(result, status=status)

    async def _stats(self, _request: web.Request) -> web.Response:
        """Calls per method and posts per channel, for a benchmark that cannot read ``calls``."""
        methods = Counter(c.method for c in self.calls)
        channels = Counter(str(c.body.get("channel")) for c in self.calls_to("chat.postMessage"))
        return web.json_response({"methods": methods, "post_channels": channels})

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        await self._record(
            Call("upload", {"file_id": request.match_info["file_id"], "bytes": data}, None)
        )
        return web.Response(text=f"OK - {len(data)}")

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await _body(request), None))
        return web.Response(text="ok")

    # -- Web API methods -------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _m_auth_test(self, _body: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://e2e.slack.com/",
            "team": "E2E",
            "user": "jambot",
            "team_id": TEAM_ID,
            "user_id": self.bot_user_id,
            "bot_id": BOT_ID,
        }

    def _m_apps_connections_open(self, _body: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.base.replace("http://", "ws://") + "/socket"}

    def _m_chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        return {
            "channel": dm_channel(str(body.get("channel") or "")),
            "ts": ts,
            "message": {"text": body.get("text"), "ts": ts},
        }

    def _m_chat_postEphemeral(self, _body: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def _m_chat_update(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"channel": body.get("channel"), "ts": body.get("ts")}

    def _m_views_open(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": f"V{next(self._ts):06d}", **_json_field(body.get("view"))}}

    def _m_conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        """The channel's posts since ``oldest``, newest first; metadata if asked for (one page)."""
        channel = str(body.get("channel") or "")
        oldest = float(body.get("oldest") or 0)
        with_metadata = str(body.get("include_all_metadata")).lower() in ("1", "true")
        messages = []
        for call in reversed(self.calls_to("chat.postMessage")):
            result = call.response
            if not result.get("ok") or result.get("channel") != channel:
                continue
            if float(result["ts"]) <= oldest:
                continue
            metadata = _json_field(call.body.get("metadata")) if with_metadata else None
            messages.append(
                {
                    "type": "message",
                    "ts": result["ts"],
                    "text": call.body.get("text"),
                    **({"metadata": metadata} if metadata else {}),
                }
            )
        return {"messages": messages, "has_more": False}

    def _m_conversations_open(self, body: dict[str, Any]) -> dict[str, Any]:
        users = str(body.get("users") or "")
        return {"channel": {"id": dm_channel(users.split(",")[0])}}

    def _m_users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user = str(body.get("user") or "")
        return {
            "user": {
                "id": user,
                "name": user.lower(),
                "real_name": f"User {user}",
                "tz": "Europe/Stockholm",
            }
        }

    def _m_files_getUploadURLExternal(self, _body: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._files):06d}"
        return {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        files = _json_field(body.get("files"))
        return {"files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}


def dm_channel(channel: str) -> str:
    """Slack posts to a user id (U…/W…) in the app's DM with them: one stable D… channel per user."""
    return "D" + channel[1:] if channel[:1] in ("U", "W") else channel


async def _body(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data = await request.json()
        return data if isinstance(data, dict) else {"_": data}
    if request.content_type == "multipart/form-data":
        form = await request.post()
        return {k: v if isinstance(v, str) else v.file.read() for k, v in form.items()}  # type: ignore[union-attr]
    form = await request.post()
    return {k: str(v) for k, v in form.items()}


def _json_field(value: Any) -> Any:
    """Slack accepts nested JSON either as JSON or as a JSON string inside a form."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return {}
    return value if value is not None else {}
