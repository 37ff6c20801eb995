"""Questions and answers: ask the knowledge base, answer, ask back or admit not knowing.

Every question is logged with a pseudonymous user key so strategists can see what
staff ask and what the knowledge base lacks, without learning who asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.config import Settings
from bot.db import Database
from bot.dialogs.escalation import ESCALATE
from bot.dialogs.registry import Registry
from bot.dialogs.small_talk import small_talk
from bot.observability.metrics import record_answer
from bot.pseudonym import user_key
from bot.stores.feedback import FeedbackStore
from bot.stores.questions import MAX_QUESTION_CHARS, QuestionStore
from bot.texts import t
from chat.replies import Action, Button, Lang, Message, Reply, Source
from knowledge import KnowledgeBase, detect_language
from knowledge.entry import Answer, Entry

# The engine abstains below its own threshold but still names likely entries. Between this
# floor and that threshold they are worth offering as "did you mean"; below it they are noise.
CLARIFY_FROM = 0.25
MAX_CHOICES = 4
MAX_RELATED = 3
FEEDBACK = "feedback"  # value: question id:up or down
ASK_ENTRY = "ask_entry"  # value: entry id|lang ("did you mean" and related entries)


@dataclass(frozen=True)
class LoggedAnswer:
    question_id: int
    answer: Answer


class QADialog:
    """Turns a question into an answer, a "did you mean" or an honest "I don't know"."""

    def __init__(
        self,
        kb: KnowledgeBase,
        org_id: str,
        db: Database,
        settings: Settings,
        entry_buttons: Callable[[Entry, Lang], list[Button]] | None = None,
    ) -> None:
        self.kb = kb
        # Further buttons under an answer from this entry (e.g. "do an analysis"), decided elsewhere.
        self.entry_buttons = entry_buttons
        self.org_id = org_id
        self.questions = QuestionStore(db, org_id)
        self.feedback_store = FeedbackStore(db, org_id)
        self.secret = settings.pseudonym_secret

    def register(self, registry: Registry) -> None:
        registry.action("qa", (FEEDBACK,), self.feedback)
        registry.action("qa", (ASK_ENTRY,), self.ask_entry)

    async def ask(self, msg: Message, text: str, *, can_escalate: bool) -> list[Reply]:
        if len(text) > MAX_QUESTION_CHARS:
            lang = detect_language(text[:500])
            return [Reply(kind="error", text=t("too_long", lang, limit=MAX_QUESTION_CHARS), lang=lang)]
        chat = small_talk(text)
        if chat is not None:  # "tack", "hej hej": a friendly word, not a knowledge-base entry
            kind, lang = chat
            return [Reply(kind="info", text=t(f"small_talk_{kind}", lang), lang=lang)]
        logged = await asyncio.to_thread(self._answer_and_log, msg, text)
        return [self._reply_for(logged, can_escalate=can_escalate)]

    async def ask_entry(self, action: Action) -> list[Reply]:
        """A "did you mean" or follow-up button: answer that entry directly."""
        entry_id, _, lang_code = action.value.partition("|")
        lang: Lang = "en" if lang_code == "en" else "sv"
        entry = self.kb.get(entry_id, lang)
        if entry is None:
            return [Reply(kind="error", text=t("entry_unknown", lang), lang=lang)]
        answer = Answer(question=entry.title, entry=entry, confidence=1.0, lang=lang)
        question_id = await asyncio.to_thread(
            self._log, action.platform, action.user_id, entry.title, answer
        )
        return [self._answer_reply(question_id, entry, lang)]

    async def feedback(self, action: Action) -> list[Reply]:
        question_id, _, verdict = action.value.partition(":")
        if not question_id.isdigit() or verdict not in ("up", "down"):
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        key = user_key(self.secret, action.platform, action.user_id)
        lang = await asyncio.to_thread(self.feedback_store.record, int(question_id), key, verdict == "up")
        if lang is None:
            return [Reply(kind="error", text=t("feedback_unknown"), ephemeral=True)]
        key = "feedback_thanks_up" if verdict == "up" else "feedback_thanks_down"
        return [Reply(kind="info", text=t(key, lang), lang=lang, ephemeral=True)]

    # -- database work (runs in a worker thread so the event loop keeps acking) ----------------

    def _answer_and_log(self, msg: Message, text: str) -> LoggedAnswer:
        answer = self.kb.answer(text)
        return LoggedAnswer(self._log(msg.platform, msg.user_id, text, answer), answer)

    def _log(self, platform: str, user_id: str, question: str, answer: Answer) -> int:
        question_id = self.questions.log(
            platform, user_key(self.secret, platform, user_id), question, answer
        )
        record_answer(platform, float(answer.confidence), answer.entry is None)
        return question_id

    # -- replies ---------------------------------------------------------------------------

    def _reply_for(self, logged: LoggedAnswer, *, can_escalate: bool) -> Reply:
        answer = logged.answer
        lang: Lang = answer.lang
        if answer.entry is not None:
            reply = self._answer_reply(logged.question_id, answer.entry, lang, answer.runner_up)
            return replace(reply, confidence=float(answer.confidence))
        if answer.confidence >= CLARIFY_FROM and answer.alternatives:
            choices = _unique(answer.alternatives)[:MAX_CHOICES]
            buttons = [Button(e.title, ASK_ENTRY, f"{e.id}|{lang}") for e in choices]
            if can_escalate:
                buttons.append(
                    Button(t("escalate_button", lang), ESCALATE, str(logged.question_id))
                )
            return Reply(kind="clarify", text=t("clarify_text", lang), buttons=tuple(buttons), lang=lang)
        return self._abstain_reply(logged.question_id, lang, can_escalate=can_escalate)

    def _answer_reply(
        self, question_id: int, entry: Entry, lang: Lang, runner_up: Entry | None = None
    ) -> Reply:
        buttons = [
            Button(t("feedback_up", lang), FEEDBACK, f"{question_id}:up"),
            Button(t("feedback_down", lang), FEEDBACK, f"{question_id}:down"),
        ]
        if runner_up is not None:
            # Nearly as likely as the answer: one click away, before the related entries.
            label = t("answer_runner_up", lang, title=runner_up.title)
            buttons.append(Button(label, ASK_ENTRY, f"{runner_up.id}|{lang}"))
        for related_id in entry.related[:MAX_RELATED]:
            related = self.kb.get(related_id, lang)
            if related is not None:
                buttons.append(Button(related.title, ASK_ENTRY, f"{related.id}|{lang}"))
        if self.entry_buttons is not None:
            buttons.extend(self.entry_buttons(entry, lang))
        text = entry.body
        if entry.lang != lang:  # asked in English, only a Swedish version exists: say so first
            text = f"{t('answer_only_in_swedish', lang)}\n\n{entry.body}"
        return Reply(
            kind="answer",
            title=entry.title,
            text=text,
            sources=tuple(Source(s.title, s.url) for s in entry.sources),
            buttons=tuple(buttons),
            lang=lang,
        )

    @staticmethod
    def _abstain_reply(question_id: int, lang: Lang, *, can_escalate: bool) -> Reply:
        if not can_escalate:
            return Reply(kind="abstain", text=t("abstain_text_no_escalation", lang), lang=lang)
        button = Button(t("escalate_button", lang), ESCALATE, str(question_id), style="primary")
        return Reply(kind="abstain", text=t("abstain_text", lang), buttons=(button,), lang=lang)


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry.id not in seen:
            seen.add(entry.id)
            out.append(entry)
    return out
