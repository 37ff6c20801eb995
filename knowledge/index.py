"""The ranking index: BM25F over title, example questions, tags and body.

Scores are precomputed per (term, document) at load time and kept in impact-ordered
numpy posting lists, so a query only touches the postings of its own terms and, in
a very large knowledge base, only the strongest postings of each term: query cost
stays nearly flat as the knowledge base grows.

A query word the index does not know is rescued, in order, by its other-language stem,
by splitting it as a Swedish compound, or by fuzzy matching against the vocabulary
(typos). Each query word becomes a ``Group`` of alternative index terms; a document
earns a group's best alternative, so rescue paths never double count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.entry import Lang
from knowledge.postings import FIELDS, PostingLists, build_postings, collect
from knowledge.synonyms import Synonyms
from knowledge.text import (
    GENERIC_WORDS,
    QUESTION_WORDS,
    CompoundSplitter,
    detect_language,
    is_content_word,
    stem,
    stem_all,
    trim_stem_cache,
    words,
)

COMPOUND_PART_TF = 0.5  # a part of a compound counts less than the word itself
OTHER_LANG_WEIGHT = 0.9
GENERIC_WEIGHT = 0.25
MIN_FUZZY_LENGTH = 4
FUZZY_WEIGHT_PER_EDIT = (1.0, 0.85, 0.6)  # by number of edits
WORD_CACHE_LIMIT = 500_000
MIN_TYPO_COMPOUND = 10

Text = tuple[str, Lang]
Terms = tuple[tuple[str, float], ...]


@dataclass
class IndexDoc:
    """What the index sees of one knowledge-base entry: texts per field, each with its language."""

    key: str
    fields: dict[str, list[Text]]


@dataclass
class Group:
    """One query concept: alternative index terms with how much each counts (0..1)."""

    label: str
    alternatives: list[tuple[str, float]]
    weight: float = 1.0
    idf: float = 0.0
    how: str = "exact"  # exact | other-lang | compound | fuzzy | synonym | unknown (for --explain)
    generic: bool = False  # a filler or question word ("tips", "hur"): no topic of its own

    @property
    def mass(self) -> float:
        """How much this concept matters for the question (its share of coverage)."""
        return self.weight * self.idf


@dataclass
class Query:
    text: str
    lang: Lang
    groups: list[Group] = field(default_factory=list)

    @property
    def total_mass(self) -> float:
        return sum(g.mass for g in self.groups)

    @property
    def has_topic(self) -> bool:
        """Whether any word names a topic ("vem ska vara med?" alone does not)."""
        return any(not g.generic for g in self.groups)


@dataclass
class Hits:
    """Candidate documents with their BM25F score and matched share of the query."""

    docs: np.ndarray  # int32 document numbers, best first
    scores: np.ndarray
    coverage: np.ndarray  # 0..1: idf-weighted share of the query's groups the doc matches


class Analyzer:
    """Turns text into weighted index terms: stems, compound parts and synonym-group terms."""

    def __init__(self, splitter: CompoundSplitter, synonyms: Synonyms) -> None:
        self.splitter = splitter
        self.synonyms = synonyms
        self._word_cache: dict[tuple[str, Lang], Terms] = {}

    def word_terms(self, word: str, lang: Lang) -> Terms:
        """The index terms a word stands for, with the share of a count each gets."""
        key = (word, lang)
        cached = self._word_cache.get(key)
        if cached is not None:
            return cached
        if len(self._word_cache) >= WORD_CACHE_LIMIT:  # questions bring new words forever
            self._word_cache.clear()
        result = self.analyse_word(word, lang)
        self._word_cache[key] = result
        return result

    def analyse_word(self, word: str, lang: Lang) -> Terms:
        """``word_terms`` without the cache: indexing sees each distinct word only once."""
        stem_ = stem(word, lang)
        synonyms = self.synonyms.terms_for_stem(stem_)
        parts = self.splitter.split_in_two(word)
        if not synonyms and not parts:
            return ((stem_, 1.0),)
        terms: list[tuple[str, float]] = [(stem_, 1.0)]
        terms.extend((t, 1.0) for t in synonyms)
        if parts:
            for part in parts:
                part_stem = stem(part, "sv")
                terms.append((part_stem, COMPOUND_PART_TF))
                terms.extend((t, COMPOUND_PART_TF) for t in self.synonyms.terms_for_stem(part_stem))
        return tuple(terms)


class Index:
    """BM25F index over a list of documents; document numbers follow the input order."""

    def __init__(
        self, docs: Iterable[IndexDoc], size: int, synonyms: Synonyms | None = None
    ) -> None:
        """Index ``size`` documents; ``docs`` may be a generator, so the texts of a large
        knowledge base never all sit in memory twice."""
        self.size = size
        synonyms = synonyms or Synonyms()
        collected = collect(
            (
                (number, [(f, doc.fields.get(f, [])) for f in FIELDS])
                for number, doc in enumerate(docs)
            ),
            synonyms,
        )
        swedish, english = collected.surfaces()
        # Words only the English texts use: evidence that an undecided question is English.
        self.english_only = frozenset(english - swedish)
        vocabulary = swedish | english
        del swedish, english
        stem_all(vocabulary, "sv")  # compound parts are stemmed as Swedish whatever the text
        stem_all(self.english_only, "en")
        self.analyzer = Analyzer(CompoundSplitter(vocabulary), synonyms)
        self.postings = build_postings(collected, self.size, self.analyzer.analyse_word)
        del collected
        trim_stem_cache()
        self.unknown_idf = self._idf(0)
        self._buckets: dict[tuple[str, int], list[str]] | None = None  # built on first typo

    @classmethod
    def from_parts(
        cls,
        size: int,
        english_only: frozenset[str],
        analyzer: Analyzer,
        postings: PostingLists,
    ) -> Index:
        """An index put back together from what a built one consists of (``english_only``,
        ``analyzer.splitter``, ``analyzer.synonyms`` and ``postings``), as the index cache
        stored them; it answers exactly like the index they were taken from."""
        index = cls.__new__(cls)
        index.size = size
        index.english_only = english_only
        index.analyzer = analyzer
        index.postings = postings
        index.unknown_idf = index._idf(0)
        index._buckets = None
        return index

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def _fuzzy_buckets(self) -> dict[tuple[str, int], list[str]]:
        """Vocabulary (words and their stems) by first letter and length, built on first use.

        Buckets keep each fuzzy lookup to a few hundred words; building them lazily keeps
        them out of the load time of knowledge bases that never see a typo.
        """
        if self._buckets is None:
            surface = self.analyzer.splitter.known_words()
            entries = set(surface)
            entries.update(
                stem(w) for w in surface
            )  # "kvartalsraport" ~ stem of "kvartalsrapporten"
            buckets: dict[tuple[str, int], list[str]] = {}
            for word in entries:
                if len(word) >= MIN_FUZZY_LENGTH and not word.isdigit():
                    buckets.setdefault((word[0], len(word)), []).append(word)
            self._buckets = buckets
        return self._buckets

    # -- querying -------------------------------------------------------------------------

    def knows_word(self, word: str) -> bool:
        """Whether a folded word occurs in the knowledge base (3+ letters, not a stopword)."""
        return self.analyzer.splitter.knows(word)

    def parse(self, text: str, lang: Lang | None = None) -> Query:
        """The query's concepts, each resolved to index terms (or marked unknown)."""
        lang = lang or detect_language(text)
        query = Query(text=text, lang=lang)
        tokens = [w for w in words(text) if is_content_word(w)]
        seen: set[tuple[str, ...]] = set()
        for word in tokens:
            generic = word in GENERIC_WORDS or word in QUESTION_WORDS
            for group in self._word_groups(word, lang, rescue=not generic):
                if word in GENERIC_WORDS:
                    group.weight = GENERIC_WEIGHT
                group.generic = generic
                key = tuple(sorted(t for t, _ in group.alternatives)) or (group.label,)
                if key in seen:
                    continue
                seen.add(key)
                query.groups.append(group)
        self._add_phrase_synonyms(query, tokens)
        for group in query.groups:
            group.idf = max(
                (self.postings.idf(t) for t, _ in group.alternatives), default=self.unknown_idf
            )
        return query

    def _word_groups(self, word: str, lang: Lang, rescue: bool = True) -> list[Group]:
        """The word's groups; without ``rescue`` only its own stems count, and an unknown
        word gets no group: a filler or question word the knowledge base never uses is no
        missing topic, and its typo look-alikes ("vill" ~ "vilja") are not the topic either.
        """
        other: Lang = "en" if lang == "sv" else "sv"
        alternatives: dict[str, float] = {}
        for candidate_lang, weight in ((lang, 1.0), (other, OTHER_LANG_WEIGHT)):
            stem_ = stem(word, candidate_lang)
            for term in (stem_, *self.analyzer.synonyms.terms_for_stem(stem_)):
                if term in self.postings and alternatives.get(term, 0.0) < weight:
                    alternatives[term] = weight
        if alternatives:
            how = "exact" if stem(word, lang) in alternatives else "other-lang"
            return [Group(word, list(alternatives.items()), how=how)]
        if not rescue:
            return []
        # Only Swedish glues words together: "password" is not "pass" + "word".
        parts = self.analyzer.splitter.split(word) if lang == "sv" else None
        if parts:
            groups = [self._part_group(part) for part in parts]
            known = [g for g in groups if g.alternatives]
            if known:
                return known
        fuzzy = self._fuzzy_alternatives(word)
        if fuzzy:
            return [Group(word, fuzzy, how="fuzzy")]
        if lang == "sv":
            compound = self._compound_with_typo(word)
            if compound:
                return compound
        return [Group(word, [], how="unknown")]

    def _compound_with_typo(self, word: str) -> list[Group]:
        """A known last part and a first part one or two typos off a known word.

        "jamstaldhetsintegreringsarbetet" is too long for whole-word typo matching and
        will not split into known parts; "arbetet" is known and the rest is a typo of
        "jamstalldhetsintegrering".
        """
        if len(word) < MIN_TYPO_COMPOUND:
            return []
        splitter = self.analyzer.splitter
        for end in range(len(word) - splitter.MIN_PART, MIN_FUZZY_LENGTH - 1, -1):
            tail = word[end:]
            if not splitter.is_last_part(tail):
                continue
            head = word[:end]
            for candidate in (head[:-1], head) if head.endswith("s") else (head,):
                alternatives = self._fuzzy_alternatives(candidate)
                tail_group = self._part_group(tail)
                if alternatives and tail_group.alternatives:
                    return [Group(candidate, alternatives, how="fuzzy"), tail_group]
        return []

    def _part_group(self, part: str) -> Group:
        alternatives: dict[str, float] = {}
        part_stem = stem(part, "sv")
        for term in (part_stem, *self.analyzer.synonyms.terms_for_stem(part_stem)):
            if term in self.postings:
                alternatives[term] = 1.0
        return Group(part, list(alternatives.items()), how="compound")

    def _fuzzy_alternatives(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words within a typo or two (a swap of neighbours counts as one).

        Like search engines' "auto" fuzziness: one edit for words of 4-7 letters, two
        from 8 letters on. Each edit costs weight, so a typo rescue never counts as much
        as the real word.
        """
        if len(word) < MIN_FUZZY_LENGTH or word.isdigit():
            return []
        max_edits = 1 if len(word) < 8 else 2
        buckets = self._fuzzy_buckets()
        choices: list[str] = []
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            choices.extend(buckets.get((word[0], length), ()))
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=3)
        alternatives: dict[str, float] = {}
        for match, edits, _ in found:
            weight = FUZZY_WEIGHT_PER_EDIT[int(edits)]
            terms = (
                [match]
                if match in self.postings
                else [t for t, tf in self.analyzer.word_terms(match, "sv") if tf == 1.0]
            )
            for term in terms:
                if term in self.postings and alternatives.get(term, 0.0) < weight:
                    alternatives[term] = weight
        return list(alternatives.items())

    def _add_phrase_synonyms(self, query: Query, tokens: list[str]) -> None:
        if len(tokens) < 2 or not self.analyzer.synonyms:
            return
        positions = [{stem(w, "sv"), stem(w, "en")} for w in tokens]
        added: set[str] = set()
        for start, end, term in self.analyzer.synonyms.phrase_matches(positions):
            if term not in self.postings or term in added:
                continue
            added.add(term)
            # The phrase now speaks for its words: keep known words as a small bonus,
            # and stop counting words only the phrase explains ("disaggregated") as missing.
            covered = set(tokens[start:end])
            for group in query.groups:
                if group.label in covered:
                    group.weight = min(group.weight, 0.3 if group.alternatives else 0.0)
            query.groups.append(Group(" ".join(tokens[start:end]), [(term, 1.0)], how="synonym"))

    def search(self, query: Query, limit: int) -> Hits:
        """The ``limit`` best documents by BM25F, with their coverage of the query.

        Each term's posting list is capped, so the work per term stays bounded however
        large the knowledge base grows; the per-document arrays are calloc'ed, so only
        the pages actually written are ever zeroed.
        """
        empty = np.zeros(0, dtype=np.int32)
        total_mass = query.total_mass
        matched = [g for g in query.groups if g.alternatives]
        if not matched or self.size == 0 or total_mass <= 0:
            return Hits(empty, np.zeros(0, np.float32), np.zeros(0, np.float32))
        scores = np.zeros(self.size, dtype=np.float32)
        mass = np.zeros(self.size, dtype=np.float32)
        touched: list[np.ndarray] = []
        for group in matched:
            if len(group.alternatives) == 1:
                term, weight = group.alternatives[0]
                ids, term_scores = self.postings[term]
                scores[ids] += group.weight * weight * term_scores
                mass[ids] += group.mass * weight
                touched.append(ids)
            else:
                touched.extend(self._add_best_alternative(group, scores, mass))
        candidates = self._best_touched(scores, touched, limit)
        candidate_scores = scores[candidates]
        order = np.argsort(-candidate_scores, kind="stable")
        candidates = candidates[order]
        coverage = np.minimum(mass[candidates] / total_mass, 1.0)
        return Hits(candidates, candidate_scores[order], coverage)

    def _best_touched(
        self, scores: np.ndarray, touched: list[np.ndarray], limit: int
    ) -> np.ndarray:
        """The (at most) ``limit`` best-scoring documents among those the postings touched.

        Searches the touched postings or the whole score array, whichever is shorter: in a
        small knowledge base common words touch every document several times over.
        """
        postings = sum(len(ids) for ids in touched)
        if postings >= self.size:
            every = np.flatnonzero(scores).astype(np.int32)
        else:
            every = np.concatenate(touched)
            # A document occurs at most once per posting list, so the best `limit * lists`
            # entries of the concatenation hold at least `limit` distinct documents.
            wanted = limit * len(touched)
            if len(every) > wanted:
                every = every[np.argpartition(-scores[every], wanted - 1)[:wanted]]
            every = np.unique(every)
        if len(every) > limit:
            every = every[np.argpartition(-scores[every], limit - 1)[:limit]]
        return every

    def _add_best_alternative(
        self, group: Group, scores: np.ndarray, mass: np.ndarray
    ) -> list[np.ndarray]:
        """Add each document's best alternative of ``group`` (never the sum of several).

        The best per document is gathered in two arrays of the knowledge base's size and
        added in one step: adding per posting list cost four times as much (issue 9).
        """
        best_score = np.zeros(self.size, dtype=np.float32)
        best_weight = np.zeros(self.size, dtype=np.float32)
        touched = []
        # Lowest weight first, so the last list to name a document leaves its best weight.
        for term, weight in sorted(group.alternatives, key=lambda alternative: alternative[1]):
            ids, term_scores = self.postings[term]
            np.maximum.at(best_score, ids, weight * term_scores)
            best_weight[ids] = weight
            touched.append(ids)
        scores += np.float32(group.weight) * best_score
        mass += np.float32(group.mass) * best_weight
        return touched
