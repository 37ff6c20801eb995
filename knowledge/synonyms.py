"""Synonym groups from a knowledge base's ``synonyms.yaml``, applied at index and query time.

Every phrase of a group is reduced to its content-word stems (in Swedish and English
form) and stands for one shared group term. An entry mentioning "gender mainstreaming"
and a question saying "JI" then share that term even though they share no word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from knowledge.text import is_content_word, stem, words

Phrase = tuple[str, ...]

# The English stemmer's irregular forms whose stem starts differently (dying -> die).
_STEMS_CHANGING_START = frozenset({"dying", "lying", "tying"})


def group_term(group_index: int) -> str:
    """The index term standing for a synonym group (cannot collide with a word: '~')."""
    return f"~syn{group_index}"


class Synonyms:
    """Finds synonym phrases in sequences of stems."""

    def __init__(self, groups: Sequence[Sequence[str]] = ()) -> None:
        self.groups: tuple[tuple[str, ...], ...] = tuple(tuple(g) for g in groups)
        # Multi-word phrases as a trie of stems: matching costs the length of the text
        # matched, not the number of phrases that share a first word (a knowledge base
        # defining thousands of abbreviations has hundreds starting with one common word).
        self._phrases = _TrieNode()
        self._single: dict[str, set[str]] = {}
        for index, group in enumerate(self.groups):
            term = group_term(index)
            for phrase in group:
                for stems in _phrase_variants(phrase):
                    if len(stems) == 1:
                        self._single.setdefault(stems[0], set()).add(term)
                    else:
                        self._phrases.add(stems, term)
        # Snowball stemmers only rewrite word endings, so a word and its stem share their
        # first two letters (but for three irregular English words): a cheap filter before
        # stemming every new word of a corpus.
        self._first_prefixes = frozenset(first[:2] for first in self._phrases.children)

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def has_phrases(self) -> bool:
        return bool(self._phrases.children)

    def may_start_phrase(self, word: str) -> bool:
        """False when the (folded) word cannot stem to the first word of any phrase."""
        return word[:2] in self._first_prefixes or word in _STEMS_CHANGING_START

    def starts_phrase(self, stem_: str) -> bool:
        """Whether a multi-word phrase begins with ``stem_`` (most words never do)."""
        return stem_ in self._phrases.children

    def terms_for_stem(self, stem_: str) -> set[str]:
        """Group terms of one-word phrases equal to ``stem_``."""
        return self._single.get(stem_, set())

    def phrase_matches(self, positions: Sequence[set[str]]) -> list[tuple[int, int, str]]:
        """Multi-word phrases found in ``positions`` (each a set of possible stems).

        Returns (start, end, group term) with ``end`` exclusive.
        """
        found: set[tuple[int, int, str]] = set()
        root = self._phrases.children
        if not root:
            return []
        for start, options in enumerate(positions):
            frontier = [root[first] for first in options if first in root]
            end = start + 1
            while frontier:
                following = positions[end] if end < len(positions) else set()
                advanced: list[_TrieNode] = []
                for node in frontier:
                    found.update((start, end, term) for term in node.terms)
                    advanced.extend(node.children[s] for s in following if s in node.children)
                frontier = advanced
                end += 1
        return sorted(found)

    def phrases_at(self, stems: Iterable[str]) -> list[str]:
        """Group terms of the phrases that ``stems`` (a text's content-word stems from one
        position on) begins with; reads only as far as some phrase still matches."""
        found: list[str] = []
        node = self._phrases
        for stem_ in stems:
            child = node.children.get(stem_)
            if child is None:
                break
            found.extend(child.terms)
            node = child
        return found


class _TrieNode:
    """Phrases (as stem sequences) sharing a prefix; ``terms`` end exactly here."""

    __slots__ = ("children", "terms")

    def __init__(self) -> None:
        self.children: dict[str, _TrieNode] = {}
        self.terms: list[str] = []

    def add(self, stems: Phrase, term: str) -> None:
        node = self
        for stem_ in stems:
            node = node.children.setdefault(stem_, _TrieNode())
        if term not in node.terms:
            node.terms.append(term)


def _phrase_variants(phrase: str) -> set[Phrase]:
    content = [w for w in words(phrase) if is_content_word(w)]
    if not content:
        return set()
    return {tuple(stem(w, "sv") for w in content), tuple(stem(w, "en") for w in content)}
