"""Socket Mode: with SLACK_APP_TOKEN the bot connects out to Slack instead of taking HTTP events."""

from __future__ import annotations

import time

import pytest
from slack_harness import STAFF


@pytest.fixture
def jambot_server_options():
    return {"env": {"SLACK_APP_TOKEN": "xapp-e2e-app-token", "SLACK_SIGNING_SECRET": ""}}


async def test_events_arrive_over_the_socket_and_are_acked_and_answered(jambot_server, slack_api):
    [opened] = await slack_api.wait_for("apps.connections.open")
    assert opened.token == "xapp-e2e-app-token"
    payload = {
        "type": "event_callback", "team_id": "T0E2E", "event_id": "Ev0SOCKET",
        "event": {"type": "message", "channel_type": "im", "channel": "D" + STAFF[1:], "user": STAFF,
                  "text": "Vad är CEMR?", "ts": f"{time.time():.6f}"},
    }
    await slack_api.push_socket("events_api", payload, envelope_id="env-1")
    [ack] = await slack_api.wait_for("socket.ack")
    assert ack.body["envelope_id"] == "env-1"
    [post] = await slack_api.wait_for("chat.postMessage")
    assert "*Vad är CEMR-deklarationen?*" in post.text_of_blocks()

    status, _ = await jambot_server.post_json("/slack/events", {"type": "url_verification"})
    assert status in (404, 405)  # no HTTP endpoint without a signing secret
