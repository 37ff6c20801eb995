"""The quarter and its dates in words, as a board paper writes them ("Kvartal 1 2025
(januari–mars)", "24 april", "2 dagar efter sista dag"), not as keys ("2025-Q1")."""

from __future__ import annotations

from datetime import date

from reminders.periods import Quarter
from reminders.texts import t


def _months(lang: str) -> list[str]:
    return t("reporting.months", lang).split(",")


def quarter_words(quarter: Quarter, lang: str, capital: bool = False) -> str:
    months = _months(lang)
    text = t(
        "board.quarter",
        lang,
        number=quarter.number,
        year=quarter.year,
        first=months[quarter.start.month - 1],
        last=months[quarter.end.month - 1],
    )
    return text[0].upper() + text[1:] if capital else text


def quarter_short(quarter: Quarter, lang: str) -> str:
    return t("board.quarter_short", lang, number=quarter.number, year=quarter.year)


def day_words(day: date, lang: str, year: bool = False) -> str:
    month = _months(lang)[day.month - 1]
    key = "board.day_year" if year else "board.day"
    return t(key, lang, day=day.day, month=month, year=day.year)


def late_words(days: int, lang: str) -> str:
    return t("board.late.one", lang) if days == 1 else t("board.late.many", lang, days=days)


def names_words(names: list[str], lang: str) -> str:
    """ "A, B och C": a list as a sentence reads it."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t('board.and', lang)} {names[-1]}"
