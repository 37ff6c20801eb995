"""A built knowledge base kept on disk, so a restart skips parsing and indexing.

Parsing 10 000 entry files (YAML front matter, validation) and building the index
(tokenising, stemming, compound splitting, BM25F postings) cost seconds; reading the files
costs a fraction of that. So ``KnowledgeBase.load`` reads every file, hashes what it read,
and looks the hash up here: on a hit the entries, problems, warnings, synonym groups,
index, analysed example questions and embedding texts come back from one file, and only a
miss parses and indexes.

The key covers the content of every file read and its path (entries carry their path),
the code that turns them into an index (every module of the ``knowledge`` package and the
stemmer's version), and this file's format. Editing an entry, upgrading Jämbot or the
stemmer therefore rebuilds; nothing else can make the cached index differ from a fresh one.

Cache location: ``$JAMBOT_INDEX_CACHE`` if set (``off`` disables the cache), else
``$XDG_CACHE_HOME/jambot/index`` (``~/.cache/jambot/index``); one file per knowledge-base
directory. As with the vector cache, files are written to a temporary name and renamed into
place, so replicas sharing the folder never read a half-written file, and two replicas
building the same knowledge base write the same bytes. The file holds numpy arrays and
JSON, never pickles: a cache folder writable by someone else cannot run code here. An
unreadable or stale file is rebuilt; an unwritable folder only costs the rebuild next time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import pydantic_core
import snowballstemmer
import yaml

from knowledge.entry import Entry, Source
from knowledge.example_questions import ARRAY_NAMES as QUESTION_ARRAYS
from knowledge.example_questions import AnalysedQuestions
from knowledge.index import Analyzer, Index
from knowledge.loader import LoadedFiles, SourceFiles
from knowledge.postings import PostingLists
from knowledge.safe_yaml import Problem
from knowledge.synonyms import Synonyms
from knowledge.text import CompoundSplitter

log = logging.getLogger(__name__)

CACHE_ENV_VAR = "JAMBOT_INDEX_CACHE"
FORMAT = 2  # bump when the file's layout changes
_PACKAGE = Path(__file__).resolve().parent
_ARRAYS = ("bounds", "docs", "scores", "idf", *(f"questions_{a}" for a in QUESTION_ARRAYS))


@dataclass
class Built:
    """What loading a knowledge-base directory produces, as the cache stores it."""

    loaded: LoadedFiles
    index: Index
    embedding_texts: list[list[str]] | None  # None: not computed (embeddings were off)
    analysed_questions: AnalysedQuestions


def default_cache_dir() -> Path | None:
    """Where index files go; None when ``JAMBOT_INDEX_CACHE=off``."""
    configured = os.environ.get(CACHE_ENV_VAR, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "jambot" / "index"


@cache
def code_version() -> str:
    """A digest of the code that turns files into an index: any change to it rebuilds."""
    digest = hashlib.sha256(f"format {FORMAT}\0".encode())
    for source in sorted(_PACKAGE.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    # Stems, Unicode folding and the wording of validation problems come from these
    # (``importlib.metadata`` would cost 0.1 s of a load budget of 2 s).
    digest.update(f"python {sys.version} unicode {unicodedata.unidata_version}\0".encode())
    versions = (np.__version__, pydantic.VERSION, pydantic_core.__version__, yaml.__version__)
    digest.update(" ".join(versions).encode() + b"\0")
    for language in ("swedish", "english"):  # the stemmer code itself: it has no version
        module = sys.modules[type(snowballstemmer.stemmer(language)).__module__]
        digest.update(Path(module.__file__).read_bytes() if module.__file__ else b"?")
    return digest.hexdigest()


def content_key(source: SourceFiles) -> str:
    """The key of everything read from a directory, under this code version."""
    digest = hashlib.sha256(code_version().encode())
    files = list(source.entries)
    if source.synonyms is not None:
        files.append(source.synonyms)
    for path, text in files:
        digest.update(b"\0f" + str(path).encode("utf-8", "surrogateescape") + b"\0")
        if isinstance(text, Problem):
            digest.update(b"p" + json.dumps([text.line, text.message]).encode())
        else:
            digest.update(b"t" + text.encode("utf-8", "surrogateescape"))
    if source.missing is not None:
        digest.update(b"\0missing")
    return digest.hexdigest()


class IndexCache:
    """The cache file of one knowledge-base directory."""

    def __init__(self, directory: Path, cache_dir: Path) -> None:
        name = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:24]
        self.path = cache_dir / f"{name}.npz"

    @classmethod
    def for_directory(cls, source: SourceFiles) -> IndexCache | None:
        """The cache of what was read from ``source.root``; None when the cache is off or
        there is no such directory (nothing worth keeping)."""
        cache_dir = default_cache_dir()
        if cache_dir is None or source.missing is not None:
            return None
        return cls(source.root, cache_dir)

    def read(self, key: str) -> Built | None:
        """The knowledge base stored under ``key``, or None (absent, stale or unreadable)."""
        try:
            with np.load(self.path, allow_pickle=False) as stored:
                meta = json.loads(bytes(stored["meta"]).decode())
                if meta.get("key") != key:
                    return None
                arrays = [stored[name] for name in _ARRAYS]
            return _restore(meta, arrays)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            log.warning("ignoring unreadable index cache %s (%s); rebuilding", self.path, exc)
            return None

    def write(self, key: str, built: Built) -> bool:
        """Store atomically (temporary file, then rename); False when it could not be written."""
        meta, arrays = _parts(key, built)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".npz")
            try:
                os.fchmod(
                    fd, 0o644
                )  # mkstemp's 0600 would hide the file from other replicas' users
                with os.fdopen(fd, "wb") as handle:
                    named: dict[str, Any] = dict(zip(_ARRAYS, arrays, strict=True))
                    meta_bytes = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
                    np.savez(handle, meta=meta_bytes, **named)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning(
                "could not write the index cache %s (%s); the knowledge base will be "
                "indexed again at the next start",
                self.path,
                exc,
            )
            return False
        return True


def _parts(key: str, built: Built) -> tuple[dict[str, Any], list[np.ndarray]]:
    loaded, index = built.loaded, built.index
    terms, bounds, docs, scores, idf = index.postings.parts()
    known, known_stems = index.analyzer.splitter.parts()
    meta = {
        "key": key,
        "entries": [_entry_row(entry) for entry in loaded.entries],
        "synonyms": loaded.synonyms,
        "problems": [[p.path, p.line, p.message] for p in loaded.problems],
        "warnings": [[p.path, p.line, p.message] for p in loaded.warnings],
        "size": index.size,
        "groups": [list(group) for group in index.analyzer.synonyms.groups],
        "english_only": sorted(index.english_only),
        "known": sorted(known),
        "known_stems": sorted(known_stems),
        "terms": terms,
        "embedding_texts": built.embedding_texts,
        "question_terms": built.analysed_questions.terms,
    }
    return meta, [bounds, docs, scores, idf, *built.analysed_questions.arrays()]


def _entry_row(entry: Entry) -> list[Any]:
    return [
        entry.id,
        entry.title,
        entry.body,
        entry.questions,
        entry.tags,
        [[s.title, s.url] for s in entry.sources],
        entry.lang,
        entry.related,
        entry.path,
    ]


def _restore(meta: dict[str, Any], arrays: list[np.ndarray]) -> Built:
    entries = [
        Entry(
            id=entry_id,
            title=title,
            body=body,
            questions=tuple(questions),
            tags=tuple(tags),
            sources=tuple(Source(title=t, url=u) for t, u in sources),
            lang=lang,
            related=tuple(related),
            path=path,
        )
        for entry_id, title, body, questions, tags, sources, lang, related, path in meta["entries"]
    ]
    loaded = LoadedFiles(
        entries=entries,
        synonyms=meta["synonyms"],
        problems=[Problem(*p) for p in meta["problems"]],
        warnings=[Problem(*p) for p in meta["warnings"]],
    )
    splitter = CompoundSplitter.from_parts(set(meta["known"]), set(meta["known_stems"]))
    bounds, docs, scores, idf = arrays[:4]
    analysed = AnalysedQuestions.from_arrays(meta["question_terms"], arrays[4:], meta["size"])
    index = Index.from_parts(
        meta["size"],
        frozenset(meta["english_only"]),
        Analyzer(splitter, Synonyms(meta["groups"])),
        PostingLists.from_parts(meta["terms"], bounds, docs, scores, idf, meta["size"]),
    )
    return Built(loaded, index, meta["embedding_texts"], analysed)
