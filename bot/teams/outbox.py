"""Proactive Teams messages: escalations, relayed answers and quarterly reminders.

Teams only lets a bot write where it has been before, so delivery starts from
the stored conversation reference; a person or channel without one is reported
back as not reachable (not retryable) so the reminders can tell the strategists.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference
from botframework.connector.aio import ConnectorClient
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.db import Database
from bot.outbox import Delivery, Recipient
from bot.replies import Platform, Reply
from bot.teams.activities import join_thread
from bot.teams.references import load_reference
from bot.teams.render import ReplyRenderer

log = logging.getLogger(__name__)

NO_REFERENCE = "no conversation reference"


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
        self._adapter = adapter
        self._db = db
        self._org_id = org_id
        self._renderer = renderer
        self._bot_app_id = bot_app_id or ""

    async def deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        """Send ``reply`` into a channel thread, a person's chat or a channel, in that order.

        ``Delivery.ref`` gives ``channel`` and ``thread_id`` as an incoming ``Message`` in
        that thread will name them: a post at a channel's top level starts a thread whose
        id is the new activity's id.
        """
        in_thread = bool(recipient.channel_id and recipient.thread_id)
        key = recipient.channel_id if in_thread else (recipient.user_id or recipient.channel_id)
        stored = (
            await asyncio.to_thread(load_reference, self._db, self._org_id, key) if key else None
        )
        if stored is None:
            return Delivery(ok=False, error=NO_REFERENCE, retryable=False)
        reference = ConversationReference().deserialize(stored)
        reference.activity_id = None
        channel = reference.conversation.id
        thread_id = recipient.thread_id if in_thread else None
        reference.conversation.id = join_thread(channel, thread_id)
        outgoing = await self._renderer.activities(reply)
        sent: list[str] = []
        failures: list[Exception] = []

        async def send(turn: TurnContext) -> None:
            # Errors are kept rather than raised: raised, the adapter's turn-error handler
            # would swallow them and this delivery would look like a success.
            connector: ConnectorClient = turn.turn_state[self._adapter.BOT_CONNECTOR_CLIENT_KEY]
            # No retries with back-off here: the caller (reminders) retries failed sends
            # itself, and must not have a send slot held for seconds.
            connector.config.retry_policy.retries = 0
            try:
                for activity in outgoing:
                    # Post straight to the conversation: TurnContext.send_activity would mark
                    # it as a reply to the synthetic continuation activity's made-up id.
                    TurnContext.apply_conversation_reference(activity, reference)
                    response = await connector.conversations.send_to_conversation(
                        reference.conversation.id, activity
                    )
                    sent.append(getattr(response, "id", None) or "")
            except Exception as exc:
                failures.append(exc)

        try:
            await self._adapter.continue_conversation(reference, send, self._bot_app_id)
        except Exception as exc:
            failures.append(exc)
        if failures:
            return _failed(failures[0])
        first = sent[0] if sent else None
        ref: dict[str, Any] = {
            "channel": channel,
            "conversation_id": reference.conversation.id,
            "activity_id": first,
            "activity_ids": sent,
            "thread_id": thread_id or (first if _is_channel(reference) else None),
        }
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
