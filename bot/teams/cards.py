"""Neutral ``Reply`` → Adaptive Card JSON (plain dicts, no botbuilder types).

Teams rejects a message over about 28 KB, measured on the JSON it receives, where
every å/ä/ö may travel as a six-byte ``\\u00e5`` escape. A long answer is therefore
packed paragraph by paragraph into as many cards as needed, each measured with
``json.dumps`` (ASCII-escaped, the worst case) against ``CARD_BUDGET``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from bot.texts import t
from chat.replies import Button, Form, FormField, Reply

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
# Teams' limit is ~28 KB per message; leave room for the activity envelope around the card.
CARD_BUDGET = 24_000
# A paragraph longer than this is cut at line, sentence or word boundaries first.
_PIECE_BUDGET = 16_000

Card = dict[str, Any]
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")
_LINK_JOINT = re.compile(r"\]\s*\(")
WORD_JOINER = "\u2060"  # invisible, and no Markdown parser reads "]<U+2060>(" as a link


def encoded_size(value: Any) -> int:
    """Bytes on the wire in the worst case (ASCII-escaped JSON)."""
    return len(json.dumps(value, ensure_ascii=True))


# ---------------------------------------------------------------------------
# Markdown → Teams TextBlock Markdown
# ---------------------------------------------------------------------------


def _teams_markdown(paragraph: str) -> str:
    """Adapt one Markdown paragraph to the subset a TextBlock renders.

    TextBlocks know no headings and join single newlines, so headings become
    bold lines and plain lines are separated by blank lines; list items keep
    their single newlines so the list stays a list.
    """
    lines = []
    for line in paragraph.splitlines():
        heading = _HEADING.match(line)
        lines.append(f"**{heading.group(1).strip()}**" if heading else line.rstrip())
    if all(_LIST_ITEM.match(line) for line in lines if line):
        return "\n".join(lines)
    return "\n\n".join(line for line in lines if line)


def without_links(text: str) -> str:
    """``text`` with every ``[label](url)`` left as visible text instead of a hidden link.

    For text someone typed (an escalated question, a status update): only the curated
    knowledge base may put a link behind a label.
    """
    return _LINK_JOINT.sub(lambda m: "]" + WORD_JOINER + m.group(0)[1:], text)


def _cut(text: str, budget: int) -> Iterator[str]:
    """Cut ``text`` into pieces of at most ``budget`` encoded bytes, at the nicest boundary."""
    if encoded_size(text) <= budget:
        yield text
        return
    for separator in ("\n", ". ", " "):
        parts = text.split(separator)
        if len(parts) > 1:
            piece = ""
            for part in parts:
                candidate = f"{piece}{separator}{part}" if piece else part
                if piece and encoded_size(candidate) > budget:
                    yield from _cut(piece, budget)
                    piece = part
                else:
                    piece = candidate
            if piece:
                yield from _cut(piece, budget)
            return
    # One enormous word: cut by characters.
    step = max(1, budget // 7)
    for start in range(0, len(text), step):
        yield text[start : start + step]


def _paragraphs(text: str) -> list[str]:
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return [piece for block in blocks for piece in _cut(_teams_markdown(block), _PIECE_BUDGET)]


# ---------------------------------------------------------------------------
# Card parts
# ---------------------------------------------------------------------------


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> Card:
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    return card


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _title(text: str) -> dict[str, Any]:
    return _text(text, weight="Bolder", size="Medium")


def _submit(title: str, action: str, value: str, style: str | None = None) -> dict[str, Any]:
    submit: dict[str, Any] = {
        "type": "Action.Submit",
        "title": title,
        "data": {"action": action, "value": value},
    }
    if style:
        submit["style"] = style
    return submit


def _button(button: Button) -> dict[str, Any]:
    style = {"primary": "positive", "danger": "destructive"}.get(button.style or "")
    return _submit(button.label, button.action, button.value, style)


def _sources(reply: Reply) -> list[dict[str, Any]]:
    if not reply.sources:
        return []
    links = "\n".join(f"- [{s.title}]({s.url})" if s.url else f"- {s.title}" for s in reply.sources)
    return [
        _text(t("answer_sources", reply.lang), weight="Bolder", spacing="Medium"),
        _text(links),
    ]


def _footer(reply: Reply) -> list[dict[str, Any]]:
    return [_text(reply.footer, isSubtle=True, size="Small")] if reply.footer else []


# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------


def _input(field: FormField, lang: str) -> dict[str, Any]:
    element: dict[str, Any]
    if field.kind == "select":
        element = {
            "type": "Input.ChoiceSet",
            "style": "compact",
            "choices": [{"title": label, "value": value} for value, label in field.options],
        }
    else:
        element = {
            "type": "Input.Text",
            "isMultiline": field.kind == "multiline",
            "maxLength": field.max_length,
        }
        if field.placeholder:
            element["placeholder"] = field.placeholder
    element.update({"id": field.name, "label": field.label, "isRequired": field.required})
    if field.required:  # shown by Teams itself before the form is sent
        element["errorMessage"] = t("teams_field_required", lang, label=field.label)
    if field.initial:
        element["value"] = field.initial
    return element


def form_card(reply: Reply, form: Form) -> Card:
    """The form as one card; ``reply.field_errors`` appear in red under their fields."""
    errors = dict(reply.field_errors)
    body: list[dict[str, Any]] = [_title(form.title)]
    if reply.text != form.intro:
        body += [_text(p) for p in _paragraphs(reply.text)]
    if form.intro:
        body += [_text(p) for p in _paragraphs(form.intro)]
    if errors:
        body.append(_text(t("teams_field_errors", reply.lang), color="Attention", weight="Bolder"))
    for field in form.fields:
        body.append(_input(field, reply.lang))
        if field.name in errors:
            body.append(_text(errors[field.name], color="Attention", size="Small", spacing="None"))
    unknown = [
        message for name, message in reply.field_errors if name not in {f.name for f in form.fields}
    ]
    body += [_text(message, color="Attention") for message in unknown]
    return _card(body, [_submit(form.submit_label, form.action, form.value, "positive")])


# ---------------------------------------------------------------------------
# Replies
# ---------------------------------------------------------------------------


def download_card(reply: Reply, url: str) -> Card:
    """A file offered as a link (see ``bot/downloads.py``)."""
    assert reply.file is not None
    body = [_title(reply.title or reply.file.title or reply.file.filename)]
    body += [_text(p) for p in _paragraphs(reply.text)]
    body.append(_text(t("teams_download_expires", reply.lang), isSubtle=True, size="Small"))
    actions = [
        {
            "type": "Action.OpenUrl",
            "title": t("teams_download", reply.lang, filename=reply.file.filename),
            "url": url,
        }
    ]
    return _card(body, actions)


def _pack(paragraphs: list[str], budget: int) -> list[list[str]]:
    """Greedily fill parts with whole paragraphs, each part at most ``budget`` encoded bytes."""
    parts: list[list[str]] = [[]]
    used = 0
    for paragraph in paragraphs:
        size = encoded_size(_text(paragraph))
        if parts[-1] and used + size > budget:
            parts.append([])
            used = 0
        parts[-1].append(paragraph)
        used += size
    return parts


def reply_cards(reply: Reply, download: str | None = None) -> list[Card]:
    """Every card needed to show ``reply``, in order; more than one only for long text.

    ``download`` is the link to ``reply.file`` when it has one.
    """
    if reply.form is not None:
        return [form_card(reply, reply.form)]
    if reply.file is not None and download is not None:
        return [download_card(reply, download)]

    head = [_title(reply.title)] if reply.title else []
    tail = _sources(reply) + _footer(reply)
    actions = [_button(b) for b in reply.buttons]
    overhead = encoded_size(_card(head + tail, actions)) + 200  # + room for "(continued 2/3)"
    text = reply.text if reply.kind == "answer" else without_links(reply.text)
    parts = _pack(_paragraphs(text), max(CARD_BUDGET - overhead, 2_000))

    cards = []
    for number, paragraphs in enumerate(parts, start=1):
        body: list[dict[str, Any]] = list(head) if number == 1 else []
        if number > 1:
            note = t("teams_continued", reply.lang, part=number, total=len(parts))
            body.append(_text(note, isSubtle=True, size="Small"))
        body += [_text(p) for p in paragraphs]
        last = number == len(parts)
        cards.append(_card(body + (tail if last else []), actions if last else None))
    return cards
