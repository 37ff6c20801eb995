"""Semantic retrieval: question vector against the vectors of every entry's titles,
example questions and the opening of its body (in every language the entry has).

An entry's similarity is its best-matching text's cosine: one example question phrased
like the user's question is the strongest evidence, as in the lexical
``ExampleQuestionScorer``. Candidates come from one matrix product against each entry's
mean vector (cheap at any size), then are scored exactly against their own texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
from threadpoolctl import threadpool_limits

from knowledge.embedders import Embedder
from knowledge.vectors import VectorStore

CENTROID_BLOCK = 4096  # documents per step when averaging vectors at load
# The body's opening says what the entry answers in words its example questions may lack
# (issue 9: pooled dev ranked-first 89.7% -> 91.5%; 200 and 600 chars did the same within
# a question). A whole body cost ~0.5 s to embed and added little; 350 chars cost ~50 ms.
# Also tried on dev and not adopted (fifth round): every paragraph's opening (2, 3 or 6 of
# them), and a short lead-in ("Några skäl:") joined with what follows. Each won the transfer
# KB 1-3 dev questions and lost the bundled one 1-3 (pooled balanced 92.6-93.1% vs 92.8%).
PASSAGE_CHARS = 350

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`>#|]+|^\s*(?:[-+]|\d+[.)])\s+", re.MULTILINE)


def body_passage(body: str, limit: int = PASSAGE_CHARS) -> str:
    """The body's first paragraph, Markdown stripped, cut at a word boundary within
    ``limit`` characters ('' for an empty body or ``limit`` 0)."""
    if limit <= 0:
        return ""
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    opening = paragraphs[0] if paragraphs else ""
    plain = " ".join(_MARKUP.sub("", _LINK.sub(r"\1", opening)).split())
    if len(plain) <= limit:
        return plain
    return plain[: limit + 1].rsplit(" ", 1)[0]


@cache
def one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process, once.

    The semantic stage's products are small (10k entries: one 10k x 384 by 384 product per
    question), and a second BLAS thread only competes with the embedding for the other
    core: on the 2-core dev machine, p50 at 10k entries went 23.3 -> 21.4 ms (p99 45 -> 39)
    in alternating runs of ``bench.kb_latency`` (issue 9).
    """
    threadpool_limits(limits=1, user_api="blas")


class SemanticIndex:
    """Per-entry text vectors plus one normalised mean vector per entry for candidate search."""

    def __init__(
        self, embedder: Embedder, texts_per_doc: Sequence[Sequence[str]], cache_name: str
    ) -> None:
        one_blas_thread()
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
        """Each document's best cosine over its own texts (0 for a document without texts).

        All the documents' rows are gathered and multiplied at once: one small product per
        document cost ~20 us each, a millisecond per question at 10k entries (issue 9).
        """
        if not len(docs):
            return []
        numbers = np.asarray(docs, dtype=np.int64)
        starts, ends = self.offsets[numbers], self.offsets[numbers + 1]
        lengths = ends - starts
        result = np.zeros(len(numbers), dtype=np.float32)
        filled = lengths > 0
        if filled.any():
            lengths = lengths[filled]
            # Row numbers of every filled document's texts, document after document.
            first_rows = np.repeat(starts[filled] - np.cumsum(lengths) + lengths, lengths)
            rows = first_rows + np.arange(int(lengths.sum()))
            cosines = np.asarray(self.vectors[rows], dtype=np.float32) @ query
            result[filled] = np.maximum.reduceat(cosines, np.cumsum(lengths) - lengths)
        return [float(c) for c in result]
