"""Persistence: SQLAlchemy models and sessions (SQLite embedded, PostgreSQL in production)."""

from bot.db.base import Base
from bot.db.session import Database

__all__ = ["Base", "Database"]
