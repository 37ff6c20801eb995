"""The local demo organisation: try everything the help card offers without Slack or Teams.

On only on the embedded default (no organisation config named, no platform credentials)
or with ``JAMBOT_DEMO=1``; a real config or ``JAMBOT_DEMO=0`` switches it off. In the demo,
the people at this machine (web chat and terminal) are at once a strategist and the
contact of one administration; a few other administrations have already reported for
the quarter being reported now, and escalations land in a strategists' channel that the
web chat shows as its strategist view.

Rights are granted by the ``DemoOrgConfig`` type itself, never by a YAML file: a real
organisation config cannot name web-chat users, so anonymous visitors of a real
deployment are never strategists or contacts.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.db import Database
from bot.db.base import utcnow
from bot.texts import t
from chat.replies import Platform
from reminders.calendar import deadline
from reminders.organisation import (
    Administration,
    DeadlineRule,
    Escalation,
    Organisation,
    OrgConfig,
    Person,
    Reporting,
)
from reminders.periods import Quarter
from reminders.updates import StatusInput, Submitter, latest_update, record_update

log = logging.getLogger(__name__)

DEMO_ORG_ID = "demo"
# Where the people at this machine talk to the bot; only these get the demo person's rights.
LOCAL_PLATFORMS: frozenset[str] = frozenset({"web", "terminal"})
DEMO_CHANNEL = "strateger"
YOUR_ADMINISTRATION = "hsf"

YOU = Person(name="Du (demo)", email="du@demo.invalid")


class DemoEscalation(Escalation):
    """The demo's strategists' channel lives in the web chat (a field no YAML can set)."""

    web_channel: str = DEMO_CHANNEL


class DemoOrgConfig(OrgConfig):
    """A made-up region in which whoever sits at this machine is strategist and contact."""

    def is_strategist(self, platform: str, user_id: str) -> bool:
        return platform in LOCAL_PLATFORMS or super().is_strategist(platform, user_id)

    def administrations_of(self, platform: str, user_id: str) -> list[Administration]:
        if platform in LOCAL_PLATFORMS:
            return [a for a in self.administrations if a.id == YOUR_ADMINISTRATION]
        return super().administrations_of(platform, user_id)

    def person(self, platform: str, user_id: str) -> Person | None:
        return YOU if platform in LOCAL_PLATFORMS else super().person(platform, user_id)


def _contact(name: str) -> Person:
    return Person(name=name, email=f"{name.split()[0].lower()}@demo.invalid")


# However late in the quarter the demo starts, the quarter being reported is still open.
DEMO_DAYS_LEFT = 14


def demo_reporting(today: date) -> Reporting:
    """The default calendar (10th working day after the quarter), except that the quarter
    being reported gets a deadline at least two weeks ahead, so the demo is never all late."""
    quarter = Quarter.containing(today).previous()
    rule = deadline(Reporting(), quarter)
    later = today + timedelta(days=DEMO_DAYS_LEFT)
    return Reporting(deadline=DeadlineRule(dates={quarter.key: later} if rule < later else {}))


def demo_org(today: date | None = None) -> DemoOrgConfig:
    """The demo organisation, its calendar as of ``today`` (the date in Stockholm by default)."""
    from zoneinfo import ZoneInfo

    day = today or utcnow().astimezone(ZoneInfo("Europe/Stockholm")).date()
    return DemoOrgConfig(
        reporting=demo_reporting(day),
        organisation=Organisation(id=DEMO_ORG_ID, name="Region Demo", timezone="Europe/Stockholm"),
        strategists=[YOU, _contact("Sara Strateg")],
        escalation=DemoEscalation(),
        administrations=[
            Administration(
                id=YOUR_ADMINISTRATION,
                name="Hälso- och sjukvårdsförvaltningen",
                development_area="Jämställd vård på akutmottagningen",
                contacts=[YOU],
            ),
            Administration(
                id="rsf",
                name="Regionstyrelseförvaltningen",
                development_area="Jämställdhetsintegrerad budgetprocess",
                contacts=[_contact("Cecilia Carlsson")],
            ),
            Administration(
                id="kultur",
                name="Kulturförvaltningen",
                development_area="Jämställd fördelning av kulturstöd",
                contacts=[_contact("David Dahl")],
            ),
            Administration(
                id="kollektivtrafik",
                name="Kollektivtrafikförvaltningen",
                development_area="Kvinnors och mäns resmönster i planeringen",
                contacts=[_contact("Fredrik Falk")],
            ),
            Administration(
                id="utbildning",
                name="Utbildningsförvaltningen",
                development_area="Jämställd studie- och yrkesvägledning",
                contacts=[_contact("Gun Gustafsson")],
            ),
        ],
    )


def is_demo(org: OrgConfig | None) -> bool:
    return isinstance(org, DemoOrgConfig)


def reporting_quarter(org: OrgConfig, now: datetime) -> Quarter:
    """The quarter being reported now: the one that ended last (what ``rapportera`` opens)."""
    return Quarter.containing(now.astimezone(org.tz).date()).previous()


# Administrations that have already reported when the demo starts: (id, status, done, next).
SEEDED_REPORTS = (
    (
        "rsf",
        "on_track",
        "Budgetanvisningarna kräver nu könsuppdelad statistik.",
        "Utvärdera anvisningarna med två nämnder.",
    ),
    (
        "kultur",
        "some_deviation",
        "Kartlagt fördelningen av kulturstöd 2024 per kön.",
        "Ta fram förslag på nya bedömningskriterier.",
    ),
)


def seed_demo(db: Database, org: OrgConfig | None, now: datetime) -> int:
    """Give the demo its reported administrations (once per quarter); how many were added."""
    if not is_demo(org):
        return 0
    assert org is not None
    quarter = reporting_quarter(org, now)
    added = 0
    for offset, (adm_id, status, done, next_steps) in enumerate(SEEDED_REPORTS):
        if latest_update(db, org.organisation.id, adm_id, quarter.key) is not None:
            continue
        adm = org.administration(adm_id)
        assert adm is not None
        record_update(
            db,
            org.organisation.id,
            adm_id,
            quarter.key,
            StatusInput(status=status, done=done, next_steps=next_steps),
            Submitter(f"demo-{adm_id}", adm.contacts[0].name, "web"),
            now=now - timedelta(days=len(SEEDED_REPORTS) - offset),
        )
        added += 1
    if added:
        log.info("demo: %d administration(s) have reported for %s", added, quarter.key)
    return added


def demo_banner(org: OrgConfig | None, lang: str = "sv") -> str | None:
    """The line the web chat shows under its header in the demo; None otherwise."""
    if not is_demo(org):
        return None
    assert org is not None
    adm = org.administration(YOUR_ADMINISTRATION)
    return t("demo_banner", lang, administration=adm.name if adm else "")


def demo_help(org: OrgConfig, platform: Platform, now: datetime, lang: str) -> str:
    """The demo's part of the help card: every command, with the quarter that has data."""
    adm = org.administration(YOUR_ADMINISTRATION)
    text = t(
        "demo_help",
        lang,
        administration=adm.name if adm else "",
        period=reporting_quarter(org, now).key,
    )
    if platform != "web":  # the strategist view is the web chat's; elsewhere drop its line
        text = "\n".join(text.split("\n")[:-1])
    return text
