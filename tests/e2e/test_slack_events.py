"""Slack Events API end to end: signed events in, Web API calls out at the stand-in."""

from __future__ import annotations

import asyncio
import json
import time

from slack_harness import BOT_TOKEN, STAFF, SignedSlackRequests, serve_jambot
from sqlalchemy import func, select
from standins.slack_api import BOT_USER_ID

from bot.db.models import ProcessedEvent, QuestionLog
from bot.pseudonym import user_key


def _question_count(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(QuestionLog))


async def test_dm_question_gets_an_answer_with_blocks_and_sources(
    signed_slack_request, slack_api, jambot_server
):
    response = await signed_slack_request.dm("Vad är CEMR?")
    assert response.status == 200

    [post] = await slack_api.wait_for("chat.postMessage")
    assert post.body["channel"] == "D" + STAFF[1:]
    assert post.body.get("thread_ts") is None
    assert post.token == BOT_TOKEN
    text = post.text_of_blocks()
    assert "*Vad är CEMR-deklarationen?*" in text
    assert "*den europeiska deklarationen för jämställdhet*" in text  # **bold** -> mrkdwn
    assert "<https://charter-equality.eu/|CEMR – European Charter" in text
    assert "*Källor*" in text
    assert post.button("feedback")["value"].endswith(":up")
    assert post.button("ask_entry")["value"] == "cemr-handlingsplan|sv"
    assert "Vad är CEMR-deklarationen?" in post.body["text"]  # notification fallback

    with jambot_server.db.session() as session:
        [row] = session.scalars(select(QuestionLog)).all()
    assert (row.question, row.entry_id, row.abstained, row.platform) == (
        "Vad är CEMR?",
        "cemr-vad-ar",
        False,
        "slack",
    )
    assert row.user_key == user_key("e2e-pseudonym-secret", "slack", STAFF)
    assert STAFF not in row.user_key


async def test_english_question_gets_the_english_entry(signed_slack_request, slack_api):
    await signed_slack_request.dm("What is the CEMR charter?")
    [post] = await slack_api.wait_for("chat.postMessage")
    text = post.text_of_blocks()
    assert "*What is the CEMR charter?*" in text
    assert "*Sources*" in text
    assert post.button("feedback")["text"]["text"] == "👍 Helpful"


async def test_mention_in_a_channel_is_answered_in_its_thread(signed_slack_request, slack_api):
    await signed_slack_request.mention("vad är 3R?", channel="C0GENERAL")
    [post] = await slack_api.wait_for("chat.postMessage")
    [event] = [json.loads(json.dumps(post.body))]
    assert event["channel"] == "C0GENERAL"
    assert event["thread_ts"]  # the mention's ts: the answer goes in a thread
    assert "3R-metoden" in post.text_of_blocks()


async def test_plain_channel_messages_and_mentions_in_message_events_are_not_answered(
    signed_slack_request, slack_api, jambot_server
):
    # Someone else's thread: the bot listens (message.channels) but must not butt in.
    await signed_slack_request.channel_message(
        "vad är CEMR?", user=STAFF, channel="C0GENERAL", thread_ts="1700000000.000100"
    )
    # A mention also arrives as a message event; it is answered once, via app_mention.
    await signed_slack_request.channel_message(
        f"<@{BOT_USER_ID}> vad är CEMR?", user=STAFF, channel="C0GENERAL", thread_ts=None
    )
    await jambot_server.drain()
    assert slack_api.calls_to("chat.postMessage") == []
    assert _question_count(jambot_server.db) == 0


async def test_bot_messages_are_ignored(signed_slack_request, slack_api, jambot_server):
    channel = "D" + STAFF[1:]
    events = [
        {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": "U0OTHER",
            "bot_id": "B0OTHER",
            "text": "Vad är CEMR?",
            "ts": "1.1",
        },
        {
            "type": "message",
            "subtype": "bot_message",
            "channel_type": "im",
            "channel": channel,
            "text": "Vad är CEMR?",
            "ts": "1.2",
            "bot_id": "B0X",
        },
        {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": BOT_USER_ID,
            "text": "Vad är CEMR?",
            "ts": "1.3",
        },
        {
            "type": "message",
            "subtype": "message_changed",
            "channel_type": "im",
            "channel": channel,
            "message": {"text": "Vad är CEMR?"},
            "ts": "1.4",
        },
    ]
    for event in events:
        assert (await signed_slack_request.event(event)).status == 200
    await jambot_server.drain()
    assert slack_api.calls_to("chat.postMessage") == []
    assert _question_count(jambot_server.db) == 0


async def test_slack_retry_of_the_same_event_is_answered_once(
    signed_slack_request, slack_api, jambot_server
):
    first = await signed_slack_request.dm("Vad är CEMR?", event_id="Ev0RETRY")
    retry = await signed_slack_request.dm("Vad är CEMR?", event_id="Ev0RETRY", retry_num=1)
    assert (first.status, retry.status) == (200, 200)
    await slack_api.wait_for("chat.postMessage")
    await jambot_server.drain()
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert _question_count(jambot_server.db) == 1
    with jambot_server.db.session() as session:
        assert session.scalars(select(ProcessedEvent.event_id)).all() == ["Ev0RETRY"]


async def test_forged_signature_gets_401_and_nothing_happens(
    signed_slack_request, slack_api, jambot_server
):
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0X",
        "user": STAFF,
        "text": "Vad är CEMR?",
        "ts": "1.1",
    }
    envelope = {
        "type": "event_callback",
        "event_id": "Ev0FORGED",
        "team_id": "T0E2E",
        "event": event,
    }
    forged = await signed_slack_request(envelope, secret="not-the-signing-secret")
    unsigned = await signed_slack_request(envelope, signature="v0=" + "0" * 64)
    assert (forged.status, unsigned.status) == (401, 401)
    await jambot_server.drain()
    assert slack_api.calls == []
    assert _question_count(jambot_server.db) == 0


async def test_stale_timestamp_gets_401(signed_slack_request, slack_api, jambot_server):
    six_minutes_ago = int(time.time()) - 6 * 60
    envelope = {
        "type": "event_callback",
        "event_id": "Ev0STALE",
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": "D0X",
            "user": STAFF,
            "text": "Vad är CEMR?",
            "ts": "1.1",
        },
    }
    response = await signed_slack_request(envelope, timestamp=six_minutes_ago)
    assert response.status == 401
    await jambot_server.drain()
    assert slack_api.calls == []


async def test_bad_json_gets_400(signed_slack_request, slack_api):
    response = await signed_slack_request('{"type": "event_callback", "event": {')
    assert response.status == 400
    assert "JSON" in response.body["error"]
    not_utf8 = await signed_slack_request(b"{\xff\xfe}")
    assert not_utf8.status == 400
    forged_and_broken = await signed_slack_request('{"type": ', secret="wrong")
    assert forged_and_broken.status == 401
    assert slack_api.calls == []


async def test_oversized_body_gets_413(signed_slack_request, slack_api):
    huge = {
        "type": "event_callback",
        "event": {"type": "message", "text": "x" * (1024 * 1024 + 10)},
    }
    response = await signed_slack_request(huge)
    assert response.status == 413
    assert slack_api.calls == []


async def test_unknown_event_types_are_acknowledged_and_ignored(
    signed_slack_request, slack_api, jambot_server
):
    response = await signed_slack_request.event(
        {"type": "reaction_added", "user": STAFF, "reaction": "tada"}
    )
    assert response.status == 200
    unknown_payload = await signed_slack_request({"type": "something_new", "x": 1})
    assert 400 <= unknown_payload.status < 500
    await jambot_server.drain()
    assert slack_api.calls_to("chat.postMessage") == []
    status, health = await jambot_server.get("/healthz")
    assert status == 200 and health["database"] is True


async def test_url_verification_challenge_is_answered(signed_slack_request):
    response = await signed_slack_request(
        {"type": "url_verification", "challenge": "c-123", "token": "t"}
    )
    assert response.status == 200
    assert "c-123" in json.dumps(response.body)


async def test_help_in_swedish_and_english(signed_slack_request, slack_api):
    await signed_slack_request.dm("hjälp")
    [sv] = await slack_api.wait_for("chat.postMessage")
    assert "Så här kan jag hjälpa dig" in sv.text_of_blocks()
    assert "Kvartalsrapportering" in sv.text_of_blocks()  # reporting is configured
    await signed_slack_request.dm("help")
    en = (await slack_api.wait_for("chat.postMessage", 2))[1]
    assert "How I can help" in en.text_of_blocks()


async def test_empty_mention_gets_help(signed_slack_request, slack_api):
    await signed_slack_request.mention("")
    [post] = await slack_api.wait_for("chat.postMessage")
    assert "Så här kan jag hjälpa dig" in post.text_of_blocks()


async def test_long_answers_are_split_within_slack_limits(signed_slack_request, slack_api):
    await signed_slack_request.dm("Hur gör vi en jämställd budget?")
    [post] = await slack_api.wait_for("chat.postMessage")
    sections = [b["text"]["text"] for b in post.blocks() if b["type"] == "section"]
    assert len(sections) >= 4  # title, a >7000-character answer in pieces, sources
    assert all(len(text) <= 3000 for text in sections)
    assert len(post.blocks()) <= 50
    assert "Steg 14." in post.text_of_blocks()  # nothing lost in the split


async def test_rate_limited_post_is_retried_after_retry_after(signed_slack_request, slack_api):
    slack_api.rate_limit_once("chat.postMessage", retry_after=1)
    started = time.monotonic()
    await signed_slack_request.dm("Vad är CEMR?")
    [post] = await slack_api.wait_for("chat.postMessage", timeout=8)
    [limited] = slack_api.calls_to("chat.postMessage#429")
    assert post.at - limited.at >= 0.95  # waited out Retry-After
    assert time.monotonic() - started < 8
    assert "CEMR" in post.text_of_blocks()


async def test_ack_comes_before_the_slow_work(signed_slack_request, slack_api):
    """The answer is posted after the HTTP ack: many events in flight are all acked at once."""
    responses = await asyncio.gather(
        *(signed_slack_request.dm(f"Vad är CEMR? {i}") for i in range(10))
    )
    assert [r.status for r in responses] == [200] * 10
    await slack_api.wait_for("chat.postMessage", 10)


async def test_stopping_the_server_waits_for_the_answers_it_acknowledged(database_url, slack_api):
    async with serve_jambot(database_url, slack_api, {}) as server:
        slack = SignedSlackRequests(server, slack_api)
        responses = await asyncio.gather(*(slack.dm(f"Vad är CEMR? {i}") for i in range(5)))
        assert [r.status for r in responses] == [200] * 5
    # stopped: every question acknowledged before was answered on the way down
    assert len(slack_api.calls_to("chat.postMessage")) == 5
