"""Bot Framework activities in, neutral ``Message``/``Action`` out.

Teams addresses a channel thread as ``<channel id>;messageid=<root message id>``;
we split that into ``channel_id`` and ``thread_id`` so the core can talk about
threads the same way for Slack and Teams, and join it again when sending.
"""

from __future__ import annotations

import html
import re
from typing import Any

from botbuilder.schema import Activity

from chat.replies import Action, Lang, Message

_THREAD_MARKER = ";messageid="
_MENTION = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
# Keys of Action.Submit data that carry our routing; everything else is a form input.
_ROUTING_KEYS = frozenset({"action", "value", "msteams"})


def split_thread(conversation_id: str) -> tuple[str, str | None]:
    """``"19:x@thread.tacv2;messageid=17"`` → ``("19:x@thread.tacv2", "17")``."""
    root, marker, thread = conversation_id.partition(_THREAD_MARKER)
    return root, (thread or None) if marker else None


def join_thread(channel_id: str, thread_id: str | None) -> str:
    return f"{channel_id}{_THREAD_MARKER}{thread_id}" if thread_id else channel_id


def is_personal(activity: Activity) -> bool:
    conversation = activity.conversation
    return bool(conversation and conversation.conversation_type == "personal")


def user_id_of(activity: Activity) -> str:
    """The AAD object id when Teams sends one (it is what the organisation config lists)."""
    sender = activity.from_property
    if sender is None:
        return ""
    return sender.aad_object_id or sender.id or ""


def tenant_of(activity: Activity) -> str | None:
    """The Entra tenant; Teams puts it in channelData (botbuilder misreads conversation.tenantId)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return str(tenant["id"])
    return activity.conversation.tenant_id if activity.conversation else None


def from_a_bot(activity: Activity) -> bool:
    """Posts by bots (ours or others', "28:" ids) reach us in channels via RSC; never answer them."""
    sender = activity.from_property
    return bool(sender and ((sender.id or "").startswith("28:") or sender.role == "bot"))


def reference_key(activity: Activity) -> str:
    """Where a proactive message to this conversation is filed: the user, or the channel."""
    if is_personal(activity):
        return user_id_of(activity)
    return split_thread(activity.conversation.id)[0]


def lang_of(activity: Activity) -> Lang:
    return "en" if (activity.locale or "").lower().startswith("en") else "sv"


def _user_name(activity: Activity) -> str | None:
    return activity.from_property.name if activity.from_property else None


def _bot_mentions(activity: Activity) -> list[dict[str, Any]]:
    bot_id = activity.recipient.id if activity.recipient else None
    found = []
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned")
        if (
            entity.type == "mention"
            and isinstance(mentioned, dict)
            and mentioned.get("id") == bot_id
        ):
            found.append(props)
    return found


def mentions_bot(activity: Activity) -> bool:
    """Whether a channel post @mentions the bot (needed before it starts answering there)."""
    return bool(_bot_mentions(activity))


def message_text(activity: Activity) -> str:
    """The text the person typed, without the ``<at>Jämbot</at>`` mention of a channel post.

    Other people's mentions keep their names (``<at>Anna</at>`` → ``Anna``).
    """
    text = activity.text or ""
    for mention in _bot_mentions(activity):
        if isinstance(mention.get("text"), str) and mention["text"]:
            text = text.replace(mention["text"], " ")
    text = _MENTION.sub(lambda m: m.group(1), text)
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def to_message(activity: Activity) -> Message:
    channel_id, thread_id = split_thread(activity.conversation.id)
    return Message(
        platform="teams",
        user_id=user_id_of(activity),
        text=message_text(activity),
        channel_id=channel_id,
        thread_id=thread_id,
        is_direct=is_personal(activity),
        user_name=_user_name(activity),
        event_id=activity.id,
        addressed=is_personal(activity) or mentions_bot(activity),
    )


def submitted_data(activity: Activity) -> dict[str, Any] | None:
    """The Action.Submit payload of a card button or form, if this message is one."""
    value = activity.value
    if isinstance(value, dict) and isinstance(value.get("action"), str) and value["action"]:
        return value
    return None


EXECUTE_INVOKE = "adaptiveCard/action"


def executed_data(activity: Activity) -> dict[str, Any] | None:
    """The ``data`` of an ``Action.Execute`` press (an ``adaptiveCard/action`` invoke), if ours."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    data = action.get("data") if isinstance(action, dict) else None
    if isinstance(data, dict) and isinstance(data.get("action"), str) and data["action"]:
        return data
    return None


def to_action(activity: Activity, data: dict[str, Any]) -> Action:
    channel_id, thread_id = split_thread(activity.conversation.id)
    fields = {
        key: "" if raw is None else str(raw)
        for key, raw in data.items()
        if key not in _ROUTING_KEYS and (raw is None or isinstance(raw, str | int | float | bool))
    }
    return Action(
        platform="teams",
        user_id=user_id_of(activity),
        action=str(data["action"]),
        value=str(data.get("value") or ""),
        channel_id=channel_id,
        thread_id=thread_id,
        fields=fields,
        user_name=_user_name(activity),
    )
