"""Faults while two replicas work: a replica killed mid-run and mid-request, the database lost.

A reminder run (one DM per contact, paced by Slack's conversations.open limit, so it
lasts a while) and a stream of Slack questions and status-form submissions go to
two ``jambot serve`` replicas on one PostgreSQL database. The client behaves like
Slack behind a load balancer: a request that fails (connection refused, 5xx) is
delivered again, to the other replica if its own is gone, with
``X-Slack-Retry-Num`` and the same ``event_id``.

Scenario "kill": SIGKILL the replica holding the scheduler lease once the run has
sent a few reminders, and the other replica mid-stream of requests.
Scenario "database": drop every database connection of both replicas for a few
seconds, repeatedly, mid-run (``pg_terminate_backend`` on this run's application
name: other users of the server are not touched). With ``--restart-postgres`` it
restarts the whole cluster instead (``pg_ctlcluster … restart``); it refuses when
other clients are connected, since it would break their work too.

Afterwards it counts, at the Slack stand-in and in the database: reminders sent
exactly once / twice / not (yet), questions answered once / lost / twice, and
status updates acknowledged versus stored (every acknowledged one must be stored).

    python -m bench.faults [--contacts 40] [--scenario kill,database] [--restart-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import yaml
from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from production.servers import ServerFactory, ServerProcess

from bench.load import PG_DEFAULT, SECRET, StandIns, drop_schema, pg_schema, slack_event
from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.models import ReminderSend, SchedulerLease, StatusUpdate

NOW = "2025-04-22T09:30:00+02:00"  # the 2025-Q1 deadline day: the on-deadline reminder is due
LEASE_SECONDS = 6
APP_NAME = "jambot-faults"
RUN_TIMEOUT = 240.0


def org_config(contacts: int) -> dict[str, Any]:
    return {
        "organisation": {"id": "region-fel", "name": "Region Fel", "timezone": "Europe/Stockholm"},
        "strategists": [{"name": "Strateg", "slack": "U0STRAT1"}],
        "escalation": {"slack_channel": "C0ESCAL"},
        "administrations": [
            {
                "id": f"a{i:03d}",
                "name": f"Förvaltning {i}",
                "development_area": "Jämställd service",
                "contacts": [{"name": f"Kontakt {i}", "slack": f"UF{i:04d}"}],
            }
            for i in range(contacts + 1)  # a000 is the one whose form is submitted again and again
        ],
        "reporting": {
            "deadline": {"dates": {"2025-Q1": "2025-04-22"}},
            "reminders": {"working_days_before_deadline": [10, 3], "on_deadline": True},
        },
    }


@dataclass
class Tally:
    events_sent: int = 0
    events_acked: int = 0
    updates_acked: list[str] = field(default_factory=list)
    retries: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    conversations: list[str] = field(default_factory=list)


class Client:
    """Slack behind a load balancer: deliver, and on failure deliver again (other replica if gone)."""

    def __init__(
        self, servers: Sequence[ServerProcess], http: aiohttp.ClientSession, tally: Tally
    ) -> None:
        self.servers = servers
        self.http = http
        self.tally = tally
        self.turn = itertools.count()

    async def deliver(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes] | None:
        n = next(self.turn)
        for attempt in range(6):
            server = self.servers[(n + attempt) % len(self.servers)]
            sent = {
                **headers,
                **(
                    {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_error"}
                    if attempt
                    else {}
                ),
            }
            try:
                async with self.http.post(
                    server.url + "/slack/events",
                    data=body,
                    headers=sent,
                    timeout=aiohttp.ClientTimeout(total=10),
                ) as response:
                    payload = await response.read()
                    if response.status < 500:
                        return response.status, payload
                    self.tally.errors[f"HTTP {response.status}"] += 1
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.tally.errors[type(exc).__name__] += 1
            self.tally.retries += 1
            await asyncio.sleep(0.5 * (attempt + 1))
        return None

    async def question(self, number: int, run: str) -> None:
        event = slack_event(number, run)
        self.tally.events_sent += 1
        result = await self.deliver(event.body, event.headers)
        if result is not None and result[0] == 200:
            self.tally.events_acked += 1
            self.tally.conversations.append(event.conversation)

    async def submit(self, view: dict[str, Any], text: str) -> None:
        state = {
            "status": {
                "value": {
                    "type": "static_select",
                    "selected_option": {
                        "value": "on_track",
                        "text": {"type": "plain_text", "text": "x"},
                    },
                }
            },
            "done": {"value": {"type": "plain_text_input", "value": text}},
        }
        payload = {
            "type": "view_submission",
            "team": {"id": "T0LOAD"},
            "user": {"id": "UF0000", "team_id": "T0LOAD"},
            "api_app_id": "A0LOAD",
            "trigger_id": f"t{time.time_ns()}",
            "view": {**view, "id": "V0F", "state": {"values": state}},
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        result = await self.deliver(body, signed_headers(body, "application/x-www-form-urlencoded"))
        if result is not None and result[0] == 200 and not result[1].strip():
            self.tally.updates_acked.append(text)


def slow_slack(seconds: float) -> Any:
    """Slack takes this long per call, so the reminder run lasts long enough to be interrupted."""

    @aiohttp.web.middleware
    async def delay(request: aiohttp.web.Request, handler: Any) -> Any:
        await asyncio.sleep(seconds)
        return await handler(request)

    return delay


def signed_headers(body: bytes, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    signature = (
        "v0="
        + hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def server_env(database_url: str, standins: StandIns, config: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-bench-faults",
        "JAMBOT_PSEUDONYM_SECRET": "bench-pseudonym-secret",
        "JAMBOT_PUBLIC_URL": "http://127.0.0.1",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standins.slack.url,
        "JAMBOT_CONFIG": str(config),
        "JAMBOT_SCHEDULER": "1",
        "JAMBOT_NOW": NOW,
        "JAMBOT_LEASE_SECONDS": str(LEASE_SECONDS),
        "JAMBOT_WEBCHAT": "0",
        "JAMBOT_LOG_FORMAT": "json",
        "JAMBOT_AUTO_MIGRATE": "0",
    }


def reminder_dms(standins: StandIns, contacts: int) -> Counter[str]:
    wanted = {f"DF{i:04d}" for i in range(1, contacts + 1)}
    dms = ("D" + c[1:] if c.startswith("U") else c for c in standins.slack_replies().elements())
    return Counter(c for c in dms if c in wanted)  # a DM posted to D… or straight to the user id


def lease_holder(db: Database) -> str | None:
    with db.session() as session:
        return session.scalar(
            select(SchedulerLease.holder).where(SchedulerLease.name == "reminders")
        )


async def open_form(client: Client, standins: StandIns) -> dict[str, Any]:
    payload = {
        "type": "block_actions",
        "user": {"id": "UF0000", "team_id": "T0LOAD"},
        "api_app_id": "A0LOAD",
        "team": {"id": "T0LOAD"},
        "trigger_id": "t-open",
        "channel": {"id": "DF0000"},
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "DF0000"},
        "message": {"type": "message", "ts": "1.1", "text": ""},
        "actions": [
            {
                "action_id": "jambot:report_status:0",
                "block_id": "b",
                "type": "button",
                "value": "a000|2025-Q1",
                "action_ts": "1.1",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    await client.deliver(body, signed_headers(body, "application/x-www-form-urlencoded"))
    for _ in range(100):
        opened = [c for c in list(standins.slack.calls) if c.method == "views.open"]
        if opened:
            view = opened[-1].body["view"]
            return json.loads(view) if isinstance(view, str) else view
        await asyncio.sleep(0.1)
    raise RuntimeError("the status form did not open")


async def drop_connections(base_url: str, seconds: float) -> int:
    """Terminate every connection of this run's replicas, again and again, for ``seconds``."""
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    dropped = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                dropped += len(
                    conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :a"
                        ),
                        {"a": APP_NAME},
                    ).all()
                )
            await asyncio.sleep(0.25)
    finally:
        engine.dispose()
    return dropped


def restart_postgres(base_url: str, force: bool) -> None:
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        others = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND application_name <> :a AND pid <> pg_backend_pid()"
            ),
            {"a": APP_NAME},
        ).scalar_one()
    engine.dispose()
    if others and not force:
        raise SystemExit(
            f"{others} other client(s) are connected to PostgreSQL: not restarting it "
            "under them (--force to do it anyway)"
        )
    version = next(p.name for p in sorted(Path("/etc/postgresql").iterdir()))
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
    )


async def scenario(name: str, args: argparse.Namespace, workdir: Path) -> bool:
    schema, url = pg_schema(args.pg_url)
    database_url = f"{url}&application_name={APP_NAME}"
    config = workdir / f"{name}.yaml"
    config.write_text(
        yaml.safe_dump(org_config(args.contacts), allow_unicode=True), encoding="utf-8"
    )
    standins = StandIns()
    standins.slack.app.middlewares.append(slow_slack(args.slack_latency))
    standins.start()
    factory = ServerFactory(workdir)
    tally = Tally()
    db = Database(database_url)
    try:
        upgrade(database_url)
        env = server_env(database_url, standins, config)
        servers = [factory.start(env, f"{name}-a"), factory.start(env, f"{name}-b")]
        await asyncio.gather(*(s.wait_healthy(60) for s in servers))
        fault_note = ""
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            client = Client(servers, http, tally)
            view = await open_form(client, standins)
            stop = asyncio.Event()
            numbers = itertools.count(1)
            run = uuid.uuid4().hex[:6].upper()

            async def stream() -> None:
                while not stop.is_set():
                    n = next(numbers)
                    await asyncio.gather(
                        client.question(n, run), client.submit(view, f"{name}-update-{n}")
                    )
                    await asyncio.sleep(0.2)

            streams = [asyncio.create_task(stream()) for _ in range(3)]
            while sum(reminder_dms(standins, args.contacts).values()) < 10:
                await asyncio.sleep(0.1)
            if name == "kill":
                holder = lease_holder(db) or ""
                victim = next((s for s in servers if holder.endswith(f":{s.proc.pid}")), servers[0])
                victim.kill()
                fault_note = f"killed the lease holder ({victim.name}) after {sum(reminder_dms(standins, args.contacts).values())} reminders"
            elif args.restart_postgres:
                restart_postgres(args.pg_url, args.force)
                fault_note = "restarted the PostgreSQL cluster mid-run"
            else:
                dropped = await drop_connections(args.pg_url, 5.0)
                fault_note = f"dropped {dropped} database connections over 5 s mid-run"
            deadline = time.monotonic() + RUN_TIMEOUT
            while (
                time.monotonic() < deadline
                and len(reminder_dms(standins, args.contacts)) < args.contacts
            ):
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)
            stop.set()
            await asyncio.gather(*streams)
            await asyncio.sleep(3)  # answers to the last questions
        dms = reminder_dms(standins, args.contacts)
        replies = standins.slack_replies()
        answers = Counter(replies[c] for c in tally.conversations)
        with db.session() as session:
            stored = set(session.scalars(select(StatusUpdate.done)).all())
            stranded_to = session.scalars(
                select(ReminderSend.recipient).where(ReminderSend.status == "claimed")
            ).all()
        stranded = len(stranded_to)
        # A claim left by a killed replica whose message Slack had already received: after the
        # 10-minute stale window it would be sent a second time (the one window left, see dispatch.py).
        delivered_stranded = sum(
            1 for r in stranded_to if dms.get("DF" + r.removeprefix("slack:UF"), 0) > 0
        )
        lost_updates = [u for u in tally.updates_acked if u not in stored]
        odd = sorted(c for c, n in dms.items() if n > 1)
        odd += sorted(f"DF{i:04d}" for i in range(1, args.contacts + 1) if f"DF{i:04d}" not in dms)
        with db.session() as session:
            detail = session.execute(
                select(
                    ReminderSend.recipient,
                    ReminderSend.status,
                    ReminderSend.attempts,
                    ReminderSend.claimed_by,
                    ReminderSend.error,
                ).where(ReminderSend.recipient.in_([f"slack:UF{c[2:]}" for c in odd]))
            ).all()
        print(f"\n[{name}] {fault_note}")
        print(
            f"  reminders: {args.contacts} due; sent once {sum(1 for n in dms.values() if n == 1)}, "
            f"twice or more {sum(1 for n in dms.values() if n > 1)}, not yet {args.contacts - len(dms)} "
            f"(claims stranded by the fault: {stranded}, of which {delivered_stranded} already delivered "
            "and so sent again after the 10-minute stale window)"
        )
        print(
            f"  questions: {tally.events_sent} sent, {tally.events_acked} acknowledged; answered once "
            f"{answers.get(1, 0)}, twice {sum(v for k, v in answers.items() if k > 1)}, lost {answers.get(0, 0)}"
        )
        print(
            f"  status updates: {len(tally.updates_acked)} acknowledged, {len(tally.updates_acked) - len(lost_updates)} stored, "
            f"{len(lost_updates)} lost"
        )
        print(f"  client retries: {tally.retries} ({dict(tally.errors)})")
        for row in detail:
            print(f"  not exactly once: {tuple(row)}")
        return not lost_updates and all(n == 1 for n in dms.values())
    finally:
        db.dispose()
        factory.stop_all()
        standins.stop()
        try:
            drop_schema(args.pg_url, schema)
        except Exception as exc:  # the cluster may still be coming back after a restart
            print(f"  (schema {schema} not dropped: {exc})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--contacts", type=int, default=40, help="administrations, one Slack contact each"
    )
    parser.add_argument("--scenario", default="kill,database")
    parser.add_argument(
        "--slack-latency", type=float, default=0.25, help="seconds per Slack API call"
    )
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument(
        "--restart-postgres",
        action="store_true",
        help="restart the cluster instead of dropping connections",
    )
    parser.add_argument(
        "--force", action="store_true", help="restart even with other clients connected"
    )
    args = parser.parse_args(argv)
    print(
        f"Faults on two replicas, PostgreSQL; {args.contacts} reminders due, lease {LEASE_SECONDS} s"
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.scenario.split(","):
            ok = asyncio.run(scenario(name, args, Path(tmp))) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
