"""Hostile JSON on /api/messages: a clear 400 or a clean turn, never a 500 (issue 10, items 6, 7).

``[`` ×100000 made ``json.loads`` raise RecursionError (a 500 with a traceback); a lone
surrogate (``"\\udc00"``, valid JSON, invalid Unicode) in an id or a form field reached the
database, where PostgreSQL's driver (and SQLite's) raise UnicodeEncodeError.
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
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    card_submit,
    personal,
    personal_message,
)
from teams_harness import CONTACT_HSF_AAD, TeamsClient

from bot.db.models import QuestionLog, StatusUpdate

STAFF = TeamsUser("3f1c2a4e-0000-4000-8000-000000000042", "Sam Svensson")
CONTACT = TeamsUser(CONTACT_HSF_AAD, "Bo Berg")


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


def _nest(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100_000, 5_000, 200])
async def test_deeply_nested_json_is_a_400(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn, depth: int
) -> None:
    activity = json.dumps(personal_message(bot_connector.url, STAFF, "hej"))
    nested = activity[:-1] + f', "channelData": {_nest(depth)}}}'

    for body in (_nest(depth).encode(), nested.encode()):
        status, text = await jambot.post_activity(body)

        assert status == 400, text[:200]
        assert "nested" in json.loads(text)["error"]
    assert bot_connector.calls == []
    assert jambot.references() == {}


def _raw(activity: dict[str, Any], replacements: dict[str, str]) -> bytes:
    """The activity as JSON text, with placeholders swapped for raw JSON escapes."""
    text = json.dumps(activity)
    for placeholder, escape in replacements.items():
        text = text.replace(placeholder, escape)
    return text.encode()


@pytest.mark.parametrize(
    ("placeholder", "escape"),
    [("SURROGATE", "\\udc00"), ("0000000000SG", "00000000\\ud800")],
    ids=["from.id", "aadObjectId"],
)
async def test_a_lone_surrogate_in_an_id_is_a_400(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn, placeholder: str, escape: str
) -> None:
    user = TeamsUser("3f1c2a4e-0000-4000-8000-0000000000SG", "Sur Rogat", id="29:1SURROGATE")
    body = _raw(personal_message(bot_connector.url, user, "Vad är CEMR?"), {placeholder: escape})

    status, text = await jambot.post_activity(body)

    assert status == 400, text
    assert "valid strings" in json.loads(text)["error"]
    assert bot_connector.calls == []
    assert jambot.references() == {}


async def test_a_conversation_id_that_cannot_be_an_http_header_is_a_400(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    """The Bot Connector client sends the conversation id as the ``x-ms-conversation-id``
    header: a non-Latin-1 character (found by the fuzzer) made every reply fail with a
    UnicodeEncodeError inside the turn. Bot Framework ids are printable ASCII: refuse others."""
    activity = personal_message(bot_connector.url, STAFF, "Vad är CEMR?")
    for bad in ("a:1\u0341x", "a:1\r\nX-Injected: 1"):
        activity["conversation"]["id"] = bad
        status, text = await jambot.post_activity(json.dumps(activity).encode())

        assert status == 400, text
        assert "conversation.id" in json.loads(text)["error"]
    assert bot_connector.calls == []
    assert jambot.references() == {}


async def test_a_lone_surrogate_in_the_text_is_cleaned_and_answered(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    body = _raw(personal_message(bot_connector.url, STAFF, "Vad är CEMR? TEXT"), {"TEXT": "\\udfff"})

    status, text = await jambot.post_activity(body)

    assert status == 200, text
    [reply] = bot_connector.sent
    assert "CEMR" in reply.text
    with jambot.context.db.session() as session:
        [logged] = session.scalars(select(QuestionLog)).all()
    assert logged.question.endswith("\ufffd")


async def test_a_lone_surrogate_in_a_form_field_is_stored_cleaned(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    submission = {"action": "submit_status", "value": "hsf|2025-Q1", "status": "on_track",
                  "done": "Klart DONE", "next_steps": "Sen"}  # fmt: skip
    body = _raw(card_submit(bot_connector.url, CONTACT, personal(CONTACT), submission),
                {"DONE": "\\udc00\\ud800"})  # fmt: skip

    status, text = await jambot.post_activity(body)

    assert status == 200, text
    with jambot.context.db.session() as session:
        [update] = session.scalars(select(StatusUpdate)).all()
    assert update.done == "Klart \ufffd\ufffd"
