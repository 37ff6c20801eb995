"""The local web chat: try the bot in a browser without a Slack or Teams workspace.

A static page and a small JSON API over the same conversation core. Replies the
core sends later (an escalation answered by a strategist) wait in an in-memory
inbox that the page polls; the chat is a local tool, so nothing else is kept.

Every POST passes ``guard.refusal`` first (same origin, JSON only, a rate per client),
because the chat has no login and may run next to the real platforms (JAMBOT_WEBCHAT=1).
Web users are anonymous: they are never strategists or contacts of a real organisation,
only of the local demo (``bot.demo``), whose escalations land in a channel inbox here.
"""

from __future__ import annotations

import base64
import html
import uuid
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.conversation import Conversation
from bot.demo import demo_banner
from bot.texts import t
from bot.web.guard import RateLimiter, refusal
from chat.outbox import Delivery, Recipient
from chat.refs import MessageRef
from chat.replies import Action, Message, Platform, Reply

STATIC_DIR = Path(__file__).parent / "static"
MAX_TEXT = 4000
MAX_USER = 64
MAX_NAME = 100
MAX_VALUE = 2000
MAX_FIELDS = 20
INBOX_SIZE = 50
# Confidence at or above which an answer is called sure / fairly sure (the engine answers
# from its calibrated threshold, 0.55 for the bundled knowledge base, up).
CONFIDENCE_HIGH = 0.9
CONFIDENCE_MEDIUM = 0.7


class BadRequest(ValueError):
    """A request the page should never send; reported as 400 with this message."""


def attach_webchat(app: web.Application, conversation: Conversation, outbox: WebOutbox) -> None:
    """Serve the chat page and its JSON API; answers to people who are away wait in ``outbox``."""
    api = WebChatApi(conversation, outbox)
    banner = demo_banner(conversation.org)

    async def index(_request: web.Request) -> web.Response:
        return web.Response(text=render_page(banner), content_type="text/html")

    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC_DIR, append_version=True)
    app.router.add_post("/web/api/message", api.message)
    app.router.add_post("/web/api/action", api.action)
    app.router.add_get("/web/api/inbox", api.inbox)


PAGE_TEXTS = ("web_title", "web_tagline", "web_question_label", "web_placeholder", "web_send",
              "web_unreachable", "web_strategist_view", "web_chat_view", "web_strategist_intro",
              "web_strategist_empty", "web_strategist_answer", "web_strategist_send", "demo_badge")


def render_page(banner: str | None = None) -> str:
    """The chat page with its words from bot/texts; the demo banner and views only in the demo."""
    template = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    words = {key: html.escape(t(key)) for key in PAGE_TEXTS}
    return template.format(
        **words,
        demo_attr="1" if banner else "",
        demo_banner=html.escape(banner or ""),
    )


class WebOutbox:
    """Holds proactive replies per browser user until the page fetches them."""

    platform: Platform = "web"

    def __init__(self) -> None:
        self._inboxes: defaultdict[str, deque[Reply]] = defaultdict(lambda: deque(maxlen=INBOX_SIZE))
        # Channel posts (the demo's strategists' channel): kept until answered, with their thread.
        self._channels: defaultdict[str, deque[tuple[str, Reply]]] = defaultdict(
            lambda: deque(maxlen=INBOX_SIZE)
        )

    async def deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        if recipient.user_id:
            self._inboxes[recipient.user_id].append(reply)
            return Delivery(ok=True, ref=MessageRef("web", recipient.user_id))
        if recipient.channel_id:
            thread = uuid.uuid4().hex
            self._channels[recipient.channel_id].append((thread, reply))
            return Delivery(ok=True, ref=MessageRef("web", recipient.channel_id, thread_id=thread))
        return Delivery(ok=False, error="no user or channel to deliver to")

    def take(self, user_id: str) -> list[Reply]:
        inbox = self._inboxes.pop(user_id, None)
        return list(inbox) if inbox else []

    def channel_posts(self, channel: str) -> list[tuple[str, Reply]]:
        """The posts in a channel, oldest first; they stay until ``close`` (answered or resolved)."""
        return list(self._channels.get(channel, ()))

    def close(self, channel: str, thread: str) -> None:
        posts = self._channels.get(channel)
        if posts is not None:
            self._channels[channel] = deque((p for p in posts if p[0] != thread), maxlen=INBOX_SIZE)


class WebChatApi:
    def __init__(self, conversation: Conversation, outbox: WebOutbox) -> None:
        self.conversation = conversation
        self.outbox = outbox
        self.limiter = RateLimiter(per_second=conversation.settings.webchat_rate / 60)

    async def message(self, request: web.Request) -> web.Response:
        refused = refusal(request, self.limiter)
        if refused is not None:
            return refused
        try:
            body = await _json_object(request)
            channel = _string(body, "channel", MAX_NAME)
            thread = _string(body, "thread", MAX_NAME)
            message = Message(
                platform="web",
                user_id=_string(body, "user", MAX_USER, required=True),
                text=_string(body, "text", MAX_TEXT),
                channel_id=channel or "web",
                thread_id=thread or None,
                is_direct=not thread,
            )
        except BadRequest as exc:
            return _bad_request(str(exc))
        replies = await self.conversation.handle_message(message)
        if thread and self._is_strategist(message.user_id):
            self.outbox.close(channel, thread)  # answered (or already closed): off the list
        return _replies(replies)

    async def action(self, request: web.Request) -> web.Response:
        refused = refusal(request, self.limiter)
        if refused is not None:
            return refused
        try:
            body = await _json_object(request)
            channel = _string(body, "channel", MAX_NAME)
            thread = _string(body, "thread", MAX_NAME)
            action = Action(
                platform="web",
                user_id=_string(body, "user", MAX_USER, required=True),
                action=_string(body, "action", MAX_NAME, required=True),
                value=_string(body, "value", MAX_VALUE),
                channel_id=channel or "web",
                thread_id=thread or None,
                fields=_fields(body.get("fields")),
            )
        except BadRequest as exc:
            return _bad_request(str(exc))
        replies = await self.conversation.handle_action(action)
        if thread and self._is_strategist(action.user_id):
            self.outbox.close(channel, thread)  # resolved from the strategist view
        return _replies(replies)

    async def inbox(self, request: web.Request) -> web.Response:
        user = request.query.get("user", "")
        if not user or len(user) > MAX_USER:
            return _bad_request("user: required, at most 64 characters")
        channel = request.query.get("channel")
        if channel is None:
            return _replies(self.outbox.take(user))
        if not self._is_strategist(user):
            return web.json_response({"error": t("web_strategists_only")}, status=403)
        posts = self.outbox.channel_posts(channel)
        return web.json_response(
            {"replies": [{**reply_json(reply), "channel": channel, "thread": thread} for thread, reply in posts]}
        )

    def _is_strategist(self, user: str) -> bool:
        """Only true in the local demo: a real organisation never names web-chat users."""
        org = self.conversation.org
        return org is not None and org.is_strategist("web", user)


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # RecursionError: "[" * 100000 and the like
        raise BadRequest(t("web_bad_json")) from None
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


def confidence_hint(reply: Reply) -> str | None:
    """A quiet "Säkerhet: hög/medel/låg" under an answer, so a guess does not look like a fact."""
    if reply.kind != "answer" or reply.confidence is None:
        return None
    level = (
        "high" if reply.confidence >= CONFIDENCE_HIGH
        else "medium" if reply.confidence >= CONFIDENCE_MEDIUM
        else "low"
    )
    return t("web_confidence", reply.lang, level=t(f"web_confidence_{level}", reply.lang))


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
        "confidence_hint": confidence_hint(reply),
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
            "label": t("web_download", reply.lang, filename=reply.file.filename),
            "filename": reply.file.filename,
            "mimetype": reply.file.mimetype,
            "base64": base64.b64encode(reply.file.content).decode("ascii"),
        }
    return out
