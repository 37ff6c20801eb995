"""Fit the engine's confidence calibration on the DEV split only, and print it.

    python -m bench.kb_calibrate [--kb DIR] [--questions FILE]

For every dev question it records the top candidate's features and whether that
candidate is the right answer (never, for out-of-scope questions), fits a logistic
regression (numpy, L2-regularised) and prints the ``Calibration`` to paste into
``knowledge/engine.py``, with the dev figures at a few thresholds next to those of the
calibration currently in the code (adopt new values only when they do better on dev).
The test split is never read here, so ``bench.kb_accuracy`` can report it honestly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.kb_accuracy import DEFAULT_QUESTIONS, load_questions
from knowledge import KnowledgeBase
from knowledge.engine import CONFIDENCE_FEATURES, confidence_features

L2 = 0.001
STEPS = 20_000
LEARNING_RATE = 0.5


def dev_samples(
    kb: KnowledgeBase, questions_path: Path
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (top candidate right) and whether each question is answerable."""
    rows, labels, answerable = [], [], []
    for question in load_questions(questions_path):
        if question.split != "dev":
            continue
        _, ranked = kb.rank(question.text)
        if ranked:
            features = confidence_features(ranked)
            rows.append([features[name] for name in CONFIDENCE_FEATURES])
            top_id = kb.ids[ranked[0].doc]
        else:
            rows.append([0.0] * len(CONFIDENCE_FEATURES))
            top_id = None
        labels.append(1.0 if question.expect is not None and top_id == question.expect else 0.0)
        answerable.append(question.expect is not None)
    return np.array(rows), np.array(labels), np.array(answerable)


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    weights = np.zeros(x.shape[1])
    bias = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
        error = p - y
        weights -= LEARNING_RATE * (x.T @ error / len(y) + L2 * weights)
        bias -= LEARNING_RATE * float(error.mean())
    return weights, bias


def print_figures(
    logits: np.ndarray, y: np.ndarray, answerable: np.ndarray, thresholds: Sequence[float]
) -> None:
    """Dev figures of a calibration (given as logits per question) at each threshold."""
    probability = 1.0 / (1.0 + np.exp(-logits))
    print("  threshold  top-1(answerable)  abstention recall  all right")
    for threshold in thresholds:
        answered = probability >= threshold
        top1 = float((answered & (y == 1))[answerable].mean())
        recall = float((~answered)[~answerable].mean()) if (~answerable).any() else float("nan")
        right = float(((answered & (y == 1)) | (~answered & ~answerable)).mean())
        print(f"  {threshold:9.2f}  {top1:17.1%}  {recall:17.1%}  {right:9.1%}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.kb_calibrate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--kb", type=Path, default=None, help="knowledge base directory (default: bundled)"
    )
    parser.add_argument(
        "--questions", type=Path, default=DEFAULT_QUESTIONS, help="labelled questions YAML"
    )
    args = parser.parse_args(argv)
    kb = KnowledgeBase.load(args.kb)
    x, y, answerable = dev_samples(kb, args.questions)
    weights, bias = fit_logistic(x, y)
    print(
        f"dev questions: {len(y)} ({int(answerable.sum())} answerable, top right for {int(y.sum())})"
    )
    current = kb.calibration
    print(f"calibration in knowledge/engine.py (threshold {current.threshold}):")
    print_figures(x @ np.array(current.weights) + current.bias, y, answerable, (current.threshold,))
    print("freshly fitted:")
    print_figures(x @ weights + bias, y, answerable, (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7))
    print("\nCalibration(")
    print(
        f"    weights=({', '.join(f'{w:.3f}' for w in weights)}),  # {', '.join(CONFIDENCE_FEATURES)}"
    )
    print(f"    bias={bias:.3f},")
    print(")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
