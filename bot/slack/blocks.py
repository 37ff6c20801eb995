"""Reply -> Block Kit: sections for the answer, links for sources, buttons as actions.

Slack rejects a message over its limits instead of truncating it, so long answers
are split on paragraph boundaries into several sections and, past 50 blocks, into
several messages.
"""

from __future__ import annotations

import re
from typing import Any

from bot.replies import Button, Reply, Source
from bot.texts import t

SECTION_TEXT_LIMIT = 3000
MAX_BLOCKS = 50
MESSAGE_TEXT_LIMIT = 40000
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
ACTIONS_PER_BLOCK = 25
ACTION_PREFIX = "jambot:"

Block = dict[str, Any]
SlackMessage = dict[str, Any]  # {"text": fallback, "blocks": [...]}


def render(reply: Reply) -> list[SlackMessage]:
    """One or more chat.postMessage payloads (``text`` + ``blocks``) for a reply."""
    blocks: list[Block] = []
    if reply.title:
        blocks.append(_section(f"*{escape(reply.title)}*"))
    blocks.extend(_section(chunk) for chunk in split_text(to_mrkdwn(reply.text), SECTION_TEXT_LIMIT))
    if reply.sources:
        blocks.extend(_section(chunk) for chunk in split_text(_sources(reply), SECTION_TEXT_LIMIT))
    if reply.footer:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": to_mrkdwn(reply.footer)[:3000]}]}
        )
    blocks.extend(action_blocks(reply.buttons))
    fallback = _fallback(reply)
    pages = [blocks[i : i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)] or [[]]
    return [{"text": fallback, "blocks": page} for page in pages]


def action_blocks(buttons: tuple[Button, ...]) -> list[Block]:
    elements = [_button(button, index) for index, button in enumerate(buttons)]
    return [
        {"type": "actions", "elements": elements[i : i + ACTIONS_PER_BLOCK]}
        for i in range(0, len(elements), ACTIONS_PER_BLOCK)
    ]


def action_name(action_id: str) -> str | None:
    """The neutral action name encoded in a button's ``action_id`` (``jambot:<name>:<n>``)."""
    if not action_id.startswith(ACTION_PREFIX):
        return None
    name = action_id[len(ACTION_PREFIX) :].rsplit(":", 1)[0]
    return name or None


def _button(button: Button, index: int) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": _clip(button.label, BUTTON_TEXT_LIMIT), "emoji": True},
        "action_id": f"{ACTION_PREFIX}{button.action}:{index}",
        "value": button.value[:BUTTON_VALUE_LIMIT] or "-",
    }
    if button.style:
        element["style"] = button.style
    return element


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _sources(reply: Reply) -> str:
    lines = [f"*{t('answer_sources', reply.lang)}*"]
    lines.extend(f"• {_link(source)}" for source in reply.sources)
    return "\n".join(lines)


def _link(source: Source) -> str:
    label = escape(source.title).replace("|", "¦")
    return f"<{escape(source.url)}|{label}>"


def _fallback(reply: Reply) -> str:
    """The notification / screen-reader text: title and the start of the answer."""
    head = f"{reply.title}\n" if reply.title else ""
    return _clip(head + reply.text, SECTION_TEXT_LIMIT)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack's three control characters, so user or KB text cannot forge links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*$", re.MULTILINE)
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+", re.MULTILINE)
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")


_BLOCK_START = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|#{1,6}\s|>|```|\|)")


def join_soft_breaks(markdown: str) -> str:
    """Join hard-wrapped lines into one: Markdown reads them as one paragraph, Slack would not."""
    out: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            out.append(line)
            continue
        previous = out[-1] if out else ""
        joinable = (
            not in_code
            and previous.strip()
            and line.strip()
            and not _BLOCK_START.match(line)
            and not _HEADING.match(previous)
            and not previous.endswith("  ")
        )
        if joinable:
            out[-1] = previous.rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def to_mrkdwn(markdown: str) -> str:
    """The Markdown of the knowledge base in Slack's mrkdwn dialect."""
    text = escape(join_soft_breaks(markdown))
    text = _HEADING.sub(lambda m: f"**{m.group(1)}**", text)  # made bold with the rest below
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _BOLD.sub(lambda m: f"*{m.group(1) or m.group(2)}*", text)
    return _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1).replace('|', '¦')}>", text)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at paragraph, then line, then word ends."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = next(
            (pos for sep in ("\n\n", "\n", " ") if (pos := window.rfind(sep)) >= limit // 2),
            limit,
        )
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
