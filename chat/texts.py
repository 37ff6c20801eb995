"""Looking up user-facing strings: one catalogue built from modules of ``TEXTS`` dicts.

Each text module holds one area's strings as ``{key: {"sv": ..., "en": ...}}``. A package
that shows people words (``bot``, ``reminders``) keeps its modules in its own ``texts/``
folder and builds a ``Catalogue`` of them; ``bot``'s catalogue also takes in the reporting
cycle's, so every string stays reviewable and a key is defined exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any


class Catalogue:
    """Every key of the given text modules; a key defined twice is a start-up error."""

    def __init__(self, modules: Iterable[ModuleType]) -> None:
        self._texts: dict[str, dict[str, str]] = {}
        for module in modules:
            for key, variants in module.TEXTS.items():
                if key in self._texts:
                    raise RuntimeError(f"text key defined twice: {key}")
                self._texts[key] = variants

    def t(self, key: str, lang: str = "sv", **values: Any) -> str:
        """The text for ``key`` in ``lang`` (Swedish when no English exists)."""
        variants = self._texts[key]
        template = variants.get(lang) or variants["sv"]
        return template.format(**values) if values else template

    def keys(self) -> frozenset[str]:
        return frozenset(self._texts)
