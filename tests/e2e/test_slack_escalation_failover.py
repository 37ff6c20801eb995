"""An escalation survives channels being down: Slack refuses, Teams takes it, and the
strategist's answer in Teams reaches the asker in Slack; when every channel refuses, the
question is kept and the server posts it once a channel takes it again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from slack_harness import E2E_ORG, ESCALATION_CHANNEL, STAFF
from slack_harness import STRATEGIST as STRATEGIST_SLACK
from sqlalchemy import select
from standins.bot_connector import (
    BotConnectorStandIn,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    channel,
    channel_reply,
    installation,
)
from standins.slack_api import Call, SlackApiStandIn
from teams_harness import ESCALATION_CHANNEL as TEAMS_ESCALATION
from teams_harness import STRATEGIST_AAD, TeamsClient

import bot.app
from bot.cli import main
from bot.db.models import Escalation

STRATEGIST = TeamsUser(STRATEGIST_AAD, "Anna Andersson")
REPOST_SECONDS = 0.2


@pytest.fixture
def jambot_server_options(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Re-post undelivered escalations every fraction of a second instead of every few minutes."""
    monkeypatch.setattr(bot.app, "ESCALATION_REPOST_SECONDS", REPOST_SECONDS)
    return {}


async def test_slack_question_escalated_to_teams_when_slack_refuses(
    jambot_server, slack_api, signed_slack_request, bot_connector: BotConnectorStandIn
):
    teams = TeamsClient(jambot_server)
    await teams.post_activity(installation(bot_connector.url, STRATEGIST, channel(TEAMS_ESCALATION)))

    await signed_slack_request.dm("Hur blir vädret i morgon?")
    [abstain] = await slack_api.wait_for("chat.postMessage")
    slack_api.fail_once("chat.postMessage", "not_in_channel")  # the bot was removed from C0ESCAL
    await signed_slack_request.press(abstain.button("escalate"))

    posts = await slack_api.wait_for("chat.postMessage", 3)
    assert posts[1].response == {"ok": False, "error": "not_in_channel"}
    assert "skickat din fråga" in posts[2].text_of_blocks()
    [to_strategists] = [
        c for c in bot_connector.sent_to(TEAMS_ESCALATION) if "Hur blir vädret i morgon?" in c.text
    ]

    await teams.post_activity(
        channel_reply(bot_connector.url, STRATEGIST, TEAMS_ESCALATION, to_strategists.posted_id,
                      "Vädret hör inte till oss – se SMHI.")
    )
    answer = (await slack_api.wait_for("chat.postMessage", 4))[3]
    assert answer.body["channel"] == "D" + STAFF[1:]
    assert "Vädret hör inte till oss – se SMHI." in answer.text_of_blocks()
    with jambot_server.db.session() as session:
        escalation = session.scalars(select(Escalation)).one()
    assert (escalation.status, escalation.platform) == ("resolved", "slack")
    assert escalation.thread_key.startswith("teams:")


async def test_when_every_channel_refuses_the_question_is_kept_and_posted_later(
    jambot_server, slack_api, signed_slack_request, monkeypatch, capsys
):
    slack_api.refuse_channel(ESCALATION_CHANNEL)  # the bot was removed; Teams has no reference
    await signed_slack_request.dm("Hur blir vädret i morgon?")
    [abstain] = await slack_api.wait_for("chat.postMessage")
    await signed_slack_request.press(abstain.button("escalate"))

    posts = await slack_api.wait_for("chat.postMessage", 3)
    assert posts[1].response == {"ok": False, "error": "not_in_channel"}
    told = posts[2].text_of_blocks()
    assert "sparat din fråga" in told and "skickat" not in told  # never claims it was posted
    await _refused_posts(slack_api, 3)  # the periodic job has tried again, and again
    with jambot_server.db.session() as session:
        kept = session.scalars(select(Escalation)).one()
        assert (kept.status, kept.escalation_ref, kept.thread_key) == ("open", None, None)

    monkeypatch.setenv("DATABASE_URL", jambot_server.settings.database_url)
    monkeypatch.setenv("JAMBOT_CONFIG", str(E2E_ORG))
    assert main(["stats"]) == 0
    listed = capsys.readouterr().out.split("Öppna frågor hos strategerna: 1")[1]
    assert "Hur blir vädret i morgon?  (inte skickad till strategerna än)" in listed

    slack_api.accept_channel(ESCALATION_CHANNEL)  # added back to the channel
    [escalated] = await _accepted_posts(slack_api, 1)
    assert "Hur blir vädret i morgon?" in escalated.text_of_blocks()
    for _ in range(3):  # later runs of the periodic job, each awaited to its end
        assert await jambot_server.context.conversation.escalation.repost_pending() == 0
    await jambot_server.drain()
    assert len(await _accepted_posts(slack_api, 1)) == 1  # posted once, not on every run

    await signed_slack_request.channel_message(
        "Vädret hör inte till oss – se SMHI.",
        user=STRATEGIST_SLACK,
        channel=ESCALATION_CHANNEL,
        thread_ts=escalated.response["ts"],
    )
    answer = await _first_post_to(slack_api, "D" + STAFF[1:], containing="se SMHI")
    assert "Hur blir vädret i morgon?" in answer.text_of_blocks()
    assert main(["stats"]) == 0
    assert "Öppna frågor hos strategerna: 0" in capsys.readouterr().out


def _to_escalation_channel(slack_api: SlackApiStandIn) -> list[Call]:
    return [
        c for c in slack_api.calls_to("chat.postMessage")
        if c.body["channel"] == ESCALATION_CHANNEL and "Hur blir vädret i morgon?" in c.text_of_blocks()
    ]


async def _refused_posts(slack_api: SlackApiStandIn, count: int) -> list[Call]:
    return await _until(lambda: [c for c in _to_escalation_channel(slack_api) if not c.response["ok"]], count)


async def _accepted_posts(slack_api: SlackApiStandIn, count: int) -> list[Call]:
    return await _until(lambda: [c for c in _to_escalation_channel(slack_api) if c.response["ok"]], count)


async def _first_post_to(slack_api: SlackApiStandIn, channel: str, containing: str) -> Call:
    def found() -> list[Call]:
        return [
            c for c in slack_api.calls_to("chat.postMessage")
            if c.body["channel"] == channel and containing in c.text_of_blocks()
        ]

    return (await _until(found, 1))[0]


async def _until(calls: Callable[[], list[Call]], count: int, timeout: float = 10.0) -> list[Call]:
    deadline = time.monotonic() + timeout
    while len(calls()) < count:
        assert time.monotonic() < deadline, f"expected {count} call(s), got {len(calls())}"
        await asyncio.sleep(0.05)
    return calls()
