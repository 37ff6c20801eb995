"""Entry-text vectors, cached on disk by content hash so nothing is embedded twice.

Every text (an entry's title or one example question) is keyed by a hash of the model id
and the text itself. Loading a knowledge base looks each key up in, in order, the vectors
shipped with the package (``knowledge/prebuilt/``, the bundled KB's) and the cache file of
this knowledge base; only texts found in neither are embedded. An edited entry therefore
re-embeds only its changed texts, and a restart re-embeds nothing.

Cache location: ``$JAMBOT_EMBEDDINGS_CACHE`` if set, else ``$XDG_CACHE_HOME/jambot/vectors``
(``~/.cache/jambot/vectors``), one sub-folder per model, one ``.npy`` file per knowledge-base
directory. Files are written to a temporary name and renamed into place, so replicas sharing
the folder never read a half-written file; two replicas embedding the same new texts at
once both write the same result. An unwritable cache only costs re-embedding next time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embedders import Embedder

log = logging.getLogger(__name__)

CACHE_ENV_VAR = "JAMBOT_EMBEDDINGS_CACHE"
PREBUILT = Path(__file__).resolve().parent / "prebuilt"
KEY_BYTES = 16
EMBED_BATCH = 32


def text_key(model_id: str, text: str) -> bytes:
    """The cache key of one passage text under one model."""
    return hashlib.sha256(f"{model_id}\x00passage\x00{text}".encode()).digest()[:KEY_BYTES]


def default_cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV_VAR, "").strip()
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "jambot" / "vectors"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def record_dtype(dim: int) -> np.dtype:
    """One cache record: the text's key and its vector (float16 halves disk and memory)."""
    return np.dtype([("key", f"V{KEY_BYTES}"), ("vec", "<f2", (dim,))])


def prebuilt_path(model_id: str) -> Path:
    return PREBUILT / f"{_safe(model_id)}.npy"


def read_records(path: Path, dim: int) -> np.ndarray | None:
    """A cache file memory-mapped (pages are read only when used), or None if unusable."""
    try:
        records = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        if not isinstance(exc, FileNotFoundError):
            log.warning("ignoring unreadable vector cache %s: %s", path, exc)
        return None
    if records.dtype != record_dtype(dim) or records.ndim != 1:
        log.warning("ignoring vector cache %s: written for another model shape", path)
        return None
    return records


def write_records(path: Path, keys: np.ndarray, vectors: np.ndarray) -> bool:
    """Write atomically (temporary file, then rename); False when the folder is not writable."""
    records = np.empty(len(keys), dtype=record_dtype(vectors.shape[1]))
    records["key"] = keys
    records["vec"] = vectors
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npy")
        try:
            os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the file from other replicas' users
            with os.fdopen(fd, "wb") as handle:
                np.save(handle, records, allow_pickle=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning(
            "could not write the vector cache %s (%s); texts will be re-embedded", path, exc
        )
        return False
    return True


class VectorStore:
    """Looks texts' vectors up in the shipped and cached files, embeds and caches the rest."""

    def __init__(self, embedder: Embedder, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        self.cache_dir = (cache_dir or default_cache_dir()) / _safe(embedder.model_id)
        self.embedded = 0  # texts embedded by the last ``vectors`` call (for benches and tests)

    def cache_file(self, name: str) -> Path:
        return self.cache_dir / f"{hashlib.sha256(name.encode()).hexdigest()[:24]}.npy"

    def vectors(self, texts: Sequence[str], name: str) -> np.ndarray:
        """float16 vectors (len(texts), dim) of ``texts``, in order; ``name`` names the cache
        file (the knowledge base's directory), which afterwards holds exactly these texts."""
        dim = self.embedder.dim
        model = self.embedder.model_id
        keys = np.frombuffer(b"".join(text_key(model, t) for t in texts), dtype=f"V{KEY_BYTES}")
        path = self.cache_file(name)
        own = read_records(path, dim)
        if own is not None and len(own) == len(keys) and np.array_equal(own["key"], keys):
            self.embedded = 0
            return own["vec"]  # the usual restart: the file is this KB, row for row (mmap)
        out = np.zeros((len(texts), dim), dtype=np.float16)
        found = np.zeros(len(texts), dtype=bool)
        for records in (read_records(prebuilt_path(model), dim), own):
            if records is None or found.all():
                continue
            rows = {bytes(k): i for i, k in enumerate(records["key"])}
            for i in np.flatnonzero(~found):
                row = rows.get(bytes(keys[i]))
                if row is not None:
                    out[i] = records["vec"][row]
                    found[i] = True
        missing = np.flatnonzero(~found)
        self.embedded = len(missing)
        if len(missing):
            log.info("embedding %d new texts with %s", len(missing), model)
            for start in range(0, len(missing), EMBED_BATCH):
                batch = missing[start : start + EMBED_BATCH]
                out[batch] = self.embedder.embed_passages([texts[i] for i in batch])
        # Nothing new and no file of its own (the bundled KB, all shipped): nothing to write,
        # which also keeps a read-only container from warning at every start.
        if self.embedded or own is not None:
            write_records(path, keys, out)
        return out
