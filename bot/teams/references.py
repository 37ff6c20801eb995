"""Conversation references: the address book for proactive Teams messages.

Teams lets a bot write to someone only in a conversation it already knows
(service URL, conversation id, tenant). Every activity refreshes the stored
reference, keyed by the user's AAD object id for personal chats and by the
channel id for channels, which are the ids the organisation config uses.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import ConversationRef, ProcessedEvent

PLATFORM = "teams"
SEEN_REFRESH = timedelta(days=1)


def save_reference(db: Database, org_id: str, key: str, reference: dict[str, Any]) -> None:
    """Insert or refresh the reference filed under ``key``."""
    for _attempt in range(2):
        try:
            with db.session() as session:
                row = session.scalar(
                    select(ConversationRef).where(
                        ConversationRef.org_id == org_id,
                        ConversationRef.platform == PLATFORM,
                        ConversationRef.key == key,
                    )
                )
                if row is None:
                    session.add(
                        ConversationRef(
                            org_id=org_id, platform=PLATFORM, key=key, reference=reference
                        )
                    )
                elif row.reference != reference or row.updated_at < utcnow() - SEEN_REFRESH:
                    # updated_at doubles as "last seen" for the retention purge: refreshed
                    # at most daily, so an unchanged reference costs no write per message.
                    row.reference = reference
                    row.updated_at = utcnow()
            return
        except IntegrityError:
            continue  # another request inserted it first; the second pass updates it


def load_reference(db: Database, org_id: str, key: str) -> dict[str, Any] | None:
    with db.session() as session:
        return session.scalar(
            select(ConversationRef.reference).where(
                ConversationRef.org_id == org_id,
                ConversationRef.platform == PLATFORM,
                ConversationRef.key == key,
            )
        )


def latest_reference(db: Database, org_id: str) -> dict[str, Any] | None:
    """The most recently refreshed reference: where this organisation's Teams tenant is served."""
    with db.session() as session:
        return session.scalar(
            select(ConversationRef.reference)
            .where(ConversationRef.org_id == org_id, ConversationRef.platform == PLATFORM)
            .order_by(ConversationRef.updated_at.desc(), ConversationRef.id.desc())
            .limit(1)
        )


def forget_reference(db: Database, org_id: str, key: str) -> None:
    """After an uninstall: the bot can no longer write there, and should say so honestly."""
    with db.session() as session:
        session.execute(
            delete(ConversationRef).where(
                ConversationRef.org_id == org_id,
                ConversationRef.platform == PLATFORM,
                ConversationRef.key == key,
            )
        )
        session.execute(
            delete(ProcessedEvent).where(
                ProcessedEvent.platform == PLATFORM,
                ProcessedEvent.event_id == welcome_marker(org_id, key),
            )
        )


def welcome_marker(org_id: str, key: str) -> str:
    """The ``ProcessedEvent`` id claimed by the one welcome per chat or channel.

    Teams sends both conversationUpdate and installationUpdate on install and
    may redeliver either; claiming this id keeps it to one welcome.
    """
    return f"welcome:{org_id}:{key}"[:200]
