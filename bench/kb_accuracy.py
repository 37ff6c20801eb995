"""Accuracy of the knowledge engine on a labelled question set, next to a naive baseline.

    python -m bench.kb_accuracy [--set KB_DIR:QUESTIONS_FILE ...] [--show-misses]
    python -m bench.kb_accuracy --kb DIR --questions FILE

By default it runs two sets in one go: the bundled KB with bench/data/questions.yaml and
the independent transfer KB with bench/data/transfer/questions.yaml (whether the engine's
calibration carries over to content it was not written for). Per set and split (dev, test)
it prints top-1 accuracy on answerable questions (an abstention
counts as a miss), abstention precision and recall, and accuracy per kind, for the engine
and for a baseline: ``rapidfuzz.process.extractOne`` over every example question, with
its threshold fitted on the set's dev split only (or, for a questions file without one, on
the bundled dev split, so the baseline abstains as it would on unseen content). The engine's own threshold is fixed in
``knowledge.engine.Calibration`` and was never fitted to the test split, so the test
figures measure how the engine does on questions it was not tuned on.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

from knowledge import KnowledgeBase

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_QUESTIONS = DATA / "questions.yaml"
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class EvalSet:
    """A knowledge base (None: the bundled one) and a labelled questions file over it."""

    kb: Path | None
    questions: Path

    @property
    def name(self) -> str:
        """A short label: "bundled", or the KB directory's name ("transfer" for transfer/kb)."""
        if self.kb is None:
            return "bundled"
        return self.kb.parent.name if self.kb.name == "kb" else self.kb.name


BUNDLED_SET = EvalSet(None, DEFAULT_QUESTIONS)
DEFAULT_SETS = (
    BUNDLED_SET,
    EvalSet(DATA / "transfer" / "kb", DATA / "transfer" / "questions.yaml"),
)


def parse_set(value: str) -> EvalSet:
    """``KB_DIR:QUESTIONS_FILE``; ``bundled`` (or an empty KB_DIR) is the bundled KB."""
    kb, sep, questions = value.rpartition(":")
    if not sep or not questions:
        raise argparse.ArgumentTypeError(f"expected KB_DIR:QUESTIONS_FILE, got {value!r}")
    return EvalSet(None if kb in ("", "bundled") else Path(kb), Path(questions))


@dataclass(frozen=True)
class Question:
    text: str
    expect: str | None
    kind: str
    split: str


@dataclass(frozen=True)
class Prediction:
    """What a system answered: the top entry id (even when abstaining) and its score."""

    top: str | None
    score: float
    answered: bool


Predictor = Callable[[str], Prediction]


def load_questions(path: Path) -> list[Question]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    questions = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "q" not in item or "expect" not in item:
            raise SystemExit(f"{path}: item {number} needs q and expect: {item!r}")
        questions.append(
            Question(
                str(item["q"]),
                item["expect"],
                str(item.get("kind", "?")),
                str(item.get("split", "test")),
            )
        )
    return questions


def engine_predictor(kb: KnowledgeBase) -> Predictor:
    def predict(text: str) -> Prediction:
        answer = kb.answer(text)
        if answer.entry is not None:
            return Prediction(answer.entry.id, answer.confidence, True)
        best = kb.search(text, limit=1)
        return Prediction(best[0][0].id if best else None, answer.confidence, False)

    return predict


class Baseline:
    """Closest example question by rapidfuzz WRatio; answers when the score clears a threshold."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.choices: list[str] = []
        self.ids: list[str] = []
        for entry_id in kb.ids:
            for lang in sorted(kb.languages(entry_id)):
                entry = kb.get(entry_id, lang)
                assert entry is not None
                for question in entry.questions:
                    self.choices.append(question)
                    self.ids.append(entry_id)
        self.threshold = 0.0

    def raw(self, text: str) -> tuple[str | None, float]:
        found = process.extractOne(
            text, self.choices, scorer=fuzz.WRatio, processor=utils.default_process
        )
        if found is None:
            return None, 0.0
        _, score, index = found
        return self.ids[index], float(score)

    def fit(self, questions: Sequence[Question]) -> None:
        """Pick the threshold that gets the most dev questions right (answer or abstain)."""
        scored = [(q, *self.raw(q.text)) for q in questions]
        best_threshold, best_correct = 0.0, -1
        for threshold in range(0, 101):
            correct = sum(
                1
                for q, top, score in scored
                if (q.expect is None and score < threshold)
                or (q.expect is not None and score >= threshold and top == q.expect)
            )
            if correct > best_correct:
                best_threshold, best_correct = float(threshold), correct
        self.threshold = best_threshold

    def predict(self, text: str) -> Prediction:
        top, score = self.raw(text)
        return Prediction(top, score, score >= self.threshold)


@dataclass
class Scores:
    answerable: int = 0
    correct: int = 0
    ranked_first: int = 0
    abstain_expected: int = 0
    abstained: int = 0
    abstained_rightly: int = 0

    def add(self, question: Question, prediction: Prediction) -> bool:
        """Record one outcome; True when the system did the right thing."""
        if not prediction.answered:
            self.abstained += 1
        if question.expect is None:
            self.abstain_expected += 1
            if not prediction.answered:
                self.abstained_rightly += 1
            return not prediction.answered
        self.answerable += 1
        self.ranked_first += prediction.top == question.expect
        right = prediction.answered and prediction.top == question.expect
        self.correct += right
        return right


def percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "   n/a"


def evaluate(
    questions: Sequence[Question], systems: dict[str, Predictor], show_misses: bool
) -> None:
    for split in SPLITS:
        subset = [q for q in questions if q.split == split]
        if not subset:
            continue
        print(f"\n== {split} split: {len(subset)} questions ==")
        per_kind: dict[str, dict[str, list[int]]] = {
            name: defaultdict(lambda: [0, 0]) for name in systems
        }
        totals = {name: Scores() for name in systems}
        misses: list[str] = []
        for question in subset:
            for name, predict in systems.items():
                prediction = predict(question.text)
                right = totals[name].add(question, prediction)
                tally = per_kind[name][question.kind]
                tally[0] += right
                tally[1] += 1
                # Only dev misses are ever shown: tuning must not see the test split.
                if name == "engine" and not right and show_misses and split == "dev":
                    verdict = f"{prediction.top} ({prediction.score:.2f}{'' if prediction.answered else ', abstained'})"
                    misses.append(
                        f"  [{question.kind}] {question.text!r}: expected {question.expect}, got {verdict}"
                    )
        header = f"{'':34}" + "".join(f"{name:>12}" for name in systems)
        print(header)
        rows: list[tuple[str, Callable[[Scores], str]]] = [
            ("top-1 accuracy (answerable)", lambda s: percent(s.correct, s.answerable)),
            ("  ranked first, ignoring abstain", lambda s: percent(s.ranked_first, s.answerable)),
            ("abstention recall", lambda s: percent(s.abstained_rightly, s.abstain_expected)),
            ("abstention precision", lambda s: percent(s.abstained_rightly, s.abstained)),
            (
                "all questions right",
                lambda s: percent(
                    s.correct + s.abstained_rightly, s.answerable + s.abstain_expected
                ),
            ),
        ]
        for label, figure in rows:
            print(f"{label:34}" + "".join(f"{figure(totals[name]):>12}" for name in systems))
        print(f"{'per kind (n)':34}")
        for kind_name in sorted({q.kind for q in subset}):
            n = per_kind["engine"][kind_name][1]
            cells = "".join(f"{percent(per_kind[name][kind_name][0], n):>12}" for name in systems)
            print(f"  {kind_name + f' ({n})':32}{cells}")
        if misses:
            print("engine misses:")
            print("\n".join(misses))


def dev_split(questions: Sequence[Question]) -> list[Question]:
    return [q for q in questions if q.split == "dev"]


def fitted_baseline(kb: KnowledgeBase, questions: Sequence[Question]) -> tuple[Baseline, str]:
    """The baseline with its threshold from this set's dev split, else from the bundled one."""
    baseline = Baseline(kb)
    dev = dev_split(questions)
    if dev:
        baseline.fit(dev)
        return baseline, "fitted on this set's dev split"
    bundled = Baseline(KnowledgeBase.load())
    bundled.fit(dev_split(load_questions(DEFAULT_QUESTIONS)))
    baseline.threshold = bundled.threshold
    return baseline, "fitted on the bundled dev split: this file has none"


def report(eval_set: EvalSet, show_misses: bool) -> None:
    kb = KnowledgeBase.load(eval_set.kb)
    questions = load_questions(eval_set.questions)
    unknown = sorted(
        {q.expect for q in questions if q.expect is not None and kb.get(q.expect) is None}
    )
    if unknown:
        print(
            f"warning: {len(unknown)} expected ids are not in the knowledge base: {', '.join(unknown)}",
            file=sys.stderr,
        )
    baseline, how = fitted_baseline(kb, questions)
    print(f"\n######## {eval_set.name} ########")
    print(
        f"knowledge base: {eval_set.kb or 'bundled'} ({len(kb)} entries); "
        f"questions: {eval_set.questions} ({len(questions)})"
    )
    print(f"engine threshold: confidence >= {kb.calibration.threshold} (fixed in code)")
    print(f"baseline threshold: WRatio >= {baseline.threshold:.0f} ({how})")
    evaluate(questions, {"engine": engine_predictor(kb), "baseline": baseline.predict}, show_misses)


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    """``--set KB_DIR:QUESTIONS_FILE``, shared with ``bench.kb_calibrate`` so both read sets alike."""
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        type=parse_set,
        metavar="KB_DIR:QUESTIONS_FILE",
        help="a knowledge base and its labelled questions (repeatable; default: bundled + transfer)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.kb_accuracy", description=__doc__.split("\n")[0]
    )
    add_set_argument(parser)
    parser.add_argument(
        "--kb", type=Path, default=None, help="one knowledge base directory (with --questions)"
    )
    parser.add_argument("--questions", type=Path, default=None, help="its labelled questions YAML")
    parser.add_argument(
        "--show-misses", action="store_true", help="list the engine's wrong answers on dev"
    )
    args = parser.parse_args(argv)
    if args.kb is not None or args.questions is not None:
        if args.sets:
            parser.error("use either --set or --kb/--questions")
        sets = [EvalSet(args.kb, args.questions or DEFAULT_QUESTIONS)]
    else:
        sets = args.sets or list(DEFAULT_SETS)
    for eval_set in sets:
        report(eval_set, args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
