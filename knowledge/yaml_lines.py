"""Where in a YAML file a problem is: the line of a key or item, for ``path:line`` messages.

The entry loader (front matter, whose first line is the file's second) and the guide loader (a
whole YAML file) report validation problems the same way; only the first line differs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import yaml
from pydantic import ValidationError

from knowledge import messages


def node_key(node: yaml.Node) -> str:
    """A mapping key as text (a list or mapping used as a key is named, not rendered)."""
    return node.value if isinstance(node.value, str) else f"<{getattr(node, 'id', 'complex')} key>"


def line_of(node: yaml.Node, loc: Sequence[int | str], first_line: int) -> int:
    """File line of the key or item at ``loc``; the closest existing parent if it is missing."""
    line = node.start_mark.line
    current: yaml.Node | None = node
    for step in loc:
        if isinstance(current, yaml.MappingNode) and isinstance(step, str):
            match = next(((k, v) for k, v in current.value if node_key(k) == step), None)
            if match is None:
                break
            line, current = match[0].start_mark.line, match[1]
        elif (
            isinstance(current, yaml.SequenceNode)
            and isinstance(step, int)
            and step < len(current.value)
        ):
            current = current.value[step]
            line = current.start_mark.line
        else:
            break
    return line + first_line


def dotted(loc: Sequence[int | str]) -> str:
    """``("sources", 0, "url")`` -> ``sources[0].url``, the path people see in a message."""
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def validation_problems(
    node: yaml.Node,
    exc: ValidationError,
    first_line: int,
    allowed_for: Callable[[Sequence[int | str]], Sequence[str]] | None = None,
) -> list[tuple[int, str]]:
    """``(line, message)`` for each of pydantic's errors, in Swedish; ``allowed_for`` names
    the keys allowed where an unknown one was found."""
    found = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        path = dotted(loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            allowed = allowed_for(loc) if allowed_for else ()
            found.append((line_of(node, loc, first_line), messages.unknown_key(path, allowed)))
        elif kind == "missing":
            line = line_of(node, loc[:-1], first_line) if len(loc) > 1 else 1
            found.append((line, messages.missing_field(path)))
        else:
            reason = messages.validation_reason(error)
            found.append((line_of(node, loc, first_line), f"{path}: {reason}"))
    return found
