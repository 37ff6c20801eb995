"""The bolt listeners: translate, ask the conversation core, send its replies back.

Each listener acks and hands the rest to ``BackgroundWork``, so Slack gets its
answer within milliseconds and the knowledge base and database work happens
afterwards, in tasks the server can wait for. Only a modal submission asks the
core before its ack, because Slack needs the validation result in the ack itself.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError

from bot.background import BackgroundWork
from bot.conversation import Conversation
from bot.db import Database
from bot.dedup import claim_event
from bot.slack import modals
from bot.slack.blocks import ACTION_PREFIX, render
from bot.slack.outbox import SlackSender
from bot.slack.translate import (
    Inbound,
    actions_from_block_actions,
    message_from_command,
    message_from_event,
)
from bot.texts import t
from chat.replies import Action, Button, Reply

log = logging.getLogger(__name__)

COMMAND = "/jambot"
UNREACHABLE_CHANNEL = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
# Answers to messages being worked on at once. Work waiting for a slot is parked instead of
# competing with new requests for the event loop, so acks stay fast under a burst; the
# CPU-bound answering would not go faster with more in flight anyway. Button presses and
# commands skip the queue: they come at human pace and their trigger_id (needed to open a
# modal) expires 3 seconds after the click.
CONCURRENT_ANSWERS = 4
EXPIRED_TRIGGER = frozenset({"expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id"})


@dataclass
class ReplyTarget:
    """Where replies to one request go."""

    user_id: str
    channel: str | None
    thread_ts: str | None = None
    trigger_id: str | None = None  # single use: opens at most one modal
    respond: AsyncRespond | None = None  # slash commands answer through response_url
    origin: Action | None = None  # the press that asked for a form, to offer again if it expired


class SlackListeners:
    def __init__(
        self, conversation: Conversation, db: Database, sender: SlackSender, work: BackgroundWork
    ) -> None:
        self.conversation = conversation
        self.db = db
        self.sender = sender
        self.work = work
        self._slots = asyncio.Semaphore(CONCURRENT_ANSWERS)

    def register(self, bolt: AsyncApp) -> None:
        bolt.event("app_mention")(self.on_message_event)
        bolt.event("message")(self.on_message_event)
        bolt.event(re.compile(".*"))(self.on_other_event)
        bolt.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(self.on_block_action)
        bolt.view(modals.CALLBACK_ID)(self.on_view_submission)
        bolt.command(COMMAND)(self.on_command)

    async def on_message_event(self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext) -> None:
        event_id = body.get("event_id")
        inbound = message_from_event(event, context.bot_user_id, event_id)
        if inbound is not None:  # bolt acks events itself once this returns
            self.work.start(self._answer(inbound, event_id))

    async def _answer(self, inbound: Inbound, event_id: object) -> None:
        async with self._slots:
            if isinstance(event_id, str) and not await asyncio.to_thread(
                claim_event, self.db, "slack", event_id
            ):
                log.info("Slack retry of event %s ignored: already answered", event_id)
                return
            replies = await self.conversation.handle_message(inbound.message)
            target = ReplyTarget(inbound.message.user_id, inbound.channel, inbound.reply_thread_ts)
            await self.send(replies, target)

    async def on_other_event(self) -> None:
        """Subscribed events the bot has no use for are acknowledged and dropped."""

    async def on_block_action(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        self.work.start(self._act(body, respond))

    async def _act(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        for press in actions_from_block_actions(body):
            replies = await self.conversation.handle_action(press.action)
            target = ReplyTarget(
                press.action.user_id, press.channel, press.reply_thread_ts, press.trigger_id,
                respond if press.on_ephemeral else None, press.action,
            )
            await self.send(replies, target)

    async def on_view_submission(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = (body.get("user") or {}).get("id")
        try:
            submission = modals.parse_submission(view)
        except ValueError:
            await ack()
            return
        if not isinstance(user_id, str):
            await ack()
            return
        action = Action(
            platform="slack",
            user_id=user_id,
            action=submission.action,
            value=submission.value,
            channel_id=submission.channel_id,
            thread_id=submission.thread_id,
            fields=submission.fields,
            user_name=(body.get("user") or {}).get("name"),
        )
        replies = await self.conversation.handle_action(action)
        rejected = next((r for r in replies if r.field_errors), None)
        if rejected is not None:
            await ack(**modals.errors_response(rejected.field_errors))
            return
        failed = next((r for r in replies if r.kind == "error"), None)
        if failed is not None and submission.fields:
            # Keep the form open with the message (e.g. the database was briefly away):
            # closing it would throw away what the person typed, as if it had been saved.
            first_field = next(iter(submission.fields))
            await ack(**modals.errors_response(((first_field, failed.text),)))
            return
        step = next((r for r in replies if r.form is not None), None)
        if step is not None and step.form is not None:  # a walk's next step replaces the modal
            view = modals.form_view(step.form, submission.channel_id, submission.thread_id)
            await ack(response_action="update", view=view)
            replies = [r for r in replies if r is not step]
        else:
            await ack()
        target = ReplyTarget(user_id, submission.channel_id or None, submission.thread_id)
        self.work.start(self.send(replies, target))

    async def on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        self.work.start(self._run_command(body, respond))

    async def _run_command(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        message = message_from_command(body)
        if message is None:
            return
        replies = await self.conversation.handle_message(message)
        target = ReplyTarget(
            message.user_id, message.channel_id or None, None, body.get("trigger_id"), respond
        )
        await self.send(replies, target)

    async def send(self, replies: list[Reply], target: ReplyTarget) -> None:
        for reply in replies:
            try:
                await self._send_one(reply, target)
            except SlackApiError as exc:
                error = exc.response.get("error")
                if error in UNREACHABLE_CHANNEL and target.channel and not target.channel.startswith("D"):
                    # A form opened from a private /jambot answer in a channel without the bot:
                    # the reply still reaches the person, in their DM.
                    await self.send([reply], ReplyTarget(target.user_id, None))
                else:
                    log.warning("Slack rejected a reply: %s", error)

    async def _send_one(self, reply: Reply, target: ReplyTarget) -> None:
        if reply.form is not None and target.trigger_id:
            view = modals.form_view(reply.form, target.channel or "", target.thread_ts)
            trigger_id, target.trigger_id = target.trigger_id, None
            try:
                await self.sender.client.views_open(trigger_id=trigger_id, view=view)
            except SlackApiError as exc:
                if exc.response.get("error") not in EXPIRED_TRIGGER or target.origin is None:
                    raise
                # Too slow to open the form: offer the same button again, its click brings a new trigger.
                again = Button(reply.form.title, target.origin.action, target.origin.value, style="primary")
                await self._send_one(Reply(kind="info", text=t("form_expired"), buttons=(again,)), target)
            return
        if reply.file is not None:
            await self.sender.upload_to_dm(target.user_id, reply)
            return
        if target.respond is not None:
            for message in render(reply):
                await target.respond(
                    text=message["text"],
                    blocks=message["blocks"],
                    response_type="ephemeral",
                    replace_original=False,  # keep the answer a button was pressed on
                )
            return
        channel = target.channel or await self.sender.open_dm(target.user_id)
        if reply.ephemeral:
            await self.sender.post_ephemeral(channel, target.user_id, reply, target.thread_ts)
        else:
            await self.sender.post(channel, reply, target.thread_ts)
