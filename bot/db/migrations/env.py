"""Alembic environment, driven only from ``bot.db.migrate`` (no alembic.ini at the cwd).

``bot.db.migrate`` opens the connection (holding the migration lock) and hands it
over in ``config.attributes["connection"]``; this file only configures the
migration context so that ``upgrade``, ``check`` and ``revision`` share one set of
comparison rules.
"""

from __future__ import annotations

from alembic import context

from bot.db.migrate import context_options

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `jambot db upgrade` (bot.db.migrate), not bare alembic")

context.configure(connection=connection, **context_options(connection.dialect.name))
with context.begin_transaction():
    context.run_migrations()
