"""A minimal Slack Web API on 127.0.0.1 for the reminder tests: records what the bot posts.

Answers auth.test, conversations.open (a D-channel per user) and chat.postMessage
(a fresh ts from the clock each; a user id as the channel lands in that user's D-channel, as
in Slack; message metadata is kept) and conversations.history (newest first, from ``oldest``,
metadata only with ``include_all_metadata``), and can be told to fail for chosen channels or
users, either for good (``ok: false``) or retryably (HTTP 503).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class SlackStandIn:
    posts: list[dict[str, Any]] = field(default_factory=list)
    opens: list[str] = field(default_factory=list)
    histories: list[str] = field(default_factory=list)  # channels whose history was read
    fail_for_good: set[str] = field(default_factory=set)  # channel or user ids
    fail_retryably: set[str] = field(default_factory=set)
    _last_ts: float = 0.0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self.handle)
        app.router.add_get("/api/{method}", self.handle)  # conversations.history is a GET
        return app

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            body: dict[str, Any] = await request.json()
        else:
            body = dict(await request.post())
            body.update(request.query)
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT"})
        if method == "conversations.open":
            user = str(body["users"])
            self.opens.append(user)
            if user in self.fail_for_good:
                return web.json_response({"ok": False, "error": "user_not_found"})
            return web.json_response({"ok": True, "channel": {"id": "D" + user[1:]}})
        if method == "chat.postMessage":
            to = str(body["channel"])  # a user id posts in the app's DM with that user
            channel = "D" + to[1:] if to[:1] in ("U", "W") else to
            if {to, channel} & self.fail_retryably:
                return web.json_response({"ok": False, "error": "service_unavailable"}, status=503)
            if {to, channel} & self.fail_for_good:
                return web.json_response({"ok": False, "error": "channel_not_found"})
            ts = self._next_ts()
            blocks = body.get("blocks")
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            metadata = body.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            self.posts.append(
                {
                    "channel": channel,
                    "ts": ts,
                    "text": body.get("text"),
                    "blocks": blocks,
                    "metadata": metadata,
                }
            )
            return web.json_response({"ok": True, "channel": channel, "ts": ts})
        if method == "conversations.history":
            return web.json_response(self._history(body))
        return web.json_response({"ok": False, "error": "unknown_method"}, status=404)

    def _next_ts(self) -> str:
        """A Slack ts: the post's time in epoch seconds, unique within the channel."""
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def _history(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = str(body["channel"])
        self.histories.append(channel)
        oldest = float(body.get("oldest") or 0)
        with_metadata = str(body.get("include_all_metadata")).lower() in ("1", "true")
        messages = [
            {
                "type": "message",
                "ts": p["ts"],
                "text": p["text"],
                **({"metadata": p["metadata"]} if with_metadata and p["metadata"] else {}),
            }
            for p in reversed(self.posts)
            if p["channel"] == channel and float(p["ts"]) > oldest
        ]
        return {"ok": True, "messages": messages, "has_more": False}

    def posts_to(self, channel: str) -> list[dict[str, Any]]:
        return [p for p in self.posts if p["channel"] == channel]

    def button_values(self, post: dict[str, Any]) -> list[tuple[str, str]]:
        """(action_id, value) of every button in a posted message."""
        found = []
        for block in post["blocks"] or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                found.append((element["action_id"], element["value"]))
        return found
