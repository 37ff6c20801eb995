"""``POST /api/messages``: check the request, authenticate it, start the turn.

botbuilder's own ``CloudAdapter.process`` answers a missing Content-Type or bad
JSON with a 500; a chat platform (or anyone on the internet) sending garbage
must get a clear 4xx and change nothing, so the checks happen here first.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult
from requests import RequestException

from bot.teams.bot import TeamsBot
from bot.teams.render import ReplyRenderer
from bot.teams.turns import BackgroundTurns

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
_AUTH_THREADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="teams-auth")
_KNOWN_TYPES = frozenset(t.value for t in ActivityTypes)


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _missing_fields(body: dict[str, Any]) -> list[str]:
    """The fields a turn cannot do without (so they fail here, not deep in botbuilder)."""

    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value.strip())

    missing = []
    if not text(body.get("serviceUrl")):
        missing.append("serviceUrl")
    if not text(body.get("channelId")):
        missing.append("channelId")
    conversation = body.get("conversation")
    if not (isinstance(conversation, dict) and text(conversation.get("id"))):
        missing.append("conversation.id")
    sender = body.get("from")
    if not (isinstance(sender, dict) and text(sender.get("id"))):
        missing.append("from.id")
    recipient = body.get("recipient")
    if not (isinstance(recipient, dict) and text(recipient.get("id"))):
        missing.append("recipient.id")
    return missing


MAX_ID_CHARS = 200  # what the database keeps of an id (ConversationRef.key, ProcessedEvent)


def _ill_formed_ids(body: dict[str, Any]) -> list[str]:
    """Ids that would be stored as keys must be short strings: reject anything else up front."""
    bad = []
    for owner, field in (("conversation", "id"), ("from", "id"), ("from", "aadObjectId"),
                         ("recipient", "id")):
        value = body[owner].get(field)
        if value is None and field == "aadObjectId":
            continue
        if not isinstance(value, str) or len(value) > MAX_ID_CHARS:
            bad.append(f"{owner}.{field}")
    if "id" in body and not (isinstance(body["id"], str) and len(body["id"]) <= MAX_ID_CHARS):
        bad.append("id")
    return bad


async def _read_body(request: web.Request) -> bytes | web.Response:
    if request.content_type != "application/json":
        return _problem(415, "expected Content-Type: application/json")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _problem(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_BODY_BYTES:  # a chunked body announces no length: count as it comes
            return _problem(413, f"request body larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_activity(raw: bytes) -> Activity | web.Response:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _problem(400, "malformed JSON")
    if not isinstance(body, dict):
        return _problem(400, "expected a JSON object (a Bot Framework activity)")
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return _problem(400, "missing field: type")
    if kind not in _KNOWN_TYPES:
        return _problem(400, f"unknown activity type {kind!r}")
    missing = _missing_fields(body)
    if missing:
        return _problem(400, "missing fields: " + ", ".join(missing))
    ill_formed = _ill_formed_ids(body)
    if ill_formed:
        return _problem(
            400, f"fields must be strings of at most {MAX_ID_CHARS} characters: " + ", ".join(ill_formed)
        )
    try:
        return Activity().deserialize(body)
    except Exception as exc:  # msrest raises several types for ill-typed fields
        return _problem(400, f"not a valid activity: {exc}")


def _on_this_machine(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(request: web.Request) -> str:
    """How the outside world reaches us; behind a TLS proxy that is in X-Forwarded-*.

    Only read after authentication, so with credentials set it comes from the Bot
    Connector through our own proxy, not from whoever sent the request.
    """
    proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{proto}://{host}"


async def _authenticate(
    adapter: CloudAdapter, activity: Activity, auth_header: str
) -> AuthenticateRequestResult:
    """Validate the JWT in a worker thread with its own event loop.

    botbuilder refreshes the Bot Framework's signing keys with blocking ``requests``
    calls; on the server's loop that would stall every platform's requests meanwhile.
    """
    check = adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
    # A pool of its own: behind the database work in the default one, every ack would wait.
    return await asyncio.get_running_loop().run_in_executor(_AUTH_THREADS, asyncio.run, check)


def messages_handler(
    adapter: CloudAdapter,
    bot: TeamsBot,
    renderer: ReplyRenderer,
    turns: BackgroundTurns,
    open_mode: bool,
) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        raw = await _read_body(request)
        if isinstance(raw, web.Response):
            return raw
        activity = _parse_activity(raw)
        if isinstance(activity, web.Response):
            return activity
        if open_mode and not _on_this_machine(activity.service_url):
            # Unauthenticated, the bot would POST wherever serviceUrl says: only the
            # Emulator on this machine may use that (a Slack-only server runs this way).
            return _problem(403, "without MICROSOFT_APP_ID only a local serviceUrl is accepted")
        try:
            auth = await _authenticate(adapter, activity, request.headers.get("Authorization", ""))
        except RequestException as exc:
            log.error("Teams: cannot fetch the Bot Framework's signing keys: %s", exc)
            return _problem(503, "cannot verify the token right now")
        except Exception as exc:  # PermissionError, jwt errors, bad issuer: all mean "no"
            log.warning("Teams: rejected an unauthenticated request: %s", exc)
            return _problem(401, "unauthorized")
        renderer.remember_origin(_origin(request))
        if activity.type != ActivityTypes.invoke:
            turns.start(
                adapter.process_activity(auth, activity, bot.on_turn), activity.conversation.id
            )
            return web.Response(status=200)
        # An invoke is the one activity whose answer travels in this HTTP response.
        invoke_response = await adapter.process_activity(auth, activity, bot.on_turn)
        if invoke_response:
            return web.json_response(
                data=serializer_helper(invoke_response.body), status=invoke_response.status
            )
        return web.Response(status=200)

    return handle
