"""The aiohttp side of observability: a request id and one log line per request, /metrics.

Platform retries and proxies are easier to trace when the same id appears in
the response header (``X-Request-Id``), the access line and every line logged
while handling the request, including the slow work a Slack ack hands to a
background task (tasks inherit the context variable).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.observability.logging import new_request_id, request_id_var
from bot.observability.metrics import exposition, record_request

access_log = logging.getLogger("jambot.access")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Probes and scrapes arrive every few seconds; they are counted but logged only at debug level.
_QUIET_ROUTES = frozenset({"/healthz", "/metrics"})


def _route(request: web.Request) -> str:
    """The route pattern, not the concrete path: keeps metric labels few and ids out of them."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def observe_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    request_id = new_request_id(request.headers.get("X-Request-Id"))
    token = request_id_var.set(request_id)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        if not response.prepared:
            response.headers["X-Request-Id"] = request_id
        return response
    except web.HTTPException as exc:
        status = exc.status
        exc.headers["X-Request-Id"] = request_id
        raise
    except asyncio.CancelledError:
        status = 499  # the client went away (or the server is shutting down)
        raise
    except Exception:
        # Logged here with the request id; the caller gets the id to quote, never a traceback.
        access_log.exception(
            "unhandled error in %s %s", request.method, _route(request), extra={"route": _route(request)}
        )
        return web.json_response(
            {"error": "internal error", "request_id": request_id},
            status=500, headers={"X-Request-Id": request_id},
        )
    finally:
        seconds = time.perf_counter() - started
        route = _route(request)
        record_request(request.method, route, status, seconds)
        access_log.log(
            logging.DEBUG if route in _QUIET_ROUTES else logging.INFO,
            "%s %s %s %.1f ms", request.method, route, status, seconds * 1000,
            extra={"method": request.method, "route": route, "status": status,
                   "duration_ms": round(seconds * 1000, 1)},
        )
        request_id_var.reset(token)


async def metrics_handler(request: web.Request) -> web.Response:
    body, content_type = exposition()
    return web.Response(body=body, headers={"Content-Type": content_type})


def setup_observability(app: web.Application) -> None:
    """Add the request middleware (outermost, so it sees every status) and GET /metrics."""
    app.middlewares.insert(0, observe_requests)
    app.router.add_get("/metrics", metrics_handler)


def install_observability(app: web.Application, _context: object) -> None:
    """The ``bot.app.EXTENSIONS`` hook: request logs, request ids and /metrics on every server."""
    setup_observability(app)
