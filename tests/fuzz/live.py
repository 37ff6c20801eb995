"""The fuzzed server: a ``jambot serve`` subprocess, the Slack stand-in on its own loop,
and plain blocking HTTP (hypothesis examples are synchronous)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from production.servers import ServerFactory, ServerProcess
from slack_harness import BOT_TOKEN, E2E_ORG, SIGNING_SECRET, e2e_env
from sqlalchemy import MetaData, create_engine, func, select, text
from standins.slack_api import SlackApiStandIn

import bot.db.models  # noqa: F401  (every table on Base.metadata)
from bot.db import Base


class StandInThread:
    """The Slack Web API stand-in on an event loop of its own thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.slack = SlackApiStandIn()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.run(self.slack.start())

    def run(self, coro: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def calls(self) -> int:
        return len(self.slack.calls)

    def stop(self) -> None:
        self.run(self.slack.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LiveServer:
    server: ServerProcess
    standin: StandInThread
    database_url: str
    tables: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            raw = conn.getresponse()
            return Response(raw.status, raw.read(), {k.lower(): v for k, v in raw.getheaders()})
        finally:
            conn.close()

    def post_json(self, path: str, payload: Any) -> Response:
        return self.request("POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    # -- Slack ------------------------------------------------------------------------------

    @staticmethod
    def slack_headers(body: bytes, *, timestamp: int | None = None, secret: str = SIGNING_SECRET,
                      content_type: str = "application/json") -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = "v0=" + hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
        return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}

    def slack(self, body: bytes, **kw: Any) -> Response:
        return self.request("POST", "/slack/events", body, self.slack_headers(body, **kw))

    def slack_form(self, payload: dict[str, Any]) -> Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.slack(body, content_type="application/x-www-form-urlencoded")

    # -- state --------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, int]:
        """Row count of every table: equal before and after means the request changed nothing."""
        engine = create_engine(self.database_url)
        try:
            meta = MetaData()
            meta.reflect(engine, only=self.tables)
            with engine.connect() as conn:
                return {
                    name: int(conn.scalar(select(func.count()).select_from(meta.tables[name])) or 0)
                    for name in self.tables
                }
        finally:
            engine.dispose()

    def alive(self) -> bool:
        return self.server.running and self.request("GET", "/healthz").status == 200

    def stop(self) -> None:
        self.server.terminate(20)
        self.standin.stop()


def _database(workdir: Path, pg_schema_url: str | None) -> str:
    if pg_schema_url is None:
        return f"sqlite:///{workdir / 'fuzz.db'}"
    engine = create_engine(pg_schema_url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS apscheduler_jobs, alembic_version CASCADE"))
    engine.dispose()
    return pg_schema_url


def start_live_server(workdir: Path, pg_schema_url: str | None) -> LiveServer:
    standin = StandInThread()
    database_url = _database(workdir, pg_schema_url)
    env = e2e_env(database_url, standin.slack, JAMBOT_CONFIG=str(E2E_ORG), JAMBOT_LOG_FORMAT="json")
    server = ServerFactory(workdir).start(env, "fuzzed")
    standin.run(server.wait_healthy(60), timeout=70)
    return LiveServer(server, standin, database_url, sorted(Base.metadata.tables))


__all__ = ["BOT_TOKEN", "LiveServer", "start_live_server"]
