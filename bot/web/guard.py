"""What the web chat checks before it reads a request: same origin, JSON, and a fair rate.

The web chat has no login, so it must not be usable from another site in the visitor's
browser (cross-site request forgery) nor flooded by one client. A browser always names
the page that sent a cross-site POST (``Origin``, ``Sec-Fetch-Site``); a request whose
body is not ``application/json`` could come from a plain HTML form on any site, because
only JSON triggers the browser's CORS pre-flight, which this server never grants.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

from aiohttp import web

from bot.texts import t

# A person types a question every few seconds; a page load sends one. Twenty at once and one
# a second after that (JAMBOT_WEBCHAT_RATE=60 a minute) is far above that and far below a
# flood (300 in 0.8 s, issue 10).
RATE_BURST = 20
RATE_PER_SECOND = 1.0
MAX_CLIENTS = 10_000  # the oldest forgotten first, so the table cannot grow without bound


def refusal(request: web.Request, limiter: RateLimiter) -> web.Response | None:
    """The response refusing this POST, or None when it may go on."""
    if not same_origin(request):
        return _error(403, t("web_cross_site"))
    if request.content_type != "application/json":
        return _error(415, t("web_json_only"))
    wait = limiter.wait_seconds(client_key(request))
    if wait > 0:
        response = _error(429, t("web_too_many"))
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    return None


def same_origin(request: web.Request) -> bool:
    """False when the browser says another site sent this request.

    Requests without these headers (curl, tests, old browsers on a same-origin GET) pass:
    they cannot carry a visitor's browser along, and the JSON rule still applies.
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.host}"


def client_key(request: web.Request) -> str:
    """Who is sending: the peer address (behind a proxy, the proxy; one shared budget)."""
    return request.remote or "unknown"


class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, then ``per_second``."""

    def __init__(
        self,
        burst: int = RATE_BURST,
        per_second: float = RATE_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def wait_seconds(self, key: str) -> float:
        """Take one token for ``key``; 0 if it had one, else how long until it will."""
        now = self.clock()
        tokens, since = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * self.per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.per_second
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)
        return wait


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
