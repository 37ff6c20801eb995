"""Hostile input at the local web chat's JSON API: a 400 with a message, or an answer; never a 500."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fuzz.live import LiveServer
from fuzz.strategies import FUZZ, formula_text, json_values, nasty_text
from hypothesis import given
from hypothesis import strategies as st

ENDPOINTS = ("/web/api/message", "/web/api/action")


@FUZZ
@given(path=st.sampled_from(ENDPOINTS), payload=json_values)
def test_json_of_any_shape_is_answered_or_refused_clearly(live: LiveServer, path: str, payload: Any) -> None:
    before = live.snapshot()
    response = live.post_json(path, payload)
    assert response.status in (200, 400, 413), (response.status, response.body[:300])
    body = response.json()
    if response.status == 400:
        assert isinstance(body["error"], str) and body["error"]
        assert live.snapshot() == before
    else:
        assert isinstance(body["replies"], list)


@FUZZ
@given(user=nasty_text, text=st.one_of(nasty_text, formula_text))
def test_any_question_text_is_answered_or_refused_clearly(live: LiveServer, user: str, text: str) -> None:
    response = live.post_json("/web/api/message", {"user": user, "text": text})
    assert response.status in (200, 400), (response.status, response.body[:300])
    body = response.json()
    assert body.get("error") if response.status == 400 else isinstance(body["replies"], list)


@FUZZ
@given(user=nasty_text, action=nasty_text, value=nasty_text,
       fields=st.one_of(st.none(), json_values, st.dictionaries(nasty_text, nasty_text, max_size=25)))
def test_any_button_or_form_submission_is_answered_or_refused_clearly(
    live: LiveServer, user: str, action: str, value: str, fields: Any
) -> None:
    before = live.snapshot()
    response = live.post_json("/web/api/action", {"user": user, "action": action, "value": value, "fields": fields})
    assert response.status in (200, 400), (response.status, response.body[:300])
    if response.status == 400:
        assert response.json()["error"]
        assert live.snapshot() == before


@FUZZ
@given(user=nasty_text)
def test_the_inbox_takes_any_user_id(live: LiveServer, user: str) -> None:
    response = live.request("GET", "/web/api/inbox?user=" + quote(user, safe=""))
    assert response.status in (200, 400), (response.status, response.body[:300])


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_bytes_that_are_not_json_are_refused(live: LiveServer, raw: bytes) -> None:
    response = live.request("POST", "/web/api/message", raw, {"Content-Type": "application/json"})
    if response.status == 200:  # the bytes happened to be a valid JSON request
        json.loads(raw)
    else:
        assert response.status == 400 and response.json()["error"]


def test_the_server_survived_and_logged_no_unhandled_error(live: LiveServer) -> None:
    assert live.alive()
    errors = live.logged_errors()
    assert errors == [], "\n".join(f"{e['message']}\n{e.get('exception', '')[-1500:]}" for e in errors[:3])
