"""Finding the reminder a thread reply answers.

A reminder's posted message is located by its ``chat.refs.MessageRef``; its
``thread_key()`` is stored on the ReminderSend row, and a plain reply in that thread
yields the same key (``chat.refs.thread_key``), so it is matched with one indexed lookup.
"""

from __future__ import annotations

from sqlalchemy import select

from reminders.ports import Database
from reminders.tables import ReminderSend


def find_reminder_thread(db: Database, org_id: str, key: str) -> ReminderSend | None:
    with db.session() as session:
        return session.scalars(
            select(ReminderSend)
            .where(ReminderSend.org_id == org_id, ReminderSend.thread_key == key)
            .limit(1)
        ).first()
