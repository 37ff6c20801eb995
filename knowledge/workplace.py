"""Questions about the asker's own workplace, which no knowledge base of ours can answer.

"vem är min chef", "jag har glömt mitt lösenord", "var sitter strategerna", "när kommer
lönen": such questions share words with the domain ("chef", "strateg", "lön"), so lexical
and semantic evidence alike point at an entry on roles or pay surveys, with high confidence
(issue 9). What gives them away is the kind of question, not its words' closeness to an
entry: a personal possessive in front of a workplace noun ("min chef", "my password"), office
logistics (lunch, rooms, passwords, payday, weather), or where someone sits. The engine
abstains on them unless the question also names a topic of the knowledge base's tags or
synonyms ("hur får jag min chef att prioritera jämställdhetsintegrering?" is a real question).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from knowledge.text import fold, is_content_word, words

# Folded (no diacritics). A possessive of the asker's own, singular: "våra chefer" is how the
# domain talks about roles, "min chef" is about the asker's boss.
_POSSESSIVES = frozenset({"min", "mitt", "mina", "my"})
# Nouns that, owned by the asker, are about their own job, not about gender mainstreaming.
_OWN_NOUNS = (
    "chef",
    "boss",
    "manager",
    "lon",
    "salary",
    "pay",
    "losenord",
    "password",
    "inlogg",
    "login",
    "konto",
    "account",
    "dator",
    "laptop",
    "computer",
    "telefon",
    "phone",
    "mobil",
    "mejl",
    "mail",
    "email",
    "semester",
    "vacation",
    "holiday",
    "schema",
    "schedule",
    "kontor",
    "office",
    "skrivbord",
    "desk",
    "rum",
    "room",
    "tidrapport",
    "timesheet",
    "sjukskrivning",
)
# Office logistics, whoever asks: word starts (compounds: "lunchmenyn", "konferensrummet").
_LOGISTICS = (
    "lunch",
    "fika",
    "kaffe",
    "coffee",
    "konferensrum",
    "motesrum",
    "sammantradesrum",
    "projektor",
    "losenord",
    "password",
    "wifi",
    "parkering",
    "parking",
    "garage",
    "nyckelkort",
    "passerkort",
    "friskvard",
    "tidrapport",
    "timesheet",
    "sjukanm",
    "semesterdag",
    "vacation",
    "lonedag",
    "loning",
    "payday",
    "vader",
    "vadret",
    "weather",
    "skrivare",
    "printer",
    "vpn",
    "tjansteres",
)
# Where a person or a unit sits or a room is: the knowledge base has no floor plan.
_WHEREABOUTS = re.compile(
    r"\b(?:var (?:sitter|finns|hittar jag) (?:\w+ )?(?:kontor|rum)|var sitter|vilket rum|"
    r"where (?:do|does|is|are) .*\b(?:sit|sits|office|desk)\b|which room|"
    r"book (?:a|the) (?:\w+ )?room|boka (?:ett |en )?(?:\w+ )?rum)\b"
)
# "when" + the pay itself: a salary date, not a pay survey ("lönekartläggning").
_WHEN = frozenset({"nar", "datum", "when", "date"})
_PAY = frozenset({"lon", "lonen", "salary", "paid"})


def _starts_with(word: str, starts: Collection[str]) -> bool:
    return any(word.startswith(start) for start in starts)


def workplace_words(question: str) -> set[str] | None:
    """The words that make ``question`` about the asker's own workplace, or None.

    An empty set means the question's form alone says so (where someone sits)."""
    folded = fold(question)
    if _WHEREABOUTS.search(folded):
        return set()
    tokens = words(question)
    found: set[str] = set()
    for i, token in enumerate(tokens):
        if token in _POSSESSIVES:
            # "min chef", "min närmaste chef", "my line manager"
            found.update(w for w in tokens[i + 1 : i + 3] if _starts_with(w, _OWN_NOUNS))
        elif _starts_with(token, _LOGISTICS):
            found.add(token)
    if _WHEN.intersection(tokens) and _PAY.intersection(tokens):
        found.update(_PAY.intersection(tokens))
    return found or None


def asks_about_own_workplace(question: str, is_topic: Callable[[str], bool]) -> bool:
    """Whether ``question`` is about the asker's workplace and names no topic of the knowledge
    base (``is_topic``: whether a folded content word is one of its titles' or tags' words)."""
    found = workplace_words(question)
    if found is None:
        return False
    if not found:  # where someone sits: no knowledge base has the floor plan
        return True
    others = [w for w in words(question) if is_content_word(w) and w not in found]
    return not any(is_topic(w) for w in others)
