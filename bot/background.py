"""Work a platform adapter does after acknowledging a request, kept track of.

Slack and the Bot Connector only need to hear that a request arrived; the answer goes
back as a separate call. The adapters acknowledge first and answer in tasks started
here, which holds them (the event loop keeps only weak references to tasks), logs what
fails in them, counts them on /metrics (``jambot_background_work``), and lets the server
wait for them when it stops (``drain``) so that a restart does not swallow answers, and
lets tests wait for the answers instead of sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from bot.observability.metrics import record_background_work

log = logging.getLogger(__name__)


class BackgroundWork:
    def __init__(self, platform: str) -> None:
        self.platform = platform
        self._running: set[asyncio.Task[None]] = set()

    def start(self, work: Awaitable[object]) -> None:
        """Run ``work`` after the caller has answered; its failure is logged, never raised."""
        task = asyncio.create_task(self._run(work))
        self._running.add(task)
        record_background_work(self.platform, 1)
        task.add_done_callback(self._finished)

    async def _run(self, work: Awaitable[object]) -> None:
        try:
            await work
        except Exception:
            log.exception("%s: the work after an acknowledgement failed", self.platform)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        record_background_work(self.platform, -1)

    def __len__(self) -> int:
        return len(self._running)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for all work started so far (and work it starts), up to ``timeout``."""
        async with asyncio.timeout(timeout):
            while self._running:
                await asyncio.gather(*self._running, return_exceptions=True)
