"""The Alembic migrations reproduce the models exactly, on SQLite and on PostgreSQL.

When this fails after a model change, write the missing migration with
``jambot db revision -m "what changed"`` and commit the new file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import create_engine, inspect, select

from bot.db import Database
from bot.db.migrate import check, current, downgrade, head_revision, upgrade
from bot.db.models import ProcessedEvent


def _tables(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_reproduce_the_models_exactly(database_url: str) -> None:
    assert current(database_url) is None
    reached = upgrade(database_url)
    assert reached == head_revision() is not None
    assert check(database_url) == []


def test_check_reports_a_schema_that_lags_the_models(database_url: str) -> None:
    upgrade(database_url)
    downgrade(database_url, "base")
    differences = check(database_url)
    assert any(line.startswith("add_table: question_log") for line in differences), differences


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(database_url: str) -> None:
    upgrade(database_url)
    downgrade(database_url, "base")
    assert _tables(database_url) <= {"alembic_version", "apscheduler_jobs"}
    upgrade(database_url)
    assert check(database_url) == []


def test_upgrade_is_idempotent_and_keeps_data(database_url: str) -> None:
    upgrade(database_url)
    db = Database(database_url)
    try:
        with db.session() as s:
            s.add(ProcessedEvent(platform="slack", event_id="Ev1", created_at=datetime.now(UTC)))
        assert upgrade(database_url) == head_revision()
        with db.session() as s:
            assert s.scalars(select(ProcessedEvent.event_id)).all() == ["Ev1"]
    finally:
        db.dispose()


def test_a_database_made_by_create_all_is_adopted_not_recreated(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.create_all()
        with db.session() as s:
            s.add(ProcessedEvent(platform="teams", event_id="kept"))
        assert upgrade(database_url) == head_revision()
        assert current(database_url) == head_revision()
        with db.session() as s:
            assert s.scalars(select(ProcessedEvent.event_id)).all() == ["kept"]
    finally:
        db.dispose()


def test_the_scheduler_job_table_is_apschedulers_own_made_under_the_migration_lock(
    database_url: str,
) -> None:
    upgrade(database_url)
    assert "apscheduler_jobs" in _tables(database_url)  # before any replica's scheduler starts
    engine = create_engine(database_url)
    store = SQLAlchemyJobStore(engine=engine)
    try:
        store.start(None, "default")  # type: ignore[arg-type]  # finds its table there
        assert check(database_url) == []
    finally:
        store.shutdown()
        engine.dispose()


def test_replicas_starting_together_migrate_once(database_url: str) -> None:
    """Two processes upgrading at the same moment both succeed: the second waits for the lock."""
    script = "import sys; from bot.db.migrate import upgrade; print(upgrade(sys.argv[1]))"
    procs = [
        subprocess.Popen([sys.executable, "-c", script, database_url], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outcomes = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outcomes]
    assert [out.strip() for out, _ in outcomes] == [head_revision()] * 3
    assert check(database_url) == []


def test_cli_upgrade_and_current(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    cmd = [str(Path(sys.executable).parent / "jambot")]
    before = subprocess.run([*cmd, "db", "current"], env=env, capture_output=True, text=True, timeout=60)
    assert before.returncode == 0, before.stderr
    assert "aldrig migrerad" in before.stdout
    up = subprocess.run([*cmd, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=60)
    assert up.returncode == 0, up.stderr
    assert f"revision {head_revision()}" in up.stdout
    after = subprocess.run([*cmd, "db", "check"], env=env, capture_output=True, text=True, timeout=60)
    assert after.returncode == 0, after.stdout + after.stderr
    bad = subprocess.run(
        [*cmd, "db", "upgrade"], env={**env, "DATABASE_URL": "nosuchdb://x"},
        capture_output=True, text=True, timeout=60,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "DATABASE_URL" in bad.stderr
    refused = subprocess.run(
        [*cmd, "db", "upgrade"],
        env={**env, "DATABASE_URL": "postgresql+psycopg://jambot:s3cret-pw@127.0.0.1:9/jambot"},
        capture_output=True, text=True, timeout=60,
    )
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr and "s3cret-pw" not in refused.stderr
