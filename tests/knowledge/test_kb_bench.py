"""The knowledge benchmarks run end to end on tiny inputs (the real runs are `make bench`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench import kb_accuracy, kb_calibrate, kb_latency
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
    assert engine_row.split()[-3] == "100.0%"  # engine, lexical (before issue 9), baseline
    assert "abstention recall" in out and "baseline" in out and "lexical" in out
    assert "wrong answers (of answerable)" in out
    assert "english->sv-only" not in out  # the fixture's English question has an English entry


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


def test_synthetic_knowledge_base_is_valid_and_answerable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAMBOT_EMBEDDINGS", "off")  # embedding 600 fresh texts would take ~10 s
    write_knowledge_base(tmp_path, 120, seed=3)
    kb = KnowledgeBase.load(tmp_path)
    assert kb.problems == []
    assert len(kb) == 120
    entry = kb.get("entry-000042")
    assert entry is not None
    answer = kb.answer(entry.questions[0])
    assert answer.entry is not None and answer.entry.id == "entry-000042"


def test_latency_bench_measures_in_a_child_process(capsys: pytest.CaptureFixture[str]) -> None:
    status = kb_latency.main(["--sizes", "100,300", "--queries", "30", "--lexical-only"])
    out = capsys.readouterr().out
    assert status == 0
    rows = [line.split() for line in out.splitlines() if line.split()[:1] == ["lexical"]]
    assert [row[1] for row in rows] == ["100", "300"]
    assert all(float(row[5]) > 0 for row in rows)  # p50 ms
    assert "p50 100 -> 300" in out


def test_latency_bench_with_embeddings_seeds_the_cache_and_times_cold_embedding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = kb_latency.main(["--sizes", "60", "--queries", "20", "--cold-sample", "5"])
    out = capsys.readouterr().out
    assert status == 0
    hybrid = next(line.split() for line in out.splitlines() if line.split()[:1] == ["hybrid"])
    assert hybrid[1] == "60" and float(hybrid[5]) > 0
    assert "cold embedding at 60 entries" in out and "re-embedded 0 texts" in out


def _fixture_set() -> str:
    return f"{FIXTURES / 'kb'}:{FIXTURES / 'questions.yaml'}"


def test_accuracy_bench_reports_every_set_given(capsys: pytest.CaptureFixture[str]) -> None:
    status = kb_accuracy.main(["--set", _fixture_set(), "--set", _fixture_set()])
    out = capsys.readouterr().out
    assert status == 0
    assert out.count("######## fixtures ########") == 2
    assert out.count("== test split: 3 questions ==") == 2


def test_default_sets_are_bundled_holdout_and_transfer() -> None:
    bundled, holdout, transfer = kb_accuracy.DEFAULT_SETS
    assert (bundled.name, holdout.name, transfer.name) == ("bundled", "holdout", "transfer")
    assert (
        kb_accuracy.OUT_OF_DOMAIN in bundled.extra and kb_accuracy.OUT_OF_DOMAIN in transfer.extra
    )
    out_of_domain = kb_accuracy.load_questions(kb_accuracy.OUT_OF_DOMAIN)
    assert out_of_domain and all(q.expect is None for q in out_of_domain)
    assert KnowledgeBase.load(transfer.kb).problems == []
    splits = {q.split for q in kb_accuracy.load_questions(transfer.questions)}
    assert splits == {"dev", "test"}


def test_set_argument_needs_a_questions_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert kb_accuracy.parse_set("bundled:q.yaml") == kb_accuracy.EvalSet(None, Path("q.yaml"))
    assert kb_accuracy.parse_set("a/kb:b/q.yaml") == kb_accuracy.EvalSet(
        Path("a/kb"), Path("b/q.yaml")
    )
    with pytest.raises(SystemExit) as exit_info:
        kb_calibrate.main(["--set", "only-a-directory"])
    assert exit_info.value.code == 2
    assert "expected KB_DIR:QUESTIONS_FILE" in capsys.readouterr().err


def test_baseline_without_dev_split_takes_the_bundled_dev_threshold(tmp_path: Path) -> None:
    test_only = tmp_path / "questions.yaml"
    test_only.write_text(
        "- {q: budgetprocessen, expect: jamstalld-budgetprocess, kind: inflection, split: test}\n",
        encoding="utf-8",
    )
    questions = kb_accuracy.load_questions(test_only)
    baseline, how = kb_accuracy.fitted_baseline(KnowledgeBase.load(FIXTURES / "kb"), questions)
    bundled = kb_accuracy.Baseline(KnowledgeBase.load())
    bundled.fit(kb_accuracy.dev_split(kb_accuracy.load_questions(kb_accuracy.DEFAULT_QUESTIONS)))
    assert baseline.threshold == bundled.threshold > 0  # it abstains, unlike WRatio >= 0
    assert "bundled dev split" in how


def test_calibration_fit_on_several_sets_prints_a_calibration(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = kb_calibrate.main(["--set", _fixture_set(), "--set", _fixture_set()])
    out = capsys.readouterr().out
    assert status == 0
    assert "leave one set out" in out and "POOLED" in out
    weights_line = next(line for line in out.splitlines() if "weights=(" in line)
    weights = weights_line.split("(")[1].split(")")[0].split(",")
    assert len(weights) == len(KnowledgeBase.load(FIXTURES / "kb").calibration.features)
    assert f"threshold={kb_calibrate.THRESHOLD}" in out


def test_best_cutoff_separates_and_the_fit_puts_it_at_the_threshold() -> None:
    # One feature: right answers high, wrong or out-of-scope ones low.
    x = np.array([[0.9], [0.8], [0.7], [0.2], [0.1], [0.15]])
    samples = kb_calibrate.Samples(
        x,
        np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0]),
        np.array([True, True, True, False, False, True]),
    )
    weights, bias = kb_calibrate.fit(samples)
    result = kb_calibrate.figures(samples, samples.x @ weights + bias, kb_calibrate.THRESHOLD)
    assert (result.top1, result.recall) == (0.75, 1.0)  # the wrongly ranked one cannot count
    balanced = kb_calibrate.class_balanced_weights(samples)
    assert balanced[~samples.answerable].sum() == pytest.approx(0.5)


def test_scores_count_a_runner_up_that_was_the_right_entry() -> None:
    """ "Eller menade du …?": a wrong answer offering the right entry beside it is counted,
    and so is a right answer offering another (the button's cost)."""
    scores = kb_accuracy.Scores()
    question = kb_accuracy.Question("deadline", "deadline-rapportering", "oneword", "dev")
    P = kb_accuracy.Prediction
    assert not scores.add(question, P("missat-deadline", 0.9, True, "deadline-rapportering"))
    assert not scores.add(question, P("missat-deadline", 0.9, True, "annat"))
    assert scores.add(question, P("deadline-rapportering", 0.9, True, "missat-deadline"))
    assert scores.add(question, P("deadline-rapportering", 0.9, True))
    assert (scores.wrong_answerable, scores.wrong_offered) == (2, 1)
    assert (scores.correct, scores.answered_right_offering) == (2, 1)


def test_wilson_interval_of_a_share() -> None:
    low, high = kb_accuracy.wilson_interval(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    low, high = kb_accuracy.wilson_interval(0, 10)
    assert low == 0.0 and round(high, 4) == 0.2775
    assert all(np.isnan(v) for v in kb_accuracy.wilson_interval(0, 0))


def test_targets_show_the_engine_figures_with_their_count_and_interval(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A figure from ~450 questions moves by a couple of points with a handful of them: the
    reader of the targets needs the count and the 95% interval beside each figure."""
    engine = kb_accuracy.Scores()
    for i in range(10):
        question = kb_accuracy.Question(f"q{i}", "right-entry", "paraphrase", "test")
        top = "right-entry" if i < 9 else "other-entry"
        engine.add(question, kb_accuracy.Prediction(top, 0.9, answered=True))
    paraphrase = kb_accuracy.Scores(**vars(engine))
    kb_accuracy.print_targets(
        {"bundled": {"test": {"engine": {"": engine, "paraphrase": paraphrase}}}}
    )
    out = capsys.readouterr().out
    overall = next(line for line in out.splitlines() if line.startswith("bundled overall"))
    assert "90.0% --" in overall and "n=10" in overall and "[59.6, 98.2]" in overall
    wrong = next(line for line in out.splitlines() if line.startswith("bundled wrong"))
    assert "10.0% --" in wrong and "[1.8, 40.4]" in wrong
    assert "95% interval" in out
