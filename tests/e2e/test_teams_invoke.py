"""A Teams ``invoke`` (``adaptiveCard/action``) gets a proper answer, not a bare 501 (issue 10, item 15).

Teams sends ``adaptiveCard/action`` for an Adaptive Card ``Action.Execute`` (Universal
Actions) and shows an error in the card when the HTTP answer is not a 200 carrying an
``application/vnd.microsoft.activity.message`` (or a card) response.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_harness import JambotServer
from sqlalchemy import select
from standins.bot_connector import (
    BotConnectorStandIn,
    TeamsUser,
    _envelope,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    personal,
    personal_message,
)
from teams_harness import TeamsClient

from bot.db.models import Feedback

STAFF = TeamsUser("3f1c2a4e-0000-4000-8000-000000000042", "Sam Svensson")


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


def _execute(service_url: str, data: dict[str, Any], verb: str = "jambot") -> dict[str, Any]:
    """An Action.Execute press, as Teams sends it."""
    return _envelope(
        "invoke", service_url, STAFF, personal(STAFF), name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
    )  # fmt: skip


def _message_response(body: str) -> str:
    answer = json.loads(body)
    assert answer["statusCode"] == 200
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert isinstance(answer["value"], str) and answer["value"]
    return str(answer["value"])


async def test_an_unknown_execute_action_gets_a_200_with_a_clear_message(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    status, body = await jambot.post_activity(_execute(bot_connector.url, {"x": 1}, verb="other"))

    assert status == 200, body
    assert "knapp" in _message_response(body)


async def test_an_execute_press_of_our_own_button_reaches_the_core(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(personal_message(bot_connector.url, STAFF, "Vad är CEMR?"))
    [answer] = bot_connector.sent
    [feedback] = [
        a["data"] for a in answer.cards[0]["actions"]
        if a["type"] == "Action.Submit" and a["data"]["action"] == "feedback"
    ][:1]  # fmt: skip

    status, body = await jambot.post_activity(_execute(bot_connector.url, feedback))

    assert status == 200, body
    _message_response(body)
    with jambot.context.db.session() as session:
        assert len(session.scalars(select(Feedback)).all()) == 1
