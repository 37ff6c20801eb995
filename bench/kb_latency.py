"""Load time, query latency and memory of the engine on synthetic knowledge bases.

    python -m bench.kb_latency [--sizes 1000,10000,100000] [--queries 1000]

Each size is written as real Markdown files in a temporary directory, then measured in a
fresh Python process (so memory and load time of one size do not leak into the next):
load time of ``KnowledgeBase.load``, resident memory added by loading, and p50/p99 of
``kb.answer`` over a realistic query mix. Targets (issue 3): p50 <= 2 ms and p99 <= 10 ms
at 10k entries, p50 <= 20 ms at 100k, load of 10k <= 2 s, cost per query sub-linear.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from bench.synthetic import WordSampler, queries, vocabulary, vocabulary_size, write_knowledge_base

DEFAULT_SIZES = (1_000, 10_000, 100_000)
WARMUP = 50
SEED = 7


def resident_mb() -> float:
    """This process's resident set size in MB (Linux /proc; 0 where unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def measure(directory: Path, size: int, query_count: int) -> dict[str, float]:
    """Runs inside the child process: load the knowledge base, then time the queries."""
    from knowledge import KnowledgeBase  # imported here so its import cost is not "load time"

    sampler = WordSampler(vocabulary(vocabulary_size(size), random.Random(SEED)), SEED)
    mix = queries(sampler, query_count + WARMUP)
    before = resident_mb()
    start, start_cpu = time.perf_counter(), time.process_time()
    kb = KnowledgeBase.load(directory)
    load_s, load_cpu_s = time.perf_counter() - start, time.process_time() - start_cpu
    memory = resident_mb() - before
    for question in mix[:WARMUP]:
        kb.answer(question)
    timings, cpu_timings = [], []
    answered = 0
    for question in mix[WARMUP:]:
        t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        answer = kb.answer(question)
        timings.append((time.perf_counter_ns() - t0) / 1e6)
        cpu_timings.append((time.thread_time_ns() - c0) / 1e6)
        answered += answer.entry is not None
    timings.sort()
    cpu_timings.sort()
    return {
        "entries": float(len(kb)),
        "load_s": load_s,
        "load_cpu_s": load_cpu_s,
        "memory_mb": memory,
        "p50_ms": percentile(timings, 0.50),
        "p99_ms": percentile(timings, 0.99),
        "mean_ms": sum(timings) / len(timings),
        "cpu_p50_ms": percentile(cpu_timings, 0.50),
        "cpu_p99_ms": percentile(cpu_timings, 0.99),
        "answered": answered / len(timings),
    }


def run_size(size: int, query_count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"jambot-kb-{size}-") as tmp:
        start = time.perf_counter()
        write_knowledge_base(Path(tmp), size, seed=SEED)
        generate_s = time.perf_counter() - start
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.kb_latency",
                "--measure",
                tmp,
                "--size",
                str(size),
                "--queries",
                str(query_count),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, float] = json.loads(child.stdout)
    result["generate_s"] = generate_s
    return result


def report(results: dict[int, dict[str, float]]) -> None:
    """Wall-clock figures, and CPU time beside them: on a busy machine the gap is waiting."""
    print(
        f"{'entries':>8} {'load s':>7} {'(cpu)':>6} {'memory MB':>10} {'p50 ms':>7} {'(cpu)':>6} "
        f"{'p99 ms':>7} {'(cpu)':>6} {'mean ms':>8} {'answered':>9}"
    )
    for r in results.values():
        print(
            f"{int(r['entries']):>8} {r['load_s']:>7.2f} {r['load_cpu_s']:>6.2f} {r['memory_mb']:>10.1f} "
            f"{r['p50_ms']:>7.3f} {r['cpu_p50_ms']:>6.3f} {r['p99_ms']:>7.3f} {r['cpu_p99_ms']:>6.3f} "
            f"{r['mean_ms']:>8.3f} {r['answered']:>8.0%}"
        )
    if hasattr(os, "getloadavg"):
        print(
            f"machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
    sizes = sorted(results)
    for small, large in pairwise(sizes):
        growth = large / small
        ratio = results[large]["p50_ms"] / results[small]["p50_ms"]
        verdict = "sub-linear" if ratio < growth else "NOT sub-linear"
        print(f"p50 {small} -> {large}: x{ratio:.2f} for x{growth:.0f} entries ({verdict})")
    targets = [
        (10_000, "p50_ms", 2.0, "p50 <= 2 ms at 10k"),
        (10_000, "p99_ms", 10.0, "p99 <= 10 ms at 10k"),
        (100_000, "p50_ms", 20.0, "p50 <= 20 ms at 100k"),
        (10_000, "load_s", 2.0, "load <= 2 s at 10k"),
    ]
    for size, key, limit, label in targets:
        if size in results:
            value = results[size][key]
            print(f"target {label}: {value:.3f} -> {'met' if value <= limit else 'MISSED'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.kb_latency", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated entry counts"
    )
    parser.add_argument("--queries", type=int, default=1000, help="timed queries per size")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.size, args.queries)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = {}
    for size in sizes:
        results[size] = run_size(size, args.queries)
        r = results[size]
        print(f"measured {size} entries (generated in {r['generate_s']:.1f} s)", file=sys.stderr)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
