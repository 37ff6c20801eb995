"""Where a posted message landed, and the one key that finds its thread again.

Outboxes report a ``MessageRef`` for every message they post; the reporting cycle and the
escalations store it and look a reply up by ``thread_key()``, the same key an incoming
``Message`` in that thread yields (``thread_key(msg.platform, msg.channel_id, msg.thread_id)``).
Before this type the reference was a dict with different keys per platform, decoded in two
places with opposite precedence; one of them could produce ``"slack:C:"`` for a post that has
no thread and so match unrelated messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def thread_key(platform: str, channel: str | None, thread_id: str | None) -> str | None:
    """``platform:channel:thread``; None when either part is missing (no thread to match)."""
    if not channel or not thread_id:
        return None
    return f"{platform}:{channel}:{thread_id}"


@dataclass(frozen=True)
class MessageRef:
    """A posted message.

    ``channel`` is where it went (a Slack channel or DM id, a Teams conversation, a web chat
    user or channel); ``message_id`` the platform's id of it (Slack ``ts``, Teams' first
    activity id); ``thread_id`` what a reply in its thread carries as ``Message.thread_id``
    (None where replies have no thread, e.g. a Teams personal chat); ``message_ids`` every
    message the post became (a long Teams reply is split into several activities).
    """

    platform: str
    channel: str = ""
    message_id: str | None = None
    thread_id: str | None = None
    message_ids: tuple[str, ...] = ()

    def thread_key(self) -> str | None:
        return thread_key(self.platform, self.channel, self.thread_id)

    def as_json(self) -> dict[str, Any]:
        """The stored form (JSON columns): the fields that are set, lists for tuples."""
        data: dict[str, Any] = {"platform": self.platform, "channel": self.channel}
        if self.message_id:
            data["message_id"] = self.message_id
        if self.thread_id:
            data["thread_id"] = self.thread_id
        if self.message_ids:
            data["message_ids"] = list(self.message_ids)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageRef:
        return cls(
            platform=str(data.get("platform") or ""),
            channel=str(data.get("channel") or ""),
            message_id=data.get("message_id"),
            thread_id=data.get("thread_id"),
            message_ids=tuple(data.get("message_ids") or ()),
        )
