"""Claim-then-send through the real Slack outbox against a local Slack Web API stand-in."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from reporting_org import make_org
from slack_standin import SlackStandIn
from sqlalchemy import select, update

from bot.config import Settings
from bot.db import Database
from bot.slack import make_outbox
from reminders.claims import SendKey, claim
from reminders.runner import run_reminders
from reminders.tables import ReminderSend
from reminders.updates import StatusInput, Submitter, record_update

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST_REMINDER = datetime(2025, 4, 4, 9, 5, tzinfo=STOCKHOLM)


async def remind(db: Database, settings: Settings, now: datetime = FIRST_REMINDER, **kw):  # type: ignore[no-untyped-def]
    return await run_reminders(db, make_org(), {"slack": make_outbox(settings)}, now, **kw)


def rows(db: Database) -> list[ReminderSend]:
    with db.session() as session:
        return list(session.scalars(select(ReminderSend).order_by(ReminderSend.id)))


async def test_reminders_go_out_once_with_the_report_button(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    first = await remind(db, slack_settings)
    assert sorted(first.sent) == sorted(
        f"2025-Q1 before-10 {a}"
        for a in (
            "hsf -> slack:U0HSF1",
            "hsf -> slack:U0HSF2",
            "rsf -> slack:C0RSF",
            "kultur -> slack:U0KUL1",
        )
    )
    assert {p["channel"] for p in standin.posts} >= {"D0HSF1", "D0HSF2", "C0RSF", "D0KUL1"}
    hsf = standin.posts_to("D0HSF1")[0]
    assert "Hälso- och sjukvårdsförvaltningen" in hsf["text"] and "22 april 2025" in hsf["text"]
    assert [v for _, v in standin.button_values(hsf)] == ["hsf|2025-Q1"]
    assert "report_status" in standin.button_values(hsf)[0][0]
    # Eva Ek (kultur) has only an e-mail address: the strategists hear about it, once
    notice = standin.posts_to("C0ESCAL")
    assert len(notice) == 1 and "Eva Ek" in notice[0]["text"]

    second = await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(hours=3))
    assert second.sent == [] and len(second.skipped) == 4
    assert len(standin.posts) == 5  # nothing sent twice, the notice not repeated
    stored = {r.recipient: r for r in rows(db) if r.step == "before-10"}
    assert stored["slack:U0HSF1"].status == "sent"
    assert stored["slack:U0HSF1"].thread_key == f"slack:D0HSF1:{hsf['ts']}"


async def test_reported_administrations_get_no_overdue_reminder(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    org_id = make_org().organisation.id
    bo = Submitter("U0HSF1", "Bo Berg", "slack")
    record_update(db, org_id, "hsf", "2025-Q1", StatusInput("on_track"), bo)
    record_update(db, org_id, "rsf", "2025-Q1", StatusInput("on_track"), bo)
    report = await remind(db, slack_settings, now=datetime(2025, 4, 25, 9, 0, tzinfo=STOCKHOLM))
    assert report.sent == ["2025-Q1 overdue-1 kultur -> slack:U0KUL1"]
    assert "inte fått rapporten" in standin.posts_to("D0KUL1")[0]["text"]


async def test_retryable_failure_is_retried_and_permanent_one_reported(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    standin.fail_retryably.add("C0RSF")
    standin.fail_for_good.add("U0KUL1")
    first = await remind(db, slack_settings)
    assert [line.split(" (")[0] for line in first.failed] == [
        "2025-Q1 before-10 rsf -> slack:C0RSF"
    ]
    assert [line.split(" (")[0] for line in first.undeliverable] == [
        "2025-Q1 before-10 kultur -> slack:U0KUL1"
    ]
    notice = standin.posts_to("C0ESCAL")[0]["text"]
    assert "David Dahl" in notice and "Eva Ek" in notice
    standin.fail_retryably.clear()
    second = await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(minutes=5))
    assert second.sent == ["2025-Q1 before-10 rsf -> slack:C0RSF"]
    assert len(standin.posts_to("C0RSF")) == 1
    by_recipient = {r.recipient: r for r in rows(db) if r.step == "before-10"}
    assert (by_recipient["slack:C0RSF"].status, by_recipient["slack:C0RSF"].attempts) == ("sent", 2)
    assert by_recipient["slack:U0KUL1"].status == "undeliverable"
    third = await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(minutes=10))
    assert third.sent == [] and len(standin.posts_to("C0ESCAL")) == 1


async def test_failures_stop_after_max_attempts(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    standin.fail_retryably.add("C0RSF")
    for minute in range(5):
        await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(minutes=minute))
    row = next(r for r in rows(db) if r.recipient == "slack:C0RSF")
    assert (row.status, row.attempts) == ("undeliverable", 3)
    assert "Regionstyrelseförvaltningen" in standin.posts_to("C0ESCAL")[-1]["text"]


def test_a_stale_claim_is_taken_over_but_a_fresh_one_is_not(db: Database) -> None:
    key = SendKey("region-test", "hsf", "2025-Q1", "before-10", "slack:U0HSF1")
    assert claim(db, key, "slack", "crashed-worker") is not None
    assert claim(db, key, "slack", "other") is None  # in flight elsewhere
    with db.session() as session:
        session.execute(
            update(ReminderSend).values(claimed_at=datetime.now(UTC) - timedelta(minutes=11))
        )
    assert claim(db, key, "slack", "other") is not None
    assert claim(db, key, "slack", "third") is None


def _crash_mid_send(db: Database, recipient: str, minutes_ago: int = 11) -> None:
    """Leave the row as a process SIGKILLed before marking it sent would: claimed, no ref."""
    with db.session() as session:
        session.execute(
            update(ReminderSend)
            .where(ReminderSend.recipient == recipient, ReminderSend.step == "before-10")
            .values(
                status="claimed",
                sent_at=None,
                message_ref=None,
                thread_key=None,
                claimed_by="killed-replica",
                claimed_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
            )
        )


async def test_a_stale_claim_already_delivered_is_marked_sent_not_sent_again(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    await remind(db, slack_settings)
    first = standin.posts_to("D0HSF1")
    assert len(first) == 1
    assert first[0]["metadata"] == {
        "event_type": "jambot_reminder",
        "event_payload": {"key": "region-test|hsf|2025-Q1|before-10|slack:U0HSF1"},
    }
    _crash_mid_send(db, "slack:U0HSF1", minutes_ago=1)
    fresh = await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(hours=1))
    assert fresh.sent == [] and standin.histories == []  # still in flight elsewhere: left alone

    _crash_mid_send(db, "slack:U0HSF1")  # the claimer is gone for good
    posts_before = len(standin.posts)
    again = await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(hours=2))
    assert again.sent == ["2025-Q1 before-10 hsf -> slack:U0HSF1"]
    assert len(standin.posts) == posts_before  # nothing posted
    assert standin.histories == ["D0HSF1"] and standin.opens == ["U0HSF1"]
    row = next(r for r in rows(db) if r.recipient == "slack:U0HSF1" and r.step == "before-10")
    ts = first[0]["ts"]
    assert row.status == "sent"
    assert row.message_ref == {"platform": "slack", "channel": "D0HSF1", "message_id": ts, "thread_id": ts}
    assert row.thread_key == f"slack:D0HSF1:{first[0]['ts']}"


async def test_a_stale_claim_whose_message_never_arrived_is_sent_once(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    key = SendKey("region-test", "rsf", "2025-Q1", "before-10", "slack:C0RSF")
    assert claim(db, key, "slack", "killed-replica") is not None  # then SIGKILL before posting
    with db.session() as session:
        session.execute(
            update(ReminderSend).values(claimed_at=datetime.now(UTC) - timedelta(minutes=11))
        )
    report = await remind(db, slack_settings)
    assert "2025-Q1 before-10 rsf -> slack:C0RSF" in report.sent
    assert len(standin.posts_to("C0RSF")) == 1 and standin.histories == ["C0RSF"]
    row = next(r for r in rows(db) if r.recipient == "slack:C0RSF")
    assert row.status == "sent" and row.attempts == 2
    ts = standin.posts_to("C0RSF")[0]["ts"]
    assert row.message_ref == {"platform": "slack", "channel": "C0RSF", "message_id": ts, "thread_id": ts}
    await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(hours=3))
    assert len(standin.posts_to("C0RSF")) == 1


async def test_a_failed_send_is_retried_without_looking_for_it(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    standin.fail_retryably.add("C0RSF")
    await remind(db, slack_settings)
    standin.fail_retryably.clear()
    report = await remind(db, slack_settings, now=FIRST_REMINDER + timedelta(hours=1))
    assert report.sent == ["2025-Q1 before-10 rsf -> slack:C0RSF"]
    assert len(standin.posts_to("C0RSF")) == 1 and standin.histories == []


async def test_dry_run_sends_and_stores_nothing(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    report = await remind(db, slack_settings, dry_run=True)
    assert len(report.would_send) == 4 and report.unreachable == [
        "2025-Q1 kultur: Eva Ek (inget Slack- eller Teams-id)"
    ]
    assert standin.posts == [] and rows(db) == []


async def _jambot(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("jambot")), *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


@pytest.mark.slow
async def test_two_processes_at_once_send_each_reminder_once(
    db: Database, database_url: str, slack: tuple[SlackStandIn, str], org_file: Path
) -> None:
    standin, api_url = slack
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "JAMBOT_PSEUDONYM_SECRET": "test-pseudonym-secret",
        "JAMBOT_PUBLIC_URL": "http://127.0.0.1",
        "SLACK_API_URL": api_url,
        "JAMBOT_CONFIG": str(org_file),
    }
    env.pop("MICROSOFT_APP_ID", None)
    now = "2025-04-04T09:30"
    results = await asyncio.gather(*(_jambot("remind", "--now", now, env=env) for _ in range(3)))
    for code, _, err in results:
        assert code == 0, err
    again = await _jambot("remind", "--now", now, env=env)
    assert again[0] == 0 and "redan skickade eller på väg: 4" in again[1]
    counts = Counter(p["channel"] for p in standin.posts)
    assert counts == {"D0HSF1": 1, "D0HSF2": 1, "C0RSF": 1, "D0KUL1": 1, "C0ESCAL": 1}
    assert sum("skickade: " in out for _, out, _ in results) >= 1
