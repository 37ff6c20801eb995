"""How well and how fast ``knowledge.gaps`` groups failed questions.

    python -m bench.kb_gaps [--sizes 300,1000,3000]

Quality: the labelled questions of bench/data (bundled KB and the transfer KB) are
clustered as if they were all gaps; two questions written for the same entry should share
a cluster, two for different entries should not. Printed as pairwise precision (pairs put
together that belong together) and recall (pairs that belong together and were put
together), plus how many clusters there are per expected entry.

Speed: the same questions, repeated with small variations up to each size of distinct
phrasings, timed through ``find_gaps`` (clustering, nearest entries, suggestions).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import yaml

from knowledge import KnowledgeBase
from knowledge.gaps import GapQuestion, find_gaps

DATA = Path(__file__).resolve().parent / "data"
SETS = (
    (None, DATA / "questions.yaml"),
    (DATA / "transfer" / "kb", DATA / "transfer" / "questions.yaml"),
)
FILLERS = ("snälla", "igen", "nu", "tack", "idag", "asap")


def _labelled(path: Path) -> list[tuple[str, str]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(item["q"], item["expect"]) for item in items if item.get("expect")]


def quality(kb: KnowledgeBase, labelled: Sequence[tuple[str, str]]) -> tuple[float, float, float]:
    report = find_gaps(kb, [GapQuestion(q, frozenset({"abstained"})) for q, _ in labelled])
    cluster_of = {p.text: c.id for c in report.clusters for p in c.phrasings}
    expect = {" ".join(q.split()): e for q, e in labelled}
    texts = [t for t in cluster_of if t in expect]
    together = same = both = 0
    for a, b in combinations(texts, 2):
        joined = cluster_of[a] == cluster_of[b]
        related = expect[a] == expect[b]
        together += joined
        same += related
        both += joined and related
    entries = {expect[t] for t in texts}
    per_entry = len({(expect[t], cluster_of[t]) for t in texts}) / max(len(entries), 1)
    return both / max(together, 1), both / max(same, 1), per_entry


def speed(kb: KnowledgeBase, questions: Sequence[str], size: int) -> tuple[float, int]:
    rng = random.Random(size)
    texts = [
        q if i < len(questions) else f"{q} {rng.choice(FILLERS)} {i}"
        for i, q in ((i, questions[i % len(questions)]) for i in range(size))
    ]
    records = [GapQuestion(t, frozenset({"abstained"})) for t in texts]
    start = time.perf_counter()
    report = find_gaps(kb, records)
    return time.perf_counter() - start, len(report.clusters)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000,3000", help="distinct phrasings to time")
    args = parser.parse_args(argv)
    every: list[str] = []
    for kb_dir, path in SETS:
        kb = KnowledgeBase.load(kb_dir)
        labelled = _labelled(path)
        every.extend(q for q, _ in labelled)
        precision, recall, per_entry = quality(kb, labelled)
        print(
            f"quality {path.relative_to(DATA)}: {len(labelled)} questions, pairwise precision "
            f"{precision:.2f}, recall {recall:.2f}, {per_entry:.1f} clusters per entry"
        )
    kb = KnowledgeBase.load()
    for size in (int(s) for s in args.sizes.split(",")):
        seconds, clusters = speed(kb, every, size)
        print(f"speed: {size} distinct phrasings -> {clusters} clusters in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
