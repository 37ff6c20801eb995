"""With Teams credentials set, /api/messages takes only Bot Framework tokens meant for this bot.

Runs botbuilder's production validation path; only the Bot Framework's signing keys
are served locally (``BotFrameworkKeys``), so nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from botframework.connector.auth import ChannelValidation
from cryptography.hazmat.primitives.asymmetric import rsa
from slack_harness import JambotServer, serve_jambot
from standins.bot_connector import (
    BotConnectorStandIn,
    BotFrameworkKeys,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    channel_reply,
    installation,
    personal,
    personal_message,
)
from standins.slack_api import SlackApiStandIn
from teams_harness import TeamsClient

STAFF = TeamsUser("3f1c2a4e-0000-4000-8000-000000000042", "Sam Svensson")
APP_ID = "0b5e0c1a-1111-4222-8333-944445555666"


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    return {"env": {"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "not-a-real-secret"}}


@pytest.fixture
def authenticated_jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


def _nothing_happened(jambot: TeamsClient, connector: BotConnectorStandIn) -> None:
    assert connector.calls == []
    assert jambot.references() == {}


def _token(issuer: str) -> str:
    """A well-formed RS256 JWT signed by a key Microsoft never published."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": issuer, "aud": APP_ID, "iat": now, "nbf": now, "exp": now + 3600}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "attacker"})


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer not-a-jwt",
        "Basic " + base64.b64encode(b"bot:password").decode(),
        # Correctly shaped, but from an issuer the Bot Framework does not use: refused
        # before any key lookup, so this test never leaves 127.0.0.1.
        f"Bearer {_token('https://login.attacker.example/')}",
    ],
)
async def test_with_credentials_an_unauthenticated_request_gets_401_and_does_nothing(
    authenticated_jambot: TeamsClient,
    bot_connector: BotConnectorStandIn,
    authorization: str | None,
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    for activity in (
        personal_message(bot_connector.url, STAFF, "Vad är CEMR?"),
        installation(bot_connector.url, STAFF, personal(STAFF)),
    ):
        status, body = await authenticated_jambot.post_activity(activity, headers)
        assert status == 401
        assert json.loads(body) == {"error": "unauthorized"}
    _nothing_happened(authenticated_jambot, bot_connector)


@pytest.fixture
def bot_framework_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[BotFrameworkKeys]:
    """The Bot Framework's signing keys, served locally.

    ``ChannelValidation.open_id_metadata_endpoint`` is botbuilder's own switch for where
    the keys are fetched from; everything else is the production validation path.
    """
    keys = BotFrameworkKeys()
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", keys.start())
    yield keys
    keys.stop()


TEAM_CHANNEL = "19:4a1b2c3d4e5f@thread.tacv2"


def _colleague_chat(connector: BotConnectorStandIn) -> dict:
    """A channel thread reply not addressed to the bot: accepted, remembered, not answered."""
    return channel_reply(connector.url, STAFF, TEAM_CHANNEL, "1763900000000", "Fika kl 15?")


async def test_with_credentials_a_token_signed_by_the_bot_framework_is_accepted(
    authenticated_jambot: TeamsClient,
    bot_connector: BotConnectorStandIn,
    bot_framework_keys: BotFrameworkKeys,
) -> None:
    token = bot_framework_keys.token(APP_ID, bot_connector.url)

    status, _ = await authenticated_jambot.post_activity(
        _colleague_chat(bot_connector), {"Authorization": f"Bearer {token}"}
    )

    assert status == 200
    assert "/v1/.well-known/keys" in bot_framework_keys.fetches
    assert TEAM_CHANNEL in authenticated_jambot.references()
    assert bot_connector.calls == []


@pytest.mark.parametrize(
    "forgery",
    [
        "signed by another key",
        "for another bot",
        "for another service URL",
        "expired",
        "not endorsed for Teams",
    ],
)
async def test_with_credentials_a_forged_or_misdirected_token_gets_401(
    authenticated_jambot: TeamsClient,
    bot_connector: BotConnectorStandIn,
    bot_framework_keys: BotFrameworkKeys,
    forgery: str,
) -> None:
    keys = bot_framework_keys
    if forgery == "signed by another key":
        token = keys.token(APP_ID, bot_connector.url, key=rsa.generate_private_key(65537, 2048))
    elif forgery == "for another bot":
        token = keys.token("99999999-1111-4222-8333-944445555666", bot_connector.url)
    elif forgery == "for another service URL":
        token = keys.token(APP_ID, "https://smba.trafficmanager.net/emea/")
    elif forgery == "expired":
        token = keys.token(APP_ID, bot_connector.url, exp=int(time.time()) - 3600)
    else:
        keys.jwks["keys"][0]["endorsements"] = ["skype"]
        token = keys.token(APP_ID, bot_connector.url)

    status, body = await authenticated_jambot.post_activity(
        _colleague_chat(bot_connector), {"Authorization": f"Bearer {token}"}
    )

    assert (status, json.loads(body)) == (401, {"error": "unauthorized"})
    _nothing_happened(authenticated_jambot, bot_connector)


async def test_when_the_signing_keys_cannot_be_fetched_the_answer_is_503_not_401(
    authenticated_jambot: TeamsClient,
    bot_connector: BotConnectorStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Bot Framework outage is not the sender's fault: 503 lets the connector retry."""
    keys = BotFrameworkKeys()
    closed_port = "http://127.0.0.1:9/v1/.well-known/openidconfiguration"
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", closed_port)
    token = keys.token(APP_ID, bot_connector.url)

    status, body = await authenticated_jambot.post_activity(
        _colleague_chat(bot_connector), {"Authorization": f"Bearer {token}"}
    )

    assert (status, json.loads(body)) == (503, {"error": "cannot verify the token right now"})
    _nothing_happened(authenticated_jambot, bot_connector)


def _token_check_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("teams-auth")}


async def test_token_checks_run_on_a_thread_the_server_stops_with_it(
    database_url: str,
    slack_api: SlackApiStandIn,
    bot_connector: BotConnectorStandIn,
    bot_framework_keys: BotFrameworkKeys,
    jambot_server_options: dict[str, Any],
) -> None:
    before = _token_check_threads()
    token = bot_framework_keys.token(APP_ID, bot_connector.url)

    async with serve_jambot(database_url, slack_api, jambot_server_options) as server:
        status, _ = await TeamsClient(server).post_activity(
            _colleague_chat(bot_connector), {"Authorization": f"Bearer {token}"}
        )
        assert status == 200
        assert _token_check_threads() - before  # the key fetch ran off the server's loop

    assert _token_check_threads() - before == set()  # nothing of the server outlives it
