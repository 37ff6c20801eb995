"""The reporting calendar: Swedish working days, deadlines and planned reminders (pure).

Everything here is a function of the organisation's ``reporting`` config and a
year, so ``jambot calendar 2025`` can show a strategist exactly what will happen
before anything is sent, and tests need no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from reminders.organisation import QuietPeriod, Reporting
from reminders.periods import Quarter, quarters_of


@lru_cache(maxsize=64)
def named_days_off(year: int) -> dict[date, str]:
    """Public holidays plus the de-facto days off the ``holidays`` package does not list as
    public, each with its Swedish name ("Nationaldagen", "Midsommarafton").

    Swedish workplaces close on midsommarafton, julafton and nyårsafton although
    they are not public holidays (the package lists them as de-facto days off).
    ``include_sundays=False``: the package otherwise lists every Sunday for SE.
    """
    public = holidays.country_holidays("SE", years=year, include_sundays=False, language="sv")
    eves = holidays.country_holidays(
        "SE", years=year, include_sundays=False, language="sv", categories=("de_facto",)
    )
    named = dict(public)
    midsummer_day = next(
        d for d, name in public.items() if "Midsummer" in name or "Midsommar" in name
    )
    for eve in (midsummer_day - timedelta(days=1), date(year, 12, 24), date(year, 12, 31)):
        named[eve] = eves.get(eve, "")  # midsommarafton, julafton, nyårsafton
    return named


@lru_cache(maxsize=64)
def days_off(year: int) -> frozenset[date]:
    """Every day off of the year that is not simply a weekend (see ``named_days_off``)."""
    return frozenset(named_days_off(year))


@dataclass(frozen=True)
class DayOff:
    """Why a day is not a working day: a holiday (by name) or the weekend."""

    day: date
    holiday: str = ""  # the Swedish name; "" for a plain Saturday or Sunday (or an unnamed day)

    @property
    def weekend(self) -> bool:
        """A Saturday or Sunday that is no named holiday."""
        return not self.holiday and self.day.weekday() >= 5


def day_off(day: date) -> DayOff | None:
    """Why ``day`` is not a working day, or None when it is one."""
    if day in days_off(day.year):
        return DayOff(day, named_days_off(day.year)[day])
    return DayOff(day) if day.weekday() >= 5 else None


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
    # The day the rule gave when it was a day off (the reminder moved to the working day
    # before it); None when it is sent on the rule's own day.
    moved_from: DayOff | None = None

    @property
    def is_overdue(self) -> bool:
        return self.step.startswith("overdue-")


@dataclass(frozen=True)
class SkippedReminder:
    """A reminder the rule gives but that is not sent, because its day is in a quiet period."""

    period: str
    step: str
    day: date  # the working day it would have been sent
    quiet: QuietPeriod
    moved_from: DayOff | None = None  # as for PlannedReminder: the rule's day was a day off


def _quiet_period(reporting: Reporting, day: date) -> QuietPeriod | None:
    return next((q for q in reporting.quiet_periods if q.from_ <= day <= q.to), None)


def quarter_schedule(
    reporting: Reporting, quarter: Quarter, tz: ZoneInfo
) -> tuple[list[PlannedReminder], list[SkippedReminder]]:
    """Every reminder step of one quarter: those sent and those skipped, each with its reason.

    A reminder that would fall on a day off moves to the previous working day (only the
    deadline step can, when an explicit deadline date is a day off) and says which day
    off it moved from; one that falls in a quiet period is skipped, not moved, and says
    which period. Both lists in date order.
    """
    due = deadline(reporting, quarter)
    rule = reporting.reminders
    steps: list[tuple[str, date]] = [
        (f"before-{n}", shift_working_days(due, -n))
        for n in sorted(set(rule.working_days_before_deadline), reverse=True)
    ]
    if rule.on_deadline:
        steps.append(("deadline", due))
    for k in range(1, rule.overdue_max + 1):
        steps.append((f"overdue-{k}", shift_working_days(due, k * rule.overdue_every_working_days)))
    planned: list[PlannedReminder] = []
    skipped: list[SkippedReminder] = []
    for step, rule_day in steps:
        moved_from = day_off(rule_day)
        day = working_day_on_or_before(rule_day)
        quiet = _quiet_period(reporting, day)
        if quiet is not None:
            skipped.append(SkippedReminder(quarter.key, step, day, quiet, moved_from))
            continue
        send_at = datetime.combine(day, reporting.send_time, tzinfo=tz)
        planned.append(PlannedReminder(quarter.key, step, day, send_at, due, moved_from))
    return sorted(planned, key=lambda p: p.send_at), sorted(skipped, key=lambda s: s.day)


def planned_reminders(
    reporting: Reporting, quarter: Quarter, tz: ZoneInfo
) -> list[PlannedReminder]:
    """Every reminder of one quarter that is sent, in date order (see ``quarter_schedule``)."""
    return quarter_schedule(reporting, quarter, tz)[0]


@dataclass(frozen=True)
class QuarterPlan:
    quarter: Quarter
    deadline: date
    reminders: list[PlannedReminder]
    skipped: list[SkippedReminder] = field(default_factory=list)


def year_plan(reporting: Reporting, year: int, tz: ZoneInfo) -> list[QuarterPlan]:
    return [
        QuarterPlan(q, deadline(reporting, q), *quarter_schedule(reporting, q, tz))
        for q in quarters_of(year)
    ]
