"""Attacks on the web chat when it runs next to real platforms (JAMBOT_WEBCHAT=1 with Slack on).

Each test plays one attack from issue 10 against the real server and checks that it is
refused and that nothing was stored or sent.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.db.models import Escalation, QuestionLog

USER = "web-attacker"
MAX_ANSWERED = 40  # the burst a client may send at once, with room for a refill or two


def _questions(jambot_server) -> int:
    with jambot_server.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(QuestionLog)) or 0)


async def _post(
    jambot_server, path: str, data: bytes | str, headers: dict[str, str]
) -> tuple[int, dict]:
    async with jambot_server.http.post(
        jambot_server.url + path, data=data, headers=headers
    ) as response:
        return response.status, await response.json()


async def test_cross_site_text_plain_post_is_refused(jambot_server):
    # What an <form enctype="text/plain"> or a no-cors fetch on another site can send.
    status, body = await _post(
        jambot_server,
        "/web/api/message",
        '{"user": "victim", "text": "Vad är CEMR?"}',
        {"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    assert status in (403, 415)
    assert "error" in body
    assert _questions(jambot_server) == 0


async def test_text_plain_without_origin_is_refused_as_not_json(jambot_server):
    status, body = await _post(
        jambot_server,
        "/web/api/message",
        '{"user": "u", "text": "hej"}',
        {"Content-Type": "text/plain"},
    )
    assert status == 415
    assert "application/json" in body["error"]
    assert _questions(jambot_server) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
async def test_json_post_from_another_origin_is_refused(jambot_server, headers):
    status, body = await _post(
        jambot_server,
        "/web/api/action",
        '{"user": "victim", "action": "feedback", "value": "1:up"}',
        {"Content-Type": "application/json", **headers},
    )
    assert status == 403
    assert "error" in body


async def test_same_origin_json_post_is_answered(jambot_server):
    status, body = await _post(
        jambot_server,
        "/web/api/message",
        '{"user": "u", "text": "Vad är CEMR?"}',
        {
            "Content-Type": "application/json; charset=utf-8",
            "Origin": jambot_server.url,
            "Sec-Fetch-Site": "same-origin",
        },
    )
    assert status == 200
    assert body["replies"][0]["kind"] == "answer"


async def test_a_flood_of_questions_is_rate_limited_per_client(jambot_server):
    async def ask(i: int) -> int:
        status, _ = await jambot_server.post_json(
            "/web/api/message", {"user": f"u{i}", "text": "Vad är CEMR?"}
        )
        return status

    statuses = await asyncio.gather(*(ask(i) for i in range(300)))
    assert statuses.count(200) <= MAX_ANSWERED
    assert statuses.count(429) == 300 - statuses.count(200)
    assert _questions(jambot_server) <= MAX_ANSWERED
    for _ in range(MAX_ANSWERED):  # a refused request says why and when to come back
        async with jambot_server.http.post(
            jambot_server.url + "/web/api/message", json={"user": "u", "text": "x"}
        ) as r:
            if r.status == 429:
                assert int(r.headers["Retry-After"]) >= 1
                assert "för många" in (await r.json())["error"].lower()
                break
    else:
        pytest.fail("no request was refused after the flood")


async def test_deeply_nested_json_is_a_400_not_a_traceback(jambot_server):
    for path in ("/web/api/message", "/web/api/action"):
        status, body = await _post(
            jambot_server, path, "[" * 100000, {"Content-Type": "application/json"}
        )
        assert status == 400
        assert "JSON" in body["error"] and "Traceback" not in body["error"]
    nested = '{"user": "u", "text": "hej", "fields": ' + '{"a": ' * 50000 + "1" + "}" * 50000 + "}"
    status, body = await _post(
        jambot_server, "/web/api/action", nested, {"Content-Type": "application/json"}
    )
    assert status == 400


async def test_anonymous_web_users_cannot_escalate_next_to_real_platforms(jambot_server, slack_api):
    status, body = await jambot_server.post_json(
        "/web/api/message", {"user": USER, "text": "Hur blir vädret i morgon?"}
    )
    [abstain] = body["replies"]
    assert abstain["kind"] == "abstain"
    assert [b for b in abstain["buttons"] if b["action"] == "escalate"] == []
    with jambot_server.db.session() as session:
        question_id = session.scalars(select(QuestionLog.id)).one()
    # Pressing the button anyway (a hand-made request) changes nothing either.
    status, body = await jambot_server.post_json(
        "/web/api/action", {"user": USER, "action": "escalate", "value": str(question_id)}
    )
    assert status == 200
    assert "kan tyvärr inte skicka frågor vidare" in body["replies"][0]["text"]
    with jambot_server.db.session() as session:
        assert session.scalars(select(Escalation)).all() == []
    assert [c for c in slack_api.calls if c.method == "chat.postMessage"] == []


async def test_web_users_are_never_strategists_in_a_real_organisation(jambot_server):
    status, body = await jambot_server.post_json(
        "/web/api/message", {"user": "U0STRAT1", "text": "status 2025-Q1"}
    )
    assert status == 200
    assert body["replies"][0]["kind"] == "error"
    assert "strateg" in body["replies"][0]["text"]
    status, body = await jambot_server.get("/web/api/inbox?user=U0STRAT1&channel=strateger")
    assert status == 403
