"""JSON from strangers: bounded nesting and valid Unicode, or a ``ValueError`` to answer 400.

``json.loads`` recurses once per ``[`` or ``{``: ``[`` ×100000 raises RecursionError (a 500
with a traceback), and a few hundred levels still reach code that recurses again later.
JSON may also spell a lone surrogate (``"\\udc00"``), a string that no UTF-8 encoder, so
no database driver, accepts. Every endpoint that parses a request body should parse it here.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Far deeper than any Bot Framework activity or Slack payload (about 10 levels).
MAX_DEPTH = 64
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


class NestingError(ValueError):
    """The document is nested deeper than ``MAX_DEPTH``."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(f"JSON nested deeper than {max_depth} levels")


def loads(raw: str | bytes, *, max_depth: int = MAX_DEPTH, clean: bool = True) -> Any:
    """``json.loads`` that refuses deep nesting and (``clean``) replaces lone surrogates with U+FFFD.

    Raises ``json.JSONDecodeError``/``UnicodeDecodeError`` for malformed input and
    ``NestingError`` for input nested too deeply (all of them ``ValueError``). With
    ``clean=False`` the caller decides, e.g. refuses ids with ``has_lone_surrogates``.
    """
    try:
        value = json.loads(raw)
    except RecursionError:
        raise NestingError(max_depth) from None
    check_depth(value, max_depth)
    return without_lone_surrogates(value) if clean else value


def check_depth(value: Any, max_depth: int = MAX_DEPTH) -> None:
    """Raise ``NestingError`` if containers in ``value`` nest deeper than ``max_depth``.

    Iterative, so it works on whatever ``json.loads`` managed to build.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        if depth > max_depth:
            raise NestingError(max_depth)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def has_lone_surrogates(value: Any) -> bool:
    """Whether any string (or key) in a depth-checked ``value`` is not valid Unicode."""
    if isinstance(value, str):
        return _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(has_lone_surrogates(k) or has_lone_surrogates(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_lone_surrogates(v) for v in value)
    return False


def without_lone_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate replaced by U+FFFD (depth-checked input only)."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, dict):
        return {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_lone_surrogates(v) for v in value]
    return value
