"""The index cache: a knowledge base loaded from it answers exactly like one built afresh.

Each test points ``JAMBOT_INDEX_CACHE`` at a folder of its own; ``off`` builds without it.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from knowledge import KnowledgeBase
from knowledge.index_cache import CACHE_ENV_VAR

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
# Beside every example question: typos, English, compounds, abbreviations, out of scope.
EXTRA_QUESTIONS = [
    "budgte",
    "kvartalsraport",
    "jamstaldhetsintegreringsarbetet",
    "vad är JI",
    "What is gender mainstreaming?",
    "hur ser en bra handlingsplan ut",
    "var kan jag parkera bilen",
    "lösenordet till wifi",
]


def _load(path: Path | None, cache: Path | str, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    monkeypatch.setenv(CACHE_ENV_VAR, str(cache))
    return KnowledgeBase.load(path)


def _answers(kb: KnowledgeBase, questions: list[str]) -> list[tuple[object, ...]]:
    result: list[tuple[object, ...]] = []
    for question in questions:
        answer = kb.answer(question)
        result.append(
            (
                answer.entry,
                answer.confidence,
                [e.id for e in answer.alternatives],
                answer.lang,
                kb.search(question, 5),
            )
        )
    return result


def _assert_same_index(built: KnowledgeBase, cached: KnowledgeBase) -> None:
    """Everything ranking reads: entries, problems, postings, vocabulary, synonyms."""
    assert cached.entries == built.entries
    assert cached.ids == built.ids
    assert cached.problems == built.problems
    assert cached.index.size == built.index.size
    assert cached.index.english_only == built.index.english_only
    assert cached.index.analyzer.splitter.parts() == built.index.analyzer.splitter.parts()
    assert cached.index.analyzer.synonyms.groups == built.index.analyzer.synonyms.groups
    terms, *arrays = built.index.postings.parts()
    cached_terms, *cached_arrays = cached.index.postings.parts()
    assert cached_terms == terms
    for mine, theirs in zip(cached_arrays, arrays, strict=True):
        assert mine.dtype == theirs.dtype
        np.testing.assert_array_equal(mine, theirs)
    # The example questions come back analysed exactly as they were built.
    assert cached.analysed_questions.terms == built.analysed_questions.terms
    for mine, theirs in zip(
        cached.analysed_questions.arrays(), built.analysed_questions.arrays(), strict=True
    ):
        assert mine.dtype == theirs.dtype
        np.testing.assert_array_equal(mine, theirs)
    # The texts embedded come from the cache too: the same texts, in the same rows.
    if built.semantic is not None:
        assert cached.semantic is not None
        np.testing.assert_array_equal(cached.semantic.offsets, built.semantic.offsets)
        np.testing.assert_array_equal(cached.semantic.vectors, built.semantic.vectors)
        np.testing.assert_array_equal(cached.semantic.centroids, built.semantic.centroids)


def test_the_bundled_kb_answers_the_same_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _load(None, "off", monkeypatch)
    assert built.semantic is not None  # the embedding texts come from the cache too
    first = _load(None, tmp_path / "cache", monkeypatch)
    cached = _load(None, tmp_path / "cache", monkeypatch)
    assert not built.loaded_from_cache
    assert not first.loaded_from_cache  # an empty cache: built, then stored
    assert cached.loaded_from_cache
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 1
    _assert_same_index(built, cached)
    questions = [q for entry in built.entries for q in entry.questions[:1]] + EXTRA_QUESTIONS
    assert len(questions) > 50
    assert _answers(cached, questions) == _answers(built, questions)


def test_an_edited_entry_is_indexed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    cache = tmp_path / "cache"
    before = _load(kb_dir, cache, monkeypatch)
    assert _load(kb_dir, cache, monkeypatch).loaded_from_cache
    assert before.answer("zebrafinkar på kontoret").entry is None

    edited = next(p for p in sorted(kb_dir.rglob("*.md")) if "budget" in p.read_text())
    text = edited.read_text(encoding="utf-8")
    edited.write_text(
        text.replace(
            "questions:\n", "questions:\n  - Hur många zebrafinkar har vi på kontoret?\n", 1
        ),
        encoding="utf-8",
    )
    after = _load(kb_dir, cache, monkeypatch)
    assert not after.loaded_from_cache  # the content changed: parsed and indexed again
    answer = after.answer("zebrafinkar på kontoret")
    assert answer.entry is not None and answer.entry.path == str(edited)
    again = _load(kb_dir, cache, monkeypatch)
    assert again.loaded_from_cache
    built = _load(kb_dir, "off", monkeypatch)
    _assert_same_index(built, again)
    questions = [q for entry in built.entries for q in entry.questions]
    questions += [*EXTRA_QUESTIONS, "zebrafinkar på kontoret"]
    assert _answers(again, questions) == _answers(built, questions)


def test_a_cache_written_without_embeddings_gains_their_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("JAMBOT_EMBEDDINGS", "off")
    assert _load(FIXTURE_KB, cache, monkeypatch).semantic is None
    (stored,) = cache.glob("*.npz")
    lexical_file = stored.stat().st_ino
    monkeypatch.delenv("JAMBOT_EMBEDDINGS")
    hybrid = _load(FIXTURE_KB, cache, monkeypatch)
    assert hybrid.loaded_from_cache and hybrid.semantic is not None
    rewritten = stored.stat().st_ino
    assert rewritten != lexical_file  # stored again, now with the texts to embed
    again = _load(FIXTURE_KB, cache, monkeypatch)
    assert again.loaded_from_cache
    assert stored.stat().st_ino == rewritten  # nothing new: not written again
    _assert_same_index(_load(FIXTURE_KB, "off", monkeypatch), again)


def test_problems_and_warnings_come_back_and_are_logged_on_a_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    (kb_dir / "trasig.md").write_text("---\nid: trasig\ntitle: [\n---\nText.\n", encoding="utf-8")
    (kb_dir / "lang-rubrik.md").write_text(
        "---\nid: lang-rubrik\ntitle: " + "Mycket lång rubrik " * 10 + "\n"
        "questions: [Vad gäller för långa rubriker?]\n"
        "sources: [{title: Källa, url: 'https://example.org/'}]\n---\nText om rubriker.\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    with caplog.at_level(logging.WARNING, logger="knowledge.loader"):
        built = _load(kb_dir, cache, monkeypatch)
    logged_on_build = [r.getMessage() for r in caplog.records]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="knowledge.loader"):
        cached = _load(kb_dir, cache, monkeypatch)
    assert cached.loaded_from_cache
    assert [str(p) for p in built.problems] == [str(p) for p in cached.problems]
    assert any("trasig.md" in str(p) for p in cached.problems)
    assert any("lang-rubrik.md" in m and "(warning)" in m for m in logged_on_build)
    assert [r.getMessage() for r in caplog.records] == logged_on_build


def test_a_damaged_cache_file_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    built = _load(FIXTURE_KB, cache, monkeypatch)
    (stored,) = cache.glob("*.npz")
    stored.write_bytes(stored.read_bytes()[:1000])  # cut short, as by a full disk
    with caplog.at_level(logging.WARNING, logger="knowledge.index_cache"):
        rebuilt = _load(FIXTURE_KB, cache, monkeypatch)
    assert not rebuilt.loaded_from_cache
    assert any("unreadable index cache" in r.getMessage() for r in caplog.records)
    cached = _load(FIXTURE_KB, cache, monkeypatch)
    assert cached.loaded_from_cache
    _assert_same_index(built, cached)


@pytest.mark.parametrize(
    ("array", "tamper"),
    [
        ("questions_doc_bounds", lambda a: a[:-1]),  # one document short
        ("questions_question_units", lambda a: a + 10**6),  # units that do not exist
        ("questions_unit_terms", lambda a: a + 10**6),  # terms that do not exist
        ("questions_question_bounds", lambda a: a[::-1].copy()),  # not increasing
        ("docs", lambda a: a + 10**6),  # postings of documents that do not exist
        ("bounds", lambda a: a[:-1]),  # one term short
    ],
)
def test_inconsistent_arrays_are_rebuilt_not_served(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    array: str,
    tamper: Callable[[np.ndarray], np.ndarray],
) -> None:
    """A well-formed file whose arrays disagree (written by someone else, or by a bug) must
    cost a rebuild, never an IndexError while answering."""
    cache = tmp_path / "cache"
    built = _load(FIXTURE_KB, cache, monkeypatch)
    (stored,) = cache.glob("*.npz")
    with np.load(stored, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays[array] = tamper(arrays[array])
    with stored.open("wb") as handle:
        np.savez(handle, **arrays)
    with caplog.at_level(logging.WARNING, logger="knowledge.index_cache"):
        rebuilt = _load(FIXTURE_KB, cache, monkeypatch)
    assert not rebuilt.loaded_from_cache
    assert any("unreadable index cache" in r.getMessage() for r in caplog.records)
    questions = [q for entry in built.entries for q in entry.questions[:1]]
    assert _answers(rebuilt, questions) == _answers(built, questions)


def test_an_unwritable_cache_costs_only_the_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="knowledge.index_cache"):
        kb = _load(FIXTURE_KB, blocker / "index", monkeypatch)
        again = _load(FIXTURE_KB, blocker / "index", monkeypatch)
    assert not again.loaded_from_cache
    assert any("could not write the index cache" in r.getMessage() for r in caplog.records)
    assert kb.answer("budgetprocessen").entry is not None


def test_the_default_location_follows_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert KnowledgeBase.load(FIXTURE_KB).answer("budgetprocessen").entry is not None
    assert KnowledgeBase.load(FIXTURE_KB).loaded_from_cache
    assert len(list((tmp_path / "jambot" / "index").glob("*.npz"))) == 1
