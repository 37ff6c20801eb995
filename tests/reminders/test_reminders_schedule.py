"""Which reminders are due when: send time, the rest of the working day, reported administrations."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reporting_org import make_org

from reminders.schedule import due_reminders

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def due(now: datetime, reported: dict[str, set[str]] | None = None) -> set[tuple[str, str, str]]:
    items = due_reminders(make_org(), now, reported or {})
    return {(d.reminder.period, d.reminder.step, d.administration.id) for d in items}


def test_nothing_is_due_before_the_send_time() -> None:
    assert due(datetime(2025, 4, 4, 8, 59, tzinfo=STOCKHOLM)) == set()


def test_due_at_send_time_for_every_administration() -> None:
    assert due(datetime(2025, 4, 4, 9, 0, tzinfo=STOCKHOLM)) == {
        ("2025-Q1", "before-10", "hsf"),
        ("2025-Q1", "before-10", "rsf"),
        ("2025-Q1", "before-10", "kultur"),
    }


def test_stays_due_for_the_rest_of_the_working_day_but_not_the_next() -> None:
    assert len(due(datetime(2025, 4, 4, 16, 45, tzinfo=STOCKHOLM))) == 3
    assert len(due(datetime(2025, 4, 4, 23, 59, tzinfo=STOCKHOLM))) == 3
    assert due(datetime(2025, 4, 5, 9, 30, tzinfo=STOCKHOLM)) == set()  # Saturday
    assert (
        due(datetime(2025, 4, 7, 9, 30, tzinfo=STOCKHOLM)) == set()
    )  # a missed one is not sent days later


def test_instants_in_utc_are_read_in_the_org_time_zone() -> None:
    # 07:30 UTC on 4 April is 09:30 in Stockholm (summer time)
    assert len(due(datetime(2025, 4, 4, 7, 30, tzinfo=ZoneInfo("UTC")))) == 3
    assert due(datetime(2025, 4, 4, 6, 30, tzinfo=ZoneInfo("UTC"))) == set()


def test_administrations_that_reported_are_not_chased() -> None:
    overdue = datetime(2025, 4, 25, 10, 0, tzinfo=STOCKHOLM)
    assert due(overdue) == {("2025-Q1", "overdue-1", a) for a in ("hsf", "rsf", "kultur")}
    assert due(overdue, {"2025-Q1": {"hsf", "kultur"}}) == {("2025-Q1", "overdue-1", "rsf")}
    # a report for another period does not count
    assert len(due(overdue, {"2024-Q4": {"hsf", "rsf", "kultur"}})) == 3


def test_overdue_reminders_of_last_years_q4_are_found_in_january() -> None:
    assert due(datetime(2026, 1, 21, 9, 5, tzinfo=STOCKHOLM)) == {
        ("2025-Q4", "overdue-1", a) for a in ("hsf", "rsf", "kultur")
    }
