"""The help card: only what works for this person, on this platform, right now.

A card that offers commands the reader cannot use (escalation without a channel,
``export`` for a non-strategist, reporting in a chat where nobody is a contact) is
the first thing a newcomer tries and the first thing that fails.
"""

from __future__ import annotations

from datetime import datetime

from bot.demo import demo_help, is_demo, reporting_quarter
from bot.texts import t
from chat.replies import Lang, Platform
from reminders.organisation import OrgConfig

# A help word alone asks for this card (bot/conversation.py registers them as its command).
ENGLISH_HELP_WORDS = frozenset({"help", "hello", "hi"})
HELP_WORDS = frozenset({"hjälp", "hjalp", "?", "start", "hej", *ENGLISH_HELP_WORDS})


def help_text(
    org: OrgConfig | None,
    platform: Platform,
    user_id: str,
    lang: Lang,
    *,
    can_escalate: bool,
    now: datetime,
) -> str:
    text = t("help_body", lang, how=t(f"help_how_{platform}", lang))
    if can_escalate:
        text += t("help_escalation", lang)
    if org is None:
        return text
    if is_demo(org):
        return text + demo_help(org, platform, now, lang)
    strategist = org.is_strategist(platform, user_id)
    contact = bool(org.administrations_of(platform, user_id))
    if not (strategist or contact):
        return text
    period = reporting_quarter(org, now).key
    text += t("help_reporting", lang) + t("help_reporting_report", lang)
    if strategist:
        text += t("help_reporting_strategist", lang, period=period)
    return text + t("help_reporting_facts", lang, period=period)
