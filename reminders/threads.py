"""Finding the reminder a thread reply answers.

A reminder's posted message is located by the platform's own reference (Slack:
channel + ts; Teams: conversation id + activity id). Both sides reduce it to one
string key, stored on the ReminderSend row, so a plain reply in that thread can
be matched with one indexed lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from reminders.ports import Database
from reminders.tables import ReminderSend


def message_thread_key(platform: str, channel_id: str, thread_id: str | None) -> str | None:
    if not channel_id or not thread_id:
        return None
    return f"{platform}:{channel_id}:{thread_id}"


def delivery_thread_key(platform: str, ref: Mapping[str, Any]) -> str | None:
    """The key of a posted message from its ``Delivery.ref``.

    Slack gives ``channel`` and ``ts``; Teams gives ``channel`` and ``thread_id`` (only
    for channel posts: a personal chat has no threads, so no key).
    """
    channel = ref.get("channel")
    message = ref.get("ts") or ref.get("thread_id")
    return message_thread_key(platform, str(channel or ""), str(message) if message else None)


def find_reminder_thread(db: Database, org_id: str, key: str) -> ReminderSend | None:
    with db.session() as session:
        return session.scalars(
            select(ReminderSend)
            .where(ReminderSend.org_id == org_id, ReminderSend.thread_key == key)
            .limit(1)
        ).first()
