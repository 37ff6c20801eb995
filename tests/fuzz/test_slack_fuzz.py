"""Hostile input at POST /slack/events: never a 500, never a change, never a reply to a forgery."""

from __future__ import annotations

import json
import time
from typing import Any

from fuzz.live import LiveServer
from fuzz.strategies import FUZZ, json_values, mutate, nasty_text
from hypothesis import given
from hypothesis import strategies as st


def _envelope(text: str = "Vad är CEMR?", user: str = "U0HSF1", event_id: str = "EvFuzz") -> dict[str, Any]:
    return {
        "type": "event_callback", "team_id": "T0E2E", "api_app_id": "A0E2E", "event_id": event_id,
        "event_time": int(time.time()),
        "event": {"type": "message", "channel_type": "im", "channel": "D" + user[1:], "user": user,
                  "text": text, "ts": f"{time.time():.6f}"},
    }


@st.composite
def forged(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    """A valid-looking event whose signature, secret or timestamp is wrong (or missing)."""
    body = json.dumps(_envelope(draw(nasty_text))).encode()
    kind = draw(st.sampled_from(["wrong-secret", "stale", "future", "garbage", "missing", "tampered"]))
    if kind == "wrong-secret":
        headers = LiveServer.slack_headers(body, secret=draw(st.text(min_size=1, max_size=40)))
    elif kind == "stale":  # a replay of a captured request, older than Slack's 5-minute window
        headers = LiveServer.slack_headers(body, timestamp=int(time.time()) - draw(st.integers(301, 10**6)))
    elif kind == "future":
        headers = LiveServer.slack_headers(body, timestamp=int(time.time()) + draw(st.integers(301, 10**6)))
    elif kind == "garbage":
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": draw(nasty_text.filter(_header_safe)),
                   "X-Slack-Signature": draw(nasty_text.filter(_header_safe))}
    elif kind == "missing":
        headers = {"Content-Type": "application/json"}
    else:  # signed, then the body changed in transit
        headers = LiveServer.slack_headers(body)
        body = body.replace(b"CEMR", b"CEMX") if b"CEMR" in body else body + b" "
    return body, headers


def _header_safe(value: str) -> bool:
    return all(32 <= ord(c) < 127 for c in value)


@FUZZ
@given(request=forged())
def test_forged_or_replayed_requests_are_refused_and_change_nothing(live: LiveServer, request: tuple[bytes, dict[str, str]]) -> None:
    body, headers = request
    before, calls = live.snapshot(), live.standin.calls()
    response = live.request("POST", "/slack/events", body, headers)
    assert response.status == 401, (response.status, response.body[:200])
    assert live.snapshot() == before
    assert live.standin.calls() == calls


@FUZZ
@given(payload=json_values)
def test_signed_json_of_any_shape_gets_a_clear_answer(live: LiveServer, payload: Any) -> None:
    response = live.slack(json.dumps(payload).encode())
    assert response.status < 500, response.body[:300]


@FUZZ
@given(data=st.data())
def test_signed_events_with_wrong_types_or_missing_fields_never_fail(live: LiveServer, data: st.DataObject) -> None:
    envelope = _envelope(event_id=f"EvMut{time.time_ns()}")
    if data.draw(st.booleans()):
        envelope["event"] = mutate(envelope["event"], data.draw)
    else:
        envelope = mutate(envelope, data.draw)
    response = live.slack(json.dumps(envelope).encode())
    assert response.status < 500, response.body[:300]


@FUZZ
@given(raw=st.binary(max_size=2000), content_type=st.sampled_from(
    ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data", ""]))
def test_signed_bytes_that_are_not_json_are_a_4xx_and_change_nothing(live: LiveServer, raw: bytes, content_type: str) -> None:
    before = live.snapshot()
    response = live.slack(raw, content_type=content_type)
    assert response.status < 500, response.body[:300]
    assert live.snapshot() == before


@FUZZ
@given(payload=json_values, kind=st.sampled_from(["block_actions", "view_submission", "shortcut", "nonsense"]))
def test_interactivity_payloads_of_any_shape_never_fail(live: LiveServer, payload: Any, kind: str) -> None:
    wrapped = {"type": kind, "payload": payload} if not isinstance(payload, dict) else {"type": kind, **payload}
    response = live.slack_form(wrapped)
    assert response.status < 500, response.body[:300]


@FUZZ
@given(text=nasty_text)
def test_any_question_text_gets_exactly_one_reply(live: LiveServer, text: str) -> None:
    user = f"U0Q{time.time_ns() % 10**12}"
    response = live.slack(json.dumps(_envelope(text, user=user, event_id=f"EvQ{time.time_ns()}")).encode())
    assert response.status == 200, response.body[:300]
    if not text.strip():
        return  # nothing asked: nothing to answer
    live.idle()
    assert len(_posts_to(live, "D" + user[1:])) == 1


def test_an_oversized_body_is_refused_before_it_is_read(live: LiveServer) -> None:
    before = live.snapshot()
    huge = json.dumps(_envelope("x" * (2 * 1024 * 1024))).encode()
    response = live.slack(huge)
    assert response.status == 413
    assert live.snapshot() == before


def test_a_replayed_event_is_answered_once(live: LiveServer) -> None:
    body = json.dumps(_envelope("Vad är CEMR?", user="U0REPLAY1", event_id=f"EvReplay{time.time_ns()}")).encode()
    first = live.slack(body)
    again = live.request("POST", "/slack/events", body, {**LiveServer.slack_headers(body), "X-Slack-Retry-Num": "1"})
    assert (first.status, again.status) == (200, 200)
    live.idle()  # both deliveries handled: the second found the event already answered
    assert len(_posts_to(live, "D0REPLAY1")) == 1


def _posts_to(live: LiveServer, channel: str) -> list[Any]:
    return [c for c in list(live.standin.slack.calls) if c.method == "chat.postMessage" and c.body.get("channel") == channel]


def test_the_server_survived_and_logged_no_unhandled_error(live: LiveServer) -> None:
    assert live.alive()
    errors = live.logged_errors()
    assert errors == [], "\n".join(f"{e['message']}\n{e.get('exception', '')[-1500:]}" for e in errors[:3])
