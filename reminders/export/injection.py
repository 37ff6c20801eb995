"""Formula-injection guard shared by the spreadsheet formats.

Status texts are typed by staff; a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would be run as a formula when a strategist opens the
file in Excel or LibreOffice (OWASP "CSV injection"). Prefixing ``'`` keeps the
text visible and inert.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str | int) -> str | int:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
