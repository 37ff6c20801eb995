"""Answers from the organisation's own data: deadlines, strategists, development areas, reports.

"När är deadline för Q2 2025?" has one right answer, in the reporting calendar, and
"har vi rapporterat?" one in the database; a knowledge-base entry telling people to ask
their strategist is the wrong answer to both. This dialog recognises these few questions
(Swedish and English) and answers them from the config and the database, before the
question reaches the knowledge base. Role rules: a contact sees their own
administrations, a strategist sees all; deadlines and who the strategists are, anyone.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import date, datetime

from bot.db import Database
from bot.demo import reporting_quarter
from bot.texts import t
from chat.replies import Lang, Message, Reply
from knowledge import detect_language
from reminders.calendar import deadline
from reminders.organisation import Administration, OrgConfig
from reminders.periods import Quarter
from reminders.updates import latest_updates, status_label

_I = re.IGNORECASE
DEADLINE = re.compile(
    r"\b(deadline|sista (dag|datum)|due date)\b|\bnär ska\b.*\b(rapport\w*|in)\b|\bwhen\b.*\bdue\b",
    _I,
)
STRATEGIST = re.compile(
    r"\bvem är (min|vår|mina|våra)\b.*\bstrateg|\bvilka är (strategerna|våra strateger)"
    r"|\bwho (is|are) (my|our)\b.*\bstrategist",
    _I,
)
AREA = re.compile(
    r"\b(vilket|vilka|vårt|våra)\b.*\butvecklingsområde|\butvecklingsområde\w*\b.*\bhar (vi|ni|jag)\b"
    r"|\b(our|which) development area",
    _I,
)
REPORTED = re.compile(
    r"\bhar (vi|jag|ni)\b.*\b(rapporterat|lämnat)|\bhave (we|i)\b.*\b(reported|submitted)", _I
)
# "2025-Q2", "2025 Q2", "Q2 2025", "Q2-2025", "kvartal 2 2025".
QUARTER = re.compile(
    r"\b(?:(?P<y1>20\d\d)[-\s]?q(?P<q1>[1-4])|q(?P<q2>[1-4])[-\s]?(?P<y2>20\d\d)"
    r"|(?:kvartal|quarter)\s+(?P<q3>[1-4])\s+(?P<y3>20\d\d))\b",
    _I,
)

WEEKDAYS = {
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def long_date(day: date, lang: Lang) -> str:
    """ "måndag 14 juli 2025" / "Monday 14 July 2025": no locale needed on the server."""
    return f"{WEEKDAYS[lang][day.weekday()]} {day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def mentioned_quarter(text: str) -> Quarter | None:
    match = QUARTER.search(text)
    if match is None:
        return None
    year = match.group("y1") or match.group("y2") or match.group("y3")
    number = match.group("q1") or match.group("q2") or match.group("q3")
    return Quarter(int(year), int(number))


class OrgFactsDialog:
    def __init__(self, org: OrgConfig, db: Database, clock: Callable[[], datetime]) -> None:
        self.org = org
        self.db = db
        self.clock = clock

    async def answer(self, msg: Message, text: str) -> list[Reply] | None:
        """The reply to one of the organisation questions; None for anything else."""
        lang = detect_language(text)
        now = self.clock()
        quarter = mentioned_quarter(text) or reporting_quarter(self.org, now)
        if STRATEGIST.search(text):
            return [self._strategists(lang)]
        if AREA.search(text):
            return [self._areas(msg, lang)]
        if REPORTED.search(text):
            return [await self._reported(msg, quarter, lang)]
        if DEADLINE.search(text):
            return [self._deadline(quarter, now, lang)]
        return None

    def _deadline(self, quarter: Quarter, now: datetime, lang: Lang) -> Reply:
        day = deadline(self.org.reporting, quarter)
        text = t("facts_deadline", lang, period=quarter.key, date=long_date(day, lang))
        if day < now.astimezone(self.org.tz).date():
            text += t("facts_deadline_passed", lang)
        return Reply(kind="info", title=t("facts_deadline_title", lang), text=text, lang=lang)

    def _strategists(self, lang: Lang) -> Reply:
        names = ", ".join(
            p.name + (f" ({p.email})" if p.email else "") for p in self.org.strategists
        )
        text = t("facts_strategists", lang, organisation=self.org.organisation.name, names=names)
        return Reply(kind="info", title=t("facts_strategist_title", lang), text=text, lang=lang)

    def _visible(self, msg: Message) -> list[Administration]:
        """A strategist sees every administration; a contact their own; anyone else none."""
        if self.org.is_strategist(msg.platform, msg.user_id):
            mine = self.org.administrations_of(msg.platform, msg.user_id)
            return mine + [a for a in self.org.administrations if a not in mine]
        return self.org.administrations_of(msg.platform, msg.user_id)

    def _areas(self, msg: Message, lang: Lang) -> Reply:
        visible = self._visible(msg)
        if not visible:
            return Reply(kind="info", text=t("facts_not_contact", lang), lang=lang)
        lines = [
            t("facts_area", lang, administration=a.name, area=a.development_area) for a in visible
        ]
        return Reply(
            kind="info", title=t("facts_area_title", lang), text="\n".join(lines), lang=lang
        )

    async def _reported(self, msg: Message, quarter: Quarter, lang: Lang) -> Reply:
        visible = self._visible(msg)
        if not visible:
            return Reply(kind="info", text=t("facts_not_contact", lang), lang=lang)
        latest = await asyncio.to_thread(
            latest_updates, self.db, self.org.organisation.id, quarter.key
        )
        due = deadline(self.org.reporting, quarter).isoformat()
        lines = []
        for adm in visible:
            found = latest.get(adm.id)
            if found is None:
                lines.append(t("facts_reported_no", lang, administration=adm.name, deadline=due))
            else:
                update = found.update
                when = update.created_at.astimezone(self.org.tz).date().isoformat()
                lines.append(
                    t(
                        "facts_reported_yes",
                        lang,
                        administration=adm.name,
                        status=status_label(update.status, lang).lower(),
                        when=when,
                    )
                )
        title = t("facts_reported_title", lang, period=quarter.key)
        return Reply(kind="info", title=title, text="\n".join(lines), lang=lang)
