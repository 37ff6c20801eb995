"""The one place that reads configuration, validated once at start-up.

* ``Settings``: process settings from the environment (database, secrets, ports).
* ``OrgConfig``: the organisation YAML (strategists, administrations, reporting cycle),
  whose schema belongs to the reporting cycle (``reminders/organisation.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from reminders.organisation import ConfigError

DEFAULT_CONFIG_PATH = Path("config/jambot.yaml")


def default_data_dir(env: dict[str, str] | None = None) -> Path:
    """Where the SQLite default lives, whatever the current directory: one documented place.

    ``$JAMBOT_DATA_DIR``, else ``$XDG_DATA_HOME/jambot``, else ``~/.local/share/jambot``.
    """
    e = os.environ if env is None else env
    if e.get("JAMBOT_DATA_DIR"):
        return Path(e["JAMBOT_DATA_DIR"]).expanduser()
    base = Path(e["XDG_DATA_HOME"]) if e.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "jambot"


def default_sqlite_url(env: dict[str, str] | None = None) -> str:
    """``sqlite:///<data dir>/jambot.db``, creating the directory so SQLite can create the file."""
    directory = default_data_dir(env)
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(directory / 'jambot.db').resolve()}"


DEFAULT_SQLITE_URL = "sqlite:///jambot.db"  # only Settings() built in code; from_env uses the above
# The pseudonym key of a bot with no platform: anyone can read it here, so a server that
# talks to real people on Slack or Teams must not start with it (their keys would be guessable).
DEV_PSEUDONYM_SECRET = "jambot-local-development-only"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


# ---------------------------------------------------------------------------
# Process settings (environment)
# ---------------------------------------------------------------------------

AppType = Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"]


@dataclass(frozen=True)
class Settings:
    """Every environment variable Jämbot reads, documented in the README."""

    database_url: str = DEFAULT_SQLITE_URL
    kb_dir: Path | None = None
    config_path: Path = DEFAULT_CONFIG_PATH
    host: str = "127.0.0.1"
    port: int = 3978
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = None
    microsoft_app_tenant_id: str | None = None
    microsoft_app_type: AppType = "MultiTenant"
    webchat: bool | None = None
    log_retention_days: int = 365
    pseudonym_secret: str = DEV_PSEUDONYM_SECRET
    public_url: str | None = None
    run_migrations: bool = True
    scheduler: bool = True
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    lease_seconds: int = 45
    now: datetime | None = None
    # The local demo organisation (bot/demo.py): JAMBOT_DEMO=1/0; unset = on only when no
    # organisation config is named and no Slack/Teams credentials are set.
    demo: bool = False
    # May anonymous web-chat users pass questions to the strategists? JAMBOT_WEBCHAT_ESCALATION=1/0;
    # unset = only when no Slack/Teams credentials are set (the web chat is then a local tool).
    webchat_escalation: bool = False
    # Questions and button presses one web-chat client may send per minute, after a burst of 20.
    webchat_rate: int = 60
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def teams_authenticated(self) -> bool:
        return bool(self.microsoft_app_id and self.microsoft_app_password)

    @property
    def platform_configured(self) -> bool:
        """Whether any Slack or Teams credential is set: the bot then talks to real people."""
        return bool(self.slack_bot_token or self.slack_app_token or self.microsoft_app_id)

    @property
    def webchat_enabled(self) -> bool:
        if self.webchat is not None:
            return self.webchat
        return not (self.slack_enabled or self.teams_authenticated)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = dict(os.environ if env is None else env)
        problems: list[str] = []

        def flag(name: str) -> bool | None:
            raw = e.get(name)
            if raw is None or raw == "":
                return None
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            problems.append(f"{name}: expected 1/0, true/false, got {raw!r}")
            return None

        def integer(name: str, default: int) -> int:
            raw = e.get(name)
            if not raw:
                return default
            try:
                return int(raw)
            except ValueError:
                problems.append(f"{name}: expected a whole number, got {raw!r}")
                return default

        app_type = e.get("MICROSOFT_APP_TYPE") or "MultiTenant"
        if app_type not in ("MultiTenant", "SingleTenant", "UserAssignedMSI"):
            problems.append(
                f"MICROSOFT_APP_TYPE: expected MultiTenant, SingleTenant or UserAssignedMSI, got {app_type!r}"
            )
            app_type = "MultiTenant"
        log_format = e.get("JAMBOT_LOG_FORMAT") or "text"
        if log_format not in ("text", "json"):
            problems.append(f"JAMBOT_LOG_FORMAT: expected text or json, got {log_format!r}")
            log_format = "text"
        log_level = (e.get("JAMBOT_LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            problems.append(
                f"JAMBOT_LOG_LEVEL: expected one of {', '.join(LOG_LEVELS)}, got {log_level!r}"
            )
            log_level = "INFO"
        api_url = e.get("SLACK_API_URL") or "https://slack.com/api/"
        lease_seconds = integer("JAMBOT_LEASE_SECONDS", 45)
        if lease_seconds < 3:
            problems.append(f"JAMBOT_LEASE_SECONDS: at least 3 seconds, got {lease_seconds}")
        now: datetime | None = None
        if e.get("JAMBOT_NOW"):
            try:
                now = datetime.fromisoformat(e["JAMBOT_NOW"])
            except ValueError:
                now = None
            if now is None or now.tzinfo is None:
                problems.append(
                    f"JAMBOT_NOW: expected an ISO time with offset, e.g. 2025-04-04T09:30+02:00, got {e['JAMBOT_NOW']!r}"
                )
                now = None
        settings = cls(
            database_url=e.get("DATABASE_URL") or default_sqlite_url(e),
            kb_dir=Path(e["JAMBOT_KB_DIR"]) if e.get("JAMBOT_KB_DIR") else None,
            config_path=Path(e.get("JAMBOT_CONFIG") or DEFAULT_CONFIG_PATH),
            host=e.get("JAMBOT_HOST") or "127.0.0.1",
            port=integer("JAMBOT_PORT", 3978),
            slack_bot_token=e.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=e.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=e.get("SLACK_APP_TOKEN") or None,
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            microsoft_app_id=e.get("MICROSOFT_APP_ID") or None,
            microsoft_app_password=e.get("MICROSOFT_APP_PASSWORD") or None,
            microsoft_app_tenant_id=e.get("MICROSOFT_APP_TENANT_ID") or None,
            microsoft_app_type=app_type,  # type: ignore[arg-type]
            webchat=flag("JAMBOT_WEBCHAT"),
            log_retention_days=integer("JAMBOT_LOG_RETENTION_DAYS", 365),
            pseudonym_secret=e.get("JAMBOT_PSEUDONYM_SECRET") or DEV_PSEUDONYM_SECRET,
            public_url=e.get("JAMBOT_PUBLIC_URL") or None,
            run_migrations=flag("JAMBOT_AUTO_MIGRATE") is not False,
            scheduler=flag("JAMBOT_SCHEDULER") is not False,
            log_format=log_format,  # type: ignore[arg-type]
            log_level=log_level,
            lease_seconds=lease_seconds,
            now=now,
            webchat_rate=integer("JAMBOT_WEBCHAT_RATE", 60),
        )
        if settings.webchat_rate < 1:
            problems.append(
                f"JAMBOT_WEBCHAT_RATE: at least 1 a minute, got {settings.webchat_rate}"
            )
        platforms = settings.slack_enabled or settings.teams_authenticated
        demo_flag = flag("JAMBOT_DEMO")
        demo = demo_flag if demo_flag is not None else not (e.get("JAMBOT_CONFIG") or platforms)
        escalation = flag("JAMBOT_WEBCHAT_ESCALATION")
        settings = replace(
            settings,
            demo=demo,
            # The demo's contacts are the web-chat user, whom no reminder reaches: no scheduler
            # there unless asked for (it would only report "unreachable contacts" at each start).
            scheduler=settings.scheduler and (not demo or flag("JAMBOT_SCHEDULER") is True),
            webchat_escalation=escalation if escalation is not None else not platforms,
        )
        problems += _platform_problems(settings)
        if problems:
            raise ConfigError(problems)
        return settings


def _platform_problems(settings: Settings) -> list[str]:
    """What a server talking to real people on Slack or Teams must have set.

    Without ``JAMBOT_PUBLIC_URL`` a download link's host would have to come from a request
    header, which anyone can forge; with the public default pseudonym secret anyone could
    recompute who is behind a "pseudonymous" user key.
    """
    if not settings.platform_configured:
        return []
    problems = []
    if settings.pseudonym_secret == DEV_PSEUDONYM_SECRET:
        problems.append(
            "JAMBOT_PSEUDONYM_SECRET: required when Slack or Teams is configured "
            "(a long random string, e.g. from `openssl rand -hex 32`)"
        )
    if settings.public_url is None:
        problems.append(
            "JAMBOT_PUBLIC_URL: required when Slack or Teams is configured "
            "(the address people reach the bot at, e.g. https://jambot.region.se)"
        )
    elif not _is_base_url(settings.public_url):
        problems.append(
            "JAMBOT_PUBLIC_URL: expected an http(s) address with no user, query or fragment, "
            f"e.g. https://jambot.region.se, got {settings.public_url!r}"
        )
    return problems


def _is_base_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and "@" not in parts.netloc
        and not (parts.query or parts.fragment)
        and not any(c.isspace() or c == "\\" for c in url)
    )
