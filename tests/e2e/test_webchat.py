"""The web chat's JSON API end to end, including an escalation answered from Slack."""

from __future__ import annotations

import pytest
from slack_harness import ESCALATION_CHANNEL, STRATEGIST
from sqlalchemy import select

from bot.db.models import Feedback, QuestionLog

USER = "web-test-user"


async def test_page_and_static_files_are_served(jambot_server):
    status, html = await jambot_server.get("/")
    assert status == 200
    assert "<title>Jämbot – webbchatt</title>" in html and "/static/app.js" in html
    assert 'placeholder="Skriv din fråga, t.ex. Vad är CEMR?"' in html
    assert "{" not in html  # every text filled in from bot/texts
    status, script = await jambot_server.get("/static/app.js")
    assert status == 200 and "/web/api/message" in script
    status, _css = await jambot_server.get("/static/style.css")
    assert status == 200


async def test_question_gets_answer_with_sources_and_buttons(jambot_server):
    status, body = await jambot_server.post_json(
        "/web/api/message", {"user": USER, "text": "Vad är CEMR?"}
    )
    assert status == 200
    [reply] = body["replies"]
    assert reply["kind"] == "answer"
    assert reply["title"] == "Vad är CEMR-deklarationen?"
    assert reply["sources"][0]["url"] == "https://charter-equality.eu/"
    assert reply["sources_label"] == "Källor"
    assert [b["action"] for b in reply["buttons"]] == ["feedback", "feedback", "ask_entry"]

    up = reply["buttons"][0]
    status, body = await jambot_server.post_json(
        "/web/api/action", {"user": USER, "action": up["action"], "value": up["value"]}
    )
    assert status == 200 and "Tack" in body["replies"][0]["text"]
    with jambot_server.db.session() as session:
        assert session.scalars(select(Feedback.helpful)).all() == [True]
        assert session.scalars(select(QuestionLog.platform)).all() == ["web"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/web/api/message", "not json", "JSON"),
        ("/web/api/message", [1, 2], "JSON object"),
        ("/web/api/message", {"text": "hej"}, "user: required"),
        ("/web/api/message", {"user": USER, "text": 42}, "text: must be a string"),
        ("/web/api/message", {"user": USER, "text": "x" * 4001}, "at most 4000"),
        ("/web/api/action", {"user": USER}, "action: required"),
        ("/web/api/action", {"user": USER, "action": "feedback", "fields": {"a": 1}}, "fields.a"),
        ("/web/api/message", {"user": "\ud800", "text": "hej"}, "user: not valid Unicode"),
        ("/web/api/message", {"user": USER, "text": "vad är \udfff"}, "text: not valid Unicode"),
        ("/web/api/action", {"user": USER, "action": "x", "fields": {"f": "\ud800"}}, "fields: not valid"),
    ],
)
async def test_bad_requests_get_400_and_change_nothing(jambot_server, path, body, message):
    if isinstance(body, str):
        async with jambot_server.http.post(
            jambot_server.url + path, data=body, headers={"Content-Type": "application/json"}
        ) as response:
            status, answer = response.status, await response.json()
    else:
        status, answer = await jambot_server.post_json(path, body)
    assert status == 400
    assert message in answer["error"]
    with jambot_server.db.session() as session:
        assert session.scalars(select(QuestionLog)).all() == []


class TestEscalationAllowed:
    """JAMBOT_WEBCHAT_ESCALATION=1: an operator lets anonymous web users reach the strategists."""

    @pytest.fixture
    def jambot_server_options(self):
        return {"env": {"JAMBOT_WEBCHAT_ESCALATION": "1"}}

    async def test_escalated_web_question_answered_in_slack_reaches_the_browser(
        self, jambot_server, slack_api, signed_slack_request
    ):
        status, body = await jambot_server.post_json(
            "/web/api/message", {"user": USER, "text": "Hur blir vädret i morgon?"}
        )
        [abstain] = body["replies"]
        assert abstain["kind"] == "abstain"
        escalate = abstain["buttons"][0]
        status, body = await jambot_server.post_json(
            "/web/api/action", {"user": USER, "action": escalate["action"], "value": escalate["value"]}
        )
        assert "skickat din fråga" in body["replies"][0]["text"]
        [post] = await slack_api.wait_for("chat.postMessage")
        assert post.body["channel"] == ESCALATION_CHANNEL

        await signed_slack_request.channel_message(
            "Kolla SMHI.", user=STRATEGIST, channel=ESCALATION_CHANNEL, thread_ts=post.response["ts"]
        )
        await slack_api.wait_for("chat.postMessage", 2)  # the thanks in the strategists' thread
        status, inbox = await jambot_server.get(f"/web/api/inbox?user={USER}")
        assert status == 200
        [answer] = inbox["replies"]
        assert "Kolla SMHI." in answer["text"]
        status, inbox = await jambot_server.get(f"/web/api/inbox?user={USER}")
        assert inbox["replies"] == []  # delivered once


class TestWebChatOff:
    @pytest.fixture
    def jambot_server_options(self):
        return {"env": {"JAMBOT_WEBCHAT": "0"}}

    async def test_web_chat_is_off_when_disabled(self, jambot_server):
        status, _ = await jambot_server.get("/")
        assert status == 404
        status, _ = await jambot_server.post_json("/web/api/message", {"user": USER, "text": "hej"})
        assert status in (404, 405)
