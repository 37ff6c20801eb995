"""Proactive Teams messages: escalations, relayed answers and quarterly reminders.

Teams only lets a bot write where it has been before, so delivery starts from
the stored conversation reference. A person without one may still have the app
installed (by an admin policy, before this bot kept references): then Teams
opens a personal chat on request. Otherwise the person is reported back as not
reachable (not retryable), so the reminders can tell the strategists.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector.aio import ConnectorClient
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.db import Database
from bot.teams.activities import join_thread
from bot.teams.references import latest_reference, load_reference, save_reference
from bot.teams.render import ReplyRenderer
from chat.outbox import Delivery, Recipient
from chat.refs import MessageRef
from chat.replies import Platform, Reply

log = logging.getLogger(__name__)

NO_REFERENCE = "no conversation reference"
# What Teams answers when asked to open a chat with someone who does not have the app.
_NOT_INSTALLED = frozenset({403, 404})


@dataclass
class _Sending:
    """What one proactive turn sent, and what went wrong (kept, since raising is swallowed)."""

    outgoing: list[Activity]
    ids: list[str] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def into(self, turn: TurnContext, reference: ConversationReference) -> None:
        connector: ConnectorClient = turn.turn_state[turn.adapter.BOT_CONNECTOR_CLIENT_KEY]
        # No back-off retries here: the caller (reminders) retries failed sends itself,
        # and must not have a send slot held for seconds.
        connector.config.retry_policy.retries = 0
        try:
            for activity in self.outgoing:
                # Post straight to the conversation: TurnContext.send_activity would mark
                # it as a reply to the synthetic continuation activity's made-up id.
                TurnContext.apply_conversation_reference(activity, reference)
                response = await connector.conversations.send_to_conversation(
                    reference.conversation.id, activity
                )
                self.ids.append(getattr(response, "id", None) or "")
        except Exception as exc:  # raised, the adapter's turn-error handler would hide it
            self.failures.append(exc)


class TeamsOutbox:
    platform: Platform = "teams"

    def __init__(
        self,
        adapter: CloudAdapter,
        db: Database,
        org_id: str,
        renderer: ReplyRenderer,
        bot_app_id: str | None,
    ) -> None:
        self.adapter = adapter
        self._db = db
        self.org_id = org_id
        self.renderer = renderer
        self._bot_app_id = bot_app_id or ""

    async def deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        """Send ``reply`` into a channel thread, a person's chat or a channel, in that order.

        ``Delivery.ref`` gives ``channel`` and ``thread_id`` as an incoming ``Message`` in
        that thread will name them: a post at a channel's top level starts a thread whose
        id is the new activity's id.
        """
        in_thread = bool(recipient.channel_id and recipient.thread_id)
        key = recipient.channel_id if in_thread else (recipient.user_id or recipient.channel_id)
        if not key:
            return Delivery(ok=False, error=NO_REFERENCE, retryable=False)
        stored = await asyncio.to_thread(load_reference, self._db, self.org_id, key)
        if stored is None:
            if recipient.user_id and not in_thread:
                return await self._deliver_in_new_chat(recipient.user_id, reply)
            return Delivery(ok=False, error=NO_REFERENCE, retryable=False)
        reference = ConversationReference().deserialize(stored)
        reference.activity_id = None
        channel = reference.conversation.id
        thread_id = recipient.thread_id if in_thread else None
        reference.conversation.id = join_thread(channel, thread_id)
        sending = _Sending(await self.renderer.activities(reply))

        async def send(turn: TurnContext) -> None:
            await sending.into(turn, reference)

        try:
            await self.adapter.continue_conversation(reference, send, self._bot_app_id)
        except Exception as exc:
            sending.failures.append(exc)
        if sending.failures:
            return _failed(sending.failures[0])
        first = sending.ids[0] if sending.ids else None
        ref = MessageRef(
            "teams",
            channel,
            message_id=first,
            thread_id=thread_id or (first if _is_channel(reference) else None),
            message_ids=tuple(sending.ids),
        )
        return Delivery(ok=True, ref=ref)

    async def _deliver_in_new_chat(self, user_id: str, reply: Reply) -> Delivery:
        """Ask Teams to open a personal chat with ``user_id`` (an Entra object id) and send."""
        template = await asyncio.to_thread(latest_reference, self._db, self.org_id)
        tenant_id = (template or {}).get("conversation", {}).get("tenantID")
        if template is None or not tenant_id:
            return Delivery(ok=False, error=NO_REFERENCE, retryable=False)
        service_url = template["serviceUrl"]
        bot = ChannelAccount().deserialize(template["bot"])
        parameters = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}},
        )
        sending = _Sending([])

        async def send(turn: TurnContext) -> None:
            reference = ConversationReference(
                channel_id=template.get("channelId") or "msteams",
                service_url=service_url,
                bot=bot,
                user=ChannelAccount(id=user_id, aad_object_id=user_id),
                conversation=ConversationAccount(
                    id=turn.activity.conversation.id,
                    conversation_type="personal",
                    tenant_id=tenant_id,
                ),
            )
            try:
                await asyncio.to_thread(
                    save_reference, self._db, self.org_id, user_id, reference.serialize()
                )
                # Rendered only now: a file is stored for download only if the chat exists.
                sending.outgoing = await self.renderer.activities(reply)
            except Exception as exc:  # raised, the adapter's turn-error handler would hide it
                sending.failures.append(exc)
                return
            await sending.into(turn, reference)

        try:
            await self.adapter.create_conversation(
                self._bot_app_id,
                send,
                parameters,
                channel_id=template.get("channelId") or "msteams",
                service_url=service_url,
            )
        except HttpOperationError as exc:
            if exc.response is not None and exc.response.status_code in _NOT_INSTALLED:
                return Delivery(ok=False, error=NO_REFERENCE, retryable=False)
            return _failed(exc)
        except Exception as exc:
            return _failed(exc)
        if sending.failures:
            return _failed(sending.failures[0])
        first = sending.ids[0] if sending.ids else None
        ref = MessageRef("teams", user_id, message_id=first, message_ids=tuple(sending.ids))
        return Delivery(ok=True, ref=ref)


def _is_channel(reference: ConversationReference) -> bool:
    return reference.conversation.conversation_type == "channel"


def _failed(exc: Exception) -> Delivery:
    """429 and 5xx are worth retrying later, other HTTP errors (403: uninstalled) are not."""
    if isinstance(exc, HttpOperationError):
        status = exc.response.status_code if exc.response is not None else None
        retryable = status is None or status == 429 or status >= 500
        log.warning("Teams: the Bot Connector refused a message (HTTP %s): %s", status, exc)
        return Delivery(ok=False, error=f"Bot Connector HTTP {status}", retryable=retryable)
    if isinstance(exc, ClientRequestError | aiohttp.ClientError | OSError | TimeoutError):
        log.warning("Teams: could not reach the Bot Connector: %s", exc)
        return Delivery(ok=False, error="Bot Connector unreachable", retryable=True)
    log.error("Teams: proactive send failed", exc_info=exc)
    return Delivery(ok=False, error=f"{type(exc).__name__}: {exc}", retryable=True)
