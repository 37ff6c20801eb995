"""What /api/messages does with malformed and oversized requests: a clear 4xx, nothing else."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from slack_harness import JambotServer
from standins.bot_connector import (
    BotConnectorStandIn,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    personal_message,
)
from teams_harness import TeamsClient

STAFF = TeamsUser("3f1c2a4e-0000-4000-8000-000000000042", "Sam Svensson")
QUESTION = "Vad är CEMR?"


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


def _nothing_happened(jambot: TeamsClient, connector: BotConnectorStandIn) -> None:
    assert connector.calls == []
    assert jambot.references() == {}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b'{"type": "message", "text": ', "application/json", 400, "malformed JSON"),
        (b"\xff\xfe not utf-8", "application/json", 400, "malformed JSON"),
        (b"[1, 2, 3]", "application/json", 400, "expected a JSON object"),
        (b'{"text": "hej"}', "application/json", 400, "missing field: type"),
        (b'{"type": "selfDestruct"}', "application/json", 400, "unknown activity type"),
        (b"type=message", "application/x-www-form-urlencoded", 415, "application/json"),
    ],
)
async def test_malformed_requests_get_a_clear_4xx(
    jambot: TeamsClient,
    bot_connector: BotConnectorStandIn,
    body: bytes,
    content_type: str,
    status: int,
    message: str,
) -> None:
    async with jambot.http.post(
        f"{jambot.url}/api/messages", data=body, headers={"Content-Type": content_type}
    ) as response:
        assert response.status == status
        assert message in (await response.json())["error"]
    _nothing_happened(jambot, bot_connector)


async def test_an_activity_missing_its_addresses_is_refused(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    activity = personal_message(bot_connector.url, STAFF, QUESTION)
    del activity["conversation"]
    del activity["from"]["id"]

    status, body = await jambot.post_activity(activity)

    assert status == 400
    assert json.loads(body)["error"] == "missing fields: conversation.id, from.id"
    _nothing_happened(jambot, bot_connector)


async def test_a_huge_body_is_refused_before_it_is_read(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    activity = personal_message(bot_connector.url, STAFF, "x" * 2_000_000)

    status, _ = await jambot.post_activity(activity)

    assert status == 413
    _nothing_happened(jambot, bot_connector)


async def test_a_large_streamed_body_is_refused(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    """Without Content-Length (chunked), the limit still holds."""
    payload = json.dumps(personal_message(bot_connector.url, STAFF, "x" * 400_000)).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(payload), 65_536):
            yield payload[start : start + 65_536]

    async with jambot.http.post(
        f"{jambot.url}/api/messages", data=chunks(), headers={"Content-Type": "application/json"}
    ) as response:
        assert response.status == 413
    _nothing_happened(jambot, bot_connector)


async def test_the_server_survives_garbage_and_still_answers(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    for garbage in (b"", b"null", b"{}", b'{"type": 42}', b'{"type": "message", "from": "x"}'):
        async with jambot.http.post(
            f"{jambot.url}/api/messages",
            data=garbage,
            headers={"Content-Type": "application/json"},
        ) as response:
            assert response.status == 400, garbage

    status, _ = await jambot.post_activity(personal_message(bot_connector.url, STAFF, QUESTION))

    assert status == 200
    assert len(bot_connector.sent) == 1


@pytest.mark.parametrize(
    "service_url",
    # Addresses that cannot lead anywhere even if the check broke: a reserved TLD and
    # documentation-only IP ranges (RFC 6761, RFC 5737).
    [
        "https://smba.trafficmanager.invalid/emea/",
        "http://192.0.2.10/",
        "http://198.51.100.7:8080/",
    ],
)
async def test_without_credentials_the_bot_only_calls_back_to_this_machine(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn, service_url: str
) -> None:
    """Else anyone could make a Slack-only server POST to any address it can reach."""
    status, body = await jambot.post_activity(personal_message(service_url, STAFF, QUESTION))

    assert status == 401
    assert "local serviceUrl" in json.loads(body)["error"]
    _nothing_happened(jambot, bot_connector)
