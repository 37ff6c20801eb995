"""Rebuild the vectors shipped for the bundled knowledge base: ``make kb-vectors``.

    python -m knowledge.prebuild

The bundled KB's titles, example questions and body openings are embedded ahead of time, in
``knowledge/prebuilt/<model>.npy``, so the first ``make run`` on a fresh machine embeds
nothing. Run this after changing ``knowledge/content/`` and commit the file it writes;
``tests/knowledge/test_kb_vectors.py`` fails while it is stale. (A stale file still works:
the texts it lacks are embedded at load, ~15-20 ms each, ~40 ms per body opening, and cached.)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from knowledge.embedders import configured_embedder
from knowledge.engine import BUNDLED_CONTENT, KnowledgeBase
from knowledge.loader import load_directory
from knowledge.vectors import (
    KEY_BYTES,
    VectorStore,
    prebuilt_path,
    read_records,
    text_key,
    write_records,
)


def bundled_texts() -> list[str]:
    """Every text of the bundled KB the semantic index embeds, in index order."""
    loaded = load_directory(BUNDLED_CONTENT, warn=False)
    kb = KnowledgeBase(loaded.entries, loaded.synonyms, embedder=None)
    return [text for texts in kb.embedding_texts() for text in texts]


def missing_from_prebuilt(model_id: str) -> list[str]:
    """Bundled texts the shipped vectors of ``model_id`` lack (empty when up to date)."""
    records = read_records(prebuilt_path(model_id), 384)
    shipped = set() if records is None else {bytes(k) for k in records["key"]}
    return [t for t in bundled_texts() if text_key(model_id, t) not in shipped]


def main() -> int:
    embedder = configured_embedder()
    if embedder is None:
        print("kb-vectors: embeddings are off or failed to load (see the warning)", file=sys.stderr)
        return 1
    texts = bundled_texts()
    # Reuse what is shipped or cached; embed only new texts, into a scratch cache.
    with tempfile.TemporaryDirectory() as scratch:
        store = VectorStore(embedder, Path(scratch))
        vectors = store.vectors(texts, "bundled")
        keys = np.frombuffer(
            b"".join(text_key(embedder.model_id, t) for t in texts), dtype=f"V{KEY_BYTES}"
        )
        target = prebuilt_path(embedder.model_id)
        if not write_records(target, keys, np.asarray(vectors)):
            return 1
    print(f"{target}: {len(texts)} texts ({store.embedded} newly embedded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
