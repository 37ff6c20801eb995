"""The platform-neutral conversation: a ``Message`` or ``Action`` in, ``Reply`` objects out.

Slack, Teams, the web chat and the terminal all come through here, so the bot
behaves the same everywhere and the adapters only translate. The routing order
matters: a reply in a thread the bot owns (a reminder, an escalation) belongs to
that thread's job before it could be mistaken for a new question.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, MutableMapping
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from bot.config import Settings
from bot.db import Database
from bot.db.base import utcnow
from bot.dialogs.analysis import build_analysis
from bot.dialogs.escalation import EscalationDialog
from bot.dialogs.gaps import GapsDialog
from bot.dialogs.help_card import ENGLISH_HELP_WORDS, HELP_WORDS, help_text
from bot.dialogs.org_facts import OrgFactsDialog
from bot.dialogs.qa import QADialog
from bot.dialogs.registry import Declares, Registry, command_key
from bot.texts import t
from chat.outbox import Outbox
from chat.replies import Action, Lang, Message, Platform, Reply
from chat.text_safety import strip_invisible
from knowledge import KnowledgeBase, detect_language
from reminders.organisation import OrgConfig

log = logging.getLogger(__name__)

DEFAULT_ORG_ID = "default"


class Reporting(Declares, Protocol):
    """The quarterly reporting dialog (bot/dialogs/reporting.py), as the conversation uses it."""

    async def on_thread_reply(self, msg: Message) -> list[Reply] | None: ...


class Conversation:
    def __init__(
        self,
        kb: KnowledgeBase,
        org: OrgConfig | None,
        db: Database,
        settings: Settings,
        outboxes: MutableMapping[str, Outbox],
        reporting: Reporting | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.kb = kb
        self.org = org
        self.db = db
        self.settings = settings
        # Shared and mutable on purpose: adapters register their outbox after the core exists.
        self.outboxes = outboxes
        self.reporting = reporting
        self.clock = clock
        self.org_facts = OrgFactsDialog(org, db, clock) if org is not None else None
        self.org_id = org.organisation.id if org else DEFAULT_ORG_ID
        self.analysis = build_analysis(kb, org, self.org_id, db, settings)
        self.qa = QADialog(kb, self.org_id, db, settings, self.analysis.offer_buttons)
        self.escalation = EscalationDialog(
            org, self.org_id, db, settings.pseudonym_secret, outboxes,
            closed_to=frozenset() if settings.webchat_escalation else frozenset({"web"}),
        )
        self.gaps = GapsDialog(kb, org, self.org_id, db)
        # Every command word and action name, declared by the dialog that handles it; a word
        # or action declared twice fails here, at start-up.
        self.registry = Registry()
        self.registry.command("help", HELP_WORDS, self._help)
        dialogs: list[Declares | None] = [self.gaps, self.analysis, self.qa, self.escalation, reporting]
        for dialog in dialogs:
            if dialog is not None:
                dialog.register(self.registry)

    async def handle_message(self, msg: Message) -> list[Reply]:
        msg = replace(msg, text=strip_invisible(msg.text))
        try:
            return await self._route_message(msg)
        except Exception:
            log.exception("failed to handle a %s message", msg.platform)
            if not msg.addressed:
                return []  # never interrupt colleagues' threads with our own trouble
            return [Reply(kind="error", text=t("internal_error", detect_language(msg.text)))]

    async def handle_action(self, action: Action) -> list[Reply]:
        action = replace(
            action,
            value=strip_invisible(action.value),
            fields={k: strip_invisible(v) for k, v in action.fields.items()},
        )
        try:
            return await self._route_action(action)
        except Exception:
            log.exception("failed to handle action %r on %s", action.action, action.platform)
            return [Reply(kind="error", text=t("internal_error"), ephemeral=True)]

    async def _route_message(self, msg: Message) -> list[Reply]:
        text = clean_text(msg.text)
        if msg.thread_id:
            if self.reporting is not None:
                replies = await self.reporting.on_thread_reply(msg)
                if replies is not None:
                    return replies
            replies = await self.escalation.on_thread_reply(msg)
            if replies is not None:
                return replies
        if not msg.addressed:
            return []
        words = text.split()
        if not words:
            return [self.help_reply(text, msg.platform, msg.user_id)]
        command = self.registry.find_command(words)
        if command is not None:
            replies = await command.handle(msg, words)
            if replies is not None:
                log.debug("command %r answered by %s", " ".join(command.phrase), command.owner)
                return replies
        if self.org_facts is not None:
            replies = await self.org_facts.answer(msg, text)
            if replies is not None:
                return replies
        return await self.qa.ask(
            msg, text, can_escalate=self.escalation.available(msg.platform)
        )

    async def _route_action(self, action: Action) -> list[Reply]:
        route = self.registry.find_action(action.action)
        if route is None:
            return [Reply(kind="error", text=t("unknown_action"), ephemeral=True)]
        return await route.handle(action)

    async def _help(self, msg: Message, words: list[str]) -> list[Reply] | None:
        """A help word alone; with more words ("hjälp med CEMR") it is a question."""
        if len(words) != 1:
            return None
        return [self.help_reply(words[0], msg.platform, msg.user_id)]

    def help_reply(self, text: str = "", platform: Platform = "slack", user_id: str = "") -> Reply:
        lang: Lang = "en" if command_key(text) in ENGLISH_HELP_WORDS else "sv"
        text = help_text(
            self.org if self.reporting is not None else None, platform, user_id, lang,
            can_escalate=self.escalation.available(platform), now=self.clock(),
        )
        if self.analysis.guides:
            text += t("analysis.help", lang)
        return Reply(kind="help", title=t("help_title", lang), text=text, lang=lang)


_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """The question on one line (the engine wants words), as text the database can store.

    JSON may carry lone surrogates (``"\\ud800"``) that no encoder accepts; they become "?".
    """
    valid = text.encode("utf-8", "replace").decode("utf-8")
    return _SPACES.sub(" ", valid).strip()
