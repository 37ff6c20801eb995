"""The Slack adapter: the only package that imports slack_bolt / slack_sdk.

``attach_slack`` mounts the Events API endpoint (events, interactivity, the
``/jambot`` command) on the server, or connects over Socket Mode when an app token
is set, on the outbox the core uses for proactive messages. The listeners answer
after the ack, as ``BackgroundWork`` kept under ``SLACK_WORK``: stopping the server
waits for it, and so can a test.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Sequence

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot import safe_json
from bot.background import BackgroundWork
from bot.config import Settings
from bot.conversation import Conversation
from bot.db import Database
from bot.dedup import claim_event
from bot.slack.listeners import SlackListeners
from bot.slack.outbox import SlackOutbox, SlackSender
from bot.slack.payload import payload_problem

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
RATE_LIMIT_RETRIES = 3
# The answers still being worked on after their ack (the tests wait for them with ``drain``).
SLACK_WORK = web.AppKey("slack_work", BackgroundWork)
SHUTDOWN_DRAIN_SECONDS = 15.0


def make_client(settings: Settings) -> AsyncWebClient:
    """A Web API client that waits out HTTP 429 ``Retry-After`` instead of failing."""
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def make_outbox(settings: Settings) -> SlackOutbox:
    """An outbox without the event endpoint, for one-shot commands such as ``jambot remind``."""
    return SlackOutbox(SlackSender(make_client(settings)))


def attach_slack(
    app: web.Application,
    conversation: Conversation,
    settings: Settings,
    db: Database,
    outbox: SlackOutbox,
) -> None:
    """Add ``POST /slack/events`` (or a Socket Mode connection) on ``outbox``'s sender, so
    replies and proactive messages share one client and its DM-channel cache."""
    sender = outbox.sender
    client = sender.client
    bolt = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # The listeners ack and hand the answer to ``work`` themselves, so bolt may wait for
        # them: the work is then known (and awaitable) before Slack has its ack.
        process_before_response=True,
        request_verification_enabled=bool(settings.slack_signing_secret),
        logger=logging.getLogger("slack_bolt"),
    )
    work = BackgroundWork("slack")
    app[SLACK_WORK] = work
    SlackListeners(conversation, db, sender, work).register(bolt)
    if settings.slack_signing_secret:
        endpoint = EventsEndpoint(bolt, settings.slack_signing_secret, db)
        app.router.add_post(EVENTS_PATH, endpoint.handle)
    if settings.slack_app_token:
        _run_socket_mode(app, bolt, settings.slack_app_token)

    async def finish_work(_app: web.Application) -> None:
        try:
            await work.drain(SHUTDOWN_DRAIN_SECONDS)
        except TimeoutError:
            log.warning("Slack: stopped with answers still being worked on")

    app.on_shutdown.append(finish_work)


# Interactive payloads that act (store a form, press a button) and carry no event_id.
_ACTING_TYPES = frozenset({"block_actions", "view_submission", "view_closed", "shortcut",
                           "message_action", "interactive_message", "dialog_submission"})  # fmt: skip


def needs_replay_guard(payload: dict[str, object]) -> bool:
    """Interactive payloads and slash commands: events are claimed by their event_id instead."""
    return payload.get("type") in _ACTING_TYPES or "command" in payload


class EventsEndpoint:
    """POST /slack/events: bolt does the work; this turns unreadable bodies into 4xx and replays into no-ops."""

    def __init__(self, bolt: AsyncApp, signing_secret: str, db: Database) -> None:
        self.bolt = bolt
        self.verifier = SignatureVerifier(signing_secret)
        self.db = db

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers: dict[str, str | Sequence[str]] = {k.lower(): v for k, v in request.headers.items()}
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:  # Slack always sends UTF-8; nothing to verify or parse
            return _error(400, "the request body is not UTF-8")
        if not self._signed(text, request):
            return _error(401, "invalid signature")
        try:
            payload = parse_body(text, request.content_type)
            safe_json.check_depth(payload)
        except RecursionError:  # json.loads inside bolt's parser, on "[" x 100000
            return _error(400, str(safe_json.NestingError(safe_json.MAX_DEPTH)))
        except safe_json.NestingError as exc:
            return _error(400, str(exc))
        except ValueError:  # signed by Slack, yet not JSON or form data
            return _error(400, "the request body is not valid JSON or form data")
        if safe_json.has_lone_surrogates(payload):
            # Slack never sends these; bolt re-reads the signed body, so refuse rather than clean.
            return _error(400, "the request body is not valid Unicode (a lone surrogate)")
        if problem := payload_problem(payload):
            return _error(400, f"not a Slack payload: {problem}")
        if needs_replay_guard(payload) and not await self._first_time(body):
            # A signature stays valid for five minutes: the same signed body again is a replay
            # (Slack's own clicks differ by trigger_id and action_ts), acknowledged and dropped.
            log.warning("Slack: a signed request was sent again; ignored")
            return web.Response(status=200)
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
        response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    async def _first_time(self, body: bytes) -> bool:
        digest = hashlib.sha256(body).hexdigest()
        return await asyncio.to_thread(claim_event, self.db, "slack", f"request:{digest}")

    def _signed(self, text: str, request: web.Request) -> bool:
        """Checked here as well as in bolt: bolt answers 500 to a timestamp that is not a number."""
        try:
            return self.verifier.is_valid_request(text, dict(request.headers))
        except ValueError:
            return False


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status, dumps=json.dumps)


def _run_socket_mode(app: web.Application, bolt: AsyncApp, app_token: str) -> None:
    """Socket Mode: Slack pushes events over a websocket, so no public URL is needed.

    The socket closes first when the server stops, so no new event arrives while the
    answers already acknowledged are finished.
    """
    handler = AsyncSocketModeHandler(bolt, app_token)

    async def connect(_app: web.Application) -> None:
        await handler.connect_async()
        log.info("Slack Socket Mode connected")

    async def close(_app: web.Application) -> None:
        await handler.close_async()

    app.on_startup.append(connect)
    app.on_shutdown.append(close)
