"""An escalation survives one platform being down: Slack refuses, Teams takes it, and the
strategist's answer in Teams reaches the asker in Slack."""

from __future__ import annotations

from slack_harness import STAFF
from sqlalchemy import select
from standins.bot_connector import (
    BotConnectorStandIn,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    channel,
    channel_reply,
    installation,
)
from teams_harness import ESCALATION_CHANNEL as TEAMS_ESCALATION
from teams_harness import STRATEGIST_AAD, TeamsClient

from bot.db.models import Escalation

STRATEGIST = TeamsUser(STRATEGIST_AAD, "Anna Andersson")


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


async def test_when_every_channel_refuses_the_asker_is_told_and_nothing_is_kept(
    jambot_server, slack_api, signed_slack_request
):
    await signed_slack_request.dm("Hur blir vädret i morgon?")
    [abstain] = await slack_api.wait_for("chat.postMessage")
    slack_api.fail_once("chat.postMessage", "not_in_channel")  # and Teams has no reference
    await signed_slack_request.press(abstain.button("escalate"))
    posts = await slack_api.wait_for("chat.postMessage", 3)
    assert "Det gick inte att skicka frågan just nu" in posts[2].text_of_blocks()
    with jambot_server.db.session() as session:
        assert session.scalars(select(Escalation)).all() == []
