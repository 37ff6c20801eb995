"""Hostile activities at POST /api/messages (unauthenticated local mode): never a 500.

The ``serviceUrl`` always points at the loopback Bot Connector stand-in, so no
fuzzed activity can make the bot call anywhere else.
"""

from __future__ import annotations

import uuid
from typing import Any

from fuzz.live import LiveServer
from fuzz.strategies import FUZZ, json_values, mutate, nasty_text
from hypothesis import given
from hypothesis import strategies as st
from standins.bot_connector import TeamsUser, personal_message


def _activity(live: LiveServer, text: str = "Vad är CEMR?") -> tuple[dict[str, Any], TeamsUser]:
    user = TeamsUser(aad_object_id=str(uuid.uuid4()), name="Fuzz Person")
    return personal_message(live.standin.connector.url, user, text), user


def _post(live: LiveServer, activity: Any) -> Any:
    if isinstance(activity, dict):
        activity["serviceUrl"] = live.standin.connector.url  # never anywhere else
    return live.post_json("/api/messages", activity)


@FUZZ
@given(payload=json_values)
def test_json_of_any_shape_gets_a_clear_answer_and_changes_nothing(live: LiveServer, payload: Any) -> None:
    before = live.snapshot()
    response = _post(live, payload)
    assert response.status < 500, response.body[:300]
    if response.status >= 400:
        assert live.snapshot() == before


@FUZZ
@given(data=st.data())
def test_activities_with_wrong_types_or_missing_fields_never_fail(live: LiveServer, data: st.DataObject) -> None:
    activity, _ = _activity(live)
    part = data.draw(st.sampled_from(["activity", "from", "conversation", "channelData"]))
    if part == "activity":
        activity = mutate(activity, data.draw)
    elif isinstance(activity.get(part), dict):
        activity[part] = mutate(activity[part], data.draw)
    response = _post(live, activity)
    assert response.status < 500, response.body[:300]


@FUZZ
@given(text=nasty_text)
def test_any_question_text_gets_exactly_one_reply(live: LiveServer, text: str) -> None:
    activity, user = _activity(live, text)
    response = _post(live, activity)
    assert response.status < 500, response.body[:300]
    if response.status >= 400:
        return
    live.idle()
    assert len(live.standin.connector.sent_to(user.conversation_id)) == 1


@FUZZ
@given(raw=st.binary(max_size=2000), content_type=st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]))
def test_bytes_that_are_not_an_activity_are_a_4xx_and_change_nothing(live: LiveServer, raw: bytes, content_type: str) -> None:
    before = live.snapshot()
    response = live.request("POST", "/api/messages", raw, {"Content-Type": content_type} if content_type else {})
    assert 400 <= response.status < 500, (response.status, response.body[:300])
    assert live.snapshot() == before


def test_an_oversized_activity_is_refused(live: LiveServer) -> None:
    activity, _ = _activity(live, "x" * (2 * 1024 * 1024))
    before = live.snapshot()
    assert _post(live, activity).status == 413
    assert live.snapshot() == before


def test_the_server_survived_and_logged_no_unhandled_error(live: LiveServer) -> None:
    assert live.alive()
    # A mutated conversation id sends the reply to a path the connector does not know; its
    # error page is not JSON. The send fails at the network edge, logged, the request was 2xx.
    errors = live.logged_errors("DeserializationError: Cannot deserialize content-type: text/plain")
    assert errors == [], "\n".join(f"{e['message']}\n{e.get('exception', '')[-1500:]}" for e in errors[:3])
