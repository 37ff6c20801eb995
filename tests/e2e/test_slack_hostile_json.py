"""Hostile JSON in signed Slack bodies: a clear 400, nothing stored (issue 10, items 6, 7).

A signed body (a leaked secret, a buggy proxy) of ``[`` ×100000 made bolt's JSON parsing
raise RecursionError, a 500 with a traceback; a lone surrogate (``"\\udc00"``) in a message
or form field reached the database, whose driver cannot encode it.
"""

from __future__ import annotations

import json

import pytest
from slack_harness import STAFF, JambotServer, SignedSlackRequests
from sqlalchemy import func, select
from standins.slack_api import SlackApiStandIn

from bot.db.models import ProcessedEvent, QuestionLog, StatusUpdate


def _count(server: JambotServer, model: type) -> int:
    with server.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("depth", [100_000, 200])
async def test_deeply_nested_signed_json_is_a_400(
    signed_slack_request: SignedSlackRequests, jambot_server: JambotServer, depth: int
) -> None:
    nested = "[" * depth + "]" * depth
    event = json.dumps({"type": "event_callback", "event_id": "EvDeep", "event": {"type": "x"}})

    for body, content_type in (
        (nested, "application/json"),
        (event[:-1] + f', "extra": {nested}}}', "application/json"),
        ("payload=" + nested, "application/x-www-form-urlencoded"),
    ):
        response = await signed_slack_request(body, content_type=content_type)

        assert response.status == 400, str(response.body)[:200]
        assert "nested" in response.body["error"]
    assert _count(jambot_server, ProcessedEvent) == 0


async def test_a_lone_surrogate_in_a_signed_message_is_a_400(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn, jambot_server: JambotServer
) -> None:
    await signed_slack_request.dm("Vad är CEMR? SURROGATE")
    raw, _, _ = signed_slack_request.last_sent  # type: ignore[misc]
    body = raw.replace(b"SURROGATE", b"\\udc00")

    response = await signed_slack_request(body)
    await jambot_server.drain()

    assert response.status == 400
    assert "Unicode" in response.body["error"]
    assert _count(jambot_server, QuestionLog) == 1  # the first, clean one only


async def test_a_lone_surrogate_in_a_form_field_stores_nothing(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn, jambot_server: JambotServer
) -> None:
    await signed_slack_request.press({"action_id": "jambot:report_status:0", "value": "hsf|2025-Q1"})
    [opened] = await slack_api.wait_for("views.open")
    view = opened.body["view"]
    status = next(b for b in view["blocks"] if b.get("block_id") == "status")
    values = {"status": status["element"]["options"][0]["value"], "done": "Klart \udc00"}

    response = await signed_slack_request.submit_view(view, values, user=STAFF)

    assert response.status == 400
    assert _count(jambot_server, StatusUpdate) == 0
