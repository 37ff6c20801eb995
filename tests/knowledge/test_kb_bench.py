"""The knowledge benchmarks run end to end on tiny inputs (the real runs are `make bench`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import kb_accuracy, kb_latency
from bench.synthetic import write_knowledge_base
from knowledge import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"


def test_accuracy_bench_reports_engine_and_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    status = kb_accuracy.main(
        ["--kb", str(FIXTURES / "kb"), "--questions", str(FIXTURES / "questions.yaml")]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "== dev split: 3 questions ==" in out and "== test split: 3 questions ==" in out
    engine_row = next(line for line in out.splitlines() if line.startswith("top-1 accuracy"))
    assert engine_row.split()[-2] == "100.0%"  # the engine column; the baseline is last
    assert "abstention recall" in out and "baseline" in out


def test_baseline_threshold_is_fitted_on_dev_only() -> None:
    kb = KnowledgeBase.load(FIXTURES / "kb")
    questions = kb_accuracy.load_questions(FIXTURES / "questions.yaml")
    baseline = kb_accuracy.Baseline(kb)
    baseline.fit([q for q in questions if q.split == "dev"])
    dev_only = baseline.threshold
    baseline.fit(questions)
    assert 0 < dev_only <= 100
    assert (
        baseline.predict("Vad betyder jämställdhetsintegrering?").top
        == "jamstalldhetsintegrering-vad-ar"
    )


def test_synthetic_knowledge_base_is_valid_and_answerable(tmp_path: Path) -> None:
    write_knowledge_base(tmp_path, 120, seed=3)
    kb = KnowledgeBase.load(tmp_path)
    assert kb.problems == []
    assert len(kb) == 120
    entry = kb.get("entry-000042")
    assert entry is not None
    answer = kb.answer(entry.questions[0])
    assert answer.entry is not None and answer.entry.id == "entry-000042"


def test_latency_bench_measures_in_a_child_process(capsys: pytest.CaptureFixture[str]) -> None:
    status = kb_latency.main(["--sizes", "100,300", "--queries", "30"])
    out = capsys.readouterr().out
    assert status == 0
    rows = [
        line.split() for line in out.splitlines() if line.strip().split()[:1] in (["100"], ["300"])
    ]
    assert [row[0] for row in rows] == ["100", "300"]
    assert all(float(row[4]) > 0 for row in rows)  # p50 ms
    assert "p50 100 -> 300" in out
