"""Sending to Slack: posting replies, opening DMs, uploading files (the Web API edge).

``SlackSender`` is shared by the request handlers and by ``SlackOutbox``, the
proactive path used by escalations and reminders, so both render and split
replies the same way.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import render
from chat.outbox import Delivery, Recipient
from chat.refs import MessageRef
from chat.replies import Platform, Reply

log = logging.getLogger(__name__)

TAG_EVENT = "jambot_reminder"
# A stale claim is minutes old; the bot posts at most about one message per second in a channel,
# so a few pages of history since the claim cover it.
HISTORY_PAGES = 5


def tag_metadata(tag: str) -> dict[str, Any]:
    """Slack message metadata naming a proactive message, so it can be found again."""
    return {"event_type": TAG_EVENT, "event_payload": {"key": tag}}


class SlackSender:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._dm_channels: dict[str, str] = {}

    async def open_dm(self, user_id: str) -> str:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            response = await self.client.conversations_open(users=user_id)
            channel = str(response["channel"]["id"])
            self._dm_channels[user_id] = channel
        return channel

    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None) -> MessageRef:
        """Post a reply (several messages if it is long); where the first message landed."""
        first: MessageRef | None = None
        for message in render(reply):
            response = await self.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
                # only the first message carries the tag: that is the one find_tagged looks for
                metadata=tag_metadata(reply.tag) if reply.tag and not first else None,
            )
            if first is None:
                first = _posted(str(response["channel"]), str(response["ts"]))
        assert first is not None, "render() always gives at least one message"
        return first

    async def find_tagged(self, channel: str, tag: str, oldest: float) -> MessageRef | None:
        """The message tagged ``tag`` posted since ``oldest`` (epoch s), if there is one."""
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            response = await self.client.conversations_history(
                channel=channel,
                oldest=f"{oldest:.6f}",
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == TAG_EVENT and payload.get("key") == tag:
                    return _posted(channel, str(message["ts"]))
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                return None
        return None

    async def post_ephemeral(self, channel: str, user_id: str, reply: Reply, thread_ts: str | None = None) -> None:
        for message in render(reply):
            await self.client.chat_postEphemeral(
                channel=channel, user=user_id, thread_ts=thread_ts, text=message["text"], blocks=message["blocks"]
            )

    async def upload_to_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Upload ``reply.file`` to the user's DM with the reply's text as the comment."""
        assert reply.file is not None
        channel = await self.open_dm(user_id)
        await self.client.files_upload_v2(
            channel=channel,
            content=reply.file.content,
            filename=reply.file.filename,
            title=reply.file.title or reply.file.filename,
            initial_comment=reply.text,
        )
        return MessageRef("slack", channel)


def _posted(channel: str, ts: str) -> MessageRef:
    """A Slack message is its channel and ``ts``; replies in its thread carry that ``ts``."""
    return MessageRef("slack", channel, message_id=ts, thread_id=ts)


class SlackOutbox:
    """Proactive messages to Slack users and channels (chat.outbox.Outbox)."""

    platform: Platform = "slack"

    def __init__(self, sender: SlackSender) -> None:
        self.sender = sender

    async def deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        try:
            if reply.file is not None and recipient.user_id:
                return Delivery(ok=True, ref=await self.sender.upload_to_dm(recipient.user_id, reply))
            # chat.postMessage takes a user id as the channel and posts in the app's DM with that
            # person, answering with the real D… channel: no conversations.open (Tier 3, ~50/min)
            # first, which would pace a reminder run to hundreds of people to tens of minutes.
            channel = recipient.channel_id or recipient.user_id
            if not channel:
                return Delivery(ok=False, error="no user or channel to send to")
            ref = await self.sender.post(channel, reply, thread_ts=recipient.thread_id)
            return Delivery(ok=True, ref=ref)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = str(exc.response.get("error") or f"HTTP {status}")
            log.warning("Slack delivery failed: %s", error)
            return Delivery(ok=False, error=error, retryable=status == 429 or status >= 500)
        except (ClientError, TimeoutError) as exc:
            log.warning("Slack unreachable: %s", exc)
            return Delivery(ok=False, error=f"Slack unreachable: {type(exc).__name__}", retryable=True)

    async def find_sent(self, recipient: Recipient, tag: str, since: datetime) -> Delivery | None:
        """Look in the conversation for the tagged message (rare: only after a crashed send).

        A DM's history needs its D… channel, hence conversations.open here. If Slack cannot be
        asked, the answer is "unknown" (None) and the caller sends, as it would without this.
        """
        try:
            channel = recipient.channel_id or (
                await self.sender.open_dm(recipient.user_id) if recipient.user_id else None
            )
            if not channel:
                return None
            ref = await self.sender.find_tagged(channel, tag, since.timestamp())
        except (SlackApiError, ClientError, TimeoutError) as exc:
            log.warning("could not look for an earlier Slack message: %s", exc)
            return None
        return Delivery(ok=True, ref=ref) if ref else None
