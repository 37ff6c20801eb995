"""Shape checks for a signed Slack payload before bolt reads it.

Bolt assumes Slack's shapes: it calls ``.get`` on the body, matches regexes against
``event.type``, looks for ``"id" in channel`` and so on, and answers a payload of
another shape with an HTTP 500. Slack itself never sends those, but a signed
request with a broken body (a buggy proxy, a replay tool, a leaked secret) must
get a clear 400 and change nothing, so the keys bolt touches are checked here.
"""

from __future__ import annotations

from typing import Any

# Objects bolt descends into, and the keys it reads from each of them.
_NESTED_OBJECTS = ("event", "message", "previous_message", "item", "assistant_thread", "view",
                   "container", "state", "bot_profile")  # fmt: skip
_LISTS_OF_OBJECTS = ("authorizations", "actions", "blocks")
_STRINGS = (
    "type", "subtype", "id", "ts", "thread_ts", "event_ts", "team_id", "user_id",
    "channel_id", "enterprise_id", "user_team", "source_team", "callback_id", "action_id",
    "block_id", "command", "trigger_id", "response_url", "api_app_id", "token", "event_id",
    "bot_id", "app_id", "channel_type", "private_metadata", "value", "challenge",
    "function_execution_id", "context_team_id", "context_enterprise_id", "hash", "root_view_id",
)
# ``text`` is a string in events but a text object ({"type": "plain_text", ...}) in blocks,
# button actions and views.
_STRING_OR_OBJECT = ("channel", "user", "team", "enterprise", "text")
_FLAGS = ("is_enterprise_install", "is_ext_shared_channel", "is_bot")
_MAX_DEPTH = 6


def payload_problem(payload: Any, where: str = "body", depth: int = 0) -> str | None:
    """What is wrong with this payload's shape, or None when bolt can read it safely."""
    if not isinstance(payload, dict):
        return f"{where}: must be a JSON object"
    if depth > _MAX_DEPTH:
        return None
    for key in _STRINGS:
        if payload.get(key) is not None and not isinstance(payload[key], str | int | float):
            return f"{where}.{key}: must be a string"
    if isinstance(payload.get("type"), int | float) or isinstance(payload.get("subtype"), int | float):
        return f"{where}.type: must be a string"
    for key in _FLAGS:
        if payload.get(key) is not None and not isinstance(payload[key], bool | str):
            return f"{where}.{key}: must be true or false"
    for key in _STRING_OR_OBJECT:
        value = payload.get(key)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, dict):
            return f"{where}.{key}: must be a string or an object"
        if problem := payload_problem(value, f"{where}.{key}", depth + 1):
            return problem
    for key in _NESTED_OBJECTS:  # bolt reads body.get("event", {}).get(...): null breaks it too
        if key in payload and (problem := payload_problem(payload[key], f"{where}.{key}", depth + 1)):
            return problem
    for key in _LISTS_OF_OBJECTS:
        value = payload.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            return f"{where}.{key}: must be a list"
        for index, item in enumerate(value):
            if problem := payload_problem(item, f"{where}.{key}[{index}]", depth + 1):
                return problem
    return None
