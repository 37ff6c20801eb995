"""Shared fixtures: a real database per test session, on SQLite or PostgreSQL.

``JAMBOT_TEST_DB=postgresql`` runs the suite against the server at
``JAMBOT_TEST_PG_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
in a schema of its own that is dropped afterwards. An unreachable server fails
the run: a silently skipped PostgreSQL suite would prove nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from reminders.tables import METADATA

if TYPE_CHECKING:
    from bot.db import Database

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _backend() -> str:
    backend = os.environ.get("JAMBOT_TEST_DB", "sqlite")
    if backend not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"JAMBOT_TEST_DB must be sqlite or postgresql, not {backend!r}")
    return backend


@pytest.fixture(scope="session")
def db_backend() -> str:
    return _backend()


@pytest.fixture(scope="session")
def _pg_schema_url() -> Iterator[str | None]:
    if _backend() != "postgresql":
        yield None
        return
    base = os.environ.get("JAMBOT_TEST_PG_URL", PG_DEFAULT)
    schema = f"jambot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # pragma: no cover - the point is to fail loudly
        pytest.exit(f"PostgreSQL at {base} is not reachable: {exc}", returncode=3)
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path, _pg_schema_url: str | None) -> Iterator[str]:
    """An empty database for one test (a fresh SQLite file, or a wiped PostgreSQL schema)."""
    if _pg_schema_url is None:
        yield f"sqlite:///{tmp_path / 'jambot.db'}"
        return
    engine = create_engine(_pg_schema_url)
    import bot.db.models  # noqa: F401  (every table on METADATA; bot is imported lazily so that
    # tests/architecture can run the reporting cycle's pure tests with bot unavailable)

    METADATA.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS apscheduler_jobs, alembic_version CASCADE"))
    engine.dispose()
    yield _pg_schema_url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A ``Database`` with every table created."""
    from bot.db import Database

    database = Database(database_url)
    database.create_all()
    yield database
    database.dispose()
