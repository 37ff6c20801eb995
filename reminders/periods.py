"""Reporting periods: calendar quarters named like ``2025-Q1``.

The quarter name is what strategists type (``/jambot status 2025-Q1``) and what
keys every stored update, so parsing it strictly and explaining a bad name in
plain words matters more than accepting every spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from reminders.texts import t

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


class PeriodError(ValueError):
    """A period name the user gave that is not a quarter; ``message(lang)`` explains why."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(self.message("en"))

    def message(self, lang: str = "sv") -> str:
        return t("reporting.bad_quarter", lang, value=self.value)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2025-Q1`` (also ``2025Q1``, ``2025-q1``); anything else raises PeriodError."""
        match = _QUARTER.match(text or "")
        if not match:
            raise PeriodError(text)
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise PeriodError(text)
        return cls(year, int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self) -> str:
        return self.key


def quarters_of(year: int) -> list[Quarter]:
    return [Quarter(year, n) for n in (1, 2, 3, 4)]
