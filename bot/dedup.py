"""Answer each platform event once, even when the platform retries or two replicas receive it.

The unique (platform, event_id) row is the lock: the first insert wins, whichever
process makes it, so no in-memory cache has to be shared between replicas.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from bot.db import Database
from bot.db.models import ProcessedEvent
from reminders.retry import retry_operational

# The event is already acknowledged when this runs, so the platform will not send it again:
# a short database outage is waited out (about 7 s in all) rather than losing the question.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)


def claim_event(db: Database, platform: str, event_id: str) -> bool:
    """True for the first caller with this event id, False for every retry after it."""
    return retry_operational(
        lambda: _insert(db, platform, event_id), RETRY_DELAYS, f"claiming a {platform} event"
    )


def _insert(db: Database, platform: str, event_id: str) -> bool:
    try:
        with db.session() as session:
            session.add(ProcessedEvent(platform=platform, event_id=event_id[:200]))
        return True
    except IntegrityError:
        return False
