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

from aiohttp import web
from production.servers import ServerFactory, ServerProcess
from slack_harness import BOT_TOKEN, E2E_ORG, SIGNING_SECRET, e2e_env
from sqlalchemy import Engine, create_engine, func, literal, select, text, union_all
from standins.bot_connector import BotConnectorStandIn
from standins.slack_api import TEAM_ID, SlackApiStandIn

import bot.db.models  # noqa: F401  (every table on Base.metadata)
from bot.db import Base


class StandInThread:
    """The Slack Web API and Bot Connector stand-ins on an event loop of their own thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.slack = SlackApiStandIn()
        self.connector = BotConnectorStandIn()
        self._connector_runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.run(self.slack.start())
        self.run(self._start_connector())

    async def _start_connector(self) -> None:
        runner = web.AppRunner(self.connector.app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        self.connector.url = f"http://{host}:{port}/"
        self._connector_runner = runner

    def run(self, coro: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def calls(self) -> int:
        """Every request the bot made to Slack or the Bot Connector so far."""
        return len(self.slack.calls) + len(self.connector.calls)

    def stop(self) -> None:
        self.run(self.slack.stop())
        if self._connector_runner is not None:
            self.run(self._connector_runner.cleanup())
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
    _engine: Engine | None = None

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

    def press(self, action: str, value: str, user: str) -> Response:
        """A Slack button press (``block_actions``) in the user's DM with the bot."""
        channel = "D" + user[1:]
        return self.slack_form({
            "type": "block_actions", "user": {"id": user, "team_id": TEAM_ID}, "api_app_id": "A0E2E",
            "team": {"id": TEAM_ID}, "trigger_id": f"trigger-{time.time_ns()}",
            "container": {"type": "message", "message_ts": "1.000001", "channel_id": channel},
            "channel": {"id": channel}, "message": {"type": "message", "ts": "1.000001", "text": ""},
            "actions": [{"action_id": f"jambot:{action}:0", "block_id": "b1", "type": "button",
                         "value": value, "action_ts": f"{time.time():.6f}"}],
        })

    def submit_view(self, view: dict[str, Any], values: dict[str, str | None], user: str) -> Response:
        """Submit a modal the bot opened, each input block filled from ``values``."""
        state: dict[str, Any] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element, name = block["element"], block["block_id"]
            if element["type"] == "static_select":
                chosen = values.get(name)
                option = None if chosen is None else {"text": {"type": "plain_text", "text": chosen}, "value": chosen}
                state[name] = {element["action_id"]: {"type": "static_select", "selected_option": option}}
            else:
                state[name] = {element["action_id"]: {"type": "plain_text_input", "value": values.get(name)}}
        return self.slack_form({
            "type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": user, "team_id": TEAM_ID},
            "api_app_id": "A0E2E", "trigger_id": f"trigger-{time.time_ns()}",
            "view": {**view, "id": "V0FUZZ", "team_id": TEAM_ID, "state": {"values": state}},
        })

    # -- state --------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, int]:
        """Row count of every table: equal before and after means the request changed nothing."""
        if self._engine is None:
            self._engine = create_engine(self.database_url)
        counts = union_all(*(
            select(literal(name).label("t"), func.count().label("n")).select_from(Base.metadata.tables[name])
            for name in self.tables
        ))
        with self._engine.connect() as conn:
            return {str(t): int(n) for t, n in conn.execute(counts)}

    def idle(self, timeout: float = 15.0) -> None:
        """Wait until the server has answered every request it acknowledged.

        Its ``jambot_background_work`` gauge counts the answers still being worked on
        after an ack (Slack and Teams); the work is counted before the ack is sent, so
        at 0 every request answered so far has had all its effects.
        """
        deadline = time.monotonic() + timeout
        while (pending := self.background_work()) > 0:
            assert time.monotonic() < deadline, f"{pending} answer(s) still running after {timeout} s"
            time.sleep(0.02)

    def background_work(self) -> float:
        """The answers the server is still working on, from its /metrics."""
        metrics = self.request("GET", "/metrics").body.decode()
        return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                   if line.startswith("jambot_background_work{"))

    def logged_errors(self, *expected: str) -> list[dict[str, Any]]:
        """Error lines the server logged, except those whose traceback names an ``expected`` error.

        aiohttp logs refusing an over-long request line (answered 400) as an error: expected.
        """
        lines = [json.loads(x) for x in self.server.log().splitlines() if x.startswith("{")]
        allowed = ("LineTooLong", *expected)
        return [
            x for x in lines
            if x["level"] in ("error", "critical")
            and not any(name in x.get("exception", "") for name in allowed)
        ]

    def alive(self) -> bool:
        return self.server.running and self.request("GET", "/healthz").status == 200

    def stop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
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
    env = e2e_env(
        database_url, standin.slack, JAMBOT_CONFIG=str(E2E_ORG), JAMBOT_LOG_FORMAT="json",
        JAMBOT_WEBCHAT_RATE="1000000",  # the fuzzer is one client sending thousands of requests
    )
    server = ServerFactory(workdir).start(env, "fuzzed")
    standin.run(server.wait_healthy(60), timeout=70)
    return LiveServer(server, standin, database_url, sorted(Base.metadata.tables))


__all__ = ["BOT_TOKEN", "LiveServer", "start_live_server"]
