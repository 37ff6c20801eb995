"""Bot Framework token checks on an event loop of their own, owned by the server.

botbuilder validates an inbound JWT in a coroutine that fetches the Bot Framework's
signing keys with blocking ``requests`` calls (on the first check, then about once a
day or when an unknown key id appears). On the server's event loop such a fetch would
stall every platform's requests for as long as the key endpoint takes. So the checks run
on one loop in one thread, started by the first check and stopped with the server
(``close``, on the app's cleanup): nothing outlives the app, and no request pays for a
new event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

log = logging.getLogger(__name__)

THREAD_NAME = "teams-auth"
CLOSE_SECONDS = 5.0


class TokenChecks:
    def __init__(self, authentication: BotFrameworkAuthentication) -> None:
        self._authentication = authentication
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    async def authenticate(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """botbuilder's ``authenticate_request``, run on the checks' own loop."""
        check = self._authentication.authenticate_request(activity, auth_header)
        running = asyncio.run_coroutine_threadsafe(check, self._started())
        return await asyncio.wrap_future(running)

    def _started(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:  # only the server's loop calls this: no race to start two
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name=THREAD_NAME, daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        return self._loop

    async def close(self) -> None:
        """Stop the loop and its thread (a no-op if no check ever ran)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._loop = self._thread = None
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join, CLOSE_SECONDS)
        if thread.is_alive():  # stuck in a key fetch; a daemon thread, it ends with the process
            log.warning("Teams: the token check thread did not stop within %s s", CLOSE_SECONDS)
            return
        loop.close()
