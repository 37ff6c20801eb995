"""User text echoed in Teams cards makes no links (issue 10, item 2, on the Teams side).

A TextBlock renders ``[label](url)`` as a link hiding its address: an escalated question
``[Viktigt: läs här](https://evil.example/login)`` became a phishing link in the
strategists' channel. Knowledge-base answers keep their links.
"""

from __future__ import annotations

import re

import pytest
from slack_harness import JambotServer
from standins.bot_connector import (
    BotConnectorStandIn,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    card_submit,
    channel,
    installation,
    personal,
    personal_message,
)
from teams_harness import ESCALATION_CHANNEL, STRATEGIST_AAD, TeamsClient

STAFF = TeamsUser("3f1c2a4e-0000-4000-8000-000000000042", "Sam Svensson")
STRATEGIST = TeamsUser(STRATEGIST_AAD, "Anna Andersson")
MARKDOWN_LINK = re.compile(r"\[[^\]\n]*\]\(")


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


async def test_a_link_in_an_escalated_question_is_not_a_link_in_the_strategists_channel(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STRATEGIST, channel(ESCALATION_CHANNEL)))
    question = "Hur blir vädret? [Viktigt: läs här](https://evil.example/login)"
    await jambot.post_activity(personal_message(bot_connector.url, STAFF, question))
    abstain = bot_connector.sent_to(STAFF.conversation_id)[-1]
    escalate = next(a["data"] for a in abstain.cards[0]["actions"] if a["data"]["action"] == "escalate")

    await jambot.post_activity(card_submit(bot_connector.url, STAFF, personal(STAFF), escalate))

    [post] = [c for c in bot_connector.sent_to(ESCALATION_CHANNEL) if "evil.example" in c.text]
    assert MARKDOWN_LINK.search(post.text) is None, post.text
    assert "https://evil.example/login" in post.text  # the address is shown, not hidden


async def test_knowledge_base_answers_keep_their_links(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(personal_message(bot_connector.url, STAFF, "Vad är CEMR?"))

    [answer] = bot_connector.sent
    assert "](https://" in str(answer.cards[0])
