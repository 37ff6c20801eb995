"""The local web chat: try the bot in a browser without a Slack or Teams workspace.

A static page and a small JSON API over the same conversation core. Replies the
core sends later (an escalation answered by a strategist) wait in an in-memory
inbox that the page polls; the chat is a local tool, so nothing else is kept.
"""

from __future__ import annotations

import base64
import html
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.conversation import Conversation
from bot.outbox import Delivery, Recipient
from bot.replies import Action, Message, Platform, Reply
from bot.texts import t

STATIC_DIR = Path(__file__).parent / "static"
MAX_TEXT = 4000
MAX_USER = 64
MAX_NAME = 100
MAX_VALUE = 2000
MAX_FIELDS = 20
INBOX_SIZE = 50


class BadRequest(ValueError):
    """A request the page should never send; reported as 400 with this message."""


def attach_webchat(app: web.Application, conversation: Conversation) -> WebOutbox:
    outbox = WebOutbox()
    api = WebChatApi(conversation, outbox)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC_DIR, append_version=True)
    app.router.add_post("/web/api/message", api.message)
    app.router.add_post("/web/api/action", api.action)
    app.router.add_get("/web/api/inbox", api.inbox)
    return outbox


PAGE_TEXTS = ("web_title", "web_tagline", "web_question_label", "web_placeholder", "web_send",
              "web_unreachable")


def render_page() -> str:
    """The chat page with its words from bot/texts (Swedish, like the bot's default)."""
    template = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return template.format(**{key: html.escape(t(key)) for key in PAGE_TEXTS})


async def index(_request: web.Request) -> web.Response:
    return web.Response(text=render_page(), content_type="text/html")


class WebOutbox:
    """Holds proactive replies per browser user until the page fetches them."""

    platform: Platform = "web"

    def __init__(self) -> None:
        self._inboxes: defaultdict[str, deque[Reply]] = defaultdict(lambda: deque(maxlen=INBOX_SIZE))

    async def deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        if not recipient.user_id:
            return Delivery(ok=False, error="the web chat has no channels")
        self._inboxes[recipient.user_id].append(reply)
        return Delivery(ok=True, ref={"user": recipient.user_id})

    def take(self, user_id: str) -> list[Reply]:
        inbox = self._inboxes.pop(user_id, None)
        return list(inbox) if inbox else []


class WebChatApi:
    def __init__(self, conversation: Conversation, outbox: WebOutbox) -> None:
        self.conversation = conversation
        self.outbox = outbox

    async def message(self, request: web.Request) -> web.Response:
        try:
            body = await _json_object(request)
            message = Message(
                platform="web",
                user_id=_string(body, "user", MAX_USER, required=True),
                text=_string(body, "text", MAX_TEXT),
                channel_id="web",
            )
        except BadRequest as exc:
            return _bad_request(str(exc))
        return _replies(await self.conversation.handle_message(message))

    async def action(self, request: web.Request) -> web.Response:
        try:
            body = await _json_object(request)
            action = Action(
                platform="web",
                user_id=_string(body, "user", MAX_USER, required=True),
                action=_string(body, "action", MAX_NAME, required=True),
                value=_string(body, "value", MAX_VALUE),
                channel_id="web",
                fields=_fields(body.get("fields")),
            )
        except BadRequest as exc:
            return _bad_request(str(exc))
        return _replies(await self.conversation.handle_action(action))

    async def inbox(self, request: web.Request) -> web.Response:
        user = request.query.get("user", "")
        if not user or len(user) > MAX_USER:
            return _bad_request("user: required, at most 64 characters")
        return _replies(self.outbox.take(user))


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest("the body must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def _string(body: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise BadRequest(f"{name}: must be a string")
    if required and not value.strip():
        raise BadRequest(f"{name}: required")
    if len(value) > limit:
        raise BadRequest(f"{name}: at most {limit} characters")
    _unicode(name, value)
    return value


def _unicode(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{name}: not valid Unicode text") from None


def _fields(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > MAX_FIELDS:
        raise BadRequest(f"fields: must be an object with at most {MAX_FIELDS} entries")
    fields = {}
    for key, value in raw.items():
        if not isinstance(value, str) or len(key) > MAX_NAME or len(value) > MAX_TEXT:
            raise BadRequest(f"fields.{key[:MAX_NAME]}: must be a string of at most {MAX_TEXT} characters")
        _unicode("fields", key + value)
        fields[key] = value
    return fields


def _bad_request(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


def _replies(replies: list[Reply]) -> web.Response:
    return web.json_response({"replies": [reply_json(r) for r in replies]})


def reply_json(reply: Reply) -> dict[str, Any]:
    """The page's view of a reply: the neutral model as plain JSON."""
    out: dict[str, Any] = {
        "kind": reply.kind,
        "title": reply.title,
        "text": reply.text,
        "lang": reply.lang,
        "footer": reply.footer,
        "sources": [{"title": s.title, "url": s.url} for s in reply.sources],
        "sources_label": t("answer_sources", reply.lang),
        "buttons": [
            {"label": b.label, "action": b.action, "value": b.value, "style": b.style}
            for b in reply.buttons
        ],
        "field_errors": dict(reply.field_errors),
        "form": None,
        "file": None,
    }
    if reply.form is not None:
        form = reply.form
        out["form"] = {
            "action": form.action,
            "value": form.value,
            "title": form.title,
            "intro": form.intro,
            "submit_label": form.submit_label,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "kind": f.kind,
                    "options": [{"value": v, "label": label} for v, label in f.options],
                    "max_length": f.max_length,
                    "required": f.required,
                    "initial": f.initial,
                    "placeholder": f.placeholder,
                }
                for f in form.fields
            ],
        }
    if reply.file is not None:
        out["file"] = {
            "filename": reply.file.filename,
            "mimetype": reply.file.mimetype,
            "base64": base64.b64encode(reply.file.content).decode("ascii"),
        }
    return out
