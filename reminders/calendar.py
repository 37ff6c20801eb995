"""The reporting calendar: Swedish working days, deadlines and planned reminders (pure).

Everything here is a function of the organisation's ``reporting`` config and a
year, so ``jambot calendar 2025`` can show a strategist exactly what will happen
before anything is sent, and tests need no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.config import Reporting
from reminders.periods import Quarter, quarters_of


@lru_cache(maxsize=64)
def days_off(year: int) -> frozenset[date]:
    """Public holidays plus the de-facto days off the ``holidays`` package does not list.

    Swedish workplaces close on midsommarafton, julafton and nyårsafton although
    they are not public holidays (the package lists Midsummer Day, not the eve).
    ``include_sundays=False``: the package otherwise lists every Sunday for SE.
    """
    public = holidays.country_holidays("SE", years=year, include_sundays=False)
    off = set(public)
    midsummer_day = next(
        d for d, name in public.items() if "Midsummer" in name or "Midsommar" in name
    )
    off.add(midsummer_day - timedelta(days=1))  # midsommarafton
    off.add(date(year, 12, 24))  # julafton
    off.add(date(year, 12, 31))  # nyårsafton
    return frozenset(off)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def shift_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (before it when negative); ``day`` itself never counts."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def deadline(reporting: Reporting, quarter: Quarter) -> date:
    """An explicit date from the config, else the N-th working day after the quarter's end."""
    explicit = reporting.deadline.dates.get(quarter.key)
    if explicit is not None:
        return explicit
    return shift_working_days(quarter.end, reporting.deadline.working_days_after_quarter_end)


@dataclass(frozen=True)
class PlannedReminder:
    period: str
    step: str  # "before-10", "before-3", "deadline", "overdue-1" ...
    day: date  # a working day in the organisation's time zone
    send_at: datetime  # aware, in the organisation's time zone
    deadline: date

    @property
    def is_overdue(self) -> bool:
        return self.step.startswith("overdue-")


def _in_quiet_period(reporting: Reporting, day: date) -> bool:
    return any(q.from_ <= day <= q.to for q in reporting.quiet_periods)


def planned_reminders(
    reporting: Reporting, quarter: Quarter, tz: ZoneInfo
) -> list[PlannedReminder]:
    """Every reminder of one quarter, in date order, quiet periods left out.

    A reminder that would fall on a day off moves to the previous working day
    (only the deadline step can, when an explicit deadline date is a day off).
    """
    due = deadline(reporting, quarter)
    rule = reporting.reminders
    steps: list[tuple[str, date]] = [
        (f"before-{n}", shift_working_days(due, -n))
        for n in sorted(set(rule.working_days_before_deadline), reverse=True)
    ]
    if rule.on_deadline:
        steps.append(("deadline", working_day_on_or_before(due)))
    for k in range(1, rule.overdue_max + 1):
        steps.append((f"overdue-{k}", shift_working_days(due, k * rule.overdue_every_working_days)))
    planned = []
    for step, day in steps:
        day = working_day_on_or_before(day)
        if _in_quiet_period(reporting, day):
            continue
        send_at = datetime.combine(day, reporting.send_time, tzinfo=tz)
        planned.append(PlannedReminder(quarter.key, step, day, send_at, due))
    return sorted(planned, key=lambda p: p.send_at)


@dataclass(frozen=True)
class QuarterPlan:
    quarter: Quarter
    deadline: date
    reminders: list[PlannedReminder]


def year_plan(reporting: Reporting, year: int, tz: ZoneInfo) -> list[QuarterPlan]:
    return [
        QuarterPlan(q, deadline(reporting, q), planned_reminders(reporting, q, tz))
        for q in quarters_of(year)
    ]
