"""Which reminders are due at a given instant (pure: config, instant and who has reported in).

A reminder becomes due at its send time and stays due for the rest of its
working day, so a bot that was down at 09:00 still sends it when it starts at
11:00, but not the next morning, when it would arrive out of context. Whether it
was already sent is the dispatcher's business (the database), not this module's.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import datetime

from reminders.calendar import PlannedReminder, planned_reminders
from reminders.organisation import Administration, OrgConfig
from reminders.periods import Quarter

# Deadlines fall after the quarter ends and overdue reminders follow them by weeks,
# so the reminders of today can belong to this quarter or the two before it.
_QUARTERS_BACK = 2


def periods_in_play(org: OrgConfig, now: datetime) -> list[Quarter]:
    """The quarters whose reminders may fall on ``now``'s date."""
    quarter = Quarter.containing(now.astimezone(org.tz).date())
    quarters = [quarter]
    for _ in range(_QUARTERS_BACK):
        quarter = quarter.previous()
        quarters.append(quarter)
    return quarters


@dataclass(frozen=True)
class DueReminder:
    administration: Administration
    reminder: PlannedReminder


def due_reminders(
    org: OrgConfig, now: datetime, reported: Mapping[str, Set[str]]
) -> list[DueReminder]:
    """Reminders due at ``now`` for administrations that have not reported for that period.

    ``reported`` maps a period key to the ids of administrations that have reported.
    Reminders only go to those who have not: once a report is in, nobody is chased.
    """
    today = now.astimezone(org.tz).date()
    due: list[DueReminder] = []
    for quarter in periods_in_play(org, now):
        for reminder in planned_reminders(org.reporting, quarter, org.tz):
            if reminder.day != today or reminder.send_at > now:
                continue
            done = reported.get(reminder.period, frozenset())
            due.extend(
                DueReminder(adm, reminder) for adm in org.administrations if adm.id not in done
            )
    return due
