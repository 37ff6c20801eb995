"""Greetings and thanks: a friendly word back, never a knowledge-base entry.

"tack" or "hej hej" is not a question; answering it with the nearest entry (or with
"I don't know") reads as a bot that does not listen. A message counts as small talk only
when every word in it is a greeting, a thanks or a courtesy filler, so "hej, vad är JI?"
still goes to the knowledge base.
"""

from __future__ import annotations

import re
from typing import Literal

from chat.replies import Lang

SmallTalk = Literal["greeting", "thanks"]

_GREETINGS_SV = frozenset(
    [
        "hej",
        "hejsan",
        "hejhej",
        "hallå",
        "halla",
        "tjena",
        "tjenare",
        "tja",
        "morrn",
        "morgon",
        "godmorgon",
        "goddag",
        "godkväll",
        "kväll",
        "tjo",
        "helg",
    ]
)
_GREETINGS_EN = frozenset("hi hello hey hiya morning evening howdy greetings weekend".split())  # noqa: SIM905
_THANKS_SV = frozenset("tack tackar tacksam tusen".split())  # noqa: SIM905
_THANKS_EN = frozenset("thanks thank thx ty cheers".split())  # noqa: SIM905
# Words that may come with a greeting or a thanks without making it a question.
_COURTESY_SV = frozenset(
    [
        "god",
        "så",
        "mycket",
        "för",
        "hjälpen",
        "svaret",
        "allt",
        "du",
        "på",
        "dig",
        "er",
        "en",
        "ha",
        "bra",
        "trevlig",
        "dag",
        "hur",
        "mår",
        "läget",
        "är",
        "det",
        "alla",
        "och",
        "vänner",
    ]
)
_COURTESY_EN = frozenset(
    [
        "you",
        "so",
        "much",
        "very",
        "a",
        "lot",
        "for",
        "the",
        "help",
        "there",
        "all",
        "good",
        "have",
        "nice",
        "day",
        "weekend",
        "how",
        "are",
        "is",
        "it",
        "going",
        "and",
        "everyone",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def small_talk(text: str) -> tuple[SmallTalk, Lang] | None:
    """("greeting" | "thanks", language) when ``text`` is only small talk, else None."""
    tokens = _WORD.findall(text.casefold())
    if not tokens or len(tokens) > 8:
        return None
    known = _GREETINGS_SV | _GREETINGS_EN | _THANKS_SV | _THANKS_EN | _COURTESY_SV | _COURTESY_EN
    if any(token not in known for token in tokens):
        return None
    english = any(t in _GREETINGS_EN or t in _THANKS_EN for t in tokens)
    swedish = any(t in _GREETINGS_SV or t in _THANKS_SV for t in tokens)
    if any(t in _THANKS_SV or t in _THANKS_EN for t in tokens):
        kind: SmallTalk = "thanks"
    elif english or swedish:
        kind = "greeting"
    else:
        return None  # courtesy words alone ("ha en bra dag" is one, "hur är det" is not)
    return kind, "en" if english and not swedish else "sv"
