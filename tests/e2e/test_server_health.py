"""GET /healthz: 200 with what is running, 503 when the database is unreachable."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_harness import E2E_KB

from bot.app import build_context, load_kb
from bot.config import Settings
from bot.db import Database
from bot.server import HealthCheck


async def test_health_reports_database_knowledge_base_and_platforms(jambot_server):
    status, body = await jambot_server.get("/healthz")
    assert status == 200
    assert body["status"] == "ok" and body["database"] is True
    assert body["kb_entries"] == 4
    assert body["organisation"] == "region-exempel"
    assert body["platforms"] == ["slack", "teams", "web"]
    assert body["version"]


async def test_health_is_503_when_the_database_is_down():
    settings = Settings.from_env({"JAMBOT_KB_DIR": str(E2E_KB)})
    # Nothing listens on port 1: the ping fails the way it does when PostgreSQL is down.
    down = Database("postgresql+psycopg://jambot@127.0.0.1:1/jambot?connect_timeout=2")
    context = build_context(settings, None, load_kb(settings), db=down)
    app = web.Application()
    app.router.add_get("/healthz", HealthCheck(context).handle)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get("/healthz")
        body = await response.json()
    assert response.status == 503
    assert body["status"] == "unavailable" and body["database"] is False
    down.dispose()
