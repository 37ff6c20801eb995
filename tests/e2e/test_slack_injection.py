"""User text posted to Slack stays inert: no links, mentions or @channel (issue 10, items 2, 14).

The attack: a question ``[Viktigt: läs här](https://evil.example/login) [x](!channel)
[y](@U0STRAT1)`` was posted to the strategists' channel as a phishing link, an
``@channel`` and a mention, because the Markdown-to-Slack link conversion meant for the
knowledge base ran over the asker's text too; the fallback ``text`` beside the blocks
carried the raw text, so ``<!channel>`` typed by a user notified the whole channel.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from slack_harness import ESCALATION_CHANNEL, JambotServer, SignedSlackRequests
from standins.slack_api import Call, SlackApiStandIn

# Slack's own markup for links and mentions: "<" starts each, and escaped text never has one.
SLACK_MARKUP = re.compile(r"<(?:https?:|mailto:|!|@|#)")
INJECTION = "[Viktigt: läs här](https://evil.example/login) [x](!channel) [y](@U0STRAT1)"
UNKNOWN = "Hur blir vädret i morgon?"  # the e2e knowledge base cannot answer this


def _markup_in(call: Call) -> list[str]:
    """Every piece of Slack markup the message would render: blocks and fallback text."""
    texts = [call.body.get("text") or "", call.text_of_blocks()]
    return [m.group(0) for text in texts for m in SLACK_MARKUP.finditer(text)]


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    """The operator lets anonymous web users escalate (off by default next to Slack): even then
    what they type must not notify or link anyone in the strategists' channel."""
    return {"env": {"JAMBOT_WEBCHAT_ESCALATION": "1"}}


async def _escalate_from_slack(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn, question: str
) -> Call:
    await signed_slack_request.dm(question)
    [abstain] = await slack_api.wait_for("chat.postMessage")
    await signed_slack_request.press(abstain.button("escalate"), message_ts=abstain.response["ts"])
    posts = await slack_api.wait_for("chat.postMessage", 3)
    [post] = [p for p in posts if p.body["channel"] == ESCALATION_CHANNEL]
    return post


async def test_links_and_mentions_in_a_question_stay_text_in_the_escalation_post(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn
) -> None:
    post = await _escalate_from_slack(signed_slack_request, slack_api, f"{UNKNOWN} {INJECTION}")

    assert _markup_in(post) == []
    assert "evil.example/login" in post.text_of_blocks()  # shown, not hidden behind a label
    for call in slack_api.calls_to("chat.postMessage"):  # the receipt and the abstain too
        assert _markup_in(call) == [], call.body


async def test_slack_markup_typed_by_a_user_does_not_reach_the_fallback_text(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn
) -> None:
    """Slack sends what a user types as escaped text; a forged event or the web chat need not."""
    post = await _escalate_from_slack(
        signed_slack_request,
        slack_api,
        f"{UNKNOWN} <!channel> <@U0STRAT1> <https://evil.example|x>",
    )

    assert _markup_in(post) == []
    assert "&lt;!channel&gt;" in post.body["text"]


async def test_a_web_chat_question_cannot_notify_the_strategists_channel(
    jambot_server: JambotServer, slack_api: SlackApiStandIn
) -> None:
    user = "web-visitor-1"
    status, body = await jambot_server.post_json(
        "/web/api/message", {"user": user, "text": f"{UNKNOWN} [x](!here) <!here>"}
    )
    assert status == 200
    escalate: dict[str, Any] = body["replies"][0]["buttons"][0]
    await jambot_server.post_json(
        "/web/api/action", {"user": user, "action": escalate["action"], "value": escalate["value"]}
    )
    [post] = await slack_api.wait_for("chat.postMessage")

    assert post.body["channel"] == ESCALATION_CHANNEL
    assert _markup_in(post) == []


async def test_knowledge_base_links_still_become_slack_links(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn
) -> None:
    await signed_slack_request.dm("Vad är CEMR?")
    [answer] = await slack_api.wait_for("chat.postMessage")

    assert "<https://" in answer.text_of_blocks()  # the sources, as links
    assert "<!" not in answer.body["text"]
