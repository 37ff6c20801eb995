"""Passing a question the bot cannot answer to the strategists, and their answer back.

The question is recorded as open and posted in the organisation's escalation
channel; the first strategist reply in that thread (or the "resolved" button)
closes it and is relayed to the asker wherever they asked, through the platform
outboxes. A question no channel would take is kept, never lost: ``repost_pending``
(run periodically by the server) posts it once a channel works again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from bot.db import Database
from bot.db.models import Escalation
from bot.dialogs.registry import Registry
from bot.observability.metrics import record_escalation
from bot.pseudonym import user_key
from bot.stores.escalations import EscalationStore
from bot.stores.questions import QuestionStore
from bot.texts import t
from chat.outbox import Outbox, Recipient
from chat.refs import thread_key
from chat.replies import Action, Button, Lang, Message, Platform, Reply
from reminders.organisation import OrgConfig

log = logging.getLogger(__name__)

ESCALATION_PLATFORMS: tuple[Platform, ...] = ("slack", "teams")
ESCALATE = "escalate"  # value: question id (the button under an answer the bot could not give)
RESOLVE = "resolve_escalation"  # value: escalation id (the button under the channel post)


class EscalationDialog:
    def __init__(
        self,
        org: OrgConfig | None,
        org_id: str,
        db: Database,
        secret: str,
        outboxes: Mapping[str, Outbox],
        closed_to: frozenset[str] = frozenset(),
    ) -> None:
        self.org = org
        # Platforms whose users may not escalate: the anonymous web chat next to real platforms
        # unless JAMBOT_WEBCHAT_ESCALATION=1 (see bot.config.Settings.webchat_escalation).
        self.closed_to = closed_to
        self.org_id = org_id
        self.store = EscalationStore(db, org_id)
        self.questions = QuestionStore(db, org_id)
        self.secret = secret
        self.outboxes = outboxes

    def register(self, registry: Registry) -> None:
        registry.action("escalation", (ESCALATE,), self.escalate)
        registry.action("escalation", (RESOLVE,), self.resolve)

    def targets(self, platform: str) -> list[tuple[Outbox, Recipient]]:
        """Where an escalation can go: the asker's platform first, then any other configured one."""
        if self.org is None or platform in self.closed_to:
            return []
        order = [platform, *(p for p in ESCALATION_PLATFORMS if p != platform)]
        found = []
        for name in order:
            channel = getattr(self.org.escalation, f"{name}_channel", None)
            outbox = self.outboxes.get(name)
            if channel and outbox is not None:
                found.append((outbox, Recipient(platform=outbox.platform, channel_id=channel)))
        return found

    def available(self, platform: str) -> bool:
        return bool(self.targets(platform))

    async def escalate(self, action: Action) -> list[Reply]:
        if not action.value.isdigit():
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        question = await asyncio.to_thread(self.questions.get, int(action.value))
        if question is None:
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        lang = question.lang
        if question.user_key != user_key(self.secret, action.platform, action.user_id):
            return [Reply(kind="error", text=t("escalation_not_yours", lang), lang=lang, ephemeral=True)]
        targets = self.targets(action.platform)
        if not targets:
            return [Reply(kind="info", text=t("escalation_unavailable", lang), lang=lang)]
        reply_to = {
            "platform": action.platform,
            "user_id": action.user_id,
            "channel_id": action.channel_id,
            "thread_id": action.thread_id,
            "lang": question.lang,
        }
        escalation_id = await asyncio.to_thread(self.store.open, question, action.platform, reply_to)
        if escalation_id is None:
            return [Reply(kind="info", text=t("escalation_already", lang), lang=lang, ephemeral=True)]
        record_escalation(action.platform)
        if not await self._post(escalation_id, question.text, action.platform):
            await asyncio.to_thread(self.store.release, escalation_id)
            return [Reply(kind="info", text=t("escalation_saved", lang), lang=lang)]
        return [Reply(kind="info", text=t("escalation_sent", lang), lang=lang)]

    async def repost_pending(self) -> int:
        """Post the open questions no channel has taken yet; how many were posted now.

        Each is claimed in the database before posting, so replicas running this at the
        same moment post every question once.
        """
        posted = 0
        for waiting in await asyncio.to_thread(self.store.unposted):
            if not await asyncio.to_thread(self.store.claim_post, waiting.id):
                continue  # another replica is posting it
            if await self._post(waiting.id, waiting.question, waiting.platform):
                posted += 1
            else:
                await asyncio.to_thread(self.store.release, waiting.id)
        return posted

    async def _post(self, escalation_id: int, question: str, platform: str) -> bool:
        """Post to the first target that takes it and remember where; False if none did."""
        post = Reply(
            kind="escalation",
            title=t("escalation_post_title"),
            text=t("escalation_post_text", question=question),
            buttons=(Button(t("escalation_resolve_button"), RESOLVE, str(escalation_id)),),
        )
        for outbox, recipient in self.targets(platform):  # one channel down is no reason to lose it
            delivery = await outbox.deliver(recipient, post)
            if delivery.ok and delivery.ref is not None:
                await asyncio.to_thread(self.store.posted, escalation_id, delivery.ref)
                return True
            log.warning("escalation %d to %s failed: %s", escalation_id, outbox.platform, delivery.error)
        return False

    async def on_thread_reply(self, msg: Message) -> list[Reply] | None:
        """A message in an escalation thread; None when the thread is not one of ours."""
        key = thread_key(msg.platform, msg.channel_id, msg.thread_id)
        if key is None:
            return None
        escalation = await asyncio.to_thread(self.store.by_thread, key)
        if escalation is None:
            return None
        if self.org is None or not self.org.is_strategist(msg.platform, msg.user_id):
            # Colleagues may discuss in the thread; only tell someone who spoke to the bot.
            return [Reply(kind="info", text=t("escalation_strategists_only"))] if msg.addressed else []
        if escalation.status != "open":
            return [Reply(kind="info", text=t("escalation_closed"))]
        answer = msg.text.strip()
        lang = _lang(escalation)
        reply = Reply(
            kind="answer",
            title=t("escalation_answer_title", lang),
            text=t("escalation_answer_text", lang, question=escalation.question, answer=answer),
            lang=lang,
        )
        if not await asyncio.to_thread(self.store.close, escalation.id, answer):
            return [Reply(kind="info", text=t("escalation_closed"))]
        error = await self._deliver_to_asker(escalation, reply)
        if error is not None:
            await asyncio.to_thread(self.store.reopen, escalation.id)
            return [Reply(kind="error", text=t("escalation_relay_failed", error=error))]
        await asyncio.to_thread(self.store.forget_asker, escalation.id)
        return [Reply(kind="info", text=t("escalation_relayed"))]

    async def resolve(self, action: Action) -> list[Reply]:
        if self.org is None or not self.org.is_strategist(action.platform, action.user_id):
            return [Reply(kind="error", text=t("escalation_strategists_only"), ephemeral=True)]
        if not action.value.isdigit():
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        escalation = await asyncio.to_thread(self.store.by_id, int(action.value))
        if escalation is None:
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        if not await asyncio.to_thread(self.store.close, escalation.id, None):
            return [Reply(kind="info", text=t("escalation_closed"), ephemeral=True)]
        lang = _lang(escalation)
        notice = Reply(
            kind="info", text=t("escalation_resolved_text", lang, question=escalation.question), lang=lang
        )
        await self._deliver_to_asker(escalation, notice)  # best effort: resolving must not block
        await asyncio.to_thread(self.store.forget_asker, escalation.id)
        person = self.org.person(action.platform, action.user_id)
        name = person.name if person else (action.user_name or t("someone"))
        return [Reply(kind="info", text=t("escalation_marked_resolved", name=name))]

    async def _deliver_to_asker(self, escalation: Escalation, reply: Reply) -> str | None:
        """Send to the asker; the error text if it could not be delivered."""
        to: dict[str, Any] = escalation.reply_to
        outbox = self.outboxes.get(str(to.get("platform")))
        if outbox is None:
            return f"no outbox for {to.get('platform')}"
        recipient = Recipient(
            platform=outbox.platform,
            user_id=to.get("user_id"),
            channel_id=to.get("channel_id") or None,
            thread_id=to.get("thread_id"),
        )
        delivery = await outbox.deliver(recipient, reply)
        return None if delivery.ok else (delivery.error or "unknown error")


def _lang(escalation: Escalation) -> Lang:
    return "en" if escalation.reply_to.get("lang") == "en" else "sv"
