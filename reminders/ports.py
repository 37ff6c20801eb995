"""What the reporting cycle needs from the world around it, declared as protocols.

``reminders`` imports nothing from ``bot``: the composition layer hands in objects that
fit these shapes (``bot.db.Database``, the Prometheus counters in
``bot.observability.metrics``), and the outboxes that deliver a reminder or find one
already sent are the neutral ``chat.outbox.Outbox`` / ``FindsSent``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy.orm import Session


class Database(Protocol):
    """A transaction per ``session()``: committed on success, rolled back on any error."""

    def session(self) -> AbstractContextManager[Session]: ...


class ReminderMetrics(Protocol):
    """Counts of reminder deliveries, for whoever watches the service."""

    def reminder_outcome(self, platform: str, delivered: bool) -> None: ...


class NoMetrics:
    """Counts nothing: a ``jambot remind`` from cron or a test has nobody scraping it."""

    def reminder_outcome(self, platform: str, delivered: bool) -> None:
        return None
