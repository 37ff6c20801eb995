"""Structured logs: one JSON line per request or job, with a request id and nothing secret.

Operators search logs, so every line carries the request (or job) id that the
response's ``X-Request-Id`` header also shows. Logs are kept and shipped
elsewhere, so a redaction filter scrubs tokens, secrets and raw platform user
ids from every record before any handler formats it: a stray ``log.info(event)``
in an adapter must not leak them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus

request_id_var: ContextVar[str | None] = ContextVar("jambot_request_id", default=None)

REDACTED = "[redacted]"
USER_REDACTED = "[user]"

# Credentials whose shape is known, whatever their value.
_SECRET_PATTERNS = (
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]+"),  # Slack bot/user/app tokens
    re.compile(r"\bxapp-[A-Za-z0-9-]+"),  # Slack app-level token (Socket Mode)
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"),  # Authorization headers (Bot Framework JWT)
    re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),  # any JWT
    re.compile(r"(?i)(password|passwd|secret|token)(['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"),
    re.compile(r"(?i)(postgres(?:ql)?(?:\+\w+)?://[^:/@\s]+:)[^@\s]+@"),  # password in a DB URL
)
# Raw user ids: Slack (U…/W… with a digit, and a person's direct-message channel D…),
# Teams (29:…), Azure AD object ids (GUIDs).
_USER_PATTERNS = (
    re.compile(r"\b[UWD](?=[A-Z0-9]*\d)[A-Z0-9]{4,}\b"),
    re.compile(r"\b29:[A-Za-z0-9_-]+"),
    re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret value, credential-shaped string and user id replaced."""
    for value in secrets:
        if value:
            text = text.replace(value, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(_keep_label, text)
    for pattern in _USER_PATTERNS:
        text = pattern.sub(USER_REDACTED, text)
    return text


def _keep_label(match: re.Match[str]) -> str:
    # For "password=…" and DB URLs keep the key (group 1, 2) so the line stays readable.
    groups = [g for g in match.groups() if g is not None]
    if len(groups) == 2:
        return f"{groups[0]}{groups[1]}{REDACTED}"
    if len(groups) == 1:
        return f"{groups[0]}{REDACTED}@"
    return REDACTED


class RedactionFilter(logging.Filter):
    """Rewrites each record's message (with its arguments and traceback) in redacted form."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = _spellings(s for s in secrets if s and len(s) >= 4)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), self.secrets)
            record.exc_info = None
        for key in ("path", "query", "error"):
            value = getattr(record, key, None)
            if isinstance(value, str):
                setattr(record, key, redact(value, self.secrets))
        return True


def _spellings(secrets: Iterable[str]) -> tuple[str, ...]:
    """Each secret as written and as debug logs print it inside bodies: URL- and JSON-encoded.

    Longest first, so a longer spelling is replaced before a shorter one inside it.
    """
    found: set[str] = set()
    for secret in secrets:
        found |= {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}
    return tuple(sorted(found, key=len, reverse=True))


class RequestIdFilter(logging.Filter):
    """Stamps the current request or job id on every record logged while it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Human-readable lines for a terminal, with the request id when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(rid)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", None)
        record.rid = f" [{rid}]" if rid else ""
        return super().format(record)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record (it may be replaced)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(
    log_format: str = "text", secrets: Iterable[str] = (), level: int = logging.INFO
) -> logging.Handler:
    """Send every log record to stderr, redacted, as JSON or text; replaces earlier handlers."""
    handler = _StderrHandler()
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactionFilter(secrets))
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_jambot", False):
            root.removeHandler(old)
    handler._jambot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # aiohttp's own access log would duplicate our one line per request.
    logging.getLogger("aiohttp.access").propagate = False
    return handler


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(offered: str | None = None) -> str:
    """Keep a well-formed id from a proxy (``X-Request-Id``) so logs line up; else make one."""
    if offered and _REQUEST_ID.match(offered):
        return offered
    return uuid.uuid4().hex


_job_log = logging.getLogger("jambot.job")


@contextmanager
def job_context(name: str, **fields: Any) -> Iterator[str]:
    """Run a background job under its own id and log one line when it ends (with outcome)."""
    job_id = f"job-{uuid.uuid4().hex[:12]}"
    token = request_id_var.set(job_id)
    started = time.perf_counter()
    outcome = "ok"
    try:
        yield job_id
    except BaseException:
        outcome = "error"
        _job_log.exception("job %s failed", name, extra={"job": name, **fields})
        raise
    finally:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        _job_log.info(
            "job %s %s in %.1f ms", name, outcome, duration_ms,
            extra={"job": name, "outcome": outcome, "duration_ms": duration_ms, **fields},
        )
        request_id_var.reset(token)
