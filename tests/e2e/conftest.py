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

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer, unused_port
from slack_harness import E2E_ORG, JambotServer, SignedSlackRequests, e2e_env
from standins.slack_api import SlackApiStandIn

from bot.app import build_server_context, load_kb
from bot.config import Settings
from bot.server import create_app
from reminders.organisation import load_org_config


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
    options = dict(jambot_server_options)
    port = unused_port()  # known before start, so JAMBOT_PUBLIC_URL can name it
    env = {"JAMBOT_PUBLIC_URL": f"http://127.0.0.1:{port}", **options.pop("env", {})}
    settings = Settings.from_env(e2e_env(database_url, slack_api, **env))
    org_path = options.pop("org", E2E_ORG)
    org = load_org_config(org_path) if org_path is not None else None
    kb = load_kb(settings, options.pop("kb_dir", None))
    clock: Callable[[], datetime] | None = options.pop("clock", None)
    if options:
        raise ValueError(f"unknown jambot_server_options: {sorted(options)}")
    context = build_server_context(settings, org, kb, **({"clock": clock} if clock else {}))
    app = create_app(context)
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    async with aiohttp.ClientSession() as http:
        yield JambotServer(str(server.make_url("")).rstrip("/"), context, app, http)
    await server.close()
    context.db.dispose()


@pytest.fixture
def signed_slack_request(
    jambot_server: JambotServer, slack_api: SlackApiStandIn
) -> SignedSlackRequests:
    return SignedSlackRequests(jambot_server, slack_api)
