"""Answer each platform event once, even when the platform retries or two replicas receive it.

The unique (platform, event_id) row is the lock: the first insert wins, whichever
process makes it, so no in-memory cache has to be shared between replicas.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy.exc import IntegrityError, OperationalError

from bot.db import Database
from bot.db.models import ProcessedEvent

log = logging.getLogger(__name__)


# The event is already acknowledged when this runs, so the platform will not send it again:
# a short database outage is waited out (about 7 s in all) rather than losing the question.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)


def claim_event(db: Database, platform: str, event_id: str) -> bool:
    """True for the first caller with this event id, False for every retry after it."""
    for delay in RETRY_DELAYS:
        try:
            return _insert(db, platform, event_id)
        except OperationalError:
            log.warning("database unavailable while claiming a %s event; retry in %.1f s", platform, delay)
            time.sleep(delay)
    return _insert(db, platform, event_id)


def _insert(db: Database, platform: str, event_id: str) -> bool:
    try:
        with db.session() as session:
            session.add(ProcessedEvent(platform=platform, event_id=event_id[:200]))
        return True
    except IntegrityError:
        return False
