"""Every string the bot shows people, Swedish first and English, in one folder for review.

Each module holds one area's strings as ``{key: {"sv": ..., "en": ...}}``. The reporting
cycle's own strings live with it in ``reminders/texts/`` and join this catalogue, so ``t()``
here finds every key the bot may show.
"""

from __future__ import annotations

from bot.texts import analysis, answers, conversation, demo, gaps
from bot.texts import cli as cli_texts
from bot.texts import security as security_texts
from chat.texts import Catalogue
from reminders import texts as reporting_texts

CATALOGUE = Catalogue(
    (
        conversation,
        answers,
        demo,
        gaps,
        security_texts,
        analysis,
        cli_texts,
        *reporting_texts.MODULES,
    )
)
t = CATALOGUE.t
keys = CATALOGUE.keys
