"""Every entry's example questions and titles, analysed into index terms once, when the
index is built, and kept in a few flat arrays (stored with the index cache).

The ``ExampleQuestionScorer`` compares a question with each candidate's example questions
word by word. Analysing an example question (tokens, stems, compound parts, synonym
phrases) cost ~0.1 ms, and a new question in a 10k-entry knowledge base met several
never-seen candidates with six questions each: that analysis was most of its time (issue 9,
lexical p50 at 10k entries). Done once for all entries it costs ~2 s at 10k entries (~25 s
at 100k) when the index is built, never at a warm start; a candidate's questions are then put
together from the arrays in a few microseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from knowledge.entry import Lang
from knowledge.flat_arrays import check_bounds, check_numbers
from knowledge.index import Index, Text
from knowledge.text import is_content_word, stem, words

# An analysed example question, as plain tuples of strings and floats on purpose: the
# garbage collector stops tracking those, so caching tens of thousands of them costs no
# GC pauses (dataclasses or NamedTuples made full collections take hundreds of ms).
Unit = tuple[tuple[str, ...], float]  # one content word: every term standing for it, idf
Question = tuple[tuple[Unit, ...], tuple[str, ...], float]  # words, all terms, total idf

UNIT_CACHE_LIMIT = 500_000  # units kept as tuples, shared by the questions using them
ARRAY_NAMES = (
    "unit_bounds",
    "unit_terms",
    "unit_idf",
    "question_bounds",
    "question_units",
    "doc_bounds",
)


def question(units: Sequence[Unit]) -> Question:
    terms = tuple({t for unit_terms, _ in units for t in unit_terms})
    return tuple(units), terms, max(sum(idf for _, idf in units), 1e-9)


class _Analyser:
    """Turns texts into units; a word's unit is analysed once and shared by every text."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._units: dict[tuple[str, Lang], Unit] = {}

    def units(self, text: str, lang: Lang) -> list[Unit]:
        tokens = [w for w in words(text) if is_content_word(w)]
        stems = [stem(w, lang) for w in tokens]
        units = [self._word_unit(w, s, lang) for w, s in zip(tokens, stems, strict=True)]
        synonyms = self.index.analyzer.synonyms
        if len(tokens) > 1 and any(synonyms.starts_phrase(s) for s in stems):
            for start, end, group_term in synonyms.phrase_matches([{s} for s in stems]):
                for position in range(start, end):
                    unit_terms, idf = units[position]
                    if group_term not in unit_terms:
                        units[position] = ((*unit_terms, group_term), idf)
        return units

    def _word_unit(self, word: str, stem_: str, lang: Lang) -> Unit:
        key = (word, lang)
        unit = self._units.get(key)
        if unit is None:
            index = self.index
            terms = tuple(dict.fromkeys(t for t, _ in index.analyzer.analyse_word(word, lang)))
            unit = self._units[key] = (terms, index.postings.idf(stem_, index.unknown_idf))
        return unit


@dataclass
class AnalysedQuestions:
    """Per document, its analysed example questions, in flat arrays:
    ``doc_bounds`` slices ``question_bounds``, which slices ``question_units`` (unit
    numbers), each unit being ``unit_terms[unit_bounds[u]:unit_bounds[u + 1]]`` (numbers
    into ``terms``) with its ``unit_idf``."""

    terms: list[str]
    unit_bounds: np.ndarray
    unit_terms: np.ndarray
    unit_idf: np.ndarray
    question_bounds: np.ndarray
    question_units: np.ndarray
    doc_bounds: np.ndarray

    @classmethod
    def build(
        cls, index: Index, docs: int, texts_of: Callable[[int], Iterable[Text]]
    ) -> AnalysedQuestions:
        """Analyse the texts (example questions and titles) of documents ``0..docs-1``."""
        analyser = _Analyser(index)
        term_numbers: dict[str, int] = {}
        unit_numbers: dict[Unit, int] = {}
        unit_bounds: list[int] = [0]
        unit_terms: list[int] = []
        unit_idf: list[float] = []
        question_bounds: list[int] = [0]
        question_units: list[int] = []
        doc_bounds: list[int] = [0]
        for doc in range(docs):
            for text, lang in texts_of(doc):
                units = analyser.units(text, lang)
                if not units:
                    continue
                for unit in units:
                    number = unit_numbers.get(unit)
                    if number is None:
                        number = unit_numbers[unit] = len(unit_idf)
                        unit_terms.extend(
                            term_numbers.setdefault(t, len(term_numbers)) for t in unit[0]
                        )
                        unit_bounds.append(len(unit_terms))
                        unit_idf.append(unit[1])
                    question_units.append(number)
                question_bounds.append(len(question_units))
            doc_bounds.append(len(question_bounds) - 1)
        return cls(
            list(term_numbers),
            np.asarray(unit_bounds, dtype=np.int64),
            np.asarray(unit_terms, dtype=np.int32),
            np.asarray(unit_idf, dtype=np.float64),
            np.asarray(question_bounds, dtype=np.int64),
            np.asarray(question_units, dtype=np.int32),
            np.asarray(doc_bounds, dtype=np.int64),
        )

    def arrays(self) -> list[np.ndarray]:
        """The arrays in ``ARRAY_NAMES`` order (``terms`` goes with them as a list)."""
        return [getattr(self, name) for name in ARRAY_NAMES]

    @classmethod
    def from_arrays(
        cls, terms: list[str], arrays: Sequence[np.ndarray], docs: int
    ) -> AnalysedQuestions:
        """The arrays ``arrays()`` gave, for ``docs`` documents; ValueError when they do not
        fit together (a stored file is then rebuilt rather than failing a question later)."""
        analysed = cls(terms, *arrays)
        analysed._check(docs)
        return analysed

    def _check(self, docs: int) -> None:
        what = "analysed questions"
        check_bounds(self.doc_bounds, len(self.question_bounds) - 1, what, docs + 1)
        check_bounds(self.question_bounds, len(self.question_units), what)
        check_bounds(self.unit_bounds, len(self.unit_terms), what, len(self.unit_idf) + 1)
        check_numbers(self.question_units, len(self.unit_idf), what)
        check_numbers(self.unit_terms, len(self.terms), what)

    def __post_init__(self) -> None:
        self._units: dict[int, Unit] = {}

    def questions_of(self, doc: int) -> tuple[Question, ...]:
        """The document's analysed questions, put together from the arrays."""
        first, last = int(self.doc_bounds[doc]), int(self.doc_bounds[doc + 1])
        if first == last:
            return ()
        bounds = self.question_bounds[first : last + 1].tolist()
        numbers = self.question_units[bounds[0] : bounds[-1]].tolist()
        base = bounds[0]
        unit = self._unit
        return tuple(
            question([unit(n) for n in numbers[start - base : end - base]])
            for start, end in pairwise(bounds)
        )

    def _unit(self, number: int) -> Unit:
        unit = self._units.get(number)
        if unit is None:
            if len(self._units) >= UNIT_CACHE_LIMIT:
                self._units.clear()
            start, end = int(self.unit_bounds[number]), int(self.unit_bounds[number + 1])
            terms = self.terms
            unit = (
                tuple(terms[t] for t in self.unit_terms[start:end].tolist()),
                float(self.unit_idf[number]),
            )
            self._units[number] = unit
        return unit
