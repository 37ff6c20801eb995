"""The reporting calendar: Swedish working days, deadlines, reminder steps, DST, quiet periods."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from reporting_org import make_org

from reminders.calendar import (
    DayOff,
    day_off,
    days_off,
    deadline,
    is_working_day,
    planned_reminders,
    quarter_schedule,
    shift_working_days,
    year_plan,
)
from reminders.organisation import load_org_config
from reminders.periods import PeriodError, Quarter

STOCKHOLM = ZoneInfo("Europe/Stockholm")
EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "config" / "jambot.yaml"


def steps(org, quarter: str) -> dict[str, date]:
    return {r.step: r.day for r in planned_reminders(org.reporting, Quarter.parse(quarter), org.tz)}


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 6, 20), "midsommarafton (Friday before Midsummer Day)"),
        (date(2026, 6, 19), "midsommarafton 2026"),
        (date(2025, 12, 24), "julafton"),
        (date(2025, 12, 31), "nyårsafton"),
        (date(2025, 4, 18), "långfredagen"),
        (date(2025, 4, 21), "annandag påsk"),
        (date(2025, 5, 29), "Kristi himmelsfärd"),
        (date(2025, 6, 6), "nationaldagen"),
        (date(2026, 1, 6), "trettondedag jul"),
    ],
)
def test_swedish_days_off_are_not_working_days(day: date, why: str) -> None:
    assert day.weekday() < 5, why
    assert not is_working_day(day), why


def test_weekends_are_off_and_plain_weekdays_work() -> None:
    assert not is_working_day(date(2025, 4, 5))  # Saturday
    assert not is_working_day(date(2025, 4, 6))  # Sunday
    assert is_working_day(date(2025, 4, 7))
    assert is_working_day(date(2025, 6, 19))  # Thursday before midsommarafton
    # Sundays are weekend days, not "holidays" of the package (include_sundays=False)
    assert date(2025, 4, 6) not in days_off(2025)


def test_shift_working_days_skips_easter() -> None:
    assert shift_working_days(date(2025, 4, 22), -3) == date(2025, 4, 15)  # skips 18 and 21 April
    assert shift_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)


def test_deadline_rule_counts_working_days_after_quarter_end() -> None:
    org = make_org()
    # 2025-12-31 + 10 working days: 1 Jan and 6 Jan (trettondedag) are off
    assert deadline(org.reporting, Quarter(2025, 4)) == date(2026, 1, 16)
    assert deadline(org.reporting, Quarter(2025, 3)) == date(2025, 10, 14)


def test_explicit_deadline_overrides_the_rule() -> None:
    org = make_org()
    assert deadline(org.reporting, Quarter(2025, 1)) == date(2025, 4, 22)


def test_reminder_steps_of_a_quarter() -> None:
    org = make_org()
    assert steps(org, "2025-Q1") == {
        "before-10": date(2025, 4, 4),
        "before-3": date(2025, 4, 15),
        "deadline": date(2025, 4, 22),
        "overdue-1": date(2025, 4, 25),
        "overdue-2": date(2025, 4, 30),
        "overdue-3": date(2025, 5, 6),  # 1 May is off
    }


def test_deadline_on_a_day_off_moves_its_reminder_to_the_previous_working_day() -> None:
    org = make_org(
        **{"reporting.deadline.dates": {"2025-Q2": "2025-06-20"}, "reporting.quiet_periods": []}
    )
    assert deadline(org.reporting, Quarter(2025, 2)) == date(2025, 6, 20)  # midsommarafton
    assert steps(org, "2025-Q2")["deadline"] == date(2025, 6, 19)


def test_julafton_deadline_reminder_moves_back() -> None:
    org = make_org(**{"reporting.deadline.dates": {"2025-Q4": "2025-12-24"}})
    assert steps(org, "2025-Q4")["deadline"] == date(2025, 12, 23)


def test_quiet_period_skips_reminders() -> None:
    org = make_org()
    q2 = steps(org, "2025-Q2")  # deadline 14 July, inside the 1 July - 10 August quiet period
    assert q2 == {"before-10": date(2025, 6, 30)}
    without_quiet = make_org(**{"reporting.quiet_periods": []})
    assert len(steps(without_quiet, "2025-Q2")) == 6


def test_send_time_is_local_and_dst_correct() -> None:
    org = make_org()
    by_step = {r.step: r for r in planned_reminders(org.reporting, Quarter(2025, 3), org.tz)}
    # 22 October: summer time (UTC+2); 27 October: winter time (UTC+1) after the 26 October switch
    assert by_step["overdue-2"].send_at.astimezone(UTC) == datetime(2025, 10, 22, 7, 0, tzinfo=UTC)
    assert by_step["overdue-3"].send_at.astimezone(UTC) == datetime(2025, 10, 27, 8, 0, tzinfo=UTC)
    spring = make_org(**{"reporting.deadline.dates": {"2025-Q1": "2025-04-01"}})
    first = planned_reminders(spring.reporting, Quarter(2025, 1), spring.tz)[0]
    assert first.day == date(2025, 3, 18)
    assert first.send_at.astimezone(UTC) == datetime(
        2025, 3, 18, 8, 0, tzinfo=UTC
    )  # before 30 March
    last_march = make_org(**{"reporting.deadline.dates": {"2025-Q1": "2025-04-14"}})
    before_10 = planned_reminders(last_march.reporting, Quarter(2025, 1), last_march.tz)[0]
    assert before_10.day == date(2025, 3, 31)  # the first Monday of summer time
    assert before_10.send_at.astimezone(UTC) == datetime(2025, 3, 31, 7, 0, tzinfo=UTC)


def test_custom_send_time() -> None:
    org = make_org(**{"reporting.send_time": "13:30"})
    first = planned_reminders(org.reporting, Quarter(2025, 1), org.tz)[0]
    assert first.send_at == datetime(2025, 4, 4, 13, 30, tzinfo=STOCKHOLM)


def test_year_plan_covers_every_quarter() -> None:
    plan = year_plan(make_org().reporting, 2025, STOCKHOLM)
    assert [p.quarter.key for p in plan] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert [p.deadline for p in plan] == [
        date(2025, 4, 22),
        date(2025, 7, 14),
        date(2025, 10, 14),
        date(2026, 1, 16),
    ]


def test_quarter_parsing() -> None:
    q = Quarter.parse("2025-Q1")
    assert (q.start, q.end, q.key) == (date(2025, 1, 1), date(2025, 3, 31), "2025-Q1")
    assert Quarter.parse("2024q4").end == date(2024, 12, 31)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter.containing(date(2025, 8, 15)) == Quarter(2025, 3)


@pytest.mark.parametrize("bad", ["2025-Q5", "Q1", "2025-Q0", "", "2025", "kvartal 1", "1999-Q1"])
def test_bad_quarter_names_get_a_clear_message(bad: str) -> None:
    with pytest.raises(PeriodError) as caught:
        Quarter.parse(bad)
    assert f"”{bad}” är inget kvartal" in caught.value.message("sv")
    assert "2025-Q1" in caught.value.message("sv")
    assert "is not a quarter" in caught.value.message("en")


def test_day_off_names_the_reason() -> None:
    assert day_off(date(2025, 6, 20)) == DayOff(date(2025, 6, 20), "Midsommarafton")
    assert not DayOff(date(2025, 6, 20), "Midsommarafton").weekend
    assert not DayOff(date(2025, 6, 20)).weekend  # an unnamed weekday off is not "helg"
    assert day_off(date(2025, 12, 24)) == DayOff(date(2025, 12, 24), "Julafton")
    assert day_off(date(2025, 6, 6)) == DayOff(date(2025, 6, 6), "Nationaldagen")
    saturday = day_off(date(2025, 4, 26))
    assert saturday == DayOff(date(2025, 4, 26)) and saturday.weekend
    assert day_off(date(2025, 6, 19)) is None  # the Thursday before midsommarafton works


def test_deadline_on_midsommarafton_says_why_its_reminder_moved() -> None:
    org = make_org(
        **{"reporting.deadline.dates": {"2025-Q2": "2025-06-20"}, "reporting.quiet_periods": []}
    )
    planned, skipped = quarter_schedule(org.reporting, Quarter(2025, 2), org.tz)
    assert skipped == []
    moved = {r.step: r.moved_from for r in planned if r.moved_from is not None}
    assert moved == {"deadline": DayOff(date(2025, 6, 20), "Midsommarafton")}
    deadline_step = next(r for r in planned if r.step == "deadline")
    assert deadline_step.day == date(2025, 6, 19) and deadline_step.deadline == date(2025, 6, 20)


def test_deadline_on_a_saturday_moves_to_friday_because_of_the_weekend() -> None:
    org = make_org(**{"reporting.deadline.dates": {"2025-Q1": "2025-04-26"}})
    planned, _ = quarter_schedule(org.reporting, Quarter(2025, 1), org.tz)
    step = next(r for r in planned if r.step == "deadline")
    assert step.day == date(2025, 4, 25)
    assert step.moved_from is not None and step.moved_from.weekend


def test_quiet_period_of_the_example_config_says_which_reminders_are_skipped() -> None:
    org = load_org_config(EXAMPLE_CONFIG)
    [summer] = org.reporting.quiet_periods
    assert (summer.from_, summer.to) == (date(2025, 7, 1), date(2025, 8, 10))
    q1, q2, q3, q4 = year_plan(org.reporting, 2025, org.tz)
    assert [r.step for r in q2.reminders] == ["before-10"]
    assert [(s.step, s.day) for s in q2.skipped] == [
        ("before-3", date(2025, 7, 9)),
        ("deadline", date(2025, 7, 14)),
        ("overdue-1", date(2025, 7, 17)),
        ("overdue-2", date(2025, 7, 22)),
        ("overdue-3", date(2025, 7, 25)),
    ]
    assert all(s.quiet == summer and s.moved_from is None for s in q2.skipped)
    # the pure schedule and what is sent agree: skipped steps are never planned
    assert planned_reminders(org.reporting, q2.quarter, org.tz) == q2.reminders
    assert q1.skipped == q3.skipped == q4.skipped == []
