"""Wait out a short database outage when the work must not be lost: one loop, used twice.

Two writes happen after something irreversible: a platform event was already acknowledged
(``bot.dedup``: the platform will not send it again) and a reminder was already delivered
(``reminders.dispatch.record_outcome``: losing the record would send it twice). Both retry
on ``OperationalError`` only (the database is unreachable or restarting); any other error
is a bug or a decided race and goes straight up.

It lives in ``reminders`` because the reporting cycle needs it and may not import ``bot``;
``bot`` composes ``reminders`` and imports it freely. ``chat`` would be the wrong home: it
is the vocabulary of messages and knows no database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

T = TypeVar("T")


def retry_operational(
    operation: Callable[[], T], delays: Sequence[float], what: str
) -> T:
    """``operation()``, retried after each of ``delays`` (seconds) while the database is down.

    ``what`` completes the warning ("database unavailable while <what>"). After the last
    delay one final attempt is made and its ``OperationalError``, if any, is raised.
    """
    for delay in delays:
        try:
            return operation()
        except OperationalError:
            log.warning("database unavailable while %s; retry in %.1f s", what, delay)
            time.sleep(delay)
    return operation()
