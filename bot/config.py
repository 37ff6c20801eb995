"""The one place that reads configuration.

Two sources, validated once at start-up so that a typo surfaces as a clear
``path: message`` error instead of a surprise at 09:00 on a reminder day:

* ``Settings``: process settings from the environment (database, secrets, ports).
* ``OrgConfig``: the organisation YAML (strategists, administrations, reporting cycle).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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


class ConfigError(Exception):
    """A configuration problem, already phrased for a human (one problem per line)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


# ---------------------------------------------------------------------------
# Organisation YAML
# ---------------------------------------------------------------------------

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """Someone the bot can reach on one or more platforms."""

    name: str = Field(min_length=1, max_length=200)
    slack: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,}$")
    teams: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @model_validator(mode="after")
    def _reachable(self) -> Person:
        if not (self.slack or self.teams or self.email):
            raise ValueError("needs at least one of slack, teams or email")
        return self


class Organisation(_Strict):
    id: Slug
    name: str = Field(min_length=1, max_length=200)
    timezone: str = "Europe/Stockholm"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class Escalation(_Strict):
    slack_channel: str | None = Field(default=None, pattern=r"^[CGD][A-Z0-9]{2,}$")
    teams_channel: str | None = Field(default=None, min_length=1)


class Administration(_Strict):
    """A förvaltning with its chosen development area (utvecklingsområde)."""

    id: Slug
    name: str = Field(min_length=1, max_length=200)
    development_area: str = Field(min_length=1, max_length=500)
    slack_channel: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,}$")
    teams_channel: str | None = Field(default=None, min_length=1)
    contacts: list[Person] = Field(min_length=1)


QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")


class DeadlineRule(_Strict):
    working_days_after_quarter_end: int = Field(default=10, ge=0, le=60)
    dates: dict[str, date] = Field(default_factory=dict)

    @field_validator("dates")
    @classmethod
    def _quarter_keys(cls, value: dict[str, date]) -> dict[str, date]:
        for key in value:
            if not QUARTER_KEY.match(str(key)):
                raise ValueError(f"{key!r} is not a quarter like 2025-Q1")
        return value


class ReminderRule(_Strict):
    working_days_before_deadline: list[Annotated[int, Field(ge=1, le=60)]] = Field(
        default_factory=lambda: [10, 3]
    )
    on_deadline: bool = True
    overdue_every_working_days: int = Field(default=3, ge=1, le=60)
    overdue_max: int = Field(default=3, ge=0, le=20)


class QuietPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: date = Field(alias="from")
    to: date

    @model_validator(mode="after")
    def _ordered(self) -> QuietPeriod:
        if self.to < self.from_:
            raise ValueError("'to' is before 'from'")
        return self


class Reporting(_Strict):
    deadline: DeadlineRule = Field(default_factory=DeadlineRule)
    reminders: ReminderRule = Field(default_factory=ReminderRule)
    send_time: time = time(9, 0)
    quiet_periods: list[QuietPeriod] = Field(default_factory=list)
    # The board paper (docx export): its case number (diarienummer) and who it is sent to.
    case_number: str = Field(default="", max_length=100)
    send_to: str = Field(default="", max_length=500)

    @field_validator("send_time", mode="before")
    @classmethod
    def _hh_mm(cls, value: Any) -> Any:
        if isinstance(value, int):  # YAML 1.1 reads 09:00 unquoted as sexagesimal 540
            return time(value // 60, value % 60)
        if isinstance(value, str) and not re.fullmatch(r"\d{1,2}:\d{2}", value):
            raise ValueError('must be HH:MM, e.g. "09:00"')
        return value


class OrgConfig(_Strict):
    organisation: Organisation
    strategists: list[Person] = Field(min_length=1)
    escalation: Escalation = Field(default_factory=Escalation)
    administrations: list[Administration] = Field(default_factory=list)
    reporting: Reporting = Field(default_factory=Reporting)

    @model_validator(mode="after")
    def _unique_administrations(self) -> OrgConfig:
        seen: set[str] = set()
        for adm in self.administrations:
            if adm.id in seen:
                raise ValueError(f"duplicate administration id {adm.id!r}")
            seen.add(adm.id)
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.organisation.timezone)

    def administration(self, administration_id: str) -> Administration | None:
        return next((a for a in self.administrations if a.id == administration_id), None)

    def is_strategist(self, platform: str, user_id: str) -> bool:
        return any(getattr(p, platform, None) == user_id for p in self.strategists)

    def administrations_of(self, platform: str, user_id: str) -> list[Administration]:
        """The administrations this user is a contact of (may report for)."""
        return [
            a
            for a in self.administrations
            if any(getattr(c, platform, None) == user_id for c in a.contacts)
        ]

    def teams_addresses(self) -> frozenset[str]:
        """Every Teams id and channel this config names: references the bot must keep."""
        people = [*self.strategists, *(c for a in self.administrations for c in a.contacts)]
        channels = [self.escalation.teams_channel, *(a.teams_channel for a in self.administrations)]
        return frozenset(x for x in [*(p.teams for p in people), *channels] if x)

    def person(self, platform: str, user_id: str) -> Person | None:
        for p in [*self.strategists, *(c for a in self.administrations for c in a.contacts)]:
            if getattr(p, platform, None) == user_id:
                return p
        return None


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + ("from" if part == "from_" else str(part))
    return out or "(top level)"


def _format_validation_error(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = _format_loc(tuple(err["loc"]))
        if err["type"] == "missing":
            message = "required"
        elif err["type"] == "extra_forbidden":
            message = "unknown key"
        else:
            message = str(err["msg"]).removeprefix("Value error, ")
        problems.append(f"{loc}: {message}")
    return problems


def parse_org_config(data: Any, source: str = "<config>") -> OrgConfig:
    """Validate an already-parsed YAML document; raise ConfigError with path: message lines."""
    if not isinstance(data, dict):
        raise ConfigError([f"{source}: the file must be a YAML mapping (key: value)"])
    try:
        return OrgConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc)) from None


def load_org_config(path: str | os.PathLike[str]) -> OrgConfig:
    """Read and validate the organisation YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{p}: file not found"]) from None
    except OSError as exc:
        raise ConfigError([f"{p}: cannot read ({exc.strerror})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}" if mark is not None else str(p)
        raise ConfigError([f"{where}: YAML error: {getattr(exc, 'problem', exc)}"]) from None
    return parse_org_config(data, str(p))


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
