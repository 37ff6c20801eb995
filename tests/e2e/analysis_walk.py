"""Answers a case officer gives in the guided analysis, shared by the platform tests.

The server runs with the bundled knowledge base (``JAMBOT_KB_DIR``), so the walk is
the bundled 3R guide exactly as shipped.
"""

from __future__ import annotations

from typing import Any

from knowledge import BUNDLED_CONTENT

# step id -> the fields filled in on that step (empty: left blank, becomes a named gap)
FULL_WALK: dict[str, dict[str, str]] = {
    "arendet": {"beslut": "Nya öppettider för vårdcentralerna i Luleå."},
    "manniskor": {"beror": "ja"},
    "berorda": {"vilka": "patienter, främst äldre kvinnor och män", "andra_grupper": ""},
    "statistik": {
        "statistik_finns": "besök per kön och ålder 2024",
        "statistik_saknas": "resvanor till vårdcentralen",
    },
    "tre-r": {
        "representation": "fler kvinnor än män besöker vårdcentralen",
        "resurser": "",
        "normer": "",
    },
    "konsekvenser": {
        "konsekvenser": "kortare öppettider drabbar främst kvinnor som arbetar dagtid"
    },
    "alternativ": {"alternativ": "kvällsöppet två dagar i veckan"},
    "uppfoljning": {"uppfoljning": ""},
}
SHORT_WALK: dict[str, dict[str, str]] = {
    "arendet": {"beslut": "Byte av serverplattform för ekonomisystemet"},
    "manniskor": {"beror": "nej"},
    "ingen-betydelse": {
        "motivering": "det är en teknisk ändring som ingen invånare eller anställd märker av"
    },
}
EXPECTED_SENTENCES = (
    "Ärendet gäller Nya öppettider för vårdcentralerna i Luleå.",
    "Beslutet berör patienter, främst äldre kvinnor och män.",
    "Könsuppdelad statistik saknas för resvanor till vårdcentralen; ta fram den innan beslut.",
    "Det är inte undersökt hur resurserna fördelas mellan kvinnor och män.",
)
SHORT_CONCLUSION = (
    "Ärendet bedöms inte ha betydelse för jämställdheten, eftersom det är en teknisk ändring "
    "som ingen invånare eller anställd märker av."
)


def bundled_kb_options(**extra: Any) -> dict[str, Any]:
    """``jambot_server_options`` for a server with the bundled knowledge base and guides."""
    return {"env": {"JAMBOT_KB_DIR": str(BUNDLED_CONTENT), **extra}}


def step_of(value: str) -> str:
    """The step id in an ``analysis_step`` form's value (``"<draft id>|<step id>"``)."""
    return value.split("|", 1)[1]
