"""Teams turns run after the HTTP answer, a bounded number at a time.

The Bot Connector only needs to hear that an activity arrived; the answer goes
back as a separate call to it. Answering first keeps /api/messages fast under a
burst and keeps slow work (database, knowledge base, connector calls) from
holding connections open, while the bound keeps a burst from crowding out
Slack's 3-second acks on the same event loop. Stopping the server waits for the
turns still running (``drain``, as ``bot.background.BackgroundWork``), so a
restart does not swallow answers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from bot.background import BackgroundWork

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8


class BackgroundTurns:
    def __init__(self, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        self._work = BackgroundWork("teams")
        self._slots = asyncio.Semaphore(concurrency)
        # One turn at a time per conversation, so answers keep the order of the questions.
        self._conversations: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    def start(self, turn: Awaitable[object], conversation: str = "") -> None:
        self._work.start(self._run(turn, conversation))

    async def _run(self, turn: Awaitable[object], conversation: str) -> None:
        lock = self._conversations.setdefault(conversation, asyncio.Lock())
        self._waiting[conversation] = self._waiting.get(conversation, 0) + 1
        try:
            async with lock, self._slots:
                await turn
        except Exception:  # the turn-error handler saw the bot's errors; this is the rest
            log.exception("Teams: a turn failed outside the bot")
        finally:
            self._waiting[conversation] -= 1
            if not self._waiting[conversation]:
                del self._waiting[conversation], self._conversations[conversation]

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for every turn started so far (and those they start), up to ``timeout``."""
        await self._work.drain(timeout)
