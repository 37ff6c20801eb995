"""Builds the BM25F posting lists in bulk, so loading 10 000 entries takes about a second.

Python touches each distinct word of a text once (``Counter`` and ``map`` run in C) and
each distinct word of the whole knowledge base once (stemming, compounds, synonyms);
numpy does the per-posting arithmetic: expanding words to index terms, summing field
weights, BM25 saturation, impact ordering. The index only sees the finished lists.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise

import numpy as np

from knowledge.entry import Lang
from knowledge.flat_arrays import check_bounds, check_numbers
from knowledge.synonyms import Synonyms
from knowledge.text import is_content_word, stem, stem_all, words

Terms = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class FieldParams:
    weight: float
    b: float  # BM25 length normalisation: long bodies should not win by sheer length


FIELDS = ("title", "questions", "tags", "body")
FIELD_PARAMS = {
    "title": FieldParams(weight=2.5, b=0.3),
    "questions": FieldParams(weight=2.0, b=0.4),
    "tags": FieldParams(weight=1.5, b=0.2),
    "body": FieldParams(weight=1.0, b=0.75),
}
K1 = 1.2
MAX_POSTINGS_PER_TERM = 4096  # impact-ordered: beyond this a term only adds noise, not answers
# Small numpy temporaries are reused by malloc instead of faulting in fresh pages.
DOCS_PER_CHUNK = 1024


@dataclass
class CollectedWords:
    """Every distinct (word, language) of the corpus and, per text, how often each occurs."""

    words: list[tuple[str, Lang]] = field(default_factory=list)
    # Per text: its owner (doc * len(FIELDS) + field) and how many distinct words it has;
    # numpy expands them to one owner per word at the end (no per-word Python work).
    text_owners: array[int] = field(default_factory=lambda: array("i"))
    text_sizes: array[int] = field(default_factory=lambda: array("i"))
    word_ids: array[int] = field(default_factory=lambda: array("i"))
    counts: array[float] = field(default_factory=lambda: array("f"))
    phrase_owners: array[int] = field(default_factory=lambda: array("i"))
    phrase_terms: list[str] = field(default_factory=list)

    def owners(self) -> np.ndarray:
        """The owner of every recorded (text, word) count, in recording order."""
        return np.repeat(
            np.frombuffer(self.text_owners, dtype=np.int32),
            np.frombuffer(self.text_sizes, dtype=np.int32),
        )

    def surfaces(self) -> tuple[set[str], set[str]]:
        """Content words seen in Swedish texts and in English texts, in one pass."""
        by_lang: dict[Lang, set[str]] = {"sv": set(), "en": set()}
        for word, lang in self.words:
            by_lang[lang].add(word)
        return (
            {w for w in by_lang["sv"] if is_content_word(w)},
            {w for w in by_lang["en"] if is_content_word(w)},
        )


class _WordIds(dict[str, int]):
    """Word -> number; an unseen word is registered by ``__missing__``, so looking up every
    token stays one C-level ``map`` and Python runs once per distinct word, not per token."""

    def __init__(self, collector: WordCollector, lang: Lang) -> None:
        super().__init__()
        self._collector = collector
        self._lang = lang

    def __missing__(self, word: str) -> int:
        number = self._collector.register(word, self._lang)
        self[word] = number
        return number


class WordCollector:
    """First pass over the texts: word counts per (document, field), phrase-synonym hits."""

    def __init__(self, synonyms: Synonyms) -> None:
        self.synonyms = synonyms
        self.result = CollectedWords()
        self._ids: dict[Lang, _WordIds] = {"sv": _WordIds(self, "sv"), "en": _WordIds(self, "en")}
        self._phrase_starters: dict[Lang, set[str]] = {"sv": set(), "en": set()}
        self._content_stems = {"sv": _ContentStems("sv"), "en": _ContentStems("en")}

    def add(self, owner: int, text: str, lang: Lang) -> None:
        tokens = words(text)
        if not tokens:
            return
        counts = Counter(tokens)
        known = len(self.result.words)
        self.result.word_ids.extend(map(self._ids[lang].__getitem__, counts))
        if len(self.result.words) > known and self.synonyms.has_phrases:
            self._note_phrase_starters(self.result.words[known:], lang)
        self.result.counts.extend(counts.values())
        self.result.text_owners.append(owner)
        self.result.text_sizes.append(len(counts))
        if not self._phrase_starters[lang].isdisjoint(counts):
            self._add_phrases(owner, tokens, lang)

    def register(self, word: str, lang: Lang) -> int:
        """Number a new word."""
        self.result.words.append((word, lang))
        return len(self.result.words) - 1

    def _note_phrase_starters(self, new_words: list[tuple[str, Lang]], lang: Lang) -> None:
        """Remember which new words may start a multi-word synonym (stemmed in one batch)."""
        candidates = [
            w for w, _ in new_words if self.synonyms.may_start_phrase(w) and is_content_word(w)
        ]
        stem_all(candidates, lang)
        self._phrase_starters[lang].update(
            w for w in candidates if self.synonyms.starts_phrase(stem(w, lang))
        )

    def _add_phrases(self, owner: int, tokens: list[str], lang: Lang) -> None:
        """Phrase synonyms of a text, looked for only where a phrase's first word occurs."""
        starters = self._phrase_starters[lang]
        stems = self._content_stems[lang]
        for start in [i for i, word in enumerate(tokens) if word in starters]:
            following = (s for s in map(stems.__getitem__, islice(tokens, start, None)) if s)
            for term in self.synonyms.phrases_at(following):
                self.result.phrase_owners.append(owner)
                self.result.phrase_terms.append(term)


class _ContentStems(dict[str, str]):
    """Word -> its stem, or "" for a function word; filled on first sight of each word."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self._lang = lang

    def __missing__(self, word: str) -> str:
        found = stem(word, self._lang) if is_content_word(word) else ""
        self[word] = found
        return found


class PostingLists:
    """term -> (doc numbers, scores), best first, all terms' lists in two flat arrays.

    Flat arrays plus per-term bounds build far faster than one pair of arrays per term
    (no per-term Python objects); a term's lists are sliced out as views when asked for.
    """

    def __init__(
        self,
        term_ids: dict[str, int] | None = None,
        bounds: np.ndarray | None = None,
        docs: np.ndarray | None = None,
        scores: np.ndarray | None = None,
        idf: np.ndarray | None = None,
    ) -> None:
        self._ids = term_ids or {}
        self._bounds = bounds if bounds is not None else np.zeros(len(self._ids) + 1, np.int64)
        self._idf = idf if idf is not None else np.zeros(len(self._ids))
        self.docs = docs if docs is not None else np.zeros(0, np.int32)
        self.scores = scores if scores is not None else np.zeros(0, np.float32)

    def parts(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(terms in number order, bounds, docs, scores, idf): what the constructor takes
        back, with the term numbers as a plain list (the index cache stores them)."""
        return list(self._ids), self._bounds, self.docs, self.scores, self._idf

    @classmethod
    def from_parts(
        cls,
        terms: list[str],
        bounds: np.ndarray,
        docs: np.ndarray,
        scores: np.ndarray,
        idf: np.ndarray,
        size: int,
    ) -> PostingLists:
        """What ``parts`` gave, for ``size`` documents, checked to fit together first:
        ValueError rather than a question failing later on a stored file that does not."""
        what = "posting lists"
        if len(idf) != len(terms) or len(scores) != len(docs):
            raise ValueError(f"{what}: arrays of the wrong length")
        check_bounds(bounds, len(docs), what, len(terms) + 1)
        check_numbers(docs, size, what)
        return cls(dict(zip(terms, range(len(terms)), strict=True)), bounds, docs, scores, idf)

    def _number(self, term: object) -> int | None:
        number = self._ids.get(term) if isinstance(term, str) else None
        if number is None or self._bounds[number] == self._bounds[number + 1]:
            return None
        return number

    def __contains__(self, term: object) -> bool:
        return self._number(term) is not None

    def __getitem__(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        number = self._ids[term]
        start, end = int(self._bounds[number]), int(self._bounds[number + 1])
        return self.docs[start:end], self.scores[start:end]

    def idf(self, term: str, default: float = 0.0) -> float:
        number = self._number(term)
        return default if number is None else float(self._idf[number])


def build_postings(
    collected: CollectedWords, size: int, word_terms: Callable[[str, Lang], Terms]
) -> PostingLists:
    """BM25F posting lists for ``size`` documents from the collected word counts."""
    term_ids: dict[str, int] = {}
    flat_terms = array("i")
    flat_weights = array("f")
    pointer = array("q", [0])
    content = np.zeros(len(collected.words), dtype=np.float32)
    for number, (word, lang) in enumerate(collected.words):
        if is_content_word(word):
            content[number] = 1.0
            for term, weight in word_terms(word, lang):
                flat_terms.append(term_ids.setdefault(term, len(term_ids)))
                flat_weights.append(weight)
        pointer.append(len(flat_terms))
    for term in collected.phrase_terms:
        term_ids.setdefault(term, len(term_ids))
    if size == 0 or not term_ids:
        return PostingLists()

    owners = collected.owners()
    word_ids = np.frombuffer(collected.word_ids, dtype=np.int32)
    counts = np.frombuffer(collected.counts, dtype=np.float32)
    norms = _field_norms(owners, word_ids, counts, content, size)
    # Phrase-synonym hits join each chunk's sum (one sort per chunk, not another global one).
    phrase_owners = np.frombuffer(collected.phrase_owners, dtype=np.int32)
    phrases = (
        phrase_owners // len(FIELDS),
        np.fromiter(
            map(term_ids.__getitem__, collected.phrase_terms), np.int64, len(phrase_owners)
        ),
        norms[phrase_owners],
    )
    keys, values = _weighted_term_frequencies(
        owners,
        word_ids,
        counts,
        (
            np.frombuffer(pointer, dtype=np.int64),
            np.frombuffer(flat_terms, dtype=np.int32),
            np.frombuffer(flat_weights, dtype=np.float32),
        ),
        norms,
        size,
        phrases,
    )
    return _impact_ordered(keys, values, term_ids, size)


def _field_norms(
    owners: np.ndarray, word_ids: np.ndarray, counts: np.ndarray, content: np.ndarray, size: int
) -> np.ndarray:
    """Per (document, field): field weight / BM25 length normalisation."""
    slots = size * len(FIELDS)
    lengths = np.bincount(owners, weights=counts * content[word_ids], minlength=slots).reshape(
        size, len(FIELDS)
    )
    norms = np.zeros((size, len(FIELDS)), dtype=np.float32)
    for column, name in enumerate(FIELDS):
        params = FIELD_PARAMS[name]
        average = max(float(lengths[:, column].mean()), 1.0)
        norms[:, column] = params.weight / (
            1.0 - params.b + params.b * lengths[:, column] / average
        )
    return norms.reshape(slots)


def _weighted_term_frequencies(
    owners: np.ndarray,
    word_ids: np.ndarray,
    counts: np.ndarray,
    csr: tuple[np.ndarray, np.ndarray, np.ndarray],
    norms: np.ndarray,
    size: int,
    phrases: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """(term * size + doc) keys with summed field-weighted term frequencies, chunk by chunk.

    ``phrases`` are the phrase-synonym hits as (doc, term number, weighted frequency).
    """
    pointer, flat_terms, flat_weights = csr
    phrase_docs, phrase_terms, phrase_values = phrases
    per_word = (pointer[1:] - pointer[:-1]).astype(np.int64)
    docs = owners // len(FIELDS)
    chunk_docs = np.arange(0, size + DOCS_PER_CHUNK, DOCS_PER_CHUNK)
    bounds = np.searchsorted(docs, chunk_docs)
    phrase_bounds = np.searchsorted(phrase_docs, chunk_docs)
    all_keys, all_values = [], []
    for (start, end), (p_start, p_end) in zip(
        pairwise(bounds), pairwise(phrase_bounds), strict=True
    ):
        if start == end:
            continue
        w = word_ids[start:end]
        n = per_word[w]
        entry = np.repeat(np.arange(start, end), n)
        first = np.repeat(pointer[w], n)
        offset = np.arange(len(entry)) - np.repeat(np.cumsum(n) - n, n)
        slot = first + offset
        keys = flat_terms[slot].astype(np.int64) * size + docs[entry]
        values = counts[entry] * flat_weights[slot] * norms[owners[entry]]
        if p_start < p_end:
            keys = np.concatenate(
                [keys, phrase_terms[p_start:p_end] * size + phrase_docs[p_start:p_end]]
            )
            values = np.concatenate([values, phrase_values[p_start:p_end]])
        keys, values = _sum_by_key(keys, values)
        all_keys.append(keys)
        all_values.append(values)
    if not all_keys:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(all_keys), np.concatenate(all_values)


def _sum_by_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, np.bincount(inverse, weights=values).astype(np.float32)


def _impact_ordered(
    keys: np.ndarray, values: np.ndarray, term_ids: dict[str, int], size: int
) -> PostingLists:
    terms = keys // size
    docs = (keys % size).astype(np.int32)
    df = np.bincount(terms, minlength=len(term_ids))
    term_idf = np.log(1.0 + (size - df + 0.5) / (df + 0.5))
    scores = (term_idf[terms] * values * (K1 + 1.0) / (K1 + values)).astype(np.float32)
    # One float sort key: term number, then score descending (the fraction stays < 1).
    order = np.argsort(terms + 0.999 * (1.0 - scores / max(float(scores.max()) * 1.0001, 1e-9)))
    terms, docs, scores = terms[order], docs[order], scores[order]
    bounds = np.searchsorted(terms, np.arange(len(term_ids) + 1))
    # Impact order: beyond MAX_POSTINGS_PER_TERM a term's weakest postings are dropped.
    lengths = bounds[1:] - bounds[:-1]
    if (lengths > MAX_POSTINGS_PER_TERM).any():
        rank_in_term = np.arange(len(terms)) - np.repeat(bounds[:-1], lengths)
        kept = rank_in_term < MAX_POSTINGS_PER_TERM
        terms, docs, scores = terms[kept], docs[kept], scores[kept]
        bounds = np.searchsorted(terms, np.arange(len(term_ids) + 1))
    return PostingLists(term_ids, bounds, docs, scores, term_idf)


def collect(
    docs: Iterable[tuple[int, Sequence[tuple[str, Sequence[tuple[str, Lang]]]]]], synonyms: Synonyms
) -> CollectedWords:
    """Count the words of every (document number, [(field, [(text, lang)])])."""
    collector = WordCollector(synonyms)
    field_number = {name: i for i, name in enumerate(FIELDS)}
    for number, fields in docs:
        for name, texts in fields:
            owner = number * len(FIELDS) + field_number[name]
            by_lang: dict[Lang, list[str]] = {}
            for text, lang in texts:
                by_lang.setdefault(lang, []).append(text)
            for lang, parts in by_lang.items():
                collector.add(owner, "\n".join(parts), lang)
    return collector.result
