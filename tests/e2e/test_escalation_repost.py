"""Re-posting escalations no channel took: each question reaches the strategists once, even
when two replicas run the re-post job at the same moment, and a post cut short is retried."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest
from slack_harness import E2E_ORG, ESCALATION_CHANNEL
from sqlalchemy import select
from standins.slack_api import SlackApiStandIn

from bot.config import Settings
from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import Escalation
from bot.dialogs.escalation import EscalationDialog
from bot.slack import make_outbox
from bot.stores.escalations import POST_CLAIM_TIMEOUT
from reminders.organisation import load_org_config

ORG = load_org_config(E2E_ORG)


@pytest.fixture
def replicas(db: Database, slack_api: SlackApiStandIn) -> Iterator[list[EscalationDialog]]:
    """Two replicas: each its own database engine and Slack client, one database, one Slack."""
    dialogs, engines = [], []
    for n in range(2):
        database = Database(db.url)
        engines.append(database)
        outbox = make_outbox(Settings(slack_bot_token=f"xoxb-replica-{n}", slack_api_url=slack_api.url))
        dialogs.append(EscalationDialog(ORG, ORG.organisation.id, database, "secret", {"slack": outbox}))
    yield dialogs
    for database in engines:
        database.dispose()


def _waiting(db: Database, *questions: str, claimed_ago: timedelta | None = None) -> None:
    with db.session() as session:
        for question in questions:
            session.add(
                Escalation(
                    org_id=ORG.organisation.id,
                    platform="slack",
                    question=question,
                    reply_to={"platform": "slack", "user_id": "U0HSF1", "channel_id": "D0HSF1", "lang": "sv"},
                    status="open",
                    post_claimed_at=None if claimed_ago is None else utcnow() - claimed_ago,
                )
            )


def _posted(slack_api: SlackApiStandIn, *questions: str) -> list[str]:
    """Each of ``questions`` once for every post of it that reached the escalation channel."""
    return sorted(
        question
        for c in slack_api.calls_to("chat.postMessage")
        if c.body["channel"] == ESCALATION_CHANNEL and c.response["ok"]
        for question in questions
        if question in c.text_of_blocks()
    )


async def test_two_replicas_at_once_post_every_question_once(db, slack_api, replicas):
    questions = [f"Fråga {n}?" for n in range(8)]
    _waiting(db, *questions)

    first, second = await asyncio.gather(*(replica.repost_pending() for replica in replicas))

    assert first + second == len(questions)
    assert _posted(slack_api, *questions) == sorted(questions)
    assert len(slack_api.calls_to("chat.postMessage")) == len(questions)
    with db.session() as session:
        rows = session.scalars(select(Escalation)).all()
        assert all(row.thread_key and row.escalation_ref for row in rows)
        assert len({row.thread_key for row in rows}) == len(questions)
    assert await replicas[0].repost_pending() == 0  # nothing left: posted means done


async def test_a_post_in_flight_is_left_alone_until_its_claim_is_stale(db, slack_api, replicas):
    _waiting(db, "Fråga pågår?", claimed_ago=timedelta(seconds=5))
    _waiting(db, "Fråga avbruten?", claimed_ago=POST_CLAIM_TIMEOUT + timedelta(seconds=5))

    assert await replicas[0].repost_pending() == 1
    assert _posted(slack_api, "Fråga pågår?", "Fråga avbruten?") == ["Fråga avbruten?"]


async def test_a_refused_post_is_released_and_the_next_run_posts_it(db, slack_api, replicas):
    _waiting(db, "Fråga väntar?")
    slack_api.refuse_channel(ESCALATION_CHANNEL)
    assert await replicas[0].repost_pending() == 0
    with db.session() as session:
        row = session.scalars(select(Escalation)).one()
        assert (row.post_claimed_at, row.thread_key, row.status) == (None, None, "open")

    slack_api.accept_channel(ESCALATION_CHANNEL)
    assert await replicas[1].repost_pending() == 1
    assert _posted(slack_api, "Fråga väntar?") == ["Fråga väntar?"]


async def test_resolved_escalations_are_never_posted(db, slack_api, replicas):
    _waiting(db, "Fråga klar?")
    with db.session() as session:
        session.scalars(select(Escalation)).one().status = "resolved"
    assert await replicas[0].repost_pending() == 0
    assert slack_api.calls_to("chat.postMessage") == []
