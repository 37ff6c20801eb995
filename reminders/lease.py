"""Which server replica runs the reminder scheduler: a lease row in the database.

Two replicas each run APScheduler; only the holder of an unexpired lease does the
work, and renews it on every tick. If the holder dies, another replica takes the
lease over once it expires. Correctness does not depend on this (the claim in
dispatch.py already prevents duplicates); it only keeps replicas from doing the
same work twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from reminders.ports import Database
from reminders.tables import SchedulerLease


def acquire_lease(db: Database, name: str, holder: str, ttl: timedelta, now: datetime) -> bool:
    """Take or renew the lease; False when another holder's lease is still valid."""
    expires = now + ttl
    if _take(db, name, holder, expires, now):
        return True
    try:
        with db.session() as session:
            session.add(SchedulerLease(name=name, holder=holder, expires_at=expires))
        return True
    except IntegrityError:
        # Someone created the row meanwhile: perhaps this same holder (its renewal task
        # and a run starting together), perhaps a lease that has expired already.
        return _take(db, name, holder, expires, now)


def _take(db: Database, name: str, holder: str, expires: datetime, now: datetime) -> bool:
    with db.session() as session:
        result = session.execute(
            update(SchedulerLease)
            .where(
                SchedulerLease.name == name,
                or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now),
            )
            .values(holder=holder, expires_at=expires)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]


def release_lease(db: Database, name: str, holder: str) -> None:
    """Give the lease up on shutdown so another replica need not wait for it to expire."""
    with db.session() as session:
        session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
            .values(expires_at=datetime(2000, 1, 1).astimezone())
        )
