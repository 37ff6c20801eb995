"""Schema migrations with Alembic, run from the installed package.

Production databases live for years, so the schema changes only through the
versioned scripts in ``bot/db/migrations/versions``. Everything here works
without an ``alembic.ini`` in the working directory: the server runs ``upgrade``
on start (unless ``JAMBOT_AUTO_MIGRATE=0``), and ``jambot db …`` wraps the rest.

Several replicas (or the server and a cron job) may start at the same moment:
on PostgreSQL an advisory lock per schema, on SQLite an exclusive lock on a file
beside the database, makes the second wait until the first has finished.
"""

from __future__ import annotations

import fcntl
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from bot.db.base import Base, UTCDateTime
from bot.db.session import make_engine

SCRIPT_LOCATION = Path(__file__).with_name("migrations")
VERSIONS = SCRIPT_LOCATION / "versions"

# Tables that other libraries create and own: APScheduler's job store makes its own.
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


class MigrationError(Exception):
    """The database cannot be brought to the current schema; the message says why."""


def _metadata() -> Any:
    import bot.db.models  # noqa: F401  (registers every table on Base.metadata)

    return Base.metadata


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave tables owned by other libraries (and everything on them) out of migrations."""
    if type_ == "table":
        return name not in FOREIGN_TABLES
    table = getattr(obj, "table", None)
    return table is None or table.name not in FOREIGN_TABLES


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our UTC column type as its plain SQL type, so scripts import only sqlalchemy."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def context_options(dialect_name: str) -> dict[str, Any]:
    """The one set of options for running, checking and generating migrations."""
    return {
        "target_metadata": _metadata(),
        "include_object": include_object,
        "render_item": render_item,
        "compare_type": True,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        "render_as_batch": dialect_name == "sqlite",
    }


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# Alembic keeps its running context in module globals: one migration per process at a time.
_IN_PROCESS = threading.Lock()
_PG_LOCK_KEY = "hashtext('jambot-migrate:' || current_schema())"


@contextmanager
def _sqlite_file_lock(database: str | None) -> Iterator[None]:
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _pg_advisory_lock(conn: Connection) -> Iterator[None]:
    conn.execute(text(f"SELECT pg_advisory_lock({_PG_LOCK_KEY})"))
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.execute(text(f"SELECT pg_advisory_unlock({_PG_LOCK_KEY})"))
        conn.commit()


@contextmanager
def _connect(database_url: str, lock: bool) -> Iterator[Connection]:
    engine = make_engine(database_url)
    try:
        if not lock:
            with engine.connect() as conn:
                yield conn
            return
        with _IN_PROCESS, _sqlite_file_lock(
            engine.url.database if engine.dialect.name == "sqlite" else None
        ), engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                with _pg_advisory_lock(conn):
                    yield conn
            else:
                yield conn
    finally:
        engine.dispose()


def _differences(conn: Connection) -> list[str]:
    context = MigrationContext.configure(conn, opts=context_options(conn.dialect.name))
    return [_describe(diff) for diff in compare_metadata(context, _metadata())]


def _describe(diff: Any) -> str:
    """One readable line per autogenerate difference (they are tuples or lists of tuples)."""
    if isinstance(diff, list):
        return "; ".join(_describe(d) for d in diff)
    op, *rest = diff
    names = [getattr(x, "name", None) or str(x) for x in rest if x is not None]
    return f"{op}: {', '.join(str(n) for n in names[:4])}"


def _adopt_unversioned(conn: Connection, config: Config) -> bool:
    """Stamp a database that ``create_all`` made (tests, first trials) if it matches the models.

    Without this a database created before migrations existed could never be
    upgraded: every CREATE TABLE would collide with a table already there.
    """
    tables = set(inspect(conn).get_table_names()) - FOREIGN_TABLES
    if "alembic_version" in tables or not tables & set(_metadata().tables):
        return False
    differences = _differences(conn)
    conn.rollback()
    if differences:
        raise MigrationError(
            "the database has Jämbot tables but no migration history, and they differ from "
            "the current models: " + "; ".join(differences)
        )
    command.stamp(config, "head")
    return True


def upgrade(database_url: str, revision: str = "head") -> str | None:
    """Bring the database to ``revision`` (default: the newest); return the revision reached."""
    with _connect(database_url, lock=True) as conn:
        config = alembic_config(conn)
        if not (revision == "head" and _adopt_unversioned(conn, config)):
            command.upgrade(config, revision)
        conn.commit()
        if revision == "head":
            _create_foreign_tables(conn)
        return MigrationContext.configure(conn).get_current_revision()


def _create_foreign_tables(conn: Connection) -> None:
    """Create APScheduler's job table now, under the migration lock, with its own definition.

    Left to APScheduler, two replicas starting on a fresh database both run CREATE TABLE
    and one of them fails to start (PostgreSQL: duplicate pg_type entry).
    """
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    SQLAlchemyJobStore(engine=conn.engine).jobs_t.create(conn, checkfirst=True)
    conn.commit()


def downgrade(database_url: str, revision: str) -> None:
    with _connect(database_url, lock=True) as conn:
        command.downgrade(alembic_config(conn), revision)
        conn.commit()


def current(database_url: str) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with _connect(database_url, lock=False) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check(database_url: str) -> list[str]:
    """Differences between the database and the models (empty: the schema matches exactly)."""
    with _connect(database_url, lock=False) as conn:
        return _differences(conn)


def _next_revision_id() -> str:
    numbers = [int(m.group(1)) for p in VERSIONS.glob("*.py") if (m := re.match(r"(\d{4})_", p.name))]
    return f"{max(numbers, default=0) + 1:04d}"


def new_revision(message: str) -> Path | None:
    """Write a migration for whatever the models have that the newest migration lacks.

    Compares against a scratch SQLite database at head, so no server is needed;
    the generated operations are portable (batch mode also works on PostgreSQL).
    Returns the new file, or None when the models already match.
    """
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'head.db'}"
        upgrade(url)
        if not check(url):
            return None
        with _connect(url, lock=True) as conn:
            config = alembic_config(conn)
            rev_id = _next_revision_id()
            config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        return next(VERSIONS.glob(f"{rev_id}_*.py"))
