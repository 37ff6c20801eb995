"""The claim in the database that makes every reminder go out at most once.

Before a reminder is sent, a ReminderSend row is inserted under the unique key
(org, administration, period, step, recipient). Whoever inserts it owns the send;
everyone else gets an IntegrityError and moves on. That holds across restarts, a
cron ``jambot remind`` next to the server, and two replicas at once, on SQLite
(WAL, one writer at a time) and PostgreSQL (the unique index waits for the first
transaction). Failures are recorded and re-claimed by an atomic UPDATE that only
one process can win; a claim left behind by a crashed process is taken over
after ``stale_after`` (``Claim.stale_since`` then says since when the dead process
may have delivered it, so the run can ask the platform first: see dispatch.py).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from chat.outbox import Delivery
from reminders.ports import Database
from reminders.retry import retry_operational
from reminders.tables import ReminderSend, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=10)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class SendKey:
    org_id: str
    administration_id: str
    period: str
    step: str
    recipient: str

    def where(self) -> list[ColumnElement[bool]]:
        return [
            ReminderSend.org_id == self.org_id,
            ReminderSend.administration_id == self.administration_id,
            ReminderSend.period == self.period,
            ReminderSend.step == self.step,
            ReminderSend.recipient == self.recipient,
        ]

    def tag(self) -> str:
        """The identity the sent message carries, to find it again after a crash."""
        return "|".join(
            (self.org_id, self.administration_id, self.period, self.step, self.recipient)
        )


@dataclass(frozen=True)
class Claim:
    send_id: int
    # When the claim was taken over from a process that died mid-send: since when that
    # process may have delivered the message. None for a first send or a failed-send retry.
    stale_since: datetime | None = None


def claim(
    db: Database,
    key: SendKey,
    platform: str,
    worker: str,
    max_attempts: int = MAX_ATTEMPTS,
    stale_after: timedelta = STALE_AFTER,
) -> Claim | None:
    """Take the send for this process; None when it is sent, in flight elsewhere, or given up."""
    now = utcnow()
    try:
        with db.session() as session:
            row = ReminderSend(
                org_id=key.org_id,
                administration_id=key.administration_id,
                period=key.period,
                step=key.step,
                recipient=key.recipient,
                platform=platform,
                status="claimed",
                attempts=1,
                claimed_by=worker,
                claimed_at=now,
            )
            session.add(row)
            session.flush()
            return Claim(row.id)
    except IntegrityError:
        pass  # the row exists: re-claim it only if it failed or its claimer died
    with db.session() as session:
        before = session.execute(
            select(ReminderSend.status, ReminderSend.claimed_at).where(*key.where())
        ).one_or_none()
        result = session.execute(
            update(ReminderSend)
            .where(
                *key.where(),
                or_(
                    and_(ReminderSend.status == "failed", ReminderSend.attempts < max_attempts),
                    and_(
                        ReminderSend.status == "claimed",
                        ReminderSend.claimed_at < now - stale_after,
                    ),
                ),
            )
            .values(
                status="claimed",
                attempts=ReminderSend.attempts + 1,
                claimed_by=worker,
                claimed_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        send_id = session.scalar(select(ReminderSend.id).where(*key.where()))
        assert send_id is not None
        # The UPDATE only matched a "claimed" row if it was stale; what was read just before it
        # is that claim (had another process taken it over in between, the UPDATE would miss).
        stale = before is not None and before.status == "claimed"
        return Claim(send_id, before.claimed_at if stale and before is not None else None)


# The message is out once delivered: losing the record of it to a brief database outage would
# leave the claim to go stale and the reminder to be sent again, so recording waits it out.
RECORD_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)


def record_outcome(
    db: Database, send_id: int, delivery: Delivery, max_attempts: int = MAX_ATTEMPTS
) -> str:
    """Store how a send went; return the new status (sent, failed or undeliverable)."""
    return retry_operational(
        lambda: _record_outcome(db, send_id, delivery, max_attempts),
        RECORD_RETRY_DELAYS,
        f"recording send {send_id}",
    )


def _record_outcome(db: Database, send_id: int, delivery: Delivery, max_attempts: int) -> str:
    with db.session() as session:
        row = session.get_one(ReminderSend, send_id)
        if delivery.ok:
            row.status = "sent"
            row.sent_at = utcnow()
            row.error = None
            row.message_ref = delivery.ref.as_json() if delivery.ref else None
            row.thread_key = delivery.ref.thread_key() if delivery.ref else None
        else:
            permanent = not delivery.retryable or row.attempts >= max_attempts
            row.status = "undeliverable" if permanent else "failed"
            row.error = (delivery.error or "unknown error")[:2000]
    return row.status


def send_status(db: Database, key: SendKey) -> str | None:
    with db.session() as session:
        return session.scalar(select(ReminderSend.status).where(*key.where()))
