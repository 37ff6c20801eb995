"""The engine against a small real knowledge base: messy questions, English, abstention."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(FIXTURE_KB)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # paraphrases and inflections
        ("Vad menas med jämställdhetsintegrering?", "jamstalldhetsintegrering-vad-ar"),
        ("vilka åtgärder ska finnas i handlingsplanen", "cemr-handlingsplan"),
        ("hur fördelar vi budgeten jämställt", "jamstalld-budgetprocess"),
        # compounds, both ways round
        ("budgetprocessen", "jamstalld-budgetprocess"),
        ("process för budget", "jamstalld-budgetprocess"),
        ("tips för jämställdhetsintegreringsarbetet", "jamstalldhetsintegrering-vad-ar"),
        # typos and missing å/ä/ö
        ("handligsplan för cemr", "cemr-handlingsplan"),
        ("konsuppdelad statisik", "konsuppdelad-statistik"),
        ("vad ar jamstalldhetsintegrering", "jamstalldhetsintegrering-vad-ar"),
        ("budgte", "jamstalld-budgetprocess"),  # two letters swapped
        ("kvartalsraport", "kvartalsrapport-innehall"),  # typo in an inflected compound
        ("jamstaldhetsintegreringsarbetet", "jamstalldhetsintegrering-vad-ar"),  # typo + compound
        # abbreviations and one-word questions
        ("vad är JI", "jamstalldhetsintegrering-vad-ar"),
        ("cemr", "cemr-vad-ar"),
        ("3R", "3r-metoden"),
        ("Sveriges Kommuner och Regioner modellregion", "skr-modellregion"),
        ("SKR modellregion", "skr-modellregion"),
        # reporting
        ("vad ska jag skriva i statusrapporten", "kvartalsrapport-innehall"),
        ("när är deadline för kvartalsrapporten", "kvartalsrapport-deadline"),
        # English, bridged by the English version and by synonyms
        ("What is gender mainstreaming?", "jamstalldhetsintegrering-vad-ar"),
        ("sex-disaggregated statistics", "konsuppdelad-statistik"),
        ("What should our action plan contain?", "cemr-handlingsplan"),
        # everyday verbs and particles ("ser ... ut", "ta fram") are no missing topic
        ("hur ser en bra handlingsplan ut", "cemr-handlingsplan"),
        ("hur tar vi fram könsuppdelad statistik", "konsuppdelad-statistik"),
    ],
)
def test_answers(kb: KnowledgeBase, question: str, expected: str) -> None:
    answer = kb.answer(question)
    assert answer.entry is not None, (
        question,
        answer.confidence,
        [e.id for e in answer.alternatives],
    )
    assert answer.entry.id == expected
    assert 0.5 <= answer.confidence <= 1.0


@pytest.mark.parametrize(
    "question",
    [
        "Hur blir vädret i morgon?",
        "hur ser vädret ut",  # the function words left alone must not decide the answer
        "Hur bokar jag en parkeringsplats?",
        "Mitt lösenord fungerar inte, hur återställer jag det?",
        "När betalas lönen ut?",
        "Har du ett bra recept på kanelbullar?",
        "What's the weather like in Luleå?",
        "asdfgh qwerty",
        "vem ska vara med?",  # only a question word: no topic to answer
        "Kan du hjälpa mig med en sak?",  # only generic words
    ],
)
def test_abstains_outside_the_knowledge_base(kb: KnowledgeBase, question: str) -> None:
    answer = kb.answer(question)
    assert answer.entry is None, (question, answer.confidence)
    assert answer.confidence < 0.5


def test_question_word_the_kb_never_uses_is_no_missing_topic(kb: KnowledgeBase) -> None:
    # "varifrån" is in no entry: counted as an unknown word it would weigh as much as the
    # rarest topic word and push an answerable question towards abstaining.
    query = kb.index.parse("varifrån kommer kvartalsrapporten")
    labels = [group.label for group in query.groups]
    assert "varifran" not in labels
    assert "kvartalsrapporten" in labels


def test_english_question_gets_the_english_version(kb: KnowledgeBase) -> None:
    answer = kb.answer("What does gender mainstreaming mean?")
    assert answer.lang == "en"
    assert answer.entry is not None
    assert (answer.entry.lang, answer.entry.title) == ("en", "What is gender mainstreaming?")


def test_english_question_without_english_version_gets_swedish(kb: KnowledgeBase) -> None:
    answer = kb.answer("What is the CEMR charter?")
    assert answer.lang == "en"
    assert answer.entry is not None
    assert (answer.entry.id, answer.entry.lang) == ("cemr-vad-ar", "sv")


def test_undecided_language_leans_on_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert kb.detect_language("gender mainstreaming") == "en"
    assert kb.detect_language("jämställdhetsintegrering") == "sv"
    assert kb.detect_language("cemr") == "sv"


def test_get_falls_back_to_swedish(kb: KnowledgeBase) -> None:
    english = kb.get("jamstalldhetsintegrering-vad-ar", "en")
    assert english is not None and english.lang == "en"
    fallback = kb.get("cemr-vad-ar", "en")
    assert fallback is not None and fallback.lang == "sv"
    assert kb.get("finns-inte") is None


def test_entries_are_unique_swedish_versions(kb: KnowledgeBase) -> None:
    assert len(kb.entries) == len({e.id for e in kb.entries}) == len(kb) == 9
    assert {e.lang for e in kb.entries} == {"sv"}
    assert kb.problems == []


def test_search_ranks_and_limits(kb: KnowledgeBase) -> None:
    results = kb.search("handlingsplan cemr", limit=2)
    assert [e.id for e, _ in results] == ["cemr-handlingsplan", "cemr-vad-ar"]
    assert results[0][1] >= results[1][1] > 0
    assert kb.search("", limit=5) == []
    assert kb.search("vädret", limit=5) == []


def test_alternatives_never_repeat_the_answer(kb: KnowledgeBase) -> None:
    answer = kb.answer("cemr")
    assert answer.entry is not None
    assert answer.entry.id not in {e.id for e in answer.alternatives}
    assert answer.alternatives and answer.alternatives[0].id == "cemr-handlingsplan"


def test_uncertain_answer_offers_alternatives(kb: KnowledgeBase) -> None:
    answer = kb.answer("statistik om vädret")
    assert answer.entry is None
    assert [e.id for e in answer.alternatives] == ["konsuppdelad-statistik"]


def test_broken_file_does_not_stop_answers(tmp_path: Path) -> None:
    for source in FIXTURE_KB.rglob("*"):
        target = tmp_path / source.relative_to(FIXTURE_KB)
        if source.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())
    (tmp_path / "trasig.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    kb = KnowledgeBase.load(tmp_path)
    assert len(kb.problems) == 1
    answer = kb.answer("vad är cemr")
    assert answer.entry is not None and answer.entry.id == "cemr-vad-ar"


def test_empty_knowledge_base_abstains(tmp_path: Path) -> None:
    kb = KnowledgeBase.load(tmp_path)
    answer = kb.answer("vad är cemr")
    assert (answer.entry, answer.confidence, answer.alternatives) == (None, 0.0, [])
