"""Export speed: 300 administrations × 8 quarters of status updates, each format.

    python -m bench.export_speed [--administrations 300] [--repeat 5] [--database-url URL]

Seeds a database (a temporary SQLite file unless --database-url) with two revisions
per administration and quarter (4 800 rows for the defaults, realistic text lengths),
then builds and renders one quarter's report in every format ``--repeat`` times and
prints the median wall time per format, split into building the model (database)
and rendering. Target: each format under 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.db import Database
from bot.db.models import StatusUpdate
from reminders.export import FORMATS, build_report
from reminders.organisation import OrgConfig, parse_org_config
from reminders.periods import Quarter
from reminders.updates import STATUSES

TARGET_SECONDS = 2.0
DONE = (
    "Vi har kartlagt väntetider för kvinnor och män på akutmottagningen och sett skillnader. " * 6
)
NEXT = "Analysera orsakerna tillsammans med verksamheten och ta fram åtgärder. " * 4


def bench_org(administrations: int) -> OrgConfig:
    return parse_org_config(
        {
            "organisation": {"id": "bench", "name": "Region Bench"},
            "strategists": [{"name": "Strateg", "slack": "U0STRAT"}],
            "administrations": [
                {
                    "id": f"adm-{n:03d}",
                    "name": f"Förvaltning {n}",
                    "development_area": f"Utvecklingsområde {n}: jämställd resursfördelning",
                    "contacts": [{"name": f"Kontakt {n}", "slack": f"U{n:06d}"}],
                }
                for n in range(administrations)
            ],
        }
    )


def seed(db: Database, org: OrgConfig, quarters: list[Quarter]) -> int:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [
        {
            "org_id": org.organisation.id,
            "administration_id": adm.id,
            "period": q.key,
            "revision": revision,
            "status": STATUSES[(i + revision) % len(STATUSES)],
            "done": DONE,
            "next_steps": NEXT,
            "support_needed": "" if i % 3 else "Stöd i analysen",
            "submitted_by": adm.contacts[0].slack or "",
            "submitted_by_name": adm.contacts[0].name,
            "platform": "slack",
            "created_at": start + timedelta(hours=i + revision),
        }
        for q in quarters
        for i, adm in enumerate(org.administrations)
        for revision in (1, 2)
        if i % 10 != 9  # every tenth administration has not reported: missing rows
    ]
    with db.session() as session:
        session.execute(insert(StatusUpdate), rows)
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_speed", description=__doc__)
    parser.add_argument("--administrations", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database(url)
        db.create_all()
        org = bench_org(args.administrations)
        quarters = [Quarter(2024, n) for n in (1, 2, 3, 4)] + [
            Quarter(2025, n) for n in (1, 2, 3, 4)
        ]
        seeded = seed(db, org, quarters)
        target = Quarter(2025, 4)
        print(
            f"database: {db.engine.dialect.name}; {seeded} status rows ({args.administrations} administrations × {len(quarters)} quarters × 2 revisions, 10 % missing)"
        )
        print(f"exporting {target.key}, median of {args.repeat} runs")
        print(
            f"{'format':<6} {'model s':>8} {'render s':>9} {'total s':>8} {'size kB':>8}  target < {TARGET_SECONDS} s"
        )
        failed = False
        for fmt, spec in FORMATS.items():
            model_times, render_times, size = [], [], 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                report = build_report(db, org, target)
                t1 = time.perf_counter()
                size = len(spec.render(report))
                t2 = time.perf_counter()
                model_times.append(t1 - t0)
                render_times.append(t2 - t1)
            model, render = statistics.median(model_times), statistics.median(render_times)
            totals = [m + r for m, r in zip(model_times, render_times, strict=True)]
            total = statistics.median(totals)
            ok = total < TARGET_SECONDS
            failed |= not ok
            print(
                f"{fmt:<6} {model:8.3f} {render:9.3f} {total:8.3f} {size / 1024:8.0f}  {'ok' if ok else 'SLOWER THAN TARGET'}"
            )
        db.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
