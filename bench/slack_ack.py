"""Slack ack latency: signed events fired concurrently at a real ``jambot serve``.

Slack retries an event that is not acknowledged within 3 seconds, so the ack must
not wait for the knowledge base, the database or the Web API. This starts the real
server as a subprocess (loopback only, Slack Web API played by the test stand-in
in a process of its own), fires N signed ``message.im`` events with C in flight at a
time, and reports the ack latency (p50/p99), the request rate, and how many answers
reached the stand-in (each exactly once). Target: p99 ack <= 100 ms at 50 concurrent.

    python -m bench.slack_ack [--events 1000] [--concurrency 50] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

from standins.slack_api import SlackApiStandIn  # noqa: E402

SECRET = "bench-signing-secret"
QUESTIONS = [
    "Vad är CEMR?",
    "Hur gör vi en jämställdhetsanalys?",
    "vad betyder jämställdhetsintegrering",
    "Hur jämställdhetsintegrerar vi budgeten?",
    "What is gender mainstreaming?",
    "vad är 3R-metoden",
    "Var parkerar jag cykeln?",
    "könsuppdelad statistik",
]


class StandInProcess:
    """The Slack Web API stand-in in a process of its own, so neither it nor the server
    competes with the measuring client for the same interpreter."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.slack_ack", "--standin"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.base = self.proc.stdout.readline().strip()
        if not self.base.startswith("http://127.0.0.1:"):
            raise RuntimeError("the Slack stand-in did not start")
        self.url = self.base + "/api/"

    async def stats(self, http: aiohttp.ClientSession) -> dict[str, Counter[str]]:
        async with http.get(self.base + "/_stats") as response:
            data = await response.json()
        return {key: Counter(value) for key, value in data.items()}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


async def serve_standin() -> None:
    """``--standin``: run the stand-in until terminated, printing its base URL first."""
    standin = SlackApiStandIn()
    await standin.start()
    print(standin.base, flush=True)
    await asyncio.Event().wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, api_url: str, database_url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "JAMBOT_PSEUDONYM_SECRET": "bench-pseudonym-secret",
        "JAMBOT_PUBLIC_URL": "http://127.0.0.1",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "JAMBOT_CONFIG": str(REPO / "config" / "jambot.yaml"),
        "JAMBOT_SCHEDULER": "0",
        "JAMBOT_WEBCHAT": "0",
    }
    env.pop("JAMBOT_KB_DIR", None)  # the bundled knowledge base
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "jambot"), "serve", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(url + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not become healthy")


def signed_headers(body: bytes, secret: str = SECRET) -> dict[str, str]:
    """The headers of a Slack request signed now (with this bench's secret unless told)."""
    ts = str(int(time.time()))
    signature = (
        "v0="
        + hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def signed_event(number: int, run: str) -> tuple[bytes, dict[str, str]]:
    user = f"U{number % 97:04d}X"
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0BENCH",
            "event_id": f"Ev{run}{number:07d}",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": f"D{number:07d}",
                "user": user,
                "text": QUESTIONS[number % len(QUESTIONS)],
                "ts": f"{time.time():.6f}",
            },
        }
    ).encode()
    headers = signed_headers(body)
    return body, headers


async def fire(
    url: str, events: int, concurrency: int, run: str, offset: int = 0
) -> tuple[list[float], float, Counter[int]]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    semaphore = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(number: int) -> None:
            body, headers = signed_event(offset + number, run)
            async with semaphore:
                started = time.perf_counter()
                async with http.post(url + "/slack/events", data=body, headers=headers) as response:
                    await response.read()
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[response.status] += 1

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(events)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed, statuses


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(args: argparse.Namespace) -> int:
    load_before = os.getloadavg()[0]
    standin = StandInProcess()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.db"
        server = start_server(port, standin.url, database_url)
        try:
            async with aiohttp.ClientSession() as http:

                async def posted() -> int:
                    return (await standin.stats(http))["methods"]["chat.postMessage"]

                await wait_healthy(url)
                run_id = hex(int(time.time()))[2:]
                await fire(url, args.concurrency, args.concurrency, run_id + "w")  # warm-up
                while await posted() < args.concurrency:
                    await asyncio.sleep(0.05)
                before = await posted()
                latencies, elapsed, statuses = await fire(
                    url, args.events, args.concurrency, run_id, offset=10**6
                )
                answered_at = time.perf_counter()
                deadline = time.monotonic() + 120
                while await posted() - before < args.events and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                drain = time.perf_counter() - answered_at
                replies = await posted() - before
                per_channel = (await standin.stats(http))["post_channels"]
        finally:
            server.terminate()
            server.wait(30)
            standin.stop()
    duplicates = sum(1 for channel, n in per_channel.items() if channel.startswith("D1") and n > 1)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    print(
        f"Slack ack latency, {args.events} signed message.im events, {args.concurrency} in flight, "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}"
    )
    print(f"  statuses:         {dict(statuses)}")
    print(f"  ack p50:          {p50:.1f} ms")
    print(
        f"  ack p99:          {p99:.1f} ms   (target <= 100 ms: {'met' if p99 <= 100 else 'NOT met'})"
    )
    print(f"  ack max:          {max(latencies):.1f} ms, mean {statistics.fmean(latencies):.1f} ms")
    print(f"  acks/s:           {args.events / elapsed:.0f}")
    print(
        f"  answers posted:   {replies}/{args.events} (duplicates: {duplicates}), "
        f"all answered {elapsed + drain:.1f} s after the first event"
    )
    print(f"  answers/s:        {replies / (elapsed + drain):.0f}")
    print(
        f"  machine load:     {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
        f"(1-min average, {os.cpu_count()} CPUs; other work on the machine inflates p99)"
    )
    return (
        0
        if statuses == Counter({200: args.events}) and replies == args.events and not duplicates
        else 1
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--standin", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.standin:
        asyncio.run(serve_standin())
        return 0
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
