"""A quarter as a strategist meets it: 12 administrations, 9 reported, 3 missing, one late,
two with two revisions (status and person changed), texts from one line to 1 450 characters
with lists, quotes and commas, and a previous quarter to compare with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reminders.organisation import OrgConfig, parse_org_config
from reminders.ports import Database
from reminders.updates import StatusInput, Submitter, record_update

NAMES = [
    ("hsf", "Hälso- och sjukvårdsförvaltningen", "Jämställd vård på akutmottagningen"),
    ("rsf", "Regionstyrelseförvaltningen", "Jämställdhetsintegrerad budgetprocess"),
    ("kultur", "Kulturförvaltningen", "Jämställd fördelning av kulturstöd"),
    ("koll", "Kollektivtrafikförvaltningen", "Trygga resor för kvinnor och män"),
    ("tand", "Tandvårdsförvaltningen", "Jämställd tandvård för unga vuxna"),
    ("reg", "Regional utveckling", "Jämställd fördelning av företagsstöd"),
    ("serv", "Serviceförvaltningen", "Könsuppdelad statistik i upphandling"),
    ("hr", "HR-förvaltningen", "Jämställda löner och arbetsvillkor"),
    ("it", "IT-förvaltningen", "Jämställd digital service"),
    ("fast", "Fastighetsförvaltningen", "Trygga och tillgängliga lokaler"),
    ("folk", "Folkhögskolorna", "Jämställd rekrytering av deltagare"),
    ("lab", "Laboratoriemedicin", "Könsuppdelad analys av provsvar"),
]
LONG = (
    "Under kvartalet har vi kartlagt väntetider för kvinnor och män på akutmottagningen, "
    "uppdelat på ålder och triagenivå. Resultatet visar att kvinnor med bröstsmärta väntar "
    "i snitt 14 minuter längre än män med samma triagenivå. Vi har därför:\n"
    '- gått igenom triageringen med sjuksköterskorna, "vad ser vi egentligen?"\n'
    "- tagit fram könsuppdelad statistik per månad, med stöd av analysenheten\n"
    "- presenterat resultatet för ledningsgruppen den 12 mars\n\n"
    "Ledningsgruppen har beslutat att ta med analysen i verksamhetsplanen för 2026. "
    + "Vi fortsätter arbetet med att förstå orsakerna, bland annat genom journalgranskning, "
    "intervjuer med personal och en fördjupad genomgång av hur symtom beskrivs. " * 6
).strip()


def board_org(**reporting: Any) -> OrgConfig:
    return parse_org_config(
        {
            "organisation": {"id": "region-test", "name": "Region Test"},
            "strategists": [{"name": "Anna Andersson", "slack": "U0STRAT1"}],
            "administrations": [
                {
                    "id": i,
                    "name": n,
                    "development_area": a,
                    "contacts": [{"name": f"Kontakt {i}", "slack": f"U0{i.upper()}1"}],
                }
                for i, n, a in NAMES
            ],
            "reporting": {
                "deadline": {"dates": {"2025-Q1": "2025-04-22"}},
                "case_number": "RS 2025/123",
                **reporting,
            },
        }
    )


def _at(day: int, month: int = 4, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=UTC)


def seed_board_quarter(db: Database) -> OrgConfig:
    """2025-Q1 as described above, and 2024-Q4 with eleven reports (all but Laboratoriemedicin)."""
    org = board_org()
    org_id = org.organisation.id

    def rec(
        adm: str, period: str, when: datetime, who: str, status: str | None, **text: str
    ) -> None:
        record_update(
            db,
            org_id,
            adm,
            period,
            StatusInput(status, **text),
            Submitter(f"U0{adm.upper()}1", who, "slack"),
            now=when,
        )

    for index, (adm, _, _) in enumerate(NAMES[:11]):
        status = ("on_track", "some_deviation", "on_track", "major_deviation")[index % 4]
        rec(adm, "2024-Q4", datetime(2025, 1, 10, tzinfo=UTC), "Förra kontakten", status)

    rec("hsf", "2025-Q1", _at(8), "Bo Berg", "not_started", done="Utkast.")
    rec(
        "hsf",
        "2025-Q1",
        _at(15),
        "Britt Bok",
        "some_deviation",
        done=LONG,
        next_steps="Journalgranskning i april, åtgärdsförslag i juni.",
        support_needed="Hjälp med könsuppdelad statistik från vårdsystemet.",
    )
    rec(
        "rsf",
        "2025-Q1",
        _at(10),
        "Cecilia Carlsson",
        "on_track",
        done="Budgetanvisningarna kräver nu könsuppdelade underlag.",
        next_steps="Utvärdera.",
    )
    rec(
        "koll",
        "2025-Q1",
        _at(24),
        "Kalle Kula",
        "major_deviation",
        done='Trygghetsenkäten blev försenad, "vi saknade resurser", men är nu ute.',
        support_needed="Stöd i att analysera enkätsvaren.",
    )
    rec("tand", "2025-Q1", _at(11), "Tina Tand", "on_track", done="Klart.")
    rec(
        "reg",
        "2025-Q1",
        _at(12),
        "Rune Reg",
        "some_deviation",
        done="- Kartläggning av stöd 2024\n- Intervjuer med handläggare",
        support_needed="Utbildning för handläggare.",
    )
    rec("serv", "2025-Q1", _at(14), "Siv Serv", "on_track", done="Kravställning påbörjad.")
    rec("hr", "2025-Q1", _at(16), "Hanna Hr", "on_track", done="Lönekartläggningen klar.")
    rec(
        "hr",
        "2025-Q1",
        _at(18),
        "Hugo Hr",
        "on_track",
        done="Lönekartläggningen klar, analys pågår.",
        support_needed="Jurist till analysen.",
    )
    rec(
        "it",
        "2025-Q1",
        _at(17),
        "Ivar It",
        "not_started",
        done="Inte påbörjat, resursbrist.",
        support_needed="Prioritering från ledningen.",
    )
    rec(
        "folk",
        "2025-Q1",
        _at(9),
        "Frida Folk",
        None,
        done="Svar i tråden: rekryteringsdata beställd.",
    )
    return org
