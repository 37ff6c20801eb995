"""The guided gender-equality analysis end to end in Teams (issue 14).

Real activities in at /api/messages, Adaptive Cards out at the Bot Connector stand-in:
each step is a card form, each Action.Submit (its data merged with the inputs, as Teams
sends it) brings the next card, and the finished text offers a Markdown download link.
"""

from __future__ import annotations

from typing import Any

import pytest
from analysis_walk import (
    EXPECTED_SENTENCES,
    FULL_WALK,
    SHORT_CONCLUSION,
    SHORT_WALK,
    bundled_kb_options,
    step_of,
)
from slack_harness import JambotServer
from standins.bot_connector import (
    BotConnectorStandIn,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    card_submit,
    personal,
    personal_message,
)
from teams_harness import CONTACT_KULTUR_AAD, TeamsClient

from bot.stores.analysis import completed_analyses

EVA = TeamsUser(CONTACT_KULTUR_AAD, "Eva Ek")  # a contact of "kultur", on Teams only


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    return bundled_kb_options()


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


def _submit(card: dict[str, Any], action: str, label: str = "") -> dict[str, Any]:
    for element in card.get("actions", []):
        if (
            element.get("type") == "Action.Submit"
            and element["data"]["action"] == action
            and label in element["title"]
        ):
            return dict(element["data"])
    raise AssertionError(f"no {action!r} button on the card: {card.get('actions')}")


async def _press(
    jambot: TeamsClient, connector: BotConnectorStandIn, data: dict[str, Any]
) -> dict[str, Any]:
    await jambot.post_activity(card_submit(connector.url, EVA, personal(EVA), data))
    return connector.sent[-1].cards[0]


async def _walk(
    jambot: TeamsClient,
    connector: BotConnectorStandIn,
    card: dict[str, Any],
    answers: dict[str, dict[str, str]],
) -> tuple[dict[str, Any], list[str]]:
    titles = []
    while any(a["data"]["action"] == "analysis_step" for a in card.get("actions", [])):
        titles.append(card["body"][0]["text"])
        data = _submit(card, "analysis_step")
        inputs = [e["id"] for e in card["body"] if e["type"].startswith("Input.")]
        assert inputs == list(answers[step_of(data["value"])])
        card = await _press(jambot, connector, {**data, **answers[step_of(data["value"])]})
    return card, titles


async def test_full_walk_in_cards_and_a_download_link(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(personal_message(bot_connector.url, EVA, "analys"))
    offer = bot_connector.sent[-1].cards[0]
    first = await _press(jambot, bot_connector, _submit(offer, "analysis_start", "3R"))

    done, titles = await _walk(jambot, bot_connector, first, FULL_WALK)

    assert titles == [f"Jämställdhetsanalys {n}/8" for n in range(1, 9)]
    text = bot_connector.sent[-1].text
    for sentence in EXPECTED_SENTENCES:
        assert sentence in text
    link = await _press(jambot, bot_connector, _submit(done, "analysis_download", "Markdown"))
    [open_url] = [a for a in link["actions"] if a["type"] == "Action.OpenUrl"]
    async with jambot.http.get(open_url["url"]) as response:
        assert response.status == 200
        body = (await response.read()).decode()
    assert body.startswith("## Konsekvenser för jämställdhet\n")
    assert EXPECTED_SENTENCES[2] in body
    assert completed_analyses(jambot.context.db, "region-exempel") == {"kultur": 1}


async def test_short_path_and_resume_in_cards(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(personal_message(bot_connector.url, EVA, "analys"))
    offer = bot_connector.sent[-1].cards[0]
    first = await _press(jambot, bot_connector, _submit(offer, "analysis_start", "3R"))
    second = await _press(
        jambot, bot_connector, {**_submit(first, "analysis_step"), **SHORT_WALK["arendet"]}
    )
    choices = next(e for e in second["body"] if e["type"] == "Input.ChoiceSet")
    assert [c["value"] for c in choices["choices"]] == ["ja", "nej"]

    # left here; later, in a new chat turn
    await jambot.post_activity(personal_message(bot_connector.url, EVA, "fortsätt analysen"))
    resume = bot_connector.sent[-1].cards[0]
    again = await _press(jambot, bot_connector, _submit(resume, "analysis_open"))
    assert again["body"][0]["text"] == "Jämställdhetsanalys 2/8"

    _, titles = await _walk(jambot, bot_connector, again, SHORT_WALK)
    assert titles == ["Jämställdhetsanalys 2/8", "Jämställdhetsanalys 3/3"]
    assert SHORT_CONCLUSION in bot_connector.sent[-1].text
    assert (
        "Ärendet gäller Byte av serverplattform för ekonomisystemet." in bot_connector.sent[-1].text
    )


async def test_required_answer_missing_resends_the_card_with_the_message(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(personal_message(bot_connector.url, EVA, "analys"))
    first = await _press(
        jambot, bot_connector, _submit(bot_connector.sent[-1].cards[0], "analysis_start", "3R")
    )
    again = await _press(jambot, bot_connector, {**_submit(first, "analysis_step"), "beslut": ""})
    errors = [e["text"] for e in again["body"] if e.get("color") == "Attention"]
    assert "Svara på den här frågan." in errors
    assert again["body"][0]["text"] == "Jämställdhetsanalys 1/8"
