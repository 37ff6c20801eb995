"""Pacing proactive sends to the platforms' published per-method rate limits.

Slack (api.slack.com/docs/rate-limits): chat.postMessage about 1 message per
second per channel. A DM is posted straight to the person's user id (Slack puts
it in the app's DM with them, one channel per person), so the user id stands for
that channel and DMs to different people never wait on each other; no
conversations.open (Tier 3, ~50 per minute) is needed. The Bot Connector allows
about 7 messages per second per conversation. Waiting here is cheaper than a 429
and a retry on the next run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from chat.outbox import Recipient


@dataclass(frozen=True)
class Limit:
    per_second: float
    burst: int = 1


# (platform, method) -> limit; scope: one conversation (a DM's scope is the person's id).
PLATFORM_LIMITS: Mapping[tuple[str, str], Limit] = {
    ("slack", "chat.postMessage"): Limit(per_second=1.0, burst=1),
    ("teams", "send"): Limit(per_second=7.0, burst=7),
}


class RateLimiter:
    """Token buckets per (platform, method, scope); ``before_send`` waits until a send may go."""

    def __init__(
        self,
        limits: Mapping[tuple[str, str], Limit] = PLATFORM_LIMITS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits
        self.clock = clock
        self._buckets: dict[tuple[str, str, str], tuple[float, float]] = {}  # -> (tokens, at)
        self._lock = asyncio.Lock()

    async def before_send(self, recipient: Recipient) -> None:
        if recipient.platform == "slack":
            await self.acquire(
                "slack", "chat.postMessage", recipient.channel_id or recipient.user_id or ""
            )
        elif recipient.platform == "teams":
            await self.acquire("teams", "send", recipient.channel_id or recipient.user_id or "")

    async def acquire(self, platform: str, method: str, scope: str) -> None:
        limit = self.limits.get((platform, method))
        if limit is None:
            return
        while True:
            async with self._lock:
                wait = self._take(limit, (platform, method, scope))
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    def _take(self, limit: Limit, key: tuple[str, str, str]) -> float:
        """Take a token if one is free; else return how long until one is."""
        now = self.clock()
        tokens, at = self._buckets.get(key, (float(limit.burst), now))
        tokens = min(float(limit.burst), tokens + (now - at) * limit.per_second)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / limit.per_second
