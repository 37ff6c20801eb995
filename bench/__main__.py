"""``python -m bench [NAME ...]``: run every benchmark (or the named ones) with defaults.

A benchmark is a module of this package with a ``main(argv) -> int`` (or ``main()``); helpers that are
not benchmarks (the synthetic knowledge-base generator, the calibration fitter) are
listed in NOT_BENCHMARKS. One failing benchmark does not stop the others.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import time
import traceback
from collections.abc import Sequence

import bench

NOT_BENCHMARKS = frozenset({"synthetic", "kb_calibrate"})


def benchmark_names() -> list[str]:
    names = []
    for module in pkgutil.iter_modules(bench.__path__):
        if module.ispkg or module.name.startswith("_") or module.name in NOT_BENCHMARKS:
            continue
        if callable(getattr(importlib.import_module(f"bench.{module.name}"), "main", None)):
            names.append(module.name)
    return sorted(names)


def main(argv: Sequence[str] | None = None) -> int:
    available = benchmark_names()
    chosen = list(argv if argv is not None else sys.argv[1:]) or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    failed = []
    for name in chosen:
        print(f"\n##### bench.{name}", flush=True)
        start = time.perf_counter()
        try:
            entry = importlib.import_module(f"bench.{name}").main
            status = entry([]) if inspect.signature(entry).parameters else entry()
        except Exception:  # a broken benchmark is reported, the others still run
            traceback.print_exc()
            status = 1
        print(
            f"##### bench.{name}: exit {status} in {time.perf_counter() - start:.0f} s", flush=True
        )
        if status:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
