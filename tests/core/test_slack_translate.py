"""Which Slack events the bot answers, and how their text reads once decoded."""

from __future__ import annotations

from bot.slack.translate import (
    actions_from_block_actions,
    message_from_command,
    message_from_event,
    plain_text,
)

BOT = "UBOT"


def test_plain_text_decodes_slack_markup():
    assert plain_text("<@UBOT> vad är <https://a.se|CEMR> &amp; <#C1|allmänt> &lt;3 <https://b.se>") == (
        "vad är [CEMR](https://a.se) & #allmänt <3 https://b.se"
    )


def test_direct_message_is_addressed_and_unthreaded():
    inbound = message_from_event(
        {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hej", "ts": "1.0"}, BOT, "Ev1"
    )
    assert inbound is not None
    assert (inbound.channel, inbound.reply_thread_ts) == ("D1", None)
    assert inbound.message.is_direct and inbound.message.addressed and inbound.message.event_id == "Ev1"


def test_mention_replies_in_a_thread():
    inbound = message_from_event(
        {"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> hej", "ts": "5.0"}, BOT, None
    )
    assert inbound is not None
    assert inbound.reply_thread_ts == "5.0" and inbound.message.text == "hej"


def test_channel_messages_only_count_in_threads_and_without_mentions():
    base = {"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1", "ts": "6.0"}
    assert message_from_event({**base, "text": "hej"}, BOT, None) is None
    assert message_from_event({**base, "text": "<@UBOT> hej", "thread_ts": "1.0"}, BOT, None) is None
    inbound = message_from_event({**base, "text": "svar", "thread_ts": "1.0"}, BOT, None)
    assert inbound is not None and inbound.message.addressed is False and inbound.message.thread_id == "1.0"


def test_bots_edits_and_own_messages_are_not_for_us():
    base = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hej", "ts": "1.0"}
    assert message_from_event({**base, "bot_id": "B1"}, BOT, None) is None
    assert message_from_event({**base, "subtype": "message_changed"}, BOT, None) is None
    assert message_from_event({**base, "user": BOT}, BOT, None) is None
    assert message_from_event({**base, "user": None}, BOT, None) is None
    assert message_from_event({**base, "subtype": "file_share"}, BOT, None) is not None


def test_button_presses_answer_under_their_message_in_channels_only():
    body = {
        "user": {"id": "U1", "name": "u1"}, "trigger_id": "t1", "channel": {"id": "C1"},
        "message": {"ts": "9.0"},
        "actions": [{"action_id": "jambot:feedback:0", "value": "1:up"}, {"action_id": "other", "value": "x"}],
    }
    [press] = actions_from_block_actions(body)
    assert (press.action.action, press.action.value, press.reply_thread_ts, press.trigger_id) == (
        "feedback", "1:up", "9.0", "t1"
    )
    [in_dm] = actions_from_block_actions({**body, "channel": {"id": "D1"}})
    assert in_dm.reply_thread_ts is None
    assert actions_from_block_actions({**body, "user": {}}) == []


def test_slash_command_text():
    message = message_from_command({"user_id": "U1", "text": " vad är  <@U9> CEMR ", "channel_id": "C1"})
    assert message is not None and message.text.split() == ["vad", "är", "CEMR"] and not message.is_direct
    assert message_from_command({"text": "x"}) is None
