"""Multi-word synonym phrases: found wherever they occur, however many share a first word."""

from __future__ import annotations

from knowledge.synonyms import Synonyms, group_term
from knowledge.text import is_content_word, stem, words


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if is_content_word(w)]


def test_phrases_sharing_a_first_word_are_told_apart() -> None:
    groups = [
        ["SKR", "Sveriges Kommuner och Regioner"],
        ["SKL", "Sveriges Kommuner och Landsting"],
        ["SCB", "Statistiska centralbyrån"],
        *([f"X{i}", f"Sveriges plan{i}"] for i in range(500)),  # many phrases start alike
    ]
    synonyms = Synonyms(groups)
    stems = _stems("Både Sveriges Kommuner och Landsting och Statistiska centralbyrån")
    positions = [{s} for s in stems]
    assert synonyms.phrase_matches(positions) == [(1, 4, group_term(1)), (4, 6, group_term(2))]
    assert synonyms.phrases_at(stems[1:]) == [group_term(1)]
    assert synonyms.phrases_at(stems[4:]) == [group_term(2)]
    assert synonyms.phrases_at(stems[2:]) == []


def test_a_longer_phrase_and_its_prefix_both_match() -> None:
    synonyms = Synonyms([["JB", "jämställd budget"], ["JBP", "jämställd budget process"]])
    stems = _stems("en jämställd budget process")
    assert synonyms.phrases_at(stems) == [group_term(0), group_term(1)]
    assert synonyms.phrase_matches([{s} for s in stems]) == [
        (0, 2, group_term(0)),
        (0, 3, group_term(1)),
    ]


def test_the_cheap_first_letters_filter_never_hides_a_phrase() -> None:
    synonyms = Synonyms([["x", "dying star"], ["y", "jämställda beslut"]])
    for word in ("dying", "jamstallda", "jamstalld"):
        assert synonyms.may_start_phrase(word)
    assert not synonyms.may_start_phrase("budget")
