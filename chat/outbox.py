"""How the core reaches people it is not currently answering (proactive messages).

Escalations to the strategists, answers relayed back to an asker and quarterly
reminders all go through an ``Outbox``: one per platform, implemented by the
adapter (``bot/slack/outbox.py``, ``bot/teams/outbox.py``). The core only picks
the recipient and the neutral ``Reply``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from chat.refs import MessageRef
from chat.replies import Platform, Reply


@dataclass(frozen=True)
class Recipient:
    """A person (direct message) or a channel, optionally a thread in it."""

    platform: Platform
    user_id: str | None = None
    channel_id: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class Delivery:
    """The outcome of one send. ``ref`` locates the posted message (None when it failed)."""

    ok: bool
    ref: MessageRef | None = None
    error: str | None = None
    retryable: bool = False


class Outbox(Protocol):
    platform: Platform

    async def deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        """Send ``reply``; never raises for platform errors, reports them in ``Delivery``."""
        ...


@runtime_checkable
class FindsSent(Protocol):
    """An outbox that can tell whether a tagged message already went out (optional).

    Used only when a send claimed by a process that then died is taken over: the platform,
    not our database, knows whether the message was accepted before the crash.
    """

    async def find_sent(self, recipient: Recipient, tag: str, since: datetime) -> Delivery | None:
        """The delivery of the message tagged ``tag`` posted since ``since``; None if not found
        or unknown (the caller then sends)."""
        ...
