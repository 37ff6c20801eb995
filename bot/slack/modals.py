"""Reply.form -> a Slack modal, and a modal submission back to a neutral ``Action``.

The form's action and value travel in ``private_metadata`` (with the channel and
thread the form was opened from) so the submission needs no server-side session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.texts import t
from chat.replies import Form, FormField

CALLBACK_ID = "jambot_form"
VALUE_ACTION_ID = "value"
TITLE_LIMIT = 24
OPTION_TEXT_LIMIT = 75
OPTION_VALUE_LIMIT = 150
METADATA_LIMIT = 3000


@dataclass(frozen=True)
class Submission:
    action: str
    value: str
    fields: dict[str, str]
    channel_id: str
    thread_id: str | None


def form_view(form: Form, channel_id: str = "", thread_id: str | None = None) -> dict[str, Any]:
    metadata = json.dumps({"a": form.action, "v": form.value, "c": channel_id, "t": thread_id})
    if len(metadata) > METADATA_LIMIT:
        raise ValueError("form context too large for a Slack modal")
    blocks: list[dict[str, Any]] = []
    if form.intro:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": form.intro[:3000]}})
    blocks.extend(_input_block(field) for field in form.fields)
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": metadata,
        "title": _plain(form.title, TITLE_LIMIT),
        "submit": _plain(form.submit_label, TITLE_LIMIT),
        "close": _plain(t("form_cancel"), TITLE_LIMIT),
        "blocks": blocks,
    }


def _input_block(field: FormField) -> dict[str, Any]:
    element: dict[str, Any]
    if field.kind == "select":
        options = [_option(value, label) for value, label in field.options]
        element = {"type": "static_select", "action_id": VALUE_ACTION_ID, "options": options}
        initial = next((o for o in options if o["value"] == field.initial), None)
        if initial is not None:
            element["initial_option"] = initial
    else:
        element = {
            "type": "plain_text_input",
            "action_id": VALUE_ACTION_ID,
            "multiline": field.kind == "multiline",
            "max_length": min(field.max_length, 3000),
        }
        if field.initial:
            element["initial_value"] = field.initial[: element["max_length"]]
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder, 150)
    return {
        "type": "input",
        "block_id": field.name,
        "optional": not field.required,
        "label": _plain(field.label, 2000),
        "element": element,
    }


def parse_submission(view: dict[str, Any]) -> Submission:
    """The neutral submission; raises ValueError on a view that is not one of our forms."""
    if view.get("callback_id") != CALLBACK_ID:
        raise ValueError("not a Jämbot form")
    metadata = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("a"), str):
        raise ValueError("form metadata missing")
    fields: dict[str, str] = {}
    values = (view.get("state") or {}).get("values") or {}
    for block_id, actions in values.items():
        state = (actions or {}).get(VALUE_ACTION_ID) or {}
        if state.get("type") == "static_select":
            fields[block_id] = ((state.get("selected_option") or {}).get("value")) or ""
        else:
            fields[block_id] = state.get("value") or ""
    return Submission(
        action=metadata["a"],
        value=str(metadata.get("v") or ""),
        fields=fields,
        channel_id=str(metadata.get("c") or ""),
        thread_id=metadata.get("t") or None,
    )


def errors_response(field_errors: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The view_submission ack that shows messages under the offending inputs."""
    return {"response_action": "errors", "errors": {name: message for name, message in field_errors}}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label, OPTION_TEXT_LIMIT), "value": value[:OPTION_VALUE_LIMIT]}


def _plain(text: str, limit: int) -> dict[str, Any]:
    clipped = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": clipped, "emoji": True}
