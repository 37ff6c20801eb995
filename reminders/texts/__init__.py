"""The reporting cycle's strings (reminders, the status form, receipts, exports, the board
paper), Swedish first and English; ``bot.texts`` takes them into the bot's one catalogue."""

from __future__ import annotations

from chat.texts import Catalogue
from reminders.texts import board, reporting

MODULES = (reporting, board)
CATALOGUE = Catalogue(MODULES)
t = CATALOGUE.t
