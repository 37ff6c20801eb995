"""Sending to Slack: posting replies, opening DMs, uploading files (the Web API edge).

``SlackSender`` is shared by the request handlers and by ``SlackOutbox``, the
proactive path used by escalations and reminders, so both render and split
replies the same way.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.outbox import Delivery, Recipient
from bot.replies import Platform, Reply
from bot.slack.blocks import render

log = logging.getLogger(__name__)


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

    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None) -> dict[str, Any]:
        """Post a reply (several messages if it is long); the first message's channel and ts."""
        first: dict[str, Any] = {}
        for message in render(reply):
            response = await self.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
            )
            if not first:
                first = {"channel": str(response["channel"]), "ts": str(response["ts"])}
        return first

    async def post_ephemeral(self, channel: str, user_id: str, reply: Reply, thread_ts: str | None = None) -> None:
        for message in render(reply):
            await self.client.chat_postEphemeral(
                channel=channel, user=user_id, thread_ts=thread_ts, text=message["text"], blocks=message["blocks"]
            )

    async def upload_to_dm(self, user_id: str, reply: Reply) -> dict[str, Any]:
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
        return {"channel": channel}


class SlackOutbox:
    """Proactive messages to Slack users and channels (bot.outbox.Outbox)."""

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
