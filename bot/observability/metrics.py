"""Prometheus metrics: what operators and strategists watch on a dashboard.

Counters live in this process; with several replicas Prometheus scrapes each and
sums them. The core calls the small ``record_*`` functions (no platform SDKs,
no prometheus types leak out), the HTTP middleware counts requests, and
``metrics_handler`` serves them at ``/metrics``.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

HTTP_REQUESTS = Counter(
    "jambot_http_requests", "HTTP requests handled, by route and status", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "jambot_http_request_duration_seconds", "Time to answer an HTTP request (the ack, for platforms)",
    ["route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 3.0, 10.0),
)
QUESTIONS = Counter("jambot_questions", "Questions answered or abstained on", ["platform"])
ANSWER_CONFIDENCE = Histogram(
    "jambot_answer_confidence", "Confidence of the best match for each question",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
)
ABSTENTIONS = Counter("jambot_abstentions", "Questions the bot did not dare to answer", ["platform"])
ESCALATIONS = Counter("jambot_escalations", "Questions passed on to the strategists", ["platform"])
REMINDERS_SENT = Counter("jambot_reminders_sent", "Reminders delivered", ["platform"])
REMINDERS_FAILED = Counter("jambot_reminders_failed", "Reminder deliveries that failed", ["platform"])
UPDATES_COLLECTED = Counter("jambot_status_updates", "Status update revisions stored", ["platform"])
BACKGROUND_WORK = Gauge(
    "jambot_background_work", "Requests acknowledged and still being answered", ["platform"]
)


def record_answer(platform: str, confidence: float, abstained: bool) -> None:
    QUESTIONS.labels(platform).inc()
    ANSWER_CONFIDENCE.observe(max(0.0, min(1.0, confidence)))
    if abstained:
        ABSTENTIONS.labels(platform).inc()


def record_escalation(platform: str) -> None:
    ESCALATIONS.labels(platform).inc()


def record_reminder(platform: str, delivered: bool) -> None:
    (REMINDERS_SENT if delivered else REMINDERS_FAILED).labels(platform).inc()


class PrometheusReminderMetrics:
    """The reporting cycle's ``ReminderMetrics`` port, counted in this process's registry."""

    def reminder_outcome(self, platform: str, delivered: bool) -> None:
        record_reminder(platform, delivered)


def record_status_update(platform: str) -> None:
    UPDATES_COLLECTED.labels(platform).inc()


def record_background_work(platform: str, change: int) -> None:
    BACKGROUND_WORK.labels(platform).inc(change)


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_LATENCY.labels(route).observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The text format Prometheus scrapes, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
