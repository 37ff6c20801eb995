"""The ``Embedder`` interface: what the engine needs from any sentence-embedding backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors in one space for questions and passages.

    ``model_id`` names the model and its version: it is part of every cached vector's key,
    so changing the model (or its quantisation) never reuses another model's vectors.
    Asymmetric models (E5: "query: " / "passage: ") get the prefixes from the two methods.
    Implementations must be safe to call from several threads at once.
    """

    model_id: str
    dim: int

    def embed_query(self, text: str) -> np.ndarray:
        """One question: a float32 vector of length ``dim``, unit length."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Entry texts (titles, example questions): float32 array (len(texts), dim), rows unit length."""
        ...
