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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import Escalation, QuestionLog
from bot.dialogs.registry import Registry
from bot.observability.metrics import record_escalation
from bot.pseudonym import user_key
from bot.texts import t
from chat.outbox import Outbox, Recipient
from chat.refs import MessageRef, thread_key
from chat.replies import Action, Button, Lang, Message, Platform, Reply
from reminders.organisation import OrgConfig

log = logging.getLogger(__name__)

ESCALATION_PLATFORMS: tuple[Platform, ...] = ("slack", "teams")
# A post claimed longer ago than this was cut short (the process died mid-send): post it again.
POST_CLAIM_TIMEOUT = timedelta(minutes=2)
ESCALATE = "escalate"  # value: question id (the button under an answer the bot could not give)
RESOLVE = "resolve_escalation"  # value: escalation id (the button under the channel post)


@dataclass(frozen=True)
class _Question:
    id: int
    text: str
    lang: Lang
    user_key: str


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
        self.db = db
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
        question = await asyncio.to_thread(self._question, int(action.value))
        if question is None:
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        lang = question.lang
        if question.user_key != user_key(self.secret, action.platform, action.user_id):
            return [Reply(kind="error", text=t("escalation_not_yours", lang), lang=lang, ephemeral=True)]
        targets = self.targets(action.platform)
        if not targets:
            return [Reply(kind="info", text=t("escalation_unavailable", lang), lang=lang)]
        escalation_id = await asyncio.to_thread(self._open, question, action)
        if escalation_id is None:
            return [Reply(kind="info", text=t("escalation_already", lang), lang=lang, ephemeral=True)]
        if not await self._post(escalation_id, question.text, action.platform):
            await asyncio.to_thread(self._release, escalation_id)
            return [Reply(kind="info", text=t("escalation_saved", lang), lang=lang)]
        return [Reply(kind="info", text=t("escalation_sent", lang), lang=lang)]

    async def repost_pending(self) -> int:
        """Post the open questions no channel has taken yet; how many were posted now.

        Each is claimed in the database before posting, so replicas running this at the
        same moment post every question once.
        """
        posted = 0
        for escalation_id, question, platform in await asyncio.to_thread(self._unposted):
            if not await asyncio.to_thread(self._claim_post, escalation_id):
                continue  # another replica is posting it
            if await self._post(escalation_id, question, platform):
                posted += 1
            else:
                await asyncio.to_thread(self._release, escalation_id)
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
                await asyncio.to_thread(self._posted, escalation_id, delivery.ref)
                return True
            log.warning("escalation %d to %s failed: %s", escalation_id, outbox.platform, delivery.error)
        return False

    async def on_thread_reply(self, msg: Message) -> list[Reply] | None:
        """A message in an escalation thread; None when the thread is not one of ours."""
        key = thread_key(msg.platform, msg.channel_id, msg.thread_id)
        if key is None:
            return None
        escalation = await asyncio.to_thread(self._by_thread, key)
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
        if not await asyncio.to_thread(self._claim, escalation.id, answer):
            return [Reply(kind="info", text=t("escalation_closed"))]
        error = await self._deliver_to_asker(escalation, reply)
        if error is not None:
            await asyncio.to_thread(self._reopen, escalation.id)
            return [Reply(kind="error", text=t("escalation_relay_failed", error=error))]
        await asyncio.to_thread(self._forget_asker, escalation.id)
        return [Reply(kind="info", text=t("escalation_relayed"))]

    async def resolve(self, action: Action) -> list[Reply]:
        if self.org is None or not self.org.is_strategist(action.platform, action.user_id):
            return [Reply(kind="error", text=t("escalation_strategists_only"), ephemeral=True)]
        if not action.value.isdigit():
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        escalation = await asyncio.to_thread(self._by_id, int(action.value))
        if escalation is None:
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        if not await asyncio.to_thread(self._claim, escalation.id, None):
            return [Reply(kind="info", text=t("escalation_closed"), ephemeral=True)]
        lang = _lang(escalation)
        notice = Reply(
            kind="info", text=t("escalation_resolved_text", lang, question=escalation.question), lang=lang
        )
        await self._deliver_to_asker(escalation, notice)  # best effort: resolving must not block
        await asyncio.to_thread(self._forget_asker, escalation.id)
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

    # -- database work ---------------------------------------------------------------------

    def _question(self, question_id: int) -> _Question | None:
        with self.db.session() as session:
            row = session.get(QuestionLog, question_id)
            if row is None or row.org_id != self.org_id:
                return None
            return _Question(row.id, row.question, "en" if row.lang == "en" else "sv", row.user_key)

    def _open(self, question: _Question, action: Action) -> int | None:
        """Record the escalation; None if this question was already escalated."""
        with self.db.session() as session:
            exists = session.scalar(
                select(Escalation.id).where(
                    Escalation.org_id == self.org_id, Escalation.question_id == question.id
                )
            )
            if exists is not None:
                return None
            row = Escalation(
                org_id=self.org_id,
                question_id=question.id,
                platform=action.platform,
                question=question.text,
                reply_to={
                    "platform": action.platform,
                    "user_id": action.user_id,
                    "channel_id": action.channel_id,
                    "thread_id": action.thread_id,
                    "lang": question.lang,
                },
                status="open",
                post_claimed_at=utcnow(),  # this process posts it now; the re-post job waits
            )
            session.add(row)
            session.flush()
            escalation_id = row.id
        record_escalation(action.platform)
        return escalation_id

    def _unposted(self) -> list[tuple[int, str, str]]:
        """Open escalations no channel has taken and nobody is posting right now."""
        with self.db.session() as session:
            rows = session.execute(
                select(Escalation.id, Escalation.question, Escalation.platform)
                .where(Escalation.org_id == self.org_id, *_postable(utcnow()))
                .order_by(Escalation.created_at)
            ).all()
        return [(row[0], row[1], row[2]) for row in rows]

    def _claim_post(self, escalation_id: int) -> bool:
        """Take the right to post this escalation; False if another replica holds it or posted it."""
        now = utcnow()
        with self.db.session() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, *_postable(now))
                .values(post_claimed_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def _release(self, escalation_id: int) -> None:
        """No channel took it: leave it for the next re-post run."""
        with self.db.session() as session:
            session.execute(
                update(Escalation).where(Escalation.id == escalation_id).values(post_claimed_at=None)
            )

    def _posted(self, escalation_id: int, ref: MessageRef) -> None:
        """Remember where the post landed; a stored ``escalation_ref`` marks it posted."""
        with self.db.session() as session:
            row = session.get(Escalation, escalation_id)
            if row is not None:
                row.escalation_ref = ref.as_json()
                row.thread_key = ref.thread_key()

    def _by_thread(self, key: str) -> Escalation | None:
        with self.db.session() as session:
            return session.scalar(
                select(Escalation).where(
                    Escalation.org_id == self.org_id, Escalation.thread_key == key
                )
            )

    def _by_id(self, escalation_id: int) -> Escalation | None:
        with self.db.session() as session:
            row = session.get(Escalation, escalation_id)
            return row if row is not None and row.org_id == self.org_id else None

    def _claim(self, escalation_id: int, answer: str | None) -> bool:
        """Close an open escalation; False if someone else closed it first (two strategists)."""
        with self.db.session() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status == "open")
                .values(status="resolved", answer=answer, resolved_at=utcnow())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def _forget_asker(self, escalation_id: int) -> None:
        """Once answered, who asked is no longer needed: keep only platform and language."""
        with self.db.session() as session:
            row = session.get(Escalation, escalation_id)
            if row is not None:
                row.reply_to = {"platform": row.reply_to.get("platform"), "lang": row.reply_to.get("lang")}

    def _reopen(self, escalation_id: int) -> None:
        with self.db.session() as session:
            session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id)
                .values(status="open", answer=None, resolved_at=None)
            )


def _postable(now: datetime) -> tuple[Any, ...]:
    """Conditions of an escalation waiting to be posted: open, never posted, not being posted."""
    return (
        Escalation.status == "open",
        # Posted means "its reference is stored"; a post may have no thread key (a chat
        # without threads), and such a post must not be posted again.
        Escalation.escalation_ref.is_(None),
        or_(
            Escalation.post_claimed_at.is_(None),
            Escalation.post_claimed_at < now - POST_CLAIM_TIMEOUT,
        ),
    )


def _lang(escalation: Escalation) -> Lang:
    return "en" if escalation.reply_to.get("lang") == "en" else "sv"
