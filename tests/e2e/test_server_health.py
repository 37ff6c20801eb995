"""GET /healthz: 200 with what is running, 503 when the database is unreachable."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_harness import E2E_KB
from sqlalchemy import select

from bot.app import build_context, load_kb
from bot.config import Settings
from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import QuestionLog
from bot.server import HealthCheck


async def test_health_reports_database_knowledge_base_and_platforms(jambot_server):
    status, body = await jambot_server.get("/healthz")
    assert status == 200
    assert body["status"] == "ok" and body["database"] is True
    assert body["kb_entries"] == 4
    assert body["organisation"] == "region-exempel"
    assert body["platforms"] == ["slack", "web"]  # Teams only with MICROSOFT_APP_ID
    assert body["demo"] is False
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


class TestRetentionAtStart:
    @pytest.fixture
    def old_question(self, db):
        """A question logged 400 days ago, before the server starts (retention is 365 days)."""
        with db.session() as session:
            session.add(QuestionLog(
                org_id="region-exempel", platform="slack", user_key="k", question="gammal fråga",
                lang="sv", entry_id=None, confidence=0.1, abstained=True,
                created_at=utcnow() - timedelta(days=400),
            ))

    async def test_expired_question_logs_are_purged_when_the_server_starts(self, old_question, jambot_server):
        for _ in range(50):
            with jambot_server.db.session() as session:
                if not session.scalars(select(QuestionLog)).all():
                    return
            await asyncio.sleep(0.05)
        raise AssertionError("the 400-day-old question was not purged at start")


def test_serve_on_a_taken_port_says_so_and_exits_2(tmp_path):
    jambot = Path(sys.executable).parent / "jambot"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}", "JAMBOT_SCHEDULER": "0",
               "JAMBOT_KB_DIR": str(E2E_KB)}
        done = subprocess.run([str(jambot), "serve", "--port", str(port)], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"jambot serve: kan inte lyssna på 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_without_a_reachable_database_says_so_and_exits_2(tmp_path):
    jambot = Path(sys.executable).parent / "jambot"
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://jambot@127.0.0.1:1/jambot?connect_timeout=2",
           "JAMBOT_SCHEDULER": "0", "JAMBOT_KB_DIR": str(E2E_KB)}
    done = subprocess.run([str(jambot), "serve", "--port", "0"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "jambot serve: databasen går inte att använda: connection failed" in done.stderr
    assert "Traceback" not in done.stderr
