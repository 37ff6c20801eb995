"""The declarative base of the conversation side's tables.

It shares ``METADATA`` (and the UTC timestamp type) with the reporting cycle's tables in
``reminders/tables.py``, so migrations see one schema with one naming convention.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from reminders.tables import METADATA, UTCDateTime, utcnow

__all__ = ["Base", "UTCDateTime", "utcnow"]


class Base(DeclarativeBase):
    metadata = METADATA
