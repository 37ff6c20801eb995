"""Two real ``jambot serve`` processes on one PostgreSQL database behave as one bot.

Each property is proved from outside, the way a load balancer and Slack would
exercise it: a retried event delivered to both replicas, reminders started by
both (and by two cron runs at the same moment), two status revisions arriving
at once, and the scheduler lease surviving its holder being killed.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from slack_harness import JambotServer, SignedSlackRequests, e2e_env
from sqlalchemy import select
from standins.slack_api import SlackApiStandIn

from bot.db import Database
from bot.db.models import ReminderSend, SchedulerLease, StatusUpdate
from production.servers import ServerFactory, ServerProcess, clean_environ

pytestmark = pytest.mark.slow

# A Friday when the e2e organisation's 2025-Q1 reminders are due (see tests/e2e/test_reporting_slack.py).
REMINDER_DAY = "2025-04-04T09:30:00+02:00"
LEASE_SECONDS = 6
BO = "U0HSF1"  # contact of "hsf"


@pytest.fixture(autouse=True)
def _postgresql_only(db_backend: str) -> None:
    if db_backend != "postgresql":
        pytest.skip(
            "replicas share one PostgreSQL database; SQLite is the single-process embedded "
            "default (run with JAMBOT_TEST_DB=postgresql)"
        )


@dataclass
class Replicas:
    servers: list[ServerProcess]
    slack: list[SignedSlackRequests]
    db: Database


@pytest.fixture
async def replicas(
    database_url: str, slack_standin: SlackApiStandIn, servers: ServerFactory
) -> AsyncIterator[Replicas]:
    env = e2e_env(
        database_url, slack_standin,
        JAMBOT_SCHEDULER="1", JAMBOT_NOW=REMINDER_DAY, JAMBOT_LEASE_SECONDS=str(LEASE_SECONDS),
        JAMBOT_LOG_FORMAT="json",
    )
    started = [servers.start(env, "replica-a"), servers.start(env, "replica-b")]
    await asyncio.gather(*(s.wait_healthy(60) for s in started))
    db = Database(database_url)
    async with aiohttp.ClientSession() as http:
        slack = [
            SignedSlackRequests(JambotServer(s.url, None, None, http), slack_standin)  # type: ignore[arg-type]
            for s in started
        ]
        yield Replicas(started, slack, db)
    db.dispose()


def _posts(standin: SlackApiStandIn) -> Counter[str]:
    """Messages per conversation; a DM counts the same whether posted to D… or to the user id."""
    channels = (str(c.body.get("channel")) for c in standin.calls_to("chat.postMessage"))
    return Counter("D" + c[1:] if c.startswith("U") else c for c in channels)


async def _settled(standin: SlackApiStandIn, quiet: float = 1.0) -> None:
    await standin.settle(quiet)


async def test_a_retried_event_delivered_to_both_replicas_is_answered_once(
    replicas: Replicas, slack_standin: SlackApiStandIn
) -> None:
    await slack_standin.wait_for("chat.postMessage", 5, timeout=30)  # the start-up reminder run
    await _settled(slack_standin)
    before = _posts(slack_standin)["D0ASKER1"]
    first, retry = await asyncio.gather(
        replicas.slack[0].dm("Vad är CEMR?", user="U0ASKER1", event_id="EvRetried1"),
        replicas.slack[1].dm("Vad är CEMR?", user="U0ASKER1", event_id="EvRetried1", retry_num=1),
    )
    assert (first.status, retry.status) == (200, 200)
    await slack_standin.wait_for("chat.postMessage", sum(_posts(slack_standin).values()) + 1, timeout=10)
    await _settled(slack_standin)
    assert _posts(slack_standin)["D0ASKER1"] - before == 1


async def test_reminders_started_by_both_replicas_and_two_cron_runs_go_out_once(
    replicas: Replicas, slack_standin: SlackApiStandIn, database_url: str
) -> None:
    env = {**clean_environ(), **e2e_env(database_url, slack_standin)}
    cron = [
        subprocess.Popen([_jambot(), "remind", "--now", REMINDER_DAY], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [p.communicate(timeout=60) for p in cron]
    assert [p.returncode for p in cron] == [0, 0], [err for _, err in outcomes]
    await slack_standin.wait_for("chat.postMessage", 5, timeout=30)
    await _settled(slack_standin, 2.0)
    posts = _posts(slack_standin)
    # one DM per Slack contact (hsf, kultur, kollektivtrafik), rsf's channel, one notice about
    # the Teams-only contact to the strategists' channel: each exactly once
    assert posts == Counter({"D0HSF1": 1, "D0KUL1": 1, "D0KTF1": 1, "C0RSF": 1, "C0ESCAL": 1}), posts
    with replicas.db.session() as session:
        rows = session.execute(select(ReminderSend.recipient, ReminderSend.status)).all()
    sent = Counter(recipient for recipient, status in rows if status == "sent")
    assert sent and all(n == 1 for n in sent.values()), rows


async def test_two_status_revisions_at_once_are_both_stored(
    replicas: Replicas, slack_standin: SlackApiStandIn
) -> None:
    await replicas.slack[0].press({"action_id": "jambot:report_status:0", "value": "hsf|2025-Q1"}, user=BO)
    [opened] = await slack_standin.wait_for("views.open", timeout=10)
    view = opened.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    answers = await asyncio.gather(*(
        replicas.slack[i].submit_view(view, {"status": "on_track", "done": f"Revision från replik {i}"}, user=BO)
        for i in (0, 1)
    ))
    assert [a.status for a in answers] == [200, 200]
    assert all(not a.body for a in answers)  # a plain ack: accepted, the modal closes
    with replicas.db.session() as session:
        stored = session.execute(
            select(StatusUpdate.revision, StatusUpdate.done)
            .where(StatusUpdate.administration_id == "hsf", StatusUpdate.period == "2025-Q1")
            .order_by(StatusUpdate.revision)
        ).all()
    assert [r for r, _ in stored] == [1, 2]
    assert {d for _, d in stored} == {"Revision från replik 0", "Revision från replik 1"}


async def test_the_scheduler_lease_is_held_by_one_and_taken_over_when_it_dies(
    replicas: Replicas,
) -> None:
    holder = await _lease_holder(replicas, timeout=LEASE_SECONDS * 2)
    by_pid = {s.proc.pid: s for s in replicas.servers}
    owner = by_pid[int(holder.rsplit(":", 1)[1])]
    other = next(s for s in replicas.servers if s is not owner)
    for _ in range(3):  # held steadily by the same replica, renewed
        await asyncio.sleep(LEASE_SECONDS / 2)
        assert await _lease_holder(replicas) == holder
    owner.kill()
    killed_at = time.monotonic()
    new_holder = holder
    while new_holder == holder:
        assert time.monotonic() - killed_at < 60, "the lease was not taken over within a minute"
        await asyncio.sleep(0.2)
        new_holder = await _lease_holder(replicas)
    took = time.monotonic() - killed_at
    print(f"lease taken over {took:.1f} s after its holder was killed (lease {LEASE_SECONDS} s)")
    assert int(new_holder.rsplit(":", 1)[1]) == other.proc.pid
    assert took <= LEASE_SECONDS * 4 / 3 + 2, f"took {took:.1f} s"
    assert "scheduler lease taken over" in other.log()


async def _lease_holder(replicas: Replicas, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        with replicas.db.session() as session:
            lease = session.scalar(select(SchedulerLease).where(SchedulerLease.name == "reminders"))
        if lease is not None:
            return lease.holder
        if time.monotonic() > deadline:
            raise AssertionError("no replica holds the scheduler lease")
        await asyncio.sleep(0.2)


def _jambot() -> str:
    return str(Path(sys.executable).parent / "jambot")

