"""One Teams turn: remember where we are, hand the neutral request to the core, send cards.

No decisions about content are made here; the core answers, this module only
translates and keeps the platform's bookkeeping (conversation references,
welcome-once, deduplicated retries).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Protocol

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.db import Database
from bot.dedup import claim_event
from bot.teams import activities as convert
from bot.teams.references import PLATFORM, forget_reference, save_reference, welcome_marker
from bot.teams.render import ReplyRenderer, text_activity
from bot.texts import t
from chat.outbox import Outbox, Recipient
from chat.replies import Action, Message, Reply

log = logging.getLogger(__name__)

MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


class ConversationCore(Protocol):
    """What the adapter needs from ``bot.conversation.Conversation``."""

    async def handle_message(self, msg: Message) -> list[Reply]: ...

    async def handle_action(self, action: Action) -> list[Reply]: ...


class TeamsBot:
    def __init__(
        self,
        conversation: ConversationCore,
        db: Database,
        org_id: str,
        renderer: ReplyRenderer,
        private: Outbox,
    ) -> None:
        self._conversation = conversation
        self._db = db
        self._org_id = org_id
        self._renderer = renderer
        self._private = private  # for what only the asker may see

    async def on_turn(self, turn: TurnContext) -> None:
        activity = turn.activity
        if activity.type == ActivityTypes.message and convert.from_a_bot(activity):
            return
        if activity.type == ActivityTypes.installation_update:
            await self._on_installation_update(turn)
            return
        await asyncio.to_thread(self._remember, activity)
        if activity.type == ActivityTypes.message:
            await self._on_message(turn)
        elif activity.type == ActivityTypes.conversation_update:
            await self._on_conversation_update(turn)
        elif activity.type == ActivityTypes.invoke and activity.name == convert.EXECUTE_INVOKE:
            await self._on_execute(turn)

    async def on_error(self, turn: TurnContext, error: Exception) -> None:
        """The person sees a plain apology; the log gets the details."""
        activity = turn.activity
        if isinstance(error, ClientRequestError | HttpOperationError):
            # The Bot Connector failed us: an apology would take the same broken road.
            log.warning(
                "Teams: could not answer a %s activity, the Bot Connector at %s failed: %s",
                activity.type,
                activity.service_url,
                error,
            )
            return
        log.error("Teams: turn failed for a %s activity", activity.type, exc_info=error)
        try:
            await turn.send_activity(text_activity(t("internal_error", convert.lang_of(activity))))
        except Exception as exc:
            log.warning("Teams: could not send the apology either: %s", exc)

    # -- bookkeeping -----------------------------------------------------------------

    def _remember(self, activity: Activity) -> None:
        key = convert.reference_key(activity)
        if not key or not activity.service_url:
            return
        reference = TurnContext.get_conversation_reference(activity)
        reference.activity_id = None
        # File the channel itself, not the thread this activity happened to be in.
        reference.conversation.id = convert.split_thread(reference.conversation.id)[0]
        reference.conversation.tenant_id = convert.tenant_of(activity)
        save_reference(self._db, self._org_id, key, reference.serialize())

    def _first_delivery(self, activity: Activity) -> bool:
        if not activity.id:
            return True
        digest = hashlib.sha256(f"{activity.conversation.id}|{activity.id}".encode()).hexdigest()
        return claim_event(self._db, PLATFORM, f"activity:{digest}")

    # -- activities ------------------------------------------------------------------

    async def _on_message(self, turn: TurnContext) -> None:
        activity = turn.activity
        if not await asyncio.to_thread(self._first_delivery, activity):
            log.info("Teams: ignoring a redelivered activity")
            return
        data = convert.submitted_data(activity)
        if data is not None:
            replies = await self._conversation.handle_action(convert.to_action(activity, data))
        else:
            replies = await self._conversation.handle_message(convert.to_message(activity))
        await self._send(turn, replies)

    async def _on_execute(self, turn: TurnContext) -> None:
        """An ``Action.Execute`` press: routed like a submit, answered in the HTTP response.

        Teams shows an error in the card unless the invoke gets a 200 with a response body.
        """
        activity = turn.activity
        lang = convert.lang_of(activity)
        data = convert.executed_data(activity)
        if data is None:
            message = t("teams_invoke_unknown", lang)
        else:
            if await asyncio.to_thread(self._first_delivery, activity):
                replies = await self._conversation.handle_action(convert.to_action(activity, data))
                await self._send(turn, replies)
            message = t("teams_invoke_done", lang)
        body = {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": message}
        await turn.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
        )

    async def _on_conversation_update(self, turn: TurnContext) -> None:
        activity = turn.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = [m.id for m in activity.members_added or []]
        removed = [m.id for m in activity.members_removed or []]
        if bot_id in removed:
            await asyncio.to_thread(self._forget, activity)
        elif bot_id in added:
            await self._welcome(turn)

    async def _on_installation_update(self, turn: TurnContext) -> None:
        action = (turn.activity.action or "").lower()
        if action.startswith("remove"):
            await asyncio.to_thread(self._forget, turn.activity)
            return
        await asyncio.to_thread(self._remember, turn.activity)
        if action == "add":  # not "add-upgrade": a new app version is no reason to say hello
            await self._welcome(turn)

    def _forget(self, activity: Activity) -> None:
        key = convert.reference_key(activity)
        if key:
            forget_reference(self._db, self._org_id, key)

    async def _welcome(self, turn: TurnContext) -> None:
        key = convert.reference_key(turn.activity)
        if not key:
            return
        marker = welcome_marker(self._org_id, key)
        if await asyncio.to_thread(claim_event, self._db, PLATFORM, marker):
            await turn.send_activity(
                text_activity(t("teams_welcome", convert.lang_of(turn.activity)))
            )

    async def _send(self, turn: TurnContext, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.file is not None and not convert.is_personal(turn.activity):
                await self._send_file_privately(turn, reply)
                continue
            for outgoing in await self._renderer.activities(reply):
                await turn.send_activity(outgoing)

    async def _send_file_privately(self, turn: TurnContext, reply: Reply) -> None:
        """A file (an export) goes to the asker's personal chat, never to a whole channel.

        Anyone who sees a download link can use it, and a channel has members the
        file is not meant for.
        """
        asker = Recipient("teams", user_id=convert.user_id_of(turn.activity))
        delivery = await self._private.deliver(asker, reply)
        note = "teams_file_sent_privately" if delivery.ok else "teams_file_needs_personal_chat"
        await turn.send_activity(text_activity(t(note, reply.lang)))
