"""SlackOutbox, the proactive path (escalations, reminders): where it posts and how it fails."""

from __future__ import annotations

from bot.config import Settings
from bot.slack import make_outbox
from chat.outbox import Recipient
from chat.refs import MessageRef
from chat.replies import Button, FileAttachment, Reply

REPLY = Reply(
    kind="reminder",
    title="Dags att rapportera",
    text="Kvartalet är slut.",
    buttons=(Button("Rapportera status", "report_status", "hsf|2025-Q1"),),
)


def _outbox(slack_api):
    return make_outbox(Settings(slack_bot_token="xoxb-outbox", slack_api_url=slack_api.url))


async def test_a_person_gets_a_dm_and_the_ref_locates_the_message(slack_api):
    delivery = await _outbox(slack_api).deliver(
        Recipient(platform="slack", user_id="U0HSF1"), REPLY
    )
    assert delivery.ok
    [post] = slack_api.calls_to("chat.postMessage")
    assert post.body["channel"] == "U0HSF1"  # posted to the user id: Slack picks the DM
    assert slack_api.calls_to("conversations.open") == []
    # the ref names the DM channel Slack answered with, as a reply in that thread will
    assert delivery.ref == MessageRef(
        "slack", "D0HSF1", message_id=post.response["ts"], thread_id=post.response["ts"]
    )
    assert post.button("report_status")["value"] == "hsf|2025-Q1"


async def test_a_channel_thread_is_posted_to_directly(slack_api):
    recipient = Recipient(platform="slack", channel_id="C0RSF", thread_id="1700.1")
    delivery = await _outbox(slack_api).deliver(recipient, REPLY)
    assert delivery.ok
    [post] = slack_api.calls_to("chat.postMessage")
    assert (post.body["channel"], post.body["thread_ts"]) == ("C0RSF", "1700.1")
    assert slack_api.calls_to("conversations.open") == []


async def test_slack_errors_say_whether_a_retry_can_help(slack_api):
    outbox = _outbox(slack_api)
    slack_api.fail_once("chat.postMessage", "channel_not_found")
    gone = await outbox.deliver(Recipient(platform="slack", channel_id="C0GONE"), REPLY)
    assert (gone.ok, gone.error, gone.retryable) == (False, "channel_not_found", False)

    slack_api.fail_once("chat.postMessage", "internal_error", status=500)
    down = await outbox.deliver(Recipient(platform="slack", channel_id="C0RSF"), REPLY)
    assert (down.ok, down.retryable) == (False, True)

    nobody = await outbox.deliver(Recipient(platform="slack"), REPLY)
    assert (nobody.ok, nobody.retryable) == (False, False)


async def test_unreachable_slack_is_retryable(slack_api):
    outbox = _outbox(slack_api)
    await slack_api.stop()
    delivery = await outbox.deliver(Recipient(platform="slack", channel_id="C0RSF"), REPLY)
    assert (delivery.ok, delivery.retryable) == (False, True)
    assert "unreachable" in (delivery.error or "")


async def test_a_file_goes_to_the_persons_dm(slack_api):
    reply = Reply(
        kind="info",
        text="Här är exporten.",
        file=FileAttachment("q1.csv", b"a,b\r\n1,2\r\n", "text/csv", title="Kvartal 1"),
    )
    delivery = await _outbox(slack_api).deliver(
        Recipient(platform="slack", user_id="U0STRAT1"), reply
    )
    assert delivery.ok and delivery.ref == MessageRef("slack", "D0STRAT1")
    [upload] = slack_api.calls_to("upload")
    [complete] = slack_api.calls_to("files.completeUploadExternal")
    assert upload.body["bytes"] == b"a,b\r\n1,2\r\n"
    assert complete.body["initial_comment"] == "Här är exporten."
