"""A minimal Slack Web API on 127.0.0.1 for the reminder tests: records what the bot posts.

Answers auth.test, conversations.open (a D-channel per user) and chat.postMessage
(a fresh ts each; a user id as the channel lands in that user's D-channel, as in Slack), and can be told to fail for chosen channels or users, either
for good (``ok: false``) or retryably (HTTP 503).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class SlackStandIn:
    posts: list[dict[str, Any]] = field(default_factory=list)
    opens: list[str] = field(default_factory=list)
    fail_for_good: set[str] = field(default_factory=set)  # channel or user ids
    fail_retryably: set[str] = field(default_factory=set)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self.handle)
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
            ts = f"1700000000.{next(self._ts):06d}"
            blocks = body.get("blocks")
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            self.posts.append(
                {"channel": channel, "ts": ts, "text": body.get("text"), "blocks": blocks}
            )
            return web.json_response({"ok": True, "channel": channel, "ts": ts})
        return web.json_response({"ok": False, "error": "unknown_method"}, status=404)

    def posts_to(self, channel: str) -> list[dict[str, Any]]:
        return [p for p in self.posts if p["channel"] == channel]

    def button_values(self, post: dict[str, Any]) -> list[tuple[str, str]]:
        """(action_id, value) of every button in a posted message."""
        found = []
        for block in post["blocks"] or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                found.append((element["action_id"], element["value"]))
        return found
