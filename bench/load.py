"""Bounded load on loopback: Slack events and Teams activities against 1 and 2 replicas.

A region's staff ask in bursts (a meeting ends, a reminder goes out), and with
several replicas behind a load balancer Slack's retries land on any of them. This
starts real ``jambot serve`` processes on one PostgreSQL database (a schema of its
own, dropped afterwards), plays Slack (the Web API stand-in) and the Bot Connector
in threads of their own, and at each concurrency level sends signed ``message.im``
events and Teams ``message`` activities alternately, round-robin over the replicas.
Every tenth Slack event is also delivered again as a retry (``X-Slack-Retry-Num``)
to the other replica. Each question comes from its own user, so every one must be
answered exactly once: replies are counted at the stand-ins per conversation.

Figures per run: events/s (acks), p50/p99 ack latency, errors, lost and duplicated
answers. Target: >= 200 events/s with p99 <= 200 ms on a 2-core machine.

    python -m bench.load [--levels 10,50,100] [--events 400] [--replicas 1,2] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
sys.path.insert(0, str(REPO / "tests"))

from production.servers import ServerFactory, ServerProcess  # noqa: E402
from standins.bot_connector import BotConnectorStandIn, TeamsUser, personal_message  # noqa: E402
from standins.slack_api import SlackApiStandIn  # noqa: E402

from bench.slack_ack import QUESTIONS, percentile, signed_headers  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "bench-load-signing-secret"
RETRY_EVERY = 10
DRAIN_TIMEOUT = 120.0


class StandIns:
    """Slack Web API and Bot Connector stand-ins on an event loop of their own."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.slack = SlackApiStandIn()
        self.connector = BotConnectorStandIn()
        self._connector_runner: aiohttp.web.AppRunner | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._call(self.slack.start())
        self._call(self._start_connector())

    async def _start_connector(self) -> None:
        runner = aiohttp.web.AppRunner(self.connector.app(), access_log=None)
        await runner.setup()
        site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        self.connector.url = f"http://{host}:{port}/"
        self._connector_runner = runner

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def slack_replies(self) -> Counter[str]:
        return Counter(
            str(c.body.get("channel"))
            for c in list(self.slack.calls)
            if c.method == "chat.postMessage"
        )

    def teams_replies(self) -> Counter[str]:
        return Counter(
            c.conversation_id for c in list(self.connector.calls) if c.route in ("send", "reply")
        )

    def stop(self) -> None:
        self._call(self.slack.stop())
        if self._connector_runner is not None:
            self._call(self._connector_runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)


@dataclass
class Event:
    platform: str  # slack | teams
    conversation: str  # where its one answer must arrive
    body: bytes
    headers: dict[str, str]
    retry_headers: dict[str, str] | None = None


def slack_event(number: int, run: str) -> Event:
    user = f"U{run}{number:06d}"
    channel = "D" + user[1:]
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0LOAD",
            "api_app_id": "A0LOAD",
            "event_id": f"Ev{run}{number:07d}",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": channel,
                "user": user,
                "text": QUESTIONS[number % len(QUESTIONS)],
                "ts": f"{time.time():.6f}",
            },
        }
    ).encode()
    headers = signed_headers(body, SECRET)
    retry = {**headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    return Event("slack", channel, body, headers, retry if number % RETRY_EVERY == 0 else None)


def teams_event(number: int, run: str, service_url: str) -> Event:
    user = TeamsUser(aad_object_id=str(uuid.uuid4()), name=f"Load User {number}")
    activity = personal_message(service_url, user, QUESTIONS[number % len(QUESTIONS)])
    return Event(
        "teams",
        user.conversation_id,
        json.dumps(activity).encode(),
        {"Content-Type": "application/json"},
    )


PATHS = {"slack": "/slack/events", "teams": "/api/messages"}


@dataclass
class LevelResult:
    replicas: int
    concurrency: int
    events: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    by_platform: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    duplicated: int = 0
    drained_s: float = 0.0

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    def row(self) -> str:
        p50, p99 = percentile(self.latencies_ms, 50), percentile(self.latencies_ms, 99)
        errors = sum(self.errors.values())
        split = "  ".join(
            f"{name} p50/p99 {percentile(ms, 50):.0f}/{percentile(ms, 99):.0f}"
            for name, ms in sorted(self.by_platform.items())
        )
        return (
            f"{self.replicas:>8} {self.concurrency:>6} {self.events:>7} {self.rate:>9.0f} "
            f"{p50:>8.1f} {p99:>8.1f} {errors:>7} {self.lost:>5} {self.duplicated:>5} {self.drained_s:>8.1f}"
            f"   ({split})"
        )


async def fire(
    servers: Sequence[ServerProcess], events: Sequence[Event], concurrency: int
) -> tuple[dict[str, list[float]], float, Counter[str]]:
    latencies: dict[str, list[float]] = {"slack": [], "teams": []}
    errors: Counter[str] = Counter()
    slots = asyncio.Semaphore(concurrency)
    turn = itertools.count()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:

        async def post(server: ServerProcess, event: Event, headers: dict[str, str]) -> None:
            async with slots:
                started = time.perf_counter()
                try:
                    async with http.post(
                        server.url + PATHS[event.platform], data=event.body, headers=headers
                    ) as response:
                        await response.read()
                        status = response.status
                except aiohttp.ClientError as exc:
                    errors[type(exc).__name__] += 1
                    return
                latencies[event.platform].append((time.perf_counter() - started) * 1000)
                if status not in (200, 201, 202):
                    errors[f"{event.platform} HTTP {status}"] += 1

        async def one(event: Event) -> None:
            n = next(turn)
            await post(servers[n % len(servers)], event, event.headers)
            if (
                event.retry_headers is not None
            ):  # Slack retries, and the balancer picks the other replica
                await post(servers[(n + 1) % len(servers)], event, event.retry_headers)

        started = time.perf_counter()
        await asyncio.gather(*(one(e) for e in events))
        elapsed = time.perf_counter() - started
    return latencies, elapsed, errors


async def drain(
    standins: StandIns, events: Sequence[Event], before: tuple[Counter[str], Counter[str]]
) -> tuple[int, int, float]:
    """Wait for every answer; then count conversations with none (lost) or several (duplicated)."""
    started = time.perf_counter()
    deadline = time.monotonic() + DRAIN_TIMEOUT

    def answered() -> tuple[Counter[str], Counter[str]]:
        return standins.slack_replies() - before[0], standins.teams_replies() - before[1]

    while True:
        slack, teams = answered()
        counts = [(slack if e.platform == "slack" else teams)[e.conversation] for e in events]
        if all(c >= 1 for c in counts) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    drained = time.perf_counter() - started
    await asyncio.sleep(1.0)  # a late duplicate would arrive now
    slack, teams = answered()
    counts = [(slack if e.platform == "slack" else teams)[e.conversation] for e in events]
    return sum(1 for c in counts if c == 0), sum(1 for c in counts if c > 1), drained


def server_env(database_url: str, standins: StandIns) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-bench-load",
        "JAMBOT_PSEUDONYM_SECRET": "bench-pseudonym-secret",
        "JAMBOT_PUBLIC_URL": "http://127.0.0.1",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standins.slack.url,
        "JAMBOT_CONFIG": str(REPO / "config" / "jambot.yaml"),
        "JAMBOT_SCHEDULER": "0",
        "JAMBOT_WEBCHAT": "0",
        "JAMBOT_LOG_FORMAT": "json",
        "JAMBOT_AUTO_MIGRATE": "0",  # migrated once below, as a deployment step would
    }


def pg_schema(base_url: str) -> tuple[str, str]:
    schema = f"jambot_load_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base_url else "?"
    return schema, f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"


def drop_schema(base_url: str, schema: str) -> None:
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


async def run(args: argparse.Namespace, workdir: Path) -> list[LevelResult]:
    schema, database_url = pg_schema(args.pg_url)
    standins = StandIns()
    standins.start()
    factory = ServerFactory(workdir)
    results: list[LevelResult] = []
    try:
        upgrade(database_url)
        numbers = itertools.count(1)
        for replicas in args.replicas:
            servers = [
                factory.start(server_env(database_url, standins), f"r{replicas}-{i}")
                for i in range(replicas)
            ]
            await asyncio.gather(*(s.wait_healthy(60) for s in servers))
            run_id = uuid.uuid4().hex[:6].upper()
            warm = [slack_event(next(numbers), run_id) for _ in range(10)]
            warm += [teams_event(next(numbers), run_id, standins.connector.url) for _ in range(10)]
            await fire(servers, warm, 10)
            await drain(standins, warm, (Counter(), Counter()))
            for level in args.levels:
                events = [
                    slack_event(n, run_id)
                    if n % 2
                    else teams_event(n, run_id, standins.connector.url)
                    for n in (next(numbers) for _ in range(args.events))
                ]
                before = (standins.slack_replies(), standins.teams_replies())
                latencies, seconds, errors = await fire(servers, events, level)
                lost, duplicated, drained = await drain(standins, events, before)
                result = LevelResult(
                    replicas,
                    level,
                    len(events),
                    seconds,
                    latencies["slack"] + latencies["teams"],
                    latencies,
                    errors,
                    lost,
                    duplicated,
                    drained,
                )
                results.append(result)
                print(result.row(), flush=True)
            for server in servers:
                server.terminate(30)
    finally:
        factory.stop_all()
        standins.stop()
        drop_schema(args.pg_url, schema)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--levels", default="10,50,100", help="concurrency levels (default 10,50,100)"
    )
    parser.add_argument(
        "--events", type=int, default=400, help="events per level (half Slack, half Teams)"
    )
    parser.add_argument("--replicas", default="1,2", help="replica counts to run (default 1,2)")
    parser.add_argument("--pg-url", default=PG_DEFAULT, help=f"PostgreSQL (default {PG_DEFAULT})")
    args = parser.parse_args(argv)
    args.levels = [int(x) for x in args.levels.split(",")]
    args.replicas = [int(x) for x in args.replicas.split(",")]
    print(
        f"Load on loopback, PostgreSQL; {args.events} events per level (Slack + Teams, "
        f"every {RETRY_EVERY}th Slack event retried on the other replica); target >= 200 events/s, p99 <= 200 ms"
    )
    print(
        f"{'replicas':>8} {'conc':>6} {'events':>7} {'events/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'lost':>5} {'dup':>5} {'drain s':>8}"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        results = asyncio.run(run(args, Path(tmp)))
    errors = Counter[str]()
    for r in results:
        errors.update(r.errors)
    if errors:
        print(f"errors: {dict(errors)}")
    ok = [r for r in results if r.rate >= 200 and percentile(r.latencies_ms, 99) <= 200]
    print(
        f"target met in {len(ok)}/{len(results)} runs; lost {sum(r.lost for r in results)}, "
        f"duplicated {sum(r.duplicated for r in results)}"
    )
    return 0 if all(r.lost == 0 and r.duplicated == 0 and not r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
