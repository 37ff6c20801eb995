"""Synonym groups from a knowledge base's ``synonyms.yaml``, applied at index and query time.

Every phrase of a group is reduced to its content-word stems (in Swedish and English
form) and stands for one shared group term. An entry mentioning "gender mainstreaming"
and a question saying "JI" then share that term even though they share no word.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.text import is_content_word, stem, words

Phrase = tuple[str, ...]


def group_term(group_index: int) -> str:
    """The index term standing for a synonym group (cannot collide with a word: '~')."""
    return f"~syn{group_index}"


class Synonyms:
    """Finds synonym phrases in sequences of stems."""

    def __init__(self, groups: Sequence[Sequence[str]] = ()) -> None:
        self.groups: tuple[tuple[str, ...], ...] = tuple(tuple(g) for g in groups)
        self._by_first: dict[str, list[tuple[Phrase, str]]] = {}
        self._single: dict[str, set[str]] = {}
        for index, group in enumerate(self.groups):
            term = group_term(index)
            for phrase in group:
                for stems in _phrase_variants(phrase):
                    if len(stems) == 1:
                        self._single.setdefault(stems[0], set()).add(term)
                    else:
                        self._by_first.setdefault(stems[0], []).append((stems, term))
        # Snowball stemmers only rewrite word endings, so a word and its stem share their
        # first two letters: a cheap filter before stemming every new word of a corpus.
        self._first_prefixes = frozenset(first[:2] for first in self._by_first)

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def has_phrases(self) -> bool:
        return bool(self._by_first)

    def may_start_phrase(self, word: str) -> bool:
        """False when the (folded) word cannot stem to the first word of any phrase."""
        return word[:2] in self._first_prefixes

    def starts_phrase(self, stem_: str) -> bool:
        """Whether a multi-word phrase begins with ``stem_`` (most words never do)."""
        return stem_ in self._by_first

    def terms_for_stem(self, stem_: str) -> set[str]:
        """Group terms of one-word phrases equal to ``stem_``."""
        return self._single.get(stem_, set())

    def phrase_matches(self, positions: Sequence[set[str]]) -> list[tuple[int, int, str]]:
        """Multi-word phrases found in ``positions`` (each a set of possible stems).

        Returns (start, end, group term) with ``end`` exclusive.
        """
        found: set[tuple[int, int, str]] = set()
        if not self._by_first:
            return []
        for start, options in enumerate(positions):
            for first in options:
                for stems, term in self._by_first.get(first, ()):
                    end = start + len(stems)
                    if end <= len(positions) and all(
                        s in positions[start + k] for k, s in enumerate(stems)
                    ):
                        found.add((start, end, term))
        return sorted(found)


def _phrase_variants(phrase: str) -> set[Phrase]:
    content = [w for w in words(phrase) if is_content_word(w)]
    if not content:
        return set()
    return {tuple(stem(w, "sv") for w in content), tuple(stem(w, "en") for w in content)}
