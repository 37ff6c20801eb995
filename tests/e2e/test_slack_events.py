"""Slack Events API end to end: signed events in, Web API calls out at the stand-in."""

from __future__ import annotations

from slack_harness import STAFF


async def test_dm_question_gets_an_answer_with_blocks_and_sources(signed_slack_request, slack_api):
    response = await signed_slack_request.dm("Vad är CEMR?")
    assert response.status == 200

    [post] = await slack_api.wait_for("chat.postMessage")
    assert post.body["channel"] == "D" + STAFF[1:]
    assert "thread_ts" not in post.body or post.body["thread_ts"] is None
    text = post.text_of_blocks()
    assert "*Vad är CEMR-deklarationen?*" in text
    assert "<https://charter-equality.eu/|CEMR – European Charter" in text
    assert post.button("feedback")["value"].endswith(":up")
    assert post.button("ask_entry")["value"] == "cemr-handlingsplan|sv"
    assert post.token == "xoxb-e2e-test-token"
