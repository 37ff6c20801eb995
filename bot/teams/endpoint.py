"""``POST /api/messages``: check the request, authenticate it, start the turn.

botbuilder's own ``CloudAdapter.process`` answers a missing Content-Type or bad
JSON with a 500; a chat platform (or anyone on the internet) sending garbage
must get a clear 4xx and change nothing, so the checks happen here first.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from typing import Any

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from requests import RequestException

from bot import safe_json
from bot.teams.auth import TokenChecks
from bot.teams.bot import TeamsBot
from bot.teams.turns import BackgroundTurns

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
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


def _storable_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= MAX_ID_CHARS
        and not safe_json.has_lone_surrogates(value)
    )


def _header_safe(value: Any) -> bool:
    """The Bot Connector client sends the conversation id as an HTTP header
    (``x-ms-conversation-id``): anything but printable ASCII fails every reply, or smuggles
    a header in. Bot Framework ids are printable ASCII."""
    return isinstance(value, str) and value.isascii() and value.isprintable()


def _ill_formed_ids(body: dict[str, Any]) -> list[str]:
    """Ids that would be stored as keys must be short strings: reject anything else up front."""
    bad = [] if _header_safe(body["conversation"].get("id")) else ["conversation.id"]
    for owner, field in (("conversation", "id"), ("from", "id"), ("from", "aadObjectId"),
                         ("recipient", "id")):
        value = body[owner].get(field)
        if value is None and field == "aadObjectId":
            continue
        if not _storable_id(value) and f"{owner}.{field}" not in bad:
            bad.append(f"{owner}.{field}")
    if "id" in body and not _storable_id(body["id"]):
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
        body = safe_json.loads(raw, clean=False)
    except safe_json.NestingError as exc:
        return _problem(400, str(exc))
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
            400,
            f"fields must be valid strings of at most {MAX_ID_CHARS} characters: "
            + ", ".join(ill_formed),
        )
    # An id is never repaired (it would name someone else); text and form values are:
    # a lone surrogate becomes U+FFFD, so the database can store what was written.
    body = safe_json.without_lone_surrogates(body)
    try:
        return Activity().deserialize(body)
    except Exception as exc:  # msrest raises several types for ill-typed fields
        return _problem(400, f"not a valid activity: {exc}")


# The serviceUrl a credential-less server may call back: an Emulator on this machine.
# Spelled out character by character, so that no URL parser (ours, requests', urllib3's)
# can read another host into it: no userinfo, backslash, query, fragment, space or
# numeric-IP trickery ("0x7f.1", "2130706433") gets through.
_LOCAL_SERVICE_URL = re.compile(
    r"https?://(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/-]*)?",
    re.ASCII,
)


def is_local_service_url(url: str) -> bool:
    """Whether the HTTP client, whatever its URL parser, would connect to this machine."""
    return _LOCAL_SERVICE_URL.fullmatch(url) is not None


def peer_is_loopback(request: web.Request) -> bool:
    """Whether the TCP peer of ``request`` is this machine.

    The transport's own peer address, never a header or ``request.remote`` (which a
    forwarding middleware may rewrite): only the kernel knows who connected.
    """
    transport = request.transport
    peer = transport.get_extra_info("peername") if transport is not None else None
    if not (isinstance(peer, tuple) and peer and isinstance(peer[0], str)):
        return False  # a Unix socket or an unknown transport: not provably local
    try:
        address = ipaddress.ip_address(peer[0].split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def messages_handler(
    adapter: CloudAdapter,
    bot: TeamsBot,
    checks: TokenChecks,
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
        if open_mode and not (
            peer_is_loopback(request) and is_local_service_url(activity.service_url)
        ):
            # Unauthenticated, the bot would act for whoever claims to be anyone and POST
            # wherever serviceUrl says: only an Emulator on this machine may do that.
            log.warning("Teams: refused an unauthenticated request (no MICROSOFT_APP_ID set)")
            return _problem(
                401,
                "unauthorized: without MICROSOFT_APP_ID only a Bot Framework Emulator "
                "on this machine, with a local serviceUrl, is served",
            )
        try:
            auth = await checks.authenticate(activity, request.headers.get("Authorization", ""))
        except RequestException as exc:
            log.error("Teams: cannot fetch the Bot Framework's signing keys: %s", exc)
            return _problem(503, "cannot verify the token right now")
        except Exception as exc:  # PermissionError, jwt errors, bad issuer: all mean "no"
            log.warning("Teams: rejected an unauthenticated request: %s", exc)
            return _problem(401, "unauthorized")
        if activity.type != ActivityTypes.invoke:
            turns.start(
                adapter.process_activity(auth, activity, bot.on_turn), activity.conversation.id
            )
            return web.Response(status=200)
        # An invoke is the one activity whose answer travels in this HTTP response.
        invoke_response = await adapter.process_activity(auth, activity, bot.on_turn)
        if invoke_response:
            body = invoke_response.body
            if not (body is None or isinstance(body, dict | list)):
                body = serializer_helper(body)  # a msrest model (e.g. a card) to JSON
            return web.json_response(data=body, status=invoke_response.status)
        return web.Response(status=200)

    return handle
