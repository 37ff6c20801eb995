"""Teams end to end: real activities in at /api/messages, cards out at the Bot Connector stand-in."""

from __future__ import annotations

import pytest
from slack_harness import JambotServer
from sqlalchemy import select
from standins.bot_connector import (
    BOT,
    BotConnectorStandIn,
    TeamsUser,
    bot_added,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    card_submit,
    channel,
    channel_mention,
    installation,
    personal,
    personal_message,
)
from teams_harness import (
    CONTACT_HSF_AAD,
    STRATEGIST_AAD,
    TeamsClient,
)

from bot.db.models import Feedback, StatusUpdate

STAFF = TeamsUser("3f1c2a4e-0000-4000-8000-000000000042", "Sam Svensson")
CONTACT = TeamsUser(CONTACT_HSF_AAD, "Bo Berg")
STRATEGIST = TeamsUser(STRATEGIST_AAD, "Anna Andersson")
TEAM_CHANNEL = "19:4a1b2c3d4e5f@thread.tacv2"


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


def _submit_data(card: dict, action: str) -> dict:
    """The data of the card's Action.Submit whose ``action`` is ``action``."""
    for element in card.get("actions", []):
        if element.get("type") == "Action.Submit" and element["data"]["action"] == action:
            return dict(element["data"])
    raise AssertionError(f"no {action!r} button on the card: {card.get('actions')}")


async def test_personal_question_gets_an_answer_card_with_sources(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    status, _ = await jambot.post_activity(
        personal_message(bot_connector.url, STAFF, "Vad är CEMR?")
    )

    assert status == 200
    [call] = bot_connector.sent
    assert call.conversation_id == STAFF.conversation_id
    assert call.body["recipient"]["aadObjectId"] == STAFF.aad_object_id
    [card] = call.cards
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "Vad är CEMR-deklarationen?"
    assert "den europeiska deklarationen för jämställdhet" in call.text
    assert (
        "[CEMR – European Charter for Equality of Women and Men in Local Life](https://charter-equality.eu/)"
        in call.text
    )
    assert _submit_data(card, "feedback")["value"]
    # The reference that lets reminders reach this person later, filed by AAD object id.
    stored = jambot.references()[STAFF.aad_object_id]
    assert stored["conversation"]["id"] == STAFF.conversation_id
    assert stored["serviceUrl"] == bot_connector.url


async def test_english_question_gets_an_english_answer(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(
        personal_message(bot_connector.url, STAFF, "What is the CEMR charter?")
    )

    [call] = bot_connector.sent
    assert "Sources" in call.text


async def test_channel_mention_is_answered_in_its_thread(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    activity = channel_mention(bot_connector.url, STAFF, TEAM_CHANNEL, "Vad är CEMR?")
    status, _ = await jambot.post_activity(activity)

    assert status == 200
    [call] = bot_connector.sent
    assert call.conversation_id == f"{TEAM_CHANNEL};messageid={activity['id']}"
    assert call.route == "reply" and call.activity_id == activity["id"]
    # The <at>Jämbot</at> mention was not part of the question: it was answered, not "help".
    assert call.cards[0]["body"][0]["text"] == "Vad är CEMR-deklarationen?"
    stored = jambot.references()[TEAM_CHANNEL]
    assert stored["conversation"]["id"] == TEAM_CHANNEL  # the channel, not the thread


async def test_feedback_button_press_reaches_the_core_as_an_action(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(personal_message(bot_connector.url, STAFF, "Vad är CEMR?"))
    [answer] = bot_connector.sent
    data = _submit_data(answer.cards[0], "feedback")
    thumbs_up = next(b for b in answer.cards[0]["actions"] if b["data"] == data)

    status, _ = await jambot.post_activity(
        card_submit(bot_connector.url, STAFF, personal(STAFF), data)
    )

    assert status == 200
    assert len(bot_connector.sent) == 2
    assert "👍" in thumbs_up["title"]
    with jambot.context.db.session() as session:
        [feedback] = session.scalars(select(Feedback)).all()
    assert feedback.helpful is True


async def test_install_welcomes_once_and_stores_the_reference(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    # Teams sends both on a personal install, and may redeliver either.
    for activity in (
        bot_added(bot_connector.url, STAFF, personal(STAFF)),
        installation(bot_connector.url, STAFF, personal(STAFF)),
        bot_added(bot_connector.url, STAFF, personal(STAFF)),
    ):
        status, _ = await jambot.post_activity(activity)
        assert status == 200

    [welcome] = bot_connector.sent
    assert welcome.conversation_id == STAFF.conversation_id
    assert "Jag är Jämbot" in welcome.text
    assert STAFF.aad_object_id in jambot.references()


async def test_install_in_a_team_welcomes_the_channel(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STAFF, channel(TEAM_CHANNEL)))

    [welcome] = bot_connector.sent
    assert welcome.conversation_id == TEAM_CHANNEL
    assert welcome.body["from"]["id"] == BOT["id"]
    assert TEAM_CHANNEL in jambot.references()


async def test_uninstall_forgets_the_reference_and_reinstall_welcomes_again(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STAFF, personal(STAFF)))
    await jambot.post_activity(installation(bot_connector.url, STAFF, personal(STAFF), "remove"))
    assert STAFF.aad_object_id not in jambot.references()

    await jambot.post_activity(installation(bot_connector.url, STAFF, personal(STAFF)))

    assert [c.text.startswith("Hej! Jag är Jämbot") for c in bot_connector.sent] == [True, True]


async def test_posts_by_other_bots_in_a_thread_are_ignored(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    other_bot = TeamsUser("", "Workflows", id="28:0d5e7b4c-0000-4000-8000-00000000f10w")
    activity = channel_mention(bot_connector.url, other_bot, TEAM_CHANNEL, "Vad är CEMR?")

    status, _ = await jambot.post_activity(activity)

    assert status == 200
    assert bot_connector.calls == []
    assert jambot.references() == {}


async def test_a_redelivered_message_is_answered_once(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    activity = personal_message(bot_connector.url, STAFF, "Vad är CEMR?")
    await jambot.post_activity(activity)
    status, _ = await jambot.post_activity(activity)

    assert status == 200
    assert len(bot_connector.sent) == 1


async def test_status_form_round_trip_stores_the_update(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    """Issue 5 in Teams: the report button opens an Adaptive Card form; submitting stores it."""
    await jambot.post_activity(personal_message(bot_connector.url, CONTACT, "rapportera 2025-Q1"))
    [offer] = bot_connector.sent
    open_form = _submit_data(offer.cards[0], "report_status")

    await jambot.post_activity(
        card_submit(bot_connector.url, CONTACT, personal(CONTACT), open_form)
    )
    form = bot_connector.sent[-1].cards[0]
    inputs = {e["id"]: e for e in form["body"] if e["type"].startswith("Input.")}
    assert inputs["status"]["type"] == "Input.ChoiceSet"
    assert inputs["status"]["isRequired"] is True
    assert {c["value"] for c in inputs["status"]["choices"]} >= {"on_track", "not_started"}
    multiline = [i for i in inputs.values() if i.get("isMultiline")]
    assert multiline and all(i["maxLength"] > 0 for i in multiline)

    # Teams sends the Action.Submit data merged with every input's value.
    submission = {**_submit_data(form, "submit_status"), "status": "on_track"}
    submission |= {name: f"Text för {name}" for name in inputs if name != "status"}
    await jambot.post_activity(
        card_submit(bot_connector.url, CONTACT, personal(CONTACT), submission)
    )

    receipt = bot_connector.sent[-1]
    assert "2025-Q1" in receipt.text
    _submit_data(receipt.cards[0], "report_status")  # the edit button
    with jambot.context.db.session() as session:
        [update] = session.scalars(select(StatusUpdate)).all()
    assert (update.administration_id, update.period, update.status) == (
        "hsf",
        "2025-Q1",
        "on_track",
    )
    assert update.submitted_by == CONTACT.aad_object_id


async def test_invalid_form_submission_resends_the_form_with_messages(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    submission = {"action": "submit_status", "value": "hsf|2025-Q1", "status": ""}
    await jambot.post_activity(
        card_submit(bot_connector.url, CONTACT, personal(CONTACT), submission)
    )

    [call] = bot_connector.sent
    form = call.cards[0]
    errors = [e for e in form["body"] if e.get("color") == "Attention"]
    assert errors, form["body"]
    assert any(e["type"] == "Input.ChoiceSet" for e in form["body"])
    with jambot.context.db.session() as session:
        assert session.scalars(select(StatusUpdate)).all() == []


async def test_group_chat_answers_mentions_and_keeps_out_of_the_rest(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    chat = {"isGroup": True, "conversationType": "groupChat", "id": "19:meeting_abc@thread.v2"}
    mention = channel_mention(bot_connector.url, STAFF, TEAM_CHANNEL, "Vad är CEMR?")
    mention["conversation"] = {**mention["conversation"], **chat}
    chatter = personal_message(bot_connector.url, STAFF, "Ses vi på mötet?")
    chatter["conversation"] = {**chatter["conversation"], **chat}

    await jambot.post_activity(chatter)  # reaches the bot through RSC, addressed to no one
    await jambot.post_activity(mention)

    [answer] = bot_connector.sent
    assert answer.conversation_id == chat["id"]
    assert answer.cards[0]["body"][0]["text"] == "Vad är CEMR-deklarationen?"
    assert chat["id"] in jambot.references()


async def test_when_the_connector_refuses_the_answer_no_apology_is_attempted(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    bot_connector.fail_next.append(403)  # e.g. the user blocked the bot a moment ago

    status, _ = await jambot.post_activity(
        personal_message(bot_connector.url, STAFF, "Vad är CEMR?")
    )

    assert status == 200
    assert [c.route for c in bot_connector.calls] == ["failed"]
    assert "the Bot Connector at" in caplog.text and "Traceback" not in caplog.text
