"""Every string the bot shows people, Swedish first and English, in one folder for review.

Each module holds one area's strings as ``{key: {"sv": ..., "en": ...}}``;
``t()`` looks a key up and fills in ``str.format`` placeholders.
"""

from __future__ import annotations

from typing import Any

from bot.texts import analysis, answers, board, conversation, demo, gaps, reporting
from bot.texts import cli as cli_texts
from bot.texts import security as security_texts

_CATALOGUE: dict[str, dict[str, str]] = {}
for _module in (
    conversation,
    reporting,
    answers,
    board,
    demo,
    gaps,
    security_texts,
    analysis,
    cli_texts,
):
    for _key, _value in _module.TEXTS.items():
        if _key in _CATALOGUE:
            raise RuntimeError(f"text key defined twice: {_key}")
        _CATALOGUE[_key] = _value


def t(key: str, lang: str = "sv", **values: Any) -> str:
    """The text for ``key`` in ``lang`` (Swedish when no English exists)."""
    variants = _CATALOGUE[key]
    template = variants.get(lang) or variants["sv"]
    return template.format(**values) if values else template


def keys() -> frozenset[str]:
    return frozenset(_CATALOGUE)
