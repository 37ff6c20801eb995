"""Example questions analysed once at build time: each document's questions come back
from the flat arrays exactly as analysing its texts one by one gives them."""

from __future__ import annotations

from pathlib import Path

from knowledge import KnowledgeBase
from knowledge.example_questions import AnalysedQuestions

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


def _analysed_one_by_one(kb: KnowledgeBase, doc: int) -> list[tuple[frozenset[str], ...]]:
    """The document's questions analysed on their own (a build of one document at a time)."""
    texts = kb._question_texts(doc)
    alone = AnalysedQuestions.build(kb.index, 1, lambda _: texts)
    return [tuple(frozenset(terms) for terms, _ in units) for units, _, _ in alone.questions_of(0)]


def test_every_documents_questions_come_back_from_the_arrays() -> None:
    kb = KnowledgeBase.load(FIXTURE_KB)
    analysed = kb.analysed_questions
    assert len(analysed.doc_bounds) == len(kb.ids) + 1
    for doc in range(len(kb.ids)):
        questions = analysed.questions_of(doc)
        # One per example question and title that has a content word.
        assert 1 <= len(questions) <= len(kb._question_texts(doc))
        words = [tuple(frozenset(terms) for terms, _ in units) for units, _, _ in questions]
        assert words == _analysed_one_by_one(kb, doc)
        for units, terms, total_idf in questions:
            assert set(terms) == {t for unit_terms, _ in units for t in unit_terms}
            assert total_idf == max(sum(idf for _, idf in units), 1e-9)


def test_a_synonym_phrase_in_an_example_question_stands_for_its_group() -> None:
    """ "gender mainstreaming" (two words) is one concept: both words carry its group term."""
    kb = KnowledgeBase(
        [],
        synonyms=[["jämställdhetsintegrering", "gender mainstreaming"]],
        embedder=None,
    )
    analysed = AnalysedQuestions.build(
        kb.index, 1, lambda _: [("What is gender mainstreaming?", "en")]
    )
    ((units, _, _),) = analysed.questions_of(0)
    gender, mainstreaming = (set(unit_terms) for unit_terms, _ in units[-2:])
    assert "gender" in gender and "mainstream" in mainstreaming  # stems
    shared = {t for t in gender & mainstreaming if t.startswith("~")}
    assert shared, (gender, mainstreaming)


def test_a_document_without_questions_or_title_words_has_none() -> None:
    kb = KnowledgeBase([], embedder=None)
    analysed = AnalysedQuestions.build(kb.index, 2, lambda doc: [("?", "sv")] if doc else [])
    assert analysed.questions_of(0) == ()
    assert analysed.questions_of(1) == ()
