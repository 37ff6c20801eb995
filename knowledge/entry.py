"""The knowledge base's data: plain, immutable values shared by the loader, index and callers.

They hold no behaviour so the chat core, the CLI and evaluations can pass them around
without knowing how they were parsed or ranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["sv", "en"]


@dataclass(frozen=True)
class Source:
    """A public text that backs an entry's answer."""

    title: str
    url: str = ""  # empty: no public address (e.g. the region's own minutes); cite the title


@dataclass(frozen=True)
class Entry:
    """One answer of the knowledge base, in one language.

    ``path`` is where it was read from, so problems and edits can point at the file.
    """

    id: str
    title: str
    body: str
    questions: tuple[str, ...]
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    lang: Lang = "sv"
    related: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True)
class Answer:
    """What the engine makes of a question.

    ``entry`` is None when the engine abstains; ``alternatives`` still lists the likely
    entries so the bot can offer "did you mean ...". ``lang`` is the question's language,
    and ``entry`` is already in that language when such a version exists. ``runner_up``:
    with an answer, the entry ranked second when it scored nearly as well, so the bot can
    offer it beside the answer (a confident answer with a close runner-up is where wrong
    answers gather).
    """

    question: str
    entry: Entry | None
    confidence: float
    alternatives: list[Entry] = field(default_factory=list)
    lang: Lang = "sv"
    runner_up: Entry | None = None

    @property
    def abstained(self) -> bool:
        return self.entry is None
