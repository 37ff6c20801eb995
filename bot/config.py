"""The one place that reads configuration, validated once at start-up.

* ``Settings``: process settings from the environment (database, secrets, ports).
* ``OrgConfig``: the organisation YAML (strategists, administrations, reporting cycle),
  whose schema belongs to the reporting cycle (``reminders/organisation.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reminders.organisation import ConfigError

DEFAULT_CONFIG_PATH = Path("config/jambot.yaml")


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the SQLite default lives, whatever the current directory: one documented place.

    ``$JAMBOT_DATA_DIR``, else ``$XDG_DATA_HOME/jambot``, else ``~/.local/share/jambot``.
    """
    e = os.environ if env is None else env
    if e.get("JAMBOT_DATA_DIR"):
        return Path(e["JAMBOT_DATA_DIR"]).expanduser()
    base = Path(e["XDG_DATA_HOME"]) if e.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "jambot"


def default_sqlite_url(env: Mapping[str, str] | None = None) -> str:
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
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
# Validating with this context means "these are environment variables": the defaults that depend
# on other variables and the rules for a server that talks to real people apply only then.
_ENVIRONMENT = {"source": "environment"}


def _problem(text: str) -> PydanticCustomError:
    """A problem with one variable, phrased for the operator; ``from_env`` prefixes its name."""
    return PydanticCustomError("jambot_setting", "{text}", {"text": text})


def _flag(raw: object) -> object:
    """``1/0``, ``true/false``, ``yes/no``, ``on/off`` in any case, and nothing else."""
    if not isinstance(raw, str):
        return raw
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise _problem(f"expected 1/0, true/false, got {raw!r}")


def _whole_number(raw: object) -> object:
    """Python's ``int()`` of the text (``" 7 "`` and ``"+5"`` included, ``"1.5"`` not)."""
    if not isinstance(raw, str):
        return raw
    try:
        return int(raw)
    except ValueError:
        raise _problem(f"expected a whole number, got {raw!r}") from None


def _at_least(minimum: int, unit: str) -> AfterValidator:
    def check(value: int) -> int:
        if value < minimum:
            raise _problem(f"at least {minimum} {unit}, got {value}")
        return value

    return AfterValidator(check)


def _one_of(
    choices: tuple[str, ...], expected: str, normalise: Callable[[str], str] = str
) -> BeforeValidator:
    """A word from a fixed list; the problem says which words (``expected``) and what was given."""

    def check(raw: object) -> object:
        if not isinstance(raw, str):
            return raw
        value = normalise(raw)
        if value not in choices:
            raise _problem(f"expected {expected}, got {value!r}")
        return value

    return BeforeValidator(check)


def _aware_time(raw: object) -> object:
    """An ISO time with its offset: a fixed clock without one would shift by the server's zone."""
    if raw is None:
        return None
    value = raw
    if isinstance(raw, str):
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise _problem(
            f"expected an ISO time with offset, e.g. 2025-04-04T09:30+02:00, got {raw!r}"
        )
    return value


def _api_base(url: str) -> str:
    """slack_sdk joins method names onto the base, so it must end with a slash."""
    return url if url.endswith("/") else url + "/"


def _read(variable: str, default: Any, *, secret: bool = False) -> Any:
    """A field read from environment ``variable`` (its alias; code passes the field's name).

    A secret stays out of the settings' repr, and so out of any log or traceback that prints it.
    """
    return Field(default=default, validation_alias=variable, repr=not secret)


Flag = Annotated[bool, BeforeValidator(_flag)]
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


class Settings(BaseModel):
    """Every environment variable Jämbot reads, documented in the README, one field each.

    ``Settings.from_env()`` reads the environment (the server, the CLI); ``Settings(...)`` with
    field names builds settings in code (tests, benches) on the same defaults and value checks,
    without the defaults derived from other variables and without the platform rules: code
    talks to local stand-ins, the environment describes a deployment.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True
    )

    database_url: str = _read("DATABASE_URL", DEFAULT_SQLITE_URL, secret=True)  # may hold a password
    kb_dir: Path | None = _read("JAMBOT_KB_DIR", None)
    config_path: Path = _read("JAMBOT_CONFIG", DEFAULT_CONFIG_PATH)
    host: str = _read("JAMBOT_HOST", "127.0.0.1")
    port: WholeNumber = _read("JAMBOT_PORT", 3978)
    slack_bot_token: str | None = _read("SLACK_BOT_TOKEN", None, secret=True)
    slack_signing_secret: str | None = _read("SLACK_SIGNING_SECRET", None, secret=True)
    slack_app_token: str | None = _read("SLACK_APP_TOKEN", None, secret=True)
    slack_api_url: Annotated[str, AfterValidator(_api_base)] = _read(
        "SLACK_API_URL", "https://slack.com/api/"
    )
    microsoft_app_id: str | None = _read("MICROSOFT_APP_ID", None)
    microsoft_app_password: str | None = _read("MICROSOFT_APP_PASSWORD", None, secret=True)
    microsoft_app_tenant_id: str | None = _read("MICROSOFT_APP_TENANT_ID", None)
    microsoft_app_type: Annotated[
        AppType, _one_of(get_args(AppType), "MultiTenant, SingleTenant or UserAssignedMSI")
    ] = _read("MICROSOFT_APP_TYPE", "MultiTenant")
    # Unset: on only when no Slack or Teams credentials are set (see ``webchat_enabled``).
    webchat: Annotated[bool | None, BeforeValidator(_flag)] = _read("JAMBOT_WEBCHAT", None)
    log_retention_days: WholeNumber = _read("JAMBOT_LOG_RETENTION_DAYS", 365)
    pseudonym_secret: str = _read("JAMBOT_PSEUDONYM_SECRET", DEV_PSEUDONYM_SECRET, secret=True)
    public_url: str | None = _read("JAMBOT_PUBLIC_URL", None)
    run_migrations: Flag = _read("JAMBOT_AUTO_MIGRATE", True)
    # From the environment, unset: off in the demo (its contacts are the web-chat user, whom no
    # reminder reaches: a scheduler would only report "unreachable contacts" at each start).
    scheduler: Flag = _read("JAMBOT_SCHEDULER", True)
    log_format: Annotated[Literal["text", "json"], _one_of(("text", "json"), "text or json")] = (
        _read("JAMBOT_LOG_FORMAT", "text")
    )
    log_level: Annotated[
        str, _one_of(LOG_LEVELS, f"one of {', '.join(LOG_LEVELS)}", normalise=str.upper)
    ] = _read("JAMBOT_LOG_LEVEL", "INFO")
    lease_seconds: Annotated[WholeNumber, _at_least(3, "seconds")] = _read(
        "JAMBOT_LEASE_SECONDS", 45
    )
    now: Annotated[datetime | None, BeforeValidator(_aware_time)] = _read("JAMBOT_NOW", None)
    # The local demo organisation (bot/demo.py). From the environment, unset: on only when no
    # organisation config is named and no Slack/Teams credentials are set.
    demo: Flag = _read("JAMBOT_DEMO", False)
    # May anonymous web-chat users pass questions to the strategists? From the environment,
    # unset: only when no Slack/Teams credentials are set (the web chat is then a local tool).
    webchat_escalation: Flag = _read("JAMBOT_WEBCHAT_ESCALATION", False)
    # Questions and button presses one web-chat client may send per minute, after a burst of 20.
    webchat_rate: Annotated[WholeNumber, _at_least(1, "a minute")] = _read(
        "JAMBOT_WEBCHAT_RATE", 60
    )

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
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment (``os.environ``, or exactly ``env``) describes.

        An empty variable counts as unset. Every problem is raised at once as one
        ``ConfigError`` line per problem, starting with the variable's name.
        """
        source = os.environ if env is None else env
        given = {name: value for name in ENVIRONMENT_NAMES if (value := source.get(name))}
        try:
            return cls._validate_environment(given)
        except ValidationError as exc:
            problems = _problems(exc)
            invalid = {_variable(error["loc"][0]) for error in exc.errors() if error["loc"]}
        if invalid:
            # The rules between variables only see valid values: check them once more with each
            # invalid variable at its default, so the operator learns everything in one start.
            try:
                cls._validate_environment({k: v for k, v in given.items() if k not in invalid})
            except ValidationError as exc:
                problems += _problems(exc)
        raise ConfigError(problems)

    @classmethod
    def _validate_environment(cls, given: dict[str, str]) -> Settings:
        return cls.model_validate(given, by_alias=True, by_name=False, context=_ENVIRONMENT)

    @model_validator(mode="before")
    @classmethod
    def _database_default(cls, data: Any, info: ValidationInfo) -> Any:
        """From the environment the SQLite default lives in the data directory, whatever the
        current directory; the data directory's own variables are no settings of their own."""
        if info.context != _ENVIRONMENT or not isinstance(data, dict):
            return data
        settings = {k: v for k, v in data.items() if k not in DATA_DIR_VARIABLES}
        if "DATABASE_URL" not in settings:
            settings["DATABASE_URL"] = default_sqlite_url(data)
        return settings

    @model_validator(mode="after")
    def _rules_for_real_people(self, info: ValidationInfo) -> Settings:
        """What a deployment must have set: complete Teams credentials for its app type and,
        talking to real people on Slack or Teams, a public URL and its own pseudonym secret.

        Without ``JAMBOT_PUBLIC_URL`` a download link's host would have to come from a request
        header, which anyone can forge; with the public default pseudonym secret anyone could
        recompute who is behind a "pseudonymous" user key.
        """
        if info.context != _ENVIRONMENT:
            return self
        problems = [*_teams_problems(self), *_platform_problems(self)]
        if problems:
            # One error for all of them: pydantic stops at the first error a validator raises.
            raise PydanticCustomError("jambot_rules", "{lines}", {"lines": "\n".join(problems)})
        return self

    @model_validator(mode="after")
    def _environment_defaults(self, info: ValidationInfo) -> Settings:
        """The demo, web-chat escalation and scheduler defaults that depend on other variables."""
        if info.context != _ENVIRONMENT:
            return self
        given = self.model_fields_set
        platforms = self.slack_enabled or self.teams_authenticated
        demo = self.demo if "demo" in given else not ("config_path" in given or platforms)
        return self.model_copy(
            update={
                "demo": demo,
                "scheduler": self.scheduler if "scheduler" in given else not demo,
                "webchat_escalation": (
                    self.webchat_escalation if "webchat_escalation" in given else not platforms
                ),
            }
        )


# The variables ``default_data_dir`` reads: read from the environment, no field of their own.
DATA_DIR_VARIABLES = ("JAMBOT_DATA_DIR", "XDG_DATA_HOME")
# Every environment variable ``Settings.from_env`` reads; the README's table documents each.
ENVIRONMENT_NAMES: tuple[str, ...] = (
    *(str(field.validation_alias) for field in Settings.model_fields.values()),
    *DATA_DIR_VARIABLES,
)
_FIELD_VARIABLES = {name: str(f.validation_alias) for name, f in Settings.model_fields.items()}


def _variable(location: str | int) -> str:
    """The environment variable behind an error's location (a field name or its alias)."""
    return _FIELD_VARIABLES.get(str(location), str(location))


def _problems(exc: ValidationError) -> list[str]:
    """pydantic's errors as the operator's lines: ``VARIABLE: what is wrong``."""
    lines: list[str] = []
    for error in exc.errors():
        if not error["loc"]:  # a rule between variables: its lines name their variables
            lines += error["msg"].splitlines()
        elif error["type"] == "jambot_setting":
            lines.append(f"{_variable(error['loc'][0])}: {error['msg']}")
        else:
            lines.append(f"{_variable(error['loc'][0])}: {error['msg']}, got {error['input']!r}")
    return lines


def _teams_problems(settings: Settings) -> list[str]:
    """The credentials each Bot Framework app type needs (botbuilder fails obscurely without)."""
    problems = []
    if (
        settings.microsoft_app_id
        and not settings.microsoft_app_password
        and settings.microsoft_app_type != "UserAssignedMSI"
    ):
        problems.append("MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set")
    if settings.microsoft_app_type == "SingleTenant":
        # Without an app id botbuilder fails at start with "Property 'APP_ID' is expected".
        if not settings.microsoft_app_id:
            problems.append("MICROSOFT_APP_ID: required when MICROSOFT_APP_TYPE=SingleTenant")
        if not settings.microsoft_app_tenant_id:
            problems.append(
                "MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant"
            )
    if settings.microsoft_app_type == "UserAssignedMSI" and not (
        settings.microsoft_app_id and settings.microsoft_app_tenant_id
    ):
        problems.append(
            "MICROSOFT_APP_ID, MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=UserAssignedMSI"
        )
    return problems


def _platform_problems(settings: Settings) -> list[str]:
    """What a server talking to real people on Slack or Teams must have set."""
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
