"""The organisation the reporting tests use, and variations of it."""

from __future__ import annotations

from typing import Any

import yaml

from reminders.organisation import OrgConfig, parse_org_config

ORG: dict[str, Any] = {
    "organisation": {"id": "region-test", "name": "Region Test", "timezone": "Europe/Stockholm"},
    "strategists": [{"name": "Anna Andersson", "slack": "U0STRAT1"}],
    "escalation": {"slack_channel": "C0ESCAL"},
    "administrations": [
        {
            "id": "hsf",
            "name": "Hälso- och sjukvårdsförvaltningen",
            "development_area": "Jämställd vård på akutmottagningen",
            "contacts": [
                {"name": "Bo Berg", "slack": "U0HSF1"},
                {"name": "Britt Bok", "slack": "U0HSF2"},
            ],
        },
        {
            "id": "rsf",
            "name": "Regionstyrelseförvaltningen",
            "development_area": "Jämställdhetsintegrerad budgetprocess",
            "slack_channel": "C0RSF",
            "contacts": [{"name": "Cecilia Carlsson", "slack": "U0RSF1"}],
        },
        {
            "id": "kultur",
            "name": "Kulturförvaltningen",
            "development_area": "Jämställd fördelning av kulturstöd",
            "contacts": [
                {"name": "David Dahl", "slack": "U0KUL1"},
                {"name": "Eva Ek", "email": "eva.ek@example.se"},
            ],
        },
    ],
    "reporting": {
        "deadline": {"working_days_after_quarter_end": 10, "dates": {"2025-Q1": "2025-04-22"}},
        "reminders": {
            "working_days_before_deadline": [10, 3],
            "on_deadline": True,
            "overdue_every_working_days": 3,
            "overdue_max": 3,
        },
        "send_time": "09:00",
        "quiet_periods": [{"from": "2025-07-01", "to": "2025-08-10"}],
    },
}


def make_org(**changes: Any) -> OrgConfig:
    data = yaml.safe_load(yaml.safe_dump(ORG))  # a deep copy
    for dotted, value in changes.items():
        target = data
        *path, last = dotted.split(".")
        for part in path:
            target = target[part]
        target[last] = value
    return parse_org_config(data)
