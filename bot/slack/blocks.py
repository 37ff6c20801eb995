"""Reply -> Block Kit: sections for the answer, links for sources, buttons as actions.

Slack rejects a message over its limits instead of truncating it, so long answers
are split on paragraph boundaries into several sections and, past 50 blocks, into
several messages; a cut never falls inside ``<url|label>`` markup.

Only the knowledge base's text (an ``answer``) has its Markdown links turned into Slack
links. Every other reply may carry what someone typed (an escalated question, a status
update), and there ``[label](https://phish)`` or ``[x](!channel)`` must stay plain text:
Slack's markup is escaped and no link is made, in the blocks and the fallback ``text``.
"""

from __future__ import annotations

import re
from typing import Any

from bot.texts import t
from chat.replies import Button, Reply, Source

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
    links = from_knowledge_base(reply)
    blocks: list[Block] = []
    if reply.title:
        blocks.append(_section(f"*{clip_escaped(escape(reply.title), SECTION_TEXT_LIMIT - 2)}*"))
    body = to_mrkdwn(reply.text, links=links)
    blocks.extend(_section(chunk) for chunk in split_text(body, SECTION_TEXT_LIMIT))
    if reply.sources:
        blocks.extend(_section(chunk) for chunk in split_text(_sources(reply), SECTION_TEXT_LIMIT))
    if reply.footer:
        footer = split_text(to_mrkdwn(reply.footer, links=links), SECTION_TEXT_LIMIT)[:1]
        if footer:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer[0]}]})
    blocks.extend(action_blocks(reply.buttons))
    fallback = _fallback(reply)
    pages = [blocks[i : i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)] or [[]]
    return [{"text": fallback, "blocks": page} for page in pages]


def from_knowledge_base(reply: Reply) -> bool:
    """Whether the reply's text is the curated knowledge base's, the one text whose links we trust."""
    return reply.kind == "answer"


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
    return f"<{escape(source.url)}|{label}>" if source.url else label


def _fallback(reply: Reply) -> str:
    """The notification / screen-reader text: title and the start of the answer, plain.

    Slack reads this field as mrkdwn too (and notifies on ``<!channel>`` in it), so it
    is escaped like the blocks, with the Markdown markers taken out instead of rendered.
    """
    head = f"{reply.title}\n" if reply.title else ""
    text = escape(head) + to_plain(reply.text, links=from_knowledge_base(reply))
    return clip_escaped(text, SECTION_TEXT_LIMIT)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def clip_escaped(text: str, limit: int) -> str:
    """``_clip`` for escaped text: never leave half an ``&amp;`` before the ellipsis."""
    if len(text) <= limit:
        return text
    return _PARTIAL_ENTITY.sub("", text[: limit - 1]) + "…"


def escape(text: str) -> str:
    """Slack's three control characters, so user or KB text cannot forge links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*$", re.MULTILINE)
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+", re.MULTILINE)
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
# Only web and mail addresses become links: "[x](!channel)" or "[x](@U123)" would be a mention.
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s|]+)\)")


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


def to_mrkdwn(markdown: str, *, links: bool = True) -> str:
    """Markdown in Slack's mrkdwn dialect; ``links=False`` for text someone typed."""
    text = escape(join_soft_breaks(markdown))
    text = _HEADING.sub(lambda m: f"**{m.group(1)}**", text)  # made bold with the rest below
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _BOLD.sub(lambda m: f"*{m.group(1) or m.group(2)}*", text)
    if not links:
        return text
    return _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1).replace('|', '¦')}>", text)


def to_plain(markdown: str, *, links: bool) -> str:
    """Markdown as escaped plain text: markers removed, a link as "label (address)"."""
    text = escape(join_soft_breaks(markdown))
    text = _HEADING.sub(r"\1", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ITALIC.sub(r"\1", text)
    return _LINK.sub(r"\1 (\2)", text) if links else text


_MARKUP = re.compile(r"<[^<>]*>")  # a link or mention: escaped text has no other "<"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at paragraph, then line, then word ends.

    A cut never falls inside ``<url|label>`` markup, which would break the link in two.
    """
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    """Where to cut ``text`` (longer than ``limit``): the latest separator outside markup."""
    spans = [(m.start(), m.end()) for m in _MARKUP.finditer(text, 0, limit + SECTION_TEXT_LIMIT)]

    def inside(pos: int) -> tuple[int, int] | None:
        return next(((start, end) for start, end in spans if start < pos < end), None)

    for sep in ("\n\n", "\n", " "):
        pos = text.rfind(sep, 0, limit)
        while pos >= limit // 2:
            span = inside(pos)
            if span is None:
                return pos
            pos = text.rfind(sep, 0, span[0])
    span = inside(limit)
    return span[0] if span is not None and span[0] > 0 else limit
