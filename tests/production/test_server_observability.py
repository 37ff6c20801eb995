"""A real ``jambot serve`` writes JSON lines without secrets and counts what it did at /metrics."""

from __future__ import annotations

import json

import aiohttp
from slack_harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    STAFF,
    JambotServer,
    SignedSlackRequests,
    e2e_env,
)
from standins.slack_api import SlackApiStandIn

from production.servers import ServerFactory

PSEUDONYM_SECRET = "e2e-pseudonym-secret"


def _metric(body: str, name: str) -> float:
    line = next((x for x in body.splitlines() if x.startswith(name + " ")), None)
    assert line is not None, f"{name} not in /metrics"
    return float(line.rsplit(" ", 1)[1])


async def test_json_logs_and_metrics_of_a_real_server(
    database_url: str, slack_standin: SlackApiStandIn, servers: ServerFactory
) -> None:
    server = servers.start(e2e_env(database_url, slack_standin, JAMBOT_LOG_FORMAT="json"))
    await server.wait_healthy()
    async with aiohttp.ClientSession() as http:
        slack = SignedSlackRequests(JambotServer(server.url, None, None, http), slack_standin)  # type: ignore[arg-type]
        answered = await slack.dm("Vad är CEMR?")
        abstained = await slack.dm("Hur lagar man en god kanelbulle med kardemumma?")
        assert (answered.status, abstained.status) == (200, 200)
        await slack_standin.wait_for("chat.postMessage", count=2, timeout=10)
        async with http.get(server.url + "/metrics", headers={"X-Request-Id": "scrape-1"}) as r:
            assert r.status == 200 and r.headers["X-Request-Id"] == "scrape-1"
            metrics = await r.text()
    assert server.terminate() == 0

    assert _metric(metrics, 'jambot_questions_total{platform="slack"}') == 2
    assert _metric(metrics, 'jambot_abstentions_total{platform="slack"}') == 1
    assert _metric(metrics, "jambot_answer_confidence_count") == 2
    assert _metric(
        metrics, 'jambot_http_requests_total{method="POST",route="/slack/events",status="200"}'
    ) == 2
    assert _metric(metrics, 'jambot_http_request_duration_seconds_count{route="/slack/events"}') == 2

    log = server.log()
    lines = [json.loads(x) for x in log.splitlines() if x.strip().startswith("{")]
    not_json = [x for x in log.splitlines() if x.strip() and not x.strip().startswith("{")]
    assert not_json == [], "every log line must be JSON"
    access = [x for x in lines if x["logger"] == "jambot.access" and x.get("route") == "/slack/events"]
    assert len(access) == 2 and len({x["request_id"] for x in access}) == 2
    assert all(x["status"] == 200 and x["duration_ms"] >= 0 for x in access)
    for secret in (BOT_TOKEN, SIGNING_SECRET, PSEUDONYM_SECRET, STAFF, "D" + STAFF[1:]):
        assert secret not in log, f"{secret!r} leaked into the log"
