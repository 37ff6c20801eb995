"""Abbreviations a knowledge base defines itself, read from its own text.

Writers introduce an abbreviation once, in parentheses: "Sveriges Kommuner och Regioner
(SKR)", "jämställdhetsintegrering (JI)", or the other way round: "SKR (Sveriges Kommuner
och Regioner)". Staff then ask with the short form only. Every such pair becomes a
synonym group, so a knowledge base without a ``synonyms.yaml`` (or one that forgot a
term) still answers "vad gör SKR?".

The long form is found with the Schwartz-Hearst algorithm (Schwartz & Hearst 2003,
"A simple algorithm for identifying abbreviation definitions"): the shortest run of
preceding words in which the abbreviation's letters occur in order, its first letter
starting a word. It needs no vocabulary, so it works for any content, in any language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.text import fold, is_content_word

# Every parenthesis is looked at once, anchored at its "(": a pattern that had to find the
# long form first scanned the same sentence again from every position (slow on big KBs).
_PARENTHESIS = re.compile(r"\(\s*([^()\n]{1,120}?)\s*\)")
_SHORT_TOKEN = re.compile(r"[^\W_][\w\-]{1,9}")
_TOKEN_BEFORE = re.compile(r"([^\W_][\w\-]{1,9})\s*$")
_CLAUSE_BREAK = re.compile(r"[\n().;:!?\[\]]")
_LOOK_BACK = 300  # characters before a parenthesis that may hold its long form
_WORD = re.compile(r"[^\W_][\w\-]*")


def _is_short_form(text: str) -> bool:
    """An abbreviation: one token, starts with a letter, two or more capitals ("JI", "JiM")."""
    return (
        2 <= len(text) <= 10
        and text[0].isalpha()
        and sum(ch.isupper() for ch in text) >= 2
        and any(ch.isalpha() for ch in text[1:])
    )


def long_form(short: str, candidate: str) -> str | None:
    """The end of ``candidate`` that the abbreviation ``short`` stands for, or None.

    Matches the abbreviation's letters right to left against the candidate; the first
    letter must begin a word. Capped at min(|short| + 5, 2 * |short|) words, as in the
    original algorithm, so a whole sentence never becomes a "long form".
    """
    limit = min(len(short) + 5, 2 * len(short))
    words = _WORD.findall(candidate)[-limit:]
    # Folded word by word (never empty), so a position in ``text`` maps back to a word.
    text = " ".join(fold(w) or "_" for w in words)
    letters = [ch for ch in fold(short) if ch.isalnum()]
    if not letters or not text:
        return None
    position = len(text) - 1
    for number in range(len(letters) - 1, -1, -1):
        letter = letters[number]
        while position >= 0 and (
            text[position] != letter
            or (number == 0 and position > 0 and text[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
    first_word = text.count(" ", 0, position + 1)
    found = " ".join(words[first_word:])
    if len(found) <= len(short) or fold(found) == fold(short):
        return None
    edges = words[first_word], words[-1]
    if not all(is_content_word(fold(w)) for w in edges):  # "ni vi hur (NVH)" defines nothing
        return None
    return found


def find_abbreviations(text: str) -> list[tuple[str, str]]:
    """(short form, long form) pairs defined in ``text``."""
    pairs: list[tuple[str, str]] = []
    for match in _PARENTHESIS.finditer(text):
        inside = match.group(1)
        before = _CLAUSE_BREAK.split(text[max(0, match.start() - _LOOK_BACK) : match.start()])[-1]
        if _SHORT_TOKEN.fullmatch(inside):  # "long form (SHORT)"
            if _is_short_form(inside):
                found = long_form(inside, before)
                if found:
                    pairs.append((inside, found))
            continue
        short = _TOKEN_BEFORE.search(before)  # "SHORT (long form)"
        if short and _is_short_form(short.group(1)) and len(inside) >= 4 and " " in inside:
            found = long_form(short.group(1), inside)
            # The whole parenthesis must be the definition, not just its last words.
            if found and fold(found) == fold(" ".join(_WORD.findall(inside))):
                pairs.append((short.group(1), found))
    return pairs


def abbreviation_groups(texts: Iterable[str]) -> list[list[str]]:
    """Synonym groups [short form, long forms...] from every text of a knowledge base."""
    groups: dict[str, dict[str, str]] = {}
    for text in texts:
        if "(" not in text:
            continue
        for short, found in find_abbreviations(text):
            groups.setdefault(short, {}).setdefault(fold(found), found)
    return [[short, *forms.values()] for short, forms in groups.items()]
