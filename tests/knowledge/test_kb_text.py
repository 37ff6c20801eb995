"""Normalisation: folding, language detection, stemming, compounds and synonyms."""

from __future__ import annotations

import pytest

from knowledge import detect_language
from knowledge.synonyms import Synonyms, group_term
from knowledge.text import CompoundSplitter, fold, stem, words


def test_fold_strips_diacritics_and_case() -> None:
    assert fold("Jämställdhet på Öland") == "jamstalldhet pa oland"
    assert words("CEMR-deklarationen, 3R!") == ["cemr", "deklarationen", "3r"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What is the CEMR charter?", "en"),
        ("How do we do a gender analysis?", "en"),
        ("Vad är CEMR?", "sv"),
        ("hur gor man en jamstalldhetsanalys", "sv"),
        ("budget", "sv"),
        ("CEMR", "sv"),
        ("", "sv"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_inflections_share_a_stem() -> None:
    assert stem("budgetprocessen") == stem("budgetprocess")
    assert stem("handlingsplanen") == stem("handlingsplaner") == stem("handlingsplan")
    assert stem("jamstalldhet") == stem(fold("jämställdheten"))
    assert stem("statistics", "en") == stem("statistic", "en")


def test_compounds_split_into_known_parts() -> None:
    splitter = CompoundSplitter(["jamstalldhetsintegrering", "arbete", "budget", "process", "plan"])
    assert splitter.split("jamstalldhetsintegreringsarbetet") == (
        "jamstalldhetsintegrering",
        "arbetet",
    )
    assert splitter.split("budgetprocessen") == ("budget", "processen")
    assert splitter.split("xylofonbygge") is None
    assert splitter.split("budget") is None  # a known word on its own is not a compound


def test_indexing_split_allows_a_new_tail() -> None:
    splitter = CompoundSplitter(["budget", "jamstalldhetsintegrering", "arbete"])
    assert splitter.split("budgetuppfoljningen") is None  # questions: every part must be known
    assert splitter.split_in_two("budgetuppfoljningen") == ("budget", "uppfoljningen")
    assert splitter.split_in_two("jamstalldhetsintegreringsarbetet") == (
        "jamstalldhetsintegrering",
        "arbetet",
    )
    assert splitter.split_in_two("budgeten") is None  # an inflection is not a compound


def test_synonym_phrases_match_in_either_language() -> None:
    synonyms = Synonyms([["jämställdhetsintegrering", "JI", "gender mainstreaming"]])
    term = group_term(0)
    assert synonyms.terms_for_stem(stem("ji")) == {term}
    assert synonyms.terms_for_stem(stem("jamstalldhetsintegrering")) == {term}
    positions = [{stem("what", "en")}, {stem("gender", "en")}, {stem("mainstreaming", "en")}]
    assert synonyms.phrase_matches(positions) == [(1, 3, term)]
    assert not Synonyms()
