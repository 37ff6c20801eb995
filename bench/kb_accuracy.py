"""Accuracy of the knowledge engine on labelled question sets, before/after and a baseline.

    python -m bench.kb_accuracy [--set KB_DIR:QUESTIONS_FILE ...] [--show-misses]
    python -m bench.kb_accuracy --kb DIR --questions FILE

By default it runs three sets in one go: the bundled KB with bench/data/questions.yaml
(plus colloquial.yaml and the out-of-domain small talk of out_of_domain.yaml), the bundled
KB's independent holdout questions, and the independent transfer KB with its questions
(plus out_of_domain.yaml): whether the calibration carries over to content it was not
written for. Three systems answer every question in the same run: ``engine`` (as
configured: hybrid lexical + semantic unless JAMBOT_EMBEDDINGS=off), ``lexical`` (the
engine with embeddings off, i.e. before issue 9) and a naive baseline. Per set and split
(dev, test) it prints top-1 accuracy on answerable questions (an abstention counts as a
miss), the wrong-answer rate (answered with the wrong entry, share of answerable),
abstention recall and precision, and accuracy per kind; English questions whose entry has
no English version are counted apart as ``english->sv-only``. A summary against the issue-9
targets closes the run. The baseline is ``rapidfuzz.process.extractOne`` over every example question, with
its threshold fitted on the set's dev split only (or, for a questions file without one, on
the bundled dev split, so the baseline abstains as it would on unseen content). The engine's own threshold is fixed in
``knowledge.engine.Calibration`` and was never fitted to the test split, so the test
figures measure how the engine does on questions it was not tuned on.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

from knowledge import BUNDLED_CONTENT, KnowledgeBase, load_directory

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_QUESTIONS = DATA / "questions.yaml"
OUT_OF_DOMAIN = DATA / "out_of_domain.yaml"
COLLOQUIAL = DATA / "colloquial.yaml"
HOLDOUT = DATA / "holdout" / "questions.yaml"
SPLITS = ("dev", "test")
SV_ONLY_KIND = "english->sv-only"
Share = tuple[int, int]  # a figure as part and whole, so its interval can be given too
Z_95 = 1.959964  # standard normal quantile of a two-sided 95% interval


@dataclass(frozen=True)
class EvalSet:
    """A knowledge base (None: the bundled one), a labelled questions file over it, and
    further question files asked of the same knowledge base (out-of-domain small talk)."""

    kb: Path | None
    questions: Path
    extra: tuple[Path, ...] = ()
    label: str = ""

    @property
    def name(self) -> str:
        """A short label: "bundled", or the KB directory's name ("transfer" for transfer/kb)."""
        if self.label:
            return self.label
        if self.kb is None:
            return "bundled"
        return self.kb.parent.name if self.kb.name == "kb" else self.kb.name

    def all_questions(self) -> list[Question]:
        return [q for path in (self.questions, *self.extra) for q in load_questions(path)]


BUNDLED_SET = EvalSet(None, DEFAULT_QUESTIONS, (COLLOQUIAL, OUT_OF_DOMAIN))
DEFAULT_SETS = (
    BUNDLED_SET,
    EvalSet(None, HOLDOUT, label="holdout"),
    EvalSet(DATA / "transfer" / "kb", DATA / "transfer" / "questions.yaml", (OUT_OF_DOMAIN,)),
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
    runner_up: str | None = None  # offered beside the answer ("Eller menade du …?")


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


def lexical_kb(directory: Path | None) -> KnowledgeBase:
    """The knowledge base with embeddings off: the engine as it was before issue 9."""
    loaded = load_directory(directory or BUNDLED_CONTENT, warn=False)
    return KnowledgeBase(loaded.entries, loaded.synonyms, loaded.problems, embedder=None)


def with_derived_kinds(kb: KnowledgeBase, questions: Sequence[Question]) -> list[Question]:
    """English questions about an entry without an English version count as their own kind."""
    return [
        Question(q.text, q.expect, SV_ONLY_KIND, q.split)
        if q.kind == "english" and q.expect is not None and "en" not in kb.languages(q.expect)
        else q
        for q in questions
    ]


def engine_predictor(kb: KnowledgeBase) -> Predictor:
    def predict(text: str) -> Prediction:
        answer = kb.answer(text)
        if answer.entry is not None:
            runner_up = answer.runner_up.id if answer.runner_up is not None else None
            return Prediction(answer.entry.id, answer.confidence, True, runner_up)
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
    wrong: int = 0  # answered (not abstained) with the wrong entry, answerable or not
    wrong_answerable: int = 0
    wrong_offered: int = 0  # wrong answers that offered the right entry beside them
    answered_right_offering: int = 0  # right answers that offered another entry beside them

    def add(self, question: Question, prediction: Prediction) -> bool:
        """Record one outcome; True when the system did the right thing."""
        if not prediction.answered:
            self.abstained += 1
        if question.expect is None:
            self.abstain_expected += 1
            if not prediction.answered:
                self.abstained_rightly += 1
            else:
                self.wrong += 1
            return not prediction.answered
        self.answerable += 1
        self.ranked_first += prediction.top == question.expect
        right = prediction.answered and prediction.top == question.expect
        self.correct += right
        if prediction.answered and not right:
            self.wrong += 1
            self.wrong_answerable += 1
            self.wrong_offered += prediction.runner_up == question.expect
        if right and prediction.runner_up is not None:
            self.answered_right_offering += 1
        return right

    @property
    def all_right(self) -> int:
        return self.correct + self.abstained_rightly

    @property
    def total(self) -> int:
        return self.answerable + self.abstain_expected


def percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "   n/a"


Tally = dict[str, dict[str, Scores]]  # system -> kind ("" for all) -> scores


def evaluate(
    questions: Sequence[Question], systems: dict[str, Predictor], show_misses: bool
) -> dict[str, Tally]:
    """Print the figures per split; return the scores per split, system and kind."""
    results: dict[str, Tally] = {}
    for split in SPLITS:
        subset = [q for q in questions if q.split == split]
        if not subset:
            continue
        print(f"\n== {split} split: {len(subset)} questions ==")
        per_kind: dict[str, dict[str, list[int]]] = {
            name: defaultdict(lambda: [0, 0]) for name in systems
        }
        totals = {name: Scores() for name in systems}
        by_kind: Tally = {name: defaultdict(Scores) for name in systems}
        results[split] = by_kind
        misses: list[str] = []
        for question in subset:
            for name, predict in systems.items():
                prediction = predict(question.text)
                right = totals[name].add(question, prediction)
                by_kind[name][question.kind].add(question, prediction)
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
            ("wrong answers (of answerable)", lambda s: percent(s.wrong_answerable, s.answerable)),
            (
                "  right one offered beside them",
                lambda s: percent(s.wrong_offered, s.wrong_answerable),
            ),
            (
                "right answers offering another",
                lambda s: percent(s.answered_right_offering, s.correct),
            ),
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
        for name in systems:
            by_kind[name][""] = totals[name]
        if misses:
            print("engine misses:")
            print("\n".join(misses))
    return results


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


def report(eval_set: EvalSet, show_misses: bool) -> dict[str, Tally]:
    kb = KnowledgeBase.load(eval_set.kb)
    questions = with_derived_kinds(kb, eval_set.all_questions())
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
    files = ", ".join(str(p) for p in (eval_set.questions, *eval_set.extra))
    print(
        f"knowledge base: {eval_set.kb or 'bundled'} ({len(kb)} entries); "
        f"questions: {files} ({len(questions)})"
    )
    semantic = kb.semantic.embedder.model_id if kb.semantic else "off"
    print(
        f"engine: embeddings {semantic}; confidence >= {kb.calibration.threshold} (fixed in code)"
    )
    print(f"baseline threshold: WRatio >= {baseline.threshold:.0f} ({how})")
    systems = {"engine": engine_predictor(kb)}
    if kb.semantic is not None:
        systems["lexical"] = engine_predictor(lexical_kb(eval_set.kb))
    systems["baseline"] = baseline.predict
    return evaluate(questions, systems, show_misses)


def merged(tallies: Sequence[Tally], system: str, kind: str) -> Scores:
    total = Scores()
    for tally in tallies:
        part = tally.get(system, {}).get(kind)
        if part is None:
            continue
        for field_name in vars(total):
            setattr(total, field_name, getattr(total, field_name) + getattr(part, field_name))
    return total


def print_targets(results: dict[str, dict[str, Tally]]) -> None:
    """The issue-9 targets, on test splits only, for the engine and the lexical engine."""
    bundled = [
        results[name]["test"] for name in ("bundled", "holdout") if "test" in results.get(name, {})
    ]
    transfer = [results["transfer"]["test"]] if "test" in results.get("transfer", {}) else []
    if not bundled and not transfer:
        return
    systems = [s for s in ("engine", "lexical") if any(s in t for t in bundled + transfer)]
    print("\n######## targets (test splits; bundled = bundled test + holdout) ########")
    print(f"{'':44}" + "".join(f"{s:>10}" for s in systems) + f"   {systems[0]}: n [95% interval]")
    rows: list[tuple[str, Sequence[Tally], str, Callable[[Scores], Share], float, bool]] = [
        ("bundled overall >= 92%", bundled, "", _overall, 0.92, True),
        ("bundled wrong <= 5% of answerable", bundled, "", _wrong, 0.05, False),
        ("bundled paraphrase >= 85%", bundled, "paraphrase", _top1, 0.85, True),
        ("bundled english->sv-only >= 80%", bundled, SV_ONLY_KIND, _top1, 0.80, True),
        ("bundled out-of-domain abstention >= 95%", bundled, "out_of_domain", _recall, 0.95, True),
        ("transfer overall >= 88%", transfer, "", _overall, 0.88, True),
        ("transfer wrong <= 5% of answerable", transfer, "", _wrong, 0.05, False),
        ("transfer out-of-domain abstention", transfer, "out_of_domain", _recall, 0.95, True),
    ]
    for label, tallies, kind, figure, limit, at_least in rows:
        if not tallies:
            continue
        shares = [figure(merged(tallies, system, kind)) for system in systems]
        cells = []
        for share in shares:
            value = _ratio(*share)
            met = value >= limit if at_least else value <= limit
            cells.append(f"{100 * value:5.1f}% {'ok' if met else '--'}")
        part, whole = shares[0]  # the engine's
        low, high = wilson_interval(part, whole)
        spread = f"n={whole} [{100 * low:.1f}, {100 * high:.1f}]"
        print(f"{label:44}" + "".join(f"{c:>10}" for c in cells) + f"   {spread}")


def wilson_interval(part: int, whole: int) -> tuple[float, float]:
    """95% Wilson score interval of the share ``part / whole``.

    A target figure rests on a few hundred questions at most, so one or two questions move
    it by half a point: the interval says which differences the question sets can tell apart
    (Wilson rather than the normal approximation: it stays inside 0..1 near 0% and 100%).
    """
    if whole <= 0:
        return float("nan"), float("nan")
    share = part / whole
    scale = 1 + Z_95**2 / whole
    centre = (share + Z_95**2 / (2 * whole)) / scale
    half = Z_95 * math.sqrt(share * (1 - share) / whole + Z_95**2 / (4 * whole**2)) / scale
    return max(centre - half, 0.0), min(centre + half, 1.0)


def _overall(s: Scores) -> Share:
    return s.all_right, s.total


def _top1(s: Scores) -> Share:
    return s.correct, s.answerable


def _wrong(s: Scores) -> Share:
    return s.wrong_answerable, s.answerable


def _recall(s: Scores) -> Share:
    return s.abstained_rightly, s.abstain_expected


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


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
    results = {eval_set.name: report(eval_set, args.show_misses) for eval_set in sets}
    print_targets(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
