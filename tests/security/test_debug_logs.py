"""JAMBOT_LOG_LEVEL raises the log level, and debug logs still hold no secrets or raw ids.

Issue 10, item 12: there was no way to see the libraries' debug output (what was sent
to Slack, what came back) when hunting a problem in production; turning it on must not
write tokens, secrets or people's platform ids into logs that are kept and shipped.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from urllib.parse import quote_plus

import aiohttp
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from production.servers import ServerFactory
from slack_harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    STAFF,
    JambotServer,
    SignedSlackRequests,
    e2e_env,
)
from standins.slack_api import SlackApiStandIn

from bot.config import ConfigError, Settings
from bot.observability.logging import RedactionFilter

PSEUDONYM_SECRET = "e2e-pseudonym-secret"


async def test_debug_level_shows_library_debug_lines_without_secrets_or_ids(
    database_url: str, slack_standin: SlackApiStandIn, servers: ServerFactory
) -> None:
    server = servers.start(e2e_env(database_url, slack_standin, JAMBOT_LOG_LEVEL="debug"))
    await server.wait_healthy()
    async with aiohttp.ClientSession() as http:
        slack = SignedSlackRequests(JambotServer(server.url, None, None, http), slack_standin)  # type: ignore[arg-type]
        assert (await slack.dm("Vad är CEMR?")).status == 200
        await slack_standin.wait_for("chat.postMessage", timeout=10)
    assert server.terminate() == 0

    log = server.log()
    debug = [line for line in log.splitlines() if " DEBUG " in line]
    assert any("slack_sdk" in line for line in debug), "no debug lines from the Slack client"
    for secret in (BOT_TOKEN, SIGNING_SECRET, PSEUDONYM_SECRET, STAFF, "D" + STAFF[1:]):
        assert secret not in log, f"{secret!r} leaked into the debug log"


def test_an_unknown_log_level_is_refused() -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({"JAMBOT_LOG_LEVEL": "verbose"})

    assert error.value.problems[0].startswith("JAMBOT_LOG_LEVEL: expected one of DEBUG")


def test_secrets_are_redacted_in_their_encoded_forms_too() -> None:
    """A password goes over the wire form- or JSON-encoded, and debug logs print bodies."""
    secret = 'p+ss/w"rd~1'
    record = logging.makeLogRecord({
        "msg": "sent b'grant=client_credentials&cs=%s' and [%s]",
        "args": (quote_plus(secret), secret.replace('"', '\\"')),
    })  # fmt: skip

    RedactionFilter([secret]).filter(record)

    assert "ss/w" not in record.msg and "ss%2Fw" not in record.msg, record.msg
