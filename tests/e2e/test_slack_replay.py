"""A signed Slack request replayed within the signature's five minutes does nothing again.

Issue 10, item 9: the signature covers the body and its timestamp, not its freshness, so
whoever saw one ``view_submission`` (a proxy log, a shared screen of the devtools) could
send it again and store a revision per copy. Events had their ``event_id`` claim;
interactive payloads and slash commands had nothing.
"""

from __future__ import annotations

from slack_harness import STAFF, JambotServer, SignedSlackRequests
from sqlalchemy import func, select
from standins.slack_api import SlackApiStandIn

from bot.db.models import Feedback, StatusUpdate


def _count(server: JambotServer, model: type) -> int:
    with server.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_replayed_view_submission_stores_one_revision(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn, jambot_server: JambotServer
) -> None:
    await signed_slack_request.press({"action_id": "jambot:report_status:0", "value": "hsf|2025-Q1"})
    [opened] = await slack_api.wait_for("views.open")
    view = opened.body["view"]
    status = next(b for b in view["blocks"] if b.get("block_id") == "status")
    accepted = await signed_slack_request.submit_view(
        view, {"status": status["element"]["options"][0]["value"], "done": "Kartlagt"}, user=STAFF
    )
    assert accepted.status == 200
    assert _count(jambot_server, StatusUpdate) == 1

    for _ in range(3):
        again = await signed_slack_request.replay()
        assert again.status == 200  # acknowledged, so a real retry is not shown as an error
    await jambot_server.drain()

    assert _count(jambot_server, StatusUpdate) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # one receipt


async def test_a_replayed_button_press_and_slash_command_act_once(
    signed_slack_request: SignedSlackRequests, slack_api: SlackApiStandIn, jambot_server: JambotServer
) -> None:
    await signed_slack_request.dm("Vad är CEMR?")
    [answer] = await slack_api.wait_for("chat.postMessage")
    await signed_slack_request.press(answer.button("feedback"), message_ts=answer.response["ts"])
    await slack_api.wait_for("chat.postEphemeral")
    await signed_slack_request.replay()
    await signed_slack_request.command("Vad är CEMR?")
    await slack_api.wait_for("response_url")
    await signed_slack_request.replay()
    await jambot_server.drain()

    assert len(slack_api.calls_to("chat.postEphemeral")) == 1
    assert len(slack_api.calls_to("response_url")) == 1
    assert _count(jambot_server, Feedback) == 1
