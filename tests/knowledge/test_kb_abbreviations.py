"""Abbreviations a knowledge base defines in its own text become synonyms automatically."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.abbreviations import abbreviation_groups, find_abbreviations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sveriges Kommuner och Regioner (SKR) stöder",
            [("SKR", "Sveriges Kommuner och Regioner")],
        ),
        (
            "SKR (Sveriges Kommuner och Regioner) stöder",
            [("SKR", "Sveriges Kommuner och Regioner")],
        ),
        ("arbetet med jämställdhetsintegrering (JI) pågår", [("JI", "jämställdhetsintegrering")]),
        (
            "i programmet Jämställdhetsintegrering i myndigheter (JiM) deltar",
            [("JiM", "Jämställdhetsintegrering i myndigheter")],
        ),
    ],
)
def test_definitions_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert find_abbreviations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "enligt planen (se nedan)",  # not an abbreviation
        "beslutet togs (2019) i nämnden",  # a year
        "skrivs i Markdown (md)",  # no capitals
        "Vi träffas på kontoret (KTH) varje vecka",  # letters do not spell the phrase
        "det gäller ni vi hur (NVH) i år",  # function words define nothing
    ],
)
def test_non_definitions_are_ignored(text: str) -> None:
    assert find_abbreviations(text) == []


def test_groups_merge_every_long_form_of_one_abbreviation() -> None:
    groups = abbreviation_groups(
        ["Regionstyrelsen (RS) beslutar.", "Ingen parentes här.", "regionstyrelsen (RS) och"]
    )
    assert groups == [["RS", "Regionstyrelsen"]]


def _write(directory: Path, entry_id: str, title: str, body: str) -> None:
    (directory / f"{entry_id}.md").write_text(
        f"---\nid: {entry_id}\ntitle: {title}\nquestions:\n  - {title}\n"
        "sources:\n  - title: Källa\n    url: https://example.org/\n---\n"
        f"{body}\n",
        encoding="utf-8",
    )


def test_a_question_by_abbreviation_finds_an_entry_using_only_the_long_form(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        "namnder",
        "Vilka nämnder finns i regionen?",
        "Regionen har flera nämnder, till exempel regionala utvecklingsnämnden (RUN) "
        "och hälso- och sjukvårdsnämnden.",
    )
    _write(
        tmp_path,
        "run-sammantraden",
        "När sammanträder regionala utvecklingsnämnden?",
        "Regionala utvecklingsnämnden sammanträder en gång i månaden utom i juli.",
    )
    _write(tmp_path, "budget", "Hur fungerar budgetprocessen?", "Budgeten beslutas i juni.")
    kb = KnowledgeBase.load(tmp_path)  # no synonyms.yaml: the pair comes from the text
    # The entry never says "RUN": only the synonym can bring it up.
    assert "run-sammantraden" in [entry.id for entry, _ in kb.search("RUN", limit=3)]
    assert kb.search("när sammanträder RUN?", limit=1)[0][0].id == "run-sammantraden"
    assert kb.search("budget RUN", limit=1)[0][0].id == "budget"
