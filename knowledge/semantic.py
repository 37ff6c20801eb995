"""Semantic retrieval: question vector against the vectors of every entry's titles and
example questions (in every language the entry has).

An entry's similarity is its best-matching text's cosine: one example question phrased
like the user's question is the strongest evidence, as in the lexical
``ExampleQuestionScorer``. Candidates come from one matrix product against each entry's
mean vector (cheap at any size), then are scored exactly against their own texts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.embedders import Embedder
from knowledge.vectors import VectorStore

CENTROID_BLOCK = 4096  # documents per step when averaging vectors at load


class SemanticIndex:
    """Per-entry text vectors plus one normalised mean vector per entry for candidate search."""

    def __init__(
        self, embedder: Embedder, texts_per_doc: Sequence[Sequence[str]], cache_name: str
    ) -> None:
        self.embedder = embedder
        self.store = VectorStore(embedder)
        flat = [text for texts in texts_per_doc for text in texts]
        self.offsets = np.zeros(len(texts_per_doc) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in texts_per_doc], out=self.offsets[1:])
        self.vectors = self.store.vectors(flat, cache_name)
        self.embedded_at_load = self.store.embedded
        self.centroids = self._centroids(len(texts_per_doc), embedder.dim)

    def _centroids(self, docs: int, dim: int) -> np.ndarray:
        """Each document's normalised mean vector, a block of documents at a time (a float32
        copy of every vector at once would cost 1.5 KB per text: 750 MB at 100k entries)."""
        centroids = np.zeros((docs, dim), dtype=np.float32)
        for first in range(0, docs, CENTROID_BLOCK):
            last = min(first + CENTROID_BLOCK, docs)
            starts = self.offsets[first:last]
            filled = self.offsets[first + 1 : last + 1] > starts
            if not filled.any():
                continue
            base = int(self.offsets[first])
            block = np.asarray(self.vectors[base : int(self.offsets[last])], dtype=np.float32)
            sums = np.add.reduceat(block, starts[filled] - base)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            centroids[first:last][filled] = sums / np.maximum(norms, 1e-9)
        return centroids

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_query(text)

    def candidates(self, query: np.ndarray, limit: int) -> list[int]:
        """Documents whose mean vector is closest to the question, best first."""
        if len(self.centroids) == 0:
            return []
        scores = self.centroids @ query
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        return [int(d) for d in top[np.argsort(-scores[top], kind="stable")]]

    def similarity(self, query: np.ndarray, docs: Sequence[int]) -> list[float]:
        """Each document's best cosine over its own texts (0 for a document without texts)."""
        result = []
        for doc in docs:
            start, end = int(self.offsets[doc]), int(self.offsets[doc + 1])
            if start == end:
                result.append(0.0)
                continue
            rows = np.asarray(self.vectors[start:end], dtype=np.float32)
            result.append(float((rows @ query).max()))
        return result
