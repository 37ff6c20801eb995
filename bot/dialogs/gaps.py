"""``/jambot gaps [DATUM]``: the knowledge base's largest gaps, in chat, for strategists only.

The same clusters as ``jambot kb gaps``, shortened to the top few; adding phrasings stays a
shell command, since it edits the knowledge-base files.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from bot.db import Database
from bot.dialogs.registry import Registry
from bot.gaps import format_chat
from bot.stores.gaps import gap_questions
from bot.texts import t
from chat.replies import Lang, Message, Reply
from knowledge import KnowledgeBase, detect_language
from knowledge.gaps import find_gaps
from reminders.organisation import OrgConfig

GAPS_WORDS = frozenset({"gaps", "luckor"})
# "gaps" alone or with a date: "gaps in pay between women and men?" is a question, not this.
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class GapsDialog:
    def __init__(self, kb: KnowledgeBase, org: OrgConfig | None, org_id: str, db: Database) -> None:
        self.kb = kb
        self.org = org
        self.org_id = org_id
        self.db = db

    def register(self, registry: Registry) -> None:
        registry.command("gaps", GAPS_WORDS, self.on_command)

    @staticmethod
    def is_command(words: list[str]) -> bool:
        if not words or words[0].lower() not in GAPS_WORDS:
            return False
        return len(words) == 1 or (len(words) == 2 and bool(_DATE_LIKE.match(words[1])))

    async def on_command(self, msg: Message, words: list[str]) -> list[Reply] | None:
        if not self.is_command(words):
            return None  # "gaps in pay between women and men?" is a question
        lang: Lang = detect_language(msg.text)
        if self.org is None or not self.org.is_strategist(msg.platform, msg.user_id):
            return [Reply(kind="error", text=t("gaps.chat.refused", lang), lang=lang)]
        since: datetime | None = None
        if len(words) > 1:
            try:
                since = datetime.fromisoformat(words[1]).replace(tzinfo=UTC)
            except ValueError:
                return [
                    Reply(
                        kind="error", text=t("gaps.chat.bad_date", lang, value=words[1]), lang=lang
                    )
                ]
        text = await asyncio.to_thread(self._report, since, lang)
        return [Reply(kind="info", title=t("gaps.chat.title", lang), text=text, lang=lang)]

    def _report(self, since: datetime | None, lang: Lang) -> str:
        records = gap_questions(self.db, self.org_id, since)
        return format_chat(find_gaps(self.kb, records), since, lang)
