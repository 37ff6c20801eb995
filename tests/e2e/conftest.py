"""End-to-end fixtures: the real server on a loopback port, Slack played from outside.

* ``slack_api``: the Slack Web API stand-in (records what the bot sends).
* ``jambot_server``: the real aiohttp app (``bot.server.create_app``) on 127.0.0.1, with
  SLACK_API_URL pointing at the stand-in, the test database and ``tests/e2e/org.yaml``.
  Override ``jambot_server_options`` in a test module to change its env, clock, org or KB:

      @pytest.fixture
      def jambot_server_options():
          return {"env": {"JAMBOT_WEBCHAT": "0"}, "clock": lambda: FIXED, "kb_dir": MY_KB}

* ``signed_slack_request``: sends correctly signed Slack requests (events, button presses,
  modal submissions, slash commands) to the server, or deliberately broken ones
  (see ``slack_harness.SignedSlackRequests``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_harness import JambotServer, SignedSlackRequests, serve_jambot
from standins.slack_api import SlackApiStandIn


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackApiStandIn]:
    standin = SlackApiStandIn()
    await standin.start()
    yield standin
    await standin.stop()


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    """Override in a test module: {"env": {...}, "clock": callable, "org": path|None, "kb_dir": path}."""
    return {}


@pytest.fixture
async def jambot_server(
    database_url: str, slack_api: SlackApiStandIn, jambot_server_options: dict[str, Any]
) -> AsyncIterator[JambotServer]:
    async with serve_jambot(database_url, slack_api, jambot_server_options) as server:
        yield server


@pytest.fixture
def signed_slack_request(
    jambot_server: JambotServer, slack_api: SlackApiStandIn
) -> SignedSlackRequests:
    return SignedSlackRequests(jambot_server, slack_api)
