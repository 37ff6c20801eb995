"""Slack payloads -> neutral ``Message`` / ``Action`` (and the bits needed to answer back).

Pure functions over the JSON Slack sends, so the rules for what the bot listens to
(no bots, no edits, a mention handled once) can be read in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.slack.blocks import action_name
from chat.replies import Action, Message

# Message subtypes that are still a person writing something new.
PERSON_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>")


@dataclass(frozen=True)
class Inbound:
    """A message to answer, and where the answer goes."""

    message: Message
    channel: str
    reply_thread_ts: str | None


def plain_text(text: str) -> str:
    """Slack's encoded text as the person wrote it: no mentions, links in Markdown."""
    text = _MENTION.sub(" ", text)
    text = _LINK.sub(_markdown_link, text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def _markdown_link(match: re.Match[str]) -> str:
    """Slack's ``<url|label>`` as Markdown, so a strategist's link survives being relayed."""
    url, label = match.group(1), match.group(2)
    return f"[{label}]({url})" if label and label != url else url


def message_from_event(event: dict[str, Any], bot_user_id: str | None, event_id: str | None) -> Inbound | None:
    """The message a ``message``/``app_mention`` event carries, or None if it is not for us."""
    user = event.get("user")
    channel = event.get("channel")
    if (
        event.get("bot_id")
        or event.get("subtype") not in PERSON_SUBTYPES
        or not isinstance(user, str)
        or not isinstance(channel, str)
        or (bot_user_id is not None and user == bot_user_id)
    ):
        return None
    raw = event.get("text")
    text = raw if isinstance(raw, str) else ""
    ts = str(event.get("ts") or "")
    thread_ts = event.get("thread_ts")
    thread_ts = str(thread_ts) if thread_ts else None
    if event.get("type") == "app_mention":
        message = Message(
            platform="slack", user_id=user, text=plain_text(text), channel_id=channel,
            thread_id=thread_ts or ts, is_direct=False, event_id=event_id,
        )
        return Inbound(message, channel, thread_ts or ts)
    if event.get("channel_type") == "im":
        message = Message(
            platform="slack", user_id=user, text=plain_text(text), channel_id=channel,
            thread_id=thread_ts, is_direct=True, event_id=event_id,
        )
        return Inbound(message, channel, thread_ts)
    # A channel message without a mention: only a reply in a thread the bot may own.
    mentions_bot = bot_user_id is not None and f"<@{bot_user_id}" in text
    if thread_ts is None or mentions_bot:
        return None  # a mention arrives again as app_mention and is answered there
    message = Message(
        platform="slack", user_id=user, text=plain_text(text), channel_id=channel,
        thread_id=thread_ts, is_direct=False, event_id=event_id, addressed=False,
    )
    return Inbound(message, channel, thread_ts)


@dataclass(frozen=True)
class ButtonPress:
    action: Action
    channel: str | None
    reply_thread_ts: str | None
    trigger_id: str | None
    # Pressed on a message only this person sees (a /jambot answer): answer the same way,
    # through the response_url, since the bot may not even be in that channel.
    on_ephemeral: bool = False


def actions_from_block_actions(body: dict[str, Any]) -> list[ButtonPress]:
    user = body.get("user") or {}
    user_id = user.get("id")
    if not isinstance(user_id, str):
        return []
    channel = (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    thread_ts = message.get("thread_ts")
    ts = message.get("ts")
    if thread_ts:
        reply_thread = str(thread_ts)
    elif ts and isinstance(channel, str) and not channel.startswith("D"):
        reply_thread = str(ts)  # in a channel, answer a button under its message, not in the room
    else:
        reply_thread = None
    presses = []
    for item in body.get("actions") or []:
        name = action_name(str(item.get("action_id") or ""))
        if name is None:
            continue
        action = Action(
            platform="slack",
            user_id=user_id,
            action=name,
            value=str(item.get("value") or ""),
            channel_id=channel or "",
            thread_id=reply_thread,
            user_name=user.get("name") or user.get("username"),
        )
        on_ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        presses.append(ButtonPress(action, channel, reply_thread, body.get("trigger_id"), on_ephemeral))
    return presses


def message_from_command(body: dict[str, Any]) -> Message | None:
    user = body.get("user_id")
    if not isinstance(user, str):
        return None
    return Message(
        platform="slack",
        user_id=user,
        text=plain_text(str(body.get("text") or "")),
        channel_id=str(body.get("channel_id") or ""),
        is_direct=body.get("channel_name") == "directmessage",
        user_name=body.get("user_name"),
    )
