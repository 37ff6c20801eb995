"""Where the knowledge base falls short: cluster the questions it failed on, suggest a fix.

The bot logs every question; the ones it abstained on, that got 👎 or that were passed to
the strategists are the knowledge base's gaps. Strategists cannot read hundreds of them one
by one, so similar phrasings are grouped into clusters ("lönekartläggning?", "hur gör vi
lönekartläggningen") and each cluster gets the nearest existing entries and a suggestion:
add these phrasings to an entry that is close, or write a new one.

Similarity reads questions the way the engine does (folding, stemming, compound parts,
synonym groups, the knowledge base's own rarity of words), so a cluster is what the engine
would also see as one topic. A semantic vector function (an embedding model) can be passed
in as ``embed``; until then the similarity is lexical.

Plain data in, plain data out: this module knows nothing about the bot's database or chat.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np
from rapidfuzz.distance import Levenshtein

from knowledge.engine import KnowledgeBase
from knowledge.entry import Lang
from knowledge.text import (
    GENERIC_WORDS,
    QUESTION_WORDS,
    is_content_word,
    phrasing_key,
    stem,
    words,
)

Reason = Literal["abstained", "not_helpful", "escalated"]
REASONS: tuple[Reason, ...] = ("abstained", "not_helpful", "escalated")

# Two questions belong together when their weighted concept overlap (a soft Dice, 0..1)
# reaches this; clusters merge while their average pairwise similarity does.
LINK_THRESHOLD = 0.5
# An entry is "reasonably close" to a cluster when its search score (0..1), averaged over
# the cluster's questions, reaches this. On the bench's labelled questions the engine
# abstained on, a top score this high was mostly the right entry (transfer KB: 2 right,
# 1 wrong, 1 out of scope at 0.35; at 0.30 3 right, 3 wrong, 2 out of scope).
NEAR_SCORE = 0.35
# A compound part ("jämställdhet" in "jämställdhetsbudget") shares less than the word itself.
PART_MATCH = 0.5
# Stems this close (Levenshtein normalised similarity) are one word misspelled or inflected.
FUZZY_STEM = 0.85
MIN_FUZZY_STEM = 5
NEAREST = 3
ID_LENGTH = 6

VectorFunction = Callable[[Sequence[str]], Sequence[Sequence[float]]]


@dataclass(frozen=True)
class GapQuestion:
    """One question the bot failed on, as stored: already pseudonymous, never who asked.

    ``entry_id`` is the entry the bot answered with (a 👎 tells which one disappointed).
    """

    question: str
    reasons: frozenset[Reason]
    asked_at: datetime | None = None
    entry_id: str | None = None


@dataclass(frozen=True)
class NearEntry:
    id: str
    title: str
    score: float  # mean search score over the cluster's questions, 0..1


@dataclass(frozen=True)
class Suggestion:
    """``add``: put the phrasings in ``entry_id``'s questions; ``new``: write a new entry."""

    kind: Literal["add", "new"]
    entry_id: str | None = None


@dataclass(frozen=True)
class Phrasing:
    text: str  # the most common spelling of this phrasing
    count: int


@dataclass(frozen=True)
class Cluster:
    id: str
    count: int  # questions in the cluster (a phrasing asked three times counts three)
    phrasings: tuple[Phrasing, ...]  # distinct phrasings, most asked first
    reasons: Mapping[Reason, int]
    nearest: tuple[NearEntry, ...]
    suggestion: Suggestion
    disliked: tuple[str, ...] = ()  # entries whose answer to these questions got 👎


@dataclass(frozen=True)
class GapReport:
    clusters: tuple[Cluster, ...]
    questions: int  # every gap question considered
    without_topic: int  # questions with no topic word ("hej?"): nothing to cluster

    def cluster(self, cluster_id: str) -> Cluster | None:
        wanted = cluster_id.strip().lower()
        return next((c for c in self.clusters if c.id == wanted), None)


# -- reading a question the engine's way ------------------------------------------------------


@dataclass(frozen=True)
class _Concept:
    """One topic word of a question: every index term standing for it, and its weight."""

    stem: str
    terms: Mapping[str, float]  # term -> how fully it stands for the word (1 or PART_MATCH)
    mass: float  # the word's rarity in the knowledge base (idf): rare words decide topics
    number: int  # one concept object per distinct word: the number names it


@dataclass
class _Phrasing:
    key: str  # folded words: phrasings equal up to case, accents and punctuation
    spellings: Counter[str] = field(default_factory=Counter)
    records: list[GapQuestion] = field(default_factory=list)
    concepts: tuple[_Concept, ...] = ()

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def text(self) -> str:
        return min(self.spellings.items(), key=lambda item: (-item[1], item[0]))[0]


class _Reader:
    """Reads questions into concepts, once per distinct word, and knows which concepts match.

    Logs repeat their words, so each distinct word is analysed once, and the soft matches
    between words (shared terms, spelling variants) are found once for the whole log
    (``link``) rather than again for every pair of questions.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._by_word: dict[tuple[str, str], _Concept] = {}
        self._by_phrase: dict[tuple[str, tuple[tuple[str, float], ...]], _Concept] = {}
        self._all: list[_Concept] = []
        self._neighbours: list[dict[int, float]] = []  # concept -> other concepts it matches

    def concepts(self, text: str) -> tuple[_Concept, ...]:
        """The question's topic words, each with the index terms the engine would give it."""
        lang = self.kb.detect_language(text)
        concepts: list[_Concept] = []
        seen: set[str] = set()
        for word in words(text):
            if not is_content_word(word) or word in GENERIC_WORDS or word in QUESTION_WORDS:
                continue
            concept = self._by_word.get((word, lang))
            if concept is None:
                concept = self._by_word[(word, lang)] = self._word(word, lang)
            if concept.stem not in seen:
                seen.add(concept.stem)
                concepts.append(concept)
        # Multi-word synonyms ("gender mainstreaming" = "JI") only show in the whole question.
        for group in self.kb.index.parse(text, lang).groups:
            if group.how == "synonym" and group.label not in seen:
                seen.add(group.label)
                key = (group.label, tuple(group.alternatives))
                concept = self._by_phrase.get(key)
                if concept is None:
                    terms = dict(group.alternatives)
                    concept = self._by_phrase[key] = self._new(group.label, terms, group.idf)
                concepts.append(concept)
        return tuple(concepts)

    def _word(self, word: str, lang: Lang) -> _Concept:
        index = self.kb.index
        own = stem(word, lang)
        terms: dict[str, float] = {own: 1.0}
        for term, share in index.analyzer.word_terms(word, lang):
            terms[term] = max(terms.get(term, 0.0), PART_MATCH if share < 1.0 else 1.0)
        # The engine's rescue of an unknown word: compound parts, other language, typos.
        for group in index.parse(word, lang).groups:
            full = group.how in ("exact", "other-lang", "synonym")
            for term, weight in group.alternatives:
                share = 1.0 if full else PART_MATCH * weight if group.how == "compound" else weight
                terms[term] = max(terms.get(term, 0.0), share)
        idf = max((index.postings.idf(t) for t in terms if t in index.postings), default=None)
        return self._new(own, terms, index.unknown_idf if idf is None else idf)

    def _new(self, label: str, terms: dict[str, float], mass: float) -> _Concept:
        concept = _Concept(label, terms, max(mass, 1e-6), len(self._all))
        self._all.append(concept)
        return concept

    def link(self) -> None:
        """Find every pair of concepts that match at all (they share a key), once."""
        buckets: dict[str, list[int]] = defaultdict(list)
        for concept in self._all:
            for key in _keys(concept):
                buckets[key].append(concept.number)
        self._neighbours = [{} for _ in self._all]
        done: set[tuple[int, int]] = set()
        for members in buckets.values():
            for i, first in enumerate(members):
                for second in members[i + 1 :]:
                    if (first, second) in done:
                        continue
                    done.add((first, second))
                    weight = _concept_match(self._all[first], self._all[second])
                    if weight > 0:
                        self._neighbours[first][second] = weight
                        self._neighbours[second][first] = weight

    def neighbours(self, concept: _Concept) -> Iterable[int]:
        return self._neighbours[concept.number]

    def similarity(self, a: Sequence[_Concept], b: Sequence[_Concept]) -> float:
        """Soft weighted Dice of two questions' topic words, 0..1 (rare words weigh most)."""
        total = sum(c.mass for c in a) + sum(c.mass for c in b)
        return (self._matched(a, b) + self._matched(b, a)) / total if total > 0 else 0.0

    def _matched(self, a: Sequence[_Concept], b: Sequence[_Concept]) -> float:
        """The mass of ``a``'s concepts found in ``b``, each by its best match there."""
        others = [c.number for c in b]
        matched = 0.0
        for concept in a:
            if concept.number in others:
                matched += concept.mass
                continue
            neighbours = self._neighbours[concept.number]
            if neighbours:
                matched += concept.mass * max(neighbours.get(o, 0.0) for o in others)
        return matched


def _concept_match(a: _Concept, b: _Concept) -> float:
    """How far two topic words are the same word: shared terms first, then spelling."""
    best = 0.0
    small, large = (a.terms, b.terms) if len(a.terms) <= len(b.terms) else (b.terms, a.terms)
    for term, weight in small.items():
        other = large.get(term)
        if other is not None:
            best = max(best, min(weight, other))
    if best < 1.0 and min(len(a.stem), len(b.stem)) >= MIN_FUZZY_STEM:
        closeness = Levenshtein.normalized_similarity(a.stem, b.stem)
        if closeness >= FUZZY_STEM:
            best = max(best, closeness * 0.9)
    return best


# -- clustering -------------------------------------------------------------------------------


def _keys(concept: _Concept) -> set[str]:
    """What two concepts must share to match at all: a term, or the start of a stem
    (for spelling variants; a typo in the first three letters is not caught)."""
    keys = set(concept.terms)
    if len(concept.stem) >= MIN_FUZZY_STEM:
        keys.add("^" + concept.stem[:3])
    return keys


def _prefix(concepts: Sequence[_Concept]) -> list[_Concept]:
    """The heaviest concepts of a question, enough that the rest weigh less than
    LINK_THRESHOLD of it: a question reaching the threshold with another must match one of
    these (prefix filtering), so only such pairs are compared."""
    total = sum(c.mass for c in concepts)
    rest = total
    prefix = []
    for concept in sorted(concepts, key=lambda c: (-c.mass, c.stem)):
        if rest < LINK_THRESHOLD * total:
            break
        prefix.append(concept)
        rest -= concept.mass
    return prefix


def _candidate_pairs(reader: _Reader, items: Sequence[_Phrasing]) -> set[tuple[int, int]]:
    """Pairs that can reach LINK_THRESHOLD: one's heavy concepts match a concept of the other.

    In a soft Dice ≥ T one of the two questions has at least T of its own mass matched,
    which needs a match among its prefix concepts (match weights are at most 1).
    """
    holders: dict[int, list[int]] = defaultdict(list)  # concept -> items using it
    for number, item in enumerate(items):
        for concept in item.concepts:
            holders[concept.number].append(number)
    pairs: set[tuple[int, int]] = set()
    for number, item in enumerate(items):
        for concept in _prefix(item.concepts):
            for match in (concept.number, *reader.neighbours(concept)):
                pairs.update(
                    (min(number, o), max(number, o)) for o in holders.get(match, ()) if o != number
                )
    return pairs


def _pair_similarities(
    reader: _Reader,
    items: Sequence[_Phrasing],
    embed: VectorFunction | None,
    semantic_threshold: float,
) -> dict[tuple[int, int], float]:
    reader.link()
    sims: dict[tuple[int, int], float] = {}
    for i, j in _candidate_pairs(reader, items):
        value = reader.similarity(items[i].concepts, items[j].concepts)
        if value > 0:
            sims[(i, j)] = value
    if embed is not None and len(items) > 1:
        vectors = np.asarray(embed([item.text for item in items]), dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = vectors / np.where(norms > 0, norms, 1.0)
        cosines = np.triu(unit @ unit.T, k=1)
        for i, j in zip(*np.nonzero(cosines >= semantic_threshold), strict=True):
            # A semantic match counts as a link, however few words are shared.
            link = LINK_THRESHOLD + (1 - LINK_THRESHOLD) * float(cosines[i, j])
            sims[(int(i), int(j))] = max(sims.get((int(i), int(j)), 0.0), link)
    return sims


def _average_linkage(size: int, sims: Mapping[tuple[int, int], float]) -> list[list[int]]:
    """Agglomerative clustering: merge the two closest groups while their average pairwise
    similarity (missing pairs count 0) reaches LINK_THRESHOLD. Average linkage does not
    chain unrelated questions through one middling neighbour the way single linkage does.
    Ties break on the smaller group numbers, so the result depends on the input order only."""
    members: dict[int, list[int]] = {i: [i] for i in range(size)}
    totals: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), value in sims.items():
        totals[i][j] = value
        totals[j][i] = value
    heap = [(-value, i, j) for (i, j), value in sims.items() if value >= LINK_THRESHOLD]
    heapq.heapify(heap)
    next_id = size
    while heap:
        negative, i, j = heapq.heappop(heap)
        if i not in members or j not in members:
            continue
        current = totals[i].get(j, 0.0) / (len(members[i]) * len(members[j]))
        if abs(current + negative) > 1e-12:
            continue  # stale: one side has grown since this pair was queued
        merged = next_id
        next_id += 1
        members[merged] = members.pop(i) + members.pop(j)
        neighbours = (set(totals.pop(i)) | set(totals.pop(j))) - {i, j}
        for k in sorted(neighbours):
            total = totals[k].pop(i, 0.0) + totals[k].pop(j, 0.0)
            totals[k][merged] = total
            totals[merged][k] = total
            average = total / (len(members[merged]) * len(members[k]))
            if average >= LINK_THRESHOLD:
                heapq.heappush(heap, (-average, min(k, merged), max(k, merged)))
    return [sorted(group) for _, group in sorted(members.items())]


def cluster_id(keys: Iterable[str]) -> str:
    """A short id from the cluster's content: the first of its phrasings in folded order.

    It stays the same as long as no new phrasing that sorts before it joins the cluster,
    whatever else is asked meanwhile, so a listing and a later ``--apply`` agree.
    """
    anchor = min(keys)
    return hashlib.sha1(anchor.encode("utf-8")).hexdigest()


def _unique_ids(anchors: Sequence[str]) -> list[str]:
    """Shortest prefixes (at least ID_LENGTH hex digits) that tell the clusters apart."""
    length = ID_LENGTH
    while len({a[:length] for a in anchors}) < len(set(anchors)) and length < 40:
        length += 2
    return [a[:length] for a in anchors]


# -- nearest entries and the suggestion --------------------------------------------------------


def _nearest(
    kb: KnowledgeBase, phrasings: Sequence[_Phrasing], limit: int = NEAREST
) -> list[NearEntry]:
    """Entries by their search score averaged over the cluster's questions (asked ones weigh
    by how often they were asked); an entry a phrasing does not retrieve scores 0 for it."""
    weight = sum(p.count for p in phrasings)
    sums: dict[str, float] = defaultdict(float)
    titles: dict[str, str] = {}
    for phrasing in phrasings:
        for entry, score in kb.search(phrasing.text, limit=5):
            sums[entry.id] += score * phrasing.count
            sv = kb.get(entry.id, "sv")
            titles.setdefault(entry.id, sv.title if sv else entry.title)
    ranked = sorted(sums.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [NearEntry(i, titles[i], round(total / weight, 4)) for i, total in ranked]


def _suggest(nearest: Sequence[NearEntry], disliked: Iterable[str]) -> Suggestion:
    """Add to the closest entry when it is close enough, unless its answer is what got 👎."""
    excluded = set(disliked)
    for near in nearest:
        if near.score < NEAR_SCORE:
            break
        if near.id not in excluded:
            return Suggestion("add", near.id)
    return Suggestion("new")


# -- the whole report -------------------------------------------------------------------------


def find_gaps(
    kb: KnowledgeBase,
    questions: Iterable[GapQuestion],
    *,
    embed: VectorFunction | None = None,
    semantic_threshold: float = 0.85,
) -> GapReport:
    """Cluster the failed questions and suggest, for each cluster, where its answer belongs.

    ``embed`` (optional) maps texts to vectors; pairs whose cosine reaches
    ``semantic_threshold`` are linked even when they share no word.
    The result is deterministic for the same questions and knowledge base: clusters are
    ordered by size, then id.
    """
    by_key: dict[str, _Phrasing] = {}
    total = 0
    for record in questions:
        total += 1
        key = phrasing_key(record.question)
        phrasing = by_key.setdefault(key, _Phrasing(key))
        phrasing.spellings[" ".join(record.question.split())] += 1
        phrasing.records.append(record)
    items: list[_Phrasing] = []
    without_topic = 0
    reader = _Reader(kb)
    for key in sorted(by_key):
        phrasing = by_key[key]
        phrasing.concepts = reader.concepts(phrasing.text) if key else ()
        if phrasing.concepts:
            items.append(phrasing)
        else:
            without_topic += phrasing.count
    groups = _average_linkage(
        len(items), _pair_similarities(reader, items, embed, semantic_threshold)
    )
    anchors = [cluster_id(items[i].key for i in group) for group in groups]
    clusters = [
        _cluster(kb, cid, [items[i] for i in group])
        for cid, group in zip(_unique_ids(anchors), groups, strict=True)
    ]
    clusters.sort(key=lambda c: (-c.count, c.id))
    return GapReport(tuple(clusters), total, without_topic)


def _cluster(kb: KnowledgeBase, cid: str, phrasings: list[_Phrasing]) -> Cluster:
    phrasings.sort(key=lambda p: (-p.count, p.key))
    reasons: Counter[Reason] = Counter()
    disliked: set[str] = set()
    for phrasing in phrasings:
        for record in phrasing.records:
            reasons.update(record.reasons)
            if "not_helpful" in record.reasons and record.entry_id:
                disliked.add(record.entry_id)
    nearest = _nearest(kb, phrasings)
    return Cluster(
        id=cid,
        count=sum(p.count for p in phrasings),
        phrasings=tuple(Phrasing(p.text, p.count) for p in phrasings),
        reasons={reason: reasons[reason] for reason in REASONS if reasons[reason]},
        nearest=tuple(nearest),
        suggestion=_suggest(nearest, disliked),
        disliked=tuple(sorted(disliked)),
    )
