"""Questions about the asker's own workplace abstain; domain questions that mention it do not."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase
from knowledge.workplace import asks_about_own_workplace, workplace_words


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.mark.parametrize(
    "question",
    [
        "vem är min chef",  # issue 9: was roller-i-beslutsprocessen, 0.99
        "Who is my manager?",
        "var sitter strategerna",  # "strateg" is a topic, but the KB has no floor plan
        "när kommer lönen",  # a salary date, not a pay survey
        "jag har glomt mitt losenord",  # without diacritics too
        "vad blir det för lunch idag",
    ],
)
def test_own_workplace_questions_abstain_without_alternatives(
    bundled: KnowledgeBase, question: str
) -> None:
    answer = bundled.answer(question)
    assert answer.entry is None
    assert answer.confidence == 0.0
    assert answer.alternatives == []


@pytest.mark.parametrize(
    "question",
    [
        "hur får jag min chef att prioritera jämställdhetsintegrering?",
        "vad ska min chef göra i beslutsprocessen?",  # a compound of the topic "beslut"
        "min chef vill veta hur vi rapporterar",  # "rapporterar" names the tag "rapportering"
        "hur gör vi en lönekartläggning",
        "vilka roller har chefer i beslutsprocessen",
    ],
)
def test_domain_questions_mentioning_the_workplace_still_reach_the_ranking(
    bundled: KnowledgeBase, question: str
) -> None:
    assert not bundled.about_own_workplace(question)
    assert bundled.rank(question)[1], question


def test_no_example_question_or_title_of_the_bundled_kb_counts_as_own_workplace(
    bundled: KnowledgeBase,
) -> None:
    flagged = [
        text
        for entry_id in bundled.ids
        for lang in bundled.languages(entry_id)
        for entry in [bundled.get(entry_id, lang)]
        if entry is not None
        for text in (entry.title, *entry.questions)
        if bundled.about_own_workplace(text)
    ]
    assert flagged == []


def test_workplace_words_name_what_gave_the_question_away() -> None:
    assert workplace_words("jag har glömt mitt lösenord") == {"losenord"}
    assert workplace_words("hur når jag min närmaste chef") == {"chef"}
    assert workplace_words("Where do the IT people sit?") == set()
    assert workplace_words("vad är en lönekartläggning") is None
    # a topic word of the knowledge base keeps the question answerable
    assert not asks_about_own_workplace("min chef och JI", lambda word: word == "ji")
    assert asks_about_own_workplace("min chef och JI", lambda word: False)


def test_getting_started_question_finds_its_entry(bundled: KnowledgeBase) -> None:
    answer = bundled.answer("hur kommer vi igång med jämställdhetsintegrering")
    assert answer.entry is not None
    assert answer.entry.id == "jamstalldhetsintegrering-komma-igang"
