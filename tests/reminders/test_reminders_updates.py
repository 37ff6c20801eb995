"""Status updates: validation, revisions, the latest counts, concurrent submissions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.db import Database
from reminders.tables import StatusUpdate
from reminders.updates import (
    TEXT_LIMIT,
    InvalidStatus,
    StatusInput,
    Submitter,
    latest_update,
    latest_updates,
    record_update,
    reported_administrations,
    validate,
)

BO = Submitter("U0HSF1", "Bo Berg", "slack")


def test_validate_requires_a_known_status_and_limits_lengths() -> None:
    assert (
        validate({"status": "on_track", "done": "  Kartläggning klar  "}).done
        == "Kartläggning klar"
    )
    with pytest.raises(InvalidStatus) as missing:
        validate({"done": "x"})
    assert missing.value.errors == [("status", "Välj ett läge.")]
    with pytest.raises(InvalidStatus) as bad:
        validate({"status": "great", "next_steps": "x" * (TEXT_LIMIT + 1)}, lang="en")
    assert dict(bad.value.errors) == {
        "status": "Choose one of the statuses in the list.",
        "next_steps": f"At most {TEXT_LIMIT} characters (now {TEXT_LIMIT + 1}).",
    }
    assert validate({"done": "tråd"}, require_status=False).status is None


def test_every_submission_is_a_new_revision_and_the_latest_counts(db: Database) -> None:
    for status in ("not_started", "some_deviation", "on_track"):
        record_update(db, "org-a", "hsf", "2025-Q1", StatusInput(status, done=status), BO)
    record_update(db, "org-a", "rsf", "2025-Q1", StatusInput("on_track"), BO)
    record_update(db, "org-a", "hsf", "2025-Q2", StatusInput("major_deviation"), BO)
    latest = latest_updates(db, "org-a", "2025-Q1")
    assert set(latest) == {"hsf", "rsf"}
    assert (
        latest["hsf"].update.revision,
        latest["hsf"].update.status,
        latest["hsf"].revisions,
    ) == (3, "on_track", 3)
    assert latest_update(db, "org-a", "hsf", "2025-Q2").status == "major_deviation"  # type: ignore[union-attr]
    assert reported_administrations(db, "org-a", "2025-Q1") == {"hsf", "rsf"}


def test_other_orgs_and_deleted_rows_do_not_count(db: Database) -> None:
    record_update(db, "org-b", "hsf", "2025-Q1", StatusInput("on_track"), BO)
    record_update(db, "org-a", "kultur", "2025-Q1", StatusInput("on_track"), BO)
    with db.session() as session:
        session.execute(
            update(StatusUpdate)
            .where(StatusUpdate.administration_id == "kultur")
            .values(deleted_at=datetime(2025, 5, 1, tzinfo=UTC))
        )
    assert latest_updates(db, "org-a", "2025-Q1") == {}
    assert reported_administrations(db, "org-a", "2025-Q1") == set()
    assert latest_update(db, "org-a", "kultur", "2025-Q1") is None


def test_concurrent_submissions_are_all_stored_with_distinct_revisions(database_url: str) -> None:
    setup = Database(database_url)
    setup.create_all()
    setup.dispose()
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def submit(n: int) -> None:
        db = Database(database_url)
        try:
            start.wait()
            for i in range(5):
                record_update(
                    db, "org-a", "hsf", "2025-Q1", StatusInput("on_track", done=f"{n}-{i}"), BO
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = Database(database_url)
    with check.session() as session:
        rows = session.execute(select(StatusUpdate.revision, StatusUpdate.done)).all()
    check.dispose()
    assert sorted(r.revision for r in rows) == list(range(1, 31))
    assert {r.done for r in rows} == {f"{n}-{i}" for n in range(6) for i in range(5)}
