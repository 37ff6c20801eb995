"""Reminder sending: 300 administrations × 3 contacts through a local Slack Web API stand-in.

    python -m bench.reminders_send [--administrations 300] [--contacts 3] [--mode raw|limited|both]

The whole path runs for real: due logic, the claim in the database (a temporary
SQLite file), the Slack outbox (slack_sdk over HTTP to 127.0.0.1) and the stand-in,
which answers chat.postMessage like Slack (a user id as the channel lands in that
user's D… DM channel) and counts calls.

Two scenarios: DMs to every contact (the default config) and one post per
administration channel (``slack_channel`` set). Two modes: ``raw`` (no limiter:
what the code and the database can do) and ``limited`` (the per-method limiter
of reminders/ratelimit.py: chat.postMessage 1/s per channel, a DM's channel being
the person). DMs are posted straight to the user id, so no conversations.open
(Tier 3, ≈ 50/min) paces the run: before that change the limited DM run took
~18 minutes for 900 contacts. Each run also checks that nothing was sent twice
and that every DM landed in its own D… channel.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.config import Settings
from bot.db import Database
from bot.slack import make_outbox
from reminders.organisation import OrgConfig, parse_org_config
from reminders.ratelimit import PLATFORM_LIMITS, RateLimiter
from reminders.runner import run_reminders

NOW = datetime(2025, 4, 4, 9, 30, tzinfo=ZoneInfo("Europe/Stockholm"))  # a before-10 reminder day


class SlackStandIn:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.channels: Counter[str] = Counter()  # posts per channel they landed in
        self._ts = 0

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] += 1
        body: dict[str, Any] = (
            await request.json()
            if request.content_type == "application/json"
            else dict(await request.post())
        )
        body.update(request.query)
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D" + str(body["users"])[1:]}})
        if method == "chat.postMessage":
            self._ts += 1
            to = str(body["channel"])
            channel = "D" + to[1:] if to[:1] in ("U", "W") else to  # Slack: the app's DM with them
            self.channels[channel] += 1
            return web.json_response({"ok": True, "channel": channel, "ts": f"1.{self._ts:06d}"})
        return web.json_response({"ok": True})


def bench_org(administrations: int, contacts: int, channels: bool) -> OrgConfig:
    return parse_org_config(
        {
            "organisation": {"id": "bench", "name": "Region Bench"},
            "strategists": [{"name": "Strateg", "slack": "U0STRAT"}],
            "escalation": {"slack_channel": "C0ESCAL"},
            "administrations": [
                {
                    "id": f"adm-{n:03d}",
                    "name": f"Förvaltning {n}",
                    "development_area": "Jämställd resursfördelning",
                    **({"slack_channel": f"C{n:06d}"} if channels else {}),
                    "contacts": [
                        {"name": f"Kontakt {n}-{k}", "slack": f"U{n:04d}{k:02d}"}
                        for k in range(contacts)
                    ],
                }
                for n in range(administrations)
            ],
            "reporting": {"deadline": {"dates": {"2025-Q1": "2025-04-22"}}},
        }
    )


async def run_once(org: OrgConfig, limited: bool) -> tuple[float, int, SlackStandIn]:
    standin = SlackStandIn()
    app = web.Application()
    app.router.add_post("/api/{method}", standin.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.create_all()
        outbox = make_outbox(
            Settings(slack_bot_token="xoxb-bench", slack_api_url=f"http://{host}:{port}/api/")
        )
        started = time.perf_counter()
        report = await run_reminders(
            db,
            org,
            {"slack": outbox},
            NOW,
            limiter=RateLimiter(PLATFORM_LIMITS) if limited else None,
        )
        elapsed = time.perf_counter() - started
        db.dispose()
    await runner.cleanup()
    if report.failed or report.undeliverable:
        raise SystemExit(f"sends failed: {report.failed[:3]} {report.undeliverable[:3]}")
    return elapsed, len(report.sent), standin


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders_send", description=__doc__)
    parser.add_argument("--administrations", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=3)
    parser.add_argument("--mode", choices=("raw", "limited", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3, help="runs per line (median)")
    args = parser.parse_args(argv)
    modes = ["raw", "limited"] if args.mode == "both" else [args.mode]
    print(
        f"{args.administrations} administrations × {args.contacts} contacts, Slack stand-in on 127.0.0.1, SQLite claims"
    )
    asyncio.run(run_once(bench_org(10, 1, False), limited=False))  # warm-up: imports, connections
    print(
        f"{'scenario':<9} {'mode':<8} {'sent':>5} {'time s':>8} {'sends/s':>8} {'opens':>6} "
        f"{'dup':>4} {'DMs':>5}  (time: median of runs; opens: conversations.open calls)"
    )
    for scenario, channels in (("dm", False), ("channel", True)):
        org = bench_org(args.administrations, args.contacts, channels)
        for mode in modes:
            results = [asyncio.run(run_once(org, mode == "limited")) for _ in range(args.repeat)]
            elapsed = statistics.median(r[0] for r in results)
            sent, standin = results[0][1], results[0][2]
            duplicates = sum(1 for r in results for n in r[2].channels.values() if n > 1)
            dms = sum(1 for channel in standin.channels if channel.startswith("D"))
            print(
                f"{scenario:<9} {mode:<8} {sent:>5} {elapsed:8.2f} {sent / elapsed:8.1f} "
                f"{standin.calls['conversations.open']:>6} {duplicates:>4} {dms:>5}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
