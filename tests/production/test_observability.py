"""Logs carry a request id and never a token or raw user id; /metrics counts what happened."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.observability.http import setup_observability
from bot.observability.logging import JsonFormatter, configure_logging, job_context, redact
from bot.observability.metrics import record_answer, record_reminder, record_status_update

BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIyOToxMjMifQ.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    ("raw", "leak"),
    [
        (f"posting with token {BOT_TOKEN}", BOT_TOKEN),
        ("socket mode xapp-1-A0123-456-abcdef", "xapp-1-A0123-456-abcdef"),
        (f"Authorization: Bearer {JWT}", JWT),
        (f"jwt {JWT} rejected", JWT),
        ("password=hunter2 in config", "hunter2"),
        ('{"client_secret": "s3cr3t-value"}', "s3cr3t-value"),
        ("postgresql+psycopg://jambot:pa55word@db:5432/jambot", "pa55word"),
        ("message from U0123ABCD in C0HSF", "U0123ABCD"),
        ("Teams user 29:1AbCdEfGhIjKlMnOp wrote", "29:1AbCdEfGhIjKlMnOp"),
        ("aad 00000000-0000-0000-0000-0000000000b1 joined", "00000000-0000-0000-0000-0000000000b1"),
    ],
)
def test_redact_removes_credentials_and_user_ids(raw: str, leak: str) -> None:
    cleaned = redact(raw)
    assert leak not in cleaned
    assert "[redacted]" in cleaned or "[user]" in cleaned


def test_redact_keeps_ordinary_text_and_known_secret_values() -> None:
    assert redact("Vad är jämställdhetsintegrering? Kanal C0HSF, 2025-Q1") == (
        "Vad är jämställdhetsintegrering? Kanal C0HSF, 2025-Q1"
    )
    assert redact(f"sig {SIGNING_SECRET}!", secrets=[SIGNING_SECRET]) == "sig [redacted]!"


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    handler = configure_logging("json", secrets=[SIGNING_SECRET])
    yield capsys
    logging.getLogger().removeHandler(handler)


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    err = capsys.readouterr().err
    return [json.loads(line) for line in err.splitlines() if line.strip()]


async def test_one_json_line_per_request_with_request_id_and_nothing_secret(
    json_logs: pytest.CaptureFixture[str],
) -> None:
    log = logging.getLogger("jambot.test")

    async def leaky(request: web.Request) -> web.Response:
        log.info("event from %s with %s and %s", "U0LEAKY99", BOT_TOKEN, SIGNING_SECRET)
        return web.json_response({"ok": True})

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError(f"boom with {BOT_TOKEN}")

    app = web.Application()
    setup_observability(app)
    app.router.add_post("/slack/events", leaky)
    app.router.add_get("/broken", broken)
    async with TestClient(TestServer(app)) as client:
        first = await client.post("/slack/events", json={}, headers={"X-Request-Id": "abc-123"})
        second = await client.post("/slack/events", json={}, headers={"X-Request-Id": "bad id <script>"})
        failed = await client.get("/broken")
        failed_body = await failed.json()
        metrics = await (await client.get("/metrics")).text()

    assert first.headers["X-Request-Id"] == "abc-123"
    assert second.headers["X-Request-Id"] != "bad id <script>" and len(second.headers["X-Request-Id"]) == 32
    assert failed.status == 500
    assert failed_body == {"error": "internal error", "request_id": failed.headers["X-Request-Id"]}
    lines = _lines(json_logs)
    text = json.dumps(lines)
    for leak in (BOT_TOKEN, SIGNING_SECRET, "U0LEAKY99"):
        assert leak not in text
    app_lines = [x for x in lines if x["logger"] == "jambot.test"]
    access = [x for x in lines if x["logger"] == "jambot.access" and x.get("route") == "/slack/events"]
    assert [x["request_id"] for x in app_lines] == ["abc-123", second.headers["X-Request-Id"]]
    assert [(x["request_id"], x["status"]) for x in access] == [
        ("abc-123", 200), (second.headers["X-Request-Id"], 200)
    ]
    errors = [x for x in lines if x.get("route") == "/broken"]
    assert errors and all(x["request_id"] == failed.headers["X-Request-Id"] for x in errors)
    assert any("RuntimeError" in str(x.get("exception", "")) for x in errors)
    assert 'jambot_http_requests_total{method="POST",route="/slack/events",status="200"}' in metrics


def test_job_lines_carry_their_own_id_and_outcome(json_logs: pytest.CaptureFixture[str]) -> None:
    with job_context("reminders", period="2025-Q1") as job_id:
        logging.getLogger("jambot.test").info("sending to U0HSF1234")
    with pytest.raises(ValueError), job_context("exports"):
        raise ValueError("bad")
    lines = _lines(json_logs)
    done = [x for x in lines if x["logger"] == "jambot.job" and x.get("outcome")]
    assert [(x["job"], x["outcome"]) for x in done] == [("reminders", "ok"), ("exports", "error")]
    inner = next(x for x in lines if x["logger"] == "jambot.test")
    assert inner["request_id"] == job_id and inner["message"] == "sending to [user]"
    assert done[0]["period"] == "2025-Q1"


def test_text_format_is_the_default_and_still_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    handler = configure_logging("text")
    try:
        logging.getLogger("jambot.test").warning("token %s", BOT_TOKEN)
    finally:
        logging.getLogger().removeHandler(handler)
    err = capsys.readouterr().err
    assert "WARNING jambot.test: token [redacted]" in err and BOT_TOKEN not in err


def test_json_formatter_keeps_extras() -> None:
    record = logging.makeLogRecord({"msg": "hej", "levelname": "INFO", "name": "x", "org_id": "r"})
    assert json.loads(JsonFormatter().format(record))["org_id"] == "r"


async def test_metrics_expose_the_domain_counters() -> None:
    record_answer("slack", 0.83, abstained=False)
    record_answer("teams", 0.12, abstained=True)
    record_reminder("slack", delivered=True)
    record_reminder("teams", delivered=False)
    record_status_update("slack")
    app = web.Application()
    setup_observability(app)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/metrics")
        body = await response.text()
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    for name in (
        'jambot_questions_total{platform="teams"}',
        'jambot_abstentions_total{platform="teams"}',
        'jambot_answer_confidence_bucket{le="0.9"}',
        'jambot_reminders_sent_total{platform="slack"}',
        'jambot_reminders_failed_total{platform="teams"}',
        'jambot_status_updates_total{platform="slack"}',
    ):
        line = next((x for x in body.splitlines() if x.startswith(name)), None)
        assert line is not None, name
        assert float(line.split()[-1]) >= 1.0
