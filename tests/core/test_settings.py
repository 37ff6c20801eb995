"""Process settings: one field per environment variable, every problem at once in the
operator's words, and settings built in code that never read the environment."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import DEFAULT_SQLITE_URL, ENVIRONMENT_NAMES, ConfigError, Settings

ROOT = Path(__file__).resolve().parents[2]
SLACK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
COMPLETE = {"JAMBOT_PSEUDONYM_SECRET": "a-long-random-secret", "JAMBOT_PUBLIC_URL": "https://jambot.test"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment whose SQLite default lands in this test's directory."""
    return {"JAMBOT_DATA_DIR": str(tmp_path)}


def _problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env)
    return error.value.problems


@pytest.mark.parametrize(
    ("variable", "value", "line"),
    [
        ("JAMBOT_WEBCHAT", "maybe", "JAMBOT_WEBCHAT: expected 1/0, true/false, got 'maybe'"),
        ("JAMBOT_SCHEDULER", "2", "JAMBOT_SCHEDULER: expected 1/0, true/false, got '2'"),
        ("JAMBOT_PORT", "80a", "JAMBOT_PORT: expected a whole number, got '80a'"),
        ("JAMBOT_LOG_RETENTION_DAYS", "1.5", "JAMBOT_LOG_RETENTION_DAYS: expected a whole number, got '1.5'"),
        ("JAMBOT_LEASE_SECONDS", "2", "JAMBOT_LEASE_SECONDS: at least 3 seconds, got 2"),
        ("JAMBOT_WEBCHAT_RATE", "0", "JAMBOT_WEBCHAT_RATE: at least 1 a minute, got 0"),
        (
            "MICROSOFT_APP_TYPE",
            "multitenant",
            "MICROSOFT_APP_TYPE: expected MultiTenant, SingleTenant or UserAssignedMSI, got 'multitenant'",
        ),
        ("JAMBOT_LOG_FORMAT", "xml", "JAMBOT_LOG_FORMAT: expected text or json, got 'xml'"),
        (
            "JAMBOT_LOG_LEVEL",
            "loud",
            "JAMBOT_LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, got 'LOUD'",
        ),
        (
            "JAMBOT_NOW",
            "2025-04-04T09:30",
            "JAMBOT_NOW: expected an ISO time with offset, e.g. 2025-04-04T09:30+02:00, got '2025-04-04T09:30'",
        ),
    ],
)
def test_an_invalid_value_is_one_line_naming_its_variable(
    env: dict[str, str], variable: str, value: str, line: str
) -> None:
    assert _problems({**env, variable: value}) == [line]


def test_every_problem_is_reported_at_once_and_no_pydantic_text_reaches_the_operator(
    env: dict[str, str],
) -> None:
    """The rules between variables still run when some value is invalid (at its default)."""
    with pytest.raises(ConfigError) as error:
        Settings.from_env(
            {**env, **SLACK, "JAMBOT_PORT": "x", "JAMBOT_LOG_FORMAT": "xml", "JAMBOT_WEBCHAT": "?"}
        )

    assert sorted(p.split(":")[0] for p in error.value.problems) == [
        "JAMBOT_LOG_FORMAT", "JAMBOT_PORT", "JAMBOT_PSEUDONYM_SECRET", "JAMBOT_PUBLIC_URL",
        "JAMBOT_WEBCHAT",
    ]
    text = str(error.value)
    assert "validation error" not in text and "pydantic" not in text and "type=" not in text
    assert error.value.__context__ is None  # no pydantic traceback printed above it either


@pytest.mark.parametrize(
    ("teams", "lines"),
    [
        (
            # botbuilder itself failed here at start: "Property 'APP_ID' is expected".
            {"MICROSOFT_APP_TYPE": "SingleTenant", "MICROSOFT_APP_TENANT_ID": "t"},
            ["MICROSOFT_APP_ID: required when MICROSOFT_APP_TYPE=SingleTenant"],
        ),
        (
            {"MICROSOFT_APP_ID": "id", "MICROSOFT_APP_TYPE": "SingleTenant"},
            [
                "MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set",
                "MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant",
            ],
        ),
        (
            {"MICROSOFT_APP_TYPE": "UserAssignedMSI", "MICROSOFT_APP_TENANT_ID": "t"},
            ["MICROSOFT_APP_ID, MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=UserAssignedMSI"],
        ),
    ],
)
def test_teams_credentials_must_be_complete_for_their_app_type(
    env: dict[str, str], teams: dict[str, str], lines: list[str]
) -> None:
    assert _problems({**env, **COMPLETE, **teams}) == lines


def test_a_managed_identity_needs_no_password(env: dict[str, str]) -> None:
    settings = Settings.from_env(
        {
            **env,
            **COMPLETE,
            "MICROSOFT_APP_TYPE": "UserAssignedMSI",
            "MICROSOFT_APP_ID": "id",
            "MICROSOFT_APP_TENANT_ID": "t",
        }
    )

    assert settings.microsoft_app_type == "UserAssignedMSI"


def test_values_are_read_as_the_readme_documents(env: dict[str, str], tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            **env,
            "JAMBOT_WEBCHAT": "Off",
            "JAMBOT_AUTO_MIGRATE": "no",
            "JAMBOT_PORT": "8080",
            "JAMBOT_LOG_LEVEL": "debug",
            "SLACK_API_URL": "https://slack.test/api",
            "JAMBOT_NOW": "2025-04-04T09:30+02:00",
            "JAMBOT_KB_DIR": "kb",
            "JAMBOT_HOST": "",  # empty counts as unset
        }
    )

    assert (settings.webchat, settings.run_migrations, settings.port) == (False, False, 8080)
    assert settings.log_level == "DEBUG"
    assert settings.slack_api_url == "https://slack.test/api/"
    assert settings.now == datetime(2025, 4, 4, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert settings.kb_dir == Path("kb") and settings.host == "127.0.0.1"
    assert settings.database_url == f"sqlite:///{tmp_path / 'jambot.db'}"


@pytest.mark.parametrize(
    ("given", "escalation"),
    [({}, True), (SLACK, False), ({**SLACK, "JAMBOT_WEBCHAT_ESCALATION": "1"}, True)],
)
def test_web_chat_escalation_defaults_to_on_only_without_a_platform(
    env: dict[str, str], given: dict[str, str], escalation: bool
) -> None:
    assert Settings.from_env({**env, **COMPLETE, **given}).webchat_escalation is escalation


def test_an_env_given_as_a_mapping_is_all_that_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ENVIRONMENT_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JAMBOT_PORT", "1234")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("JAMBOT_HOST=0.0.0.0\n", encoding="utf-8")  # compose's file

    given = Settings.from_env({"JAMBOT_DATA_DIR": str(tmp_path)})
    assert (given.port, given.host) == (3978, "127.0.0.1")

    monkeypatch.setenv("JAMBOT_DATA_DIR", str(tmp_path))
    process = Settings.from_env()
    assert (process.port, process.host) == (1234, "127.0.0.1")


def test_settings_built_in_code_keep_their_defaults_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JAMBOT_PORT", "1234")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://elsewhere/db")

    # A Slack stand-in in a test: no public URL or pseudonym secret is asked for.
    settings = Settings(slack_bot_token="xoxb-test")

    assert (settings.port, settings.database_url) == (3978, DEFAULT_SQLITE_URL)
    assert (settings.demo, settings.scheduler, settings.webchat_escalation) == (False, True, False)
    assert settings.model_copy(update={"port": 1}).port == 1
    with pytest.raises(ValidationError):
        settings.port = 1  # type: ignore[misc]


def test_code_gets_the_same_value_checks_and_no_unknown_names() -> None:
    with pytest.raises(ValidationError, match="at least 3 seconds, got 1"):
        Settings(lease_seconds=1)
    with pytest.raises(ValidationError, match="extra"):
        Settings(extra={"x": "y"})  # type: ignore[call-arg]


def test_secrets_stay_out_of_the_settings_repr() -> None:
    secrets = {
        "database_url": "postgresql+psycopg://jambot:DBPASS@db/jambot",
        "slack_bot_token": "xoxb-BOTTOKEN",
        "slack_signing_secret": "SIGNINGSECRET",
        "slack_app_token": "xapp-APPTOKEN",
        "microsoft_app_password": "MSPASSWORD",
        "pseudonym_secret": "PSEUDONYMSECRET",
    }
    settings = Settings(**secrets, microsoft_app_id="app-id")  # type: ignore[arg-type]

    shown = repr(settings) + str(settings)
    assert "app-id" in shown
    assert [name for name, value in secrets.items() if value in shown] == []


def test_the_readme_documents_every_variable_settings_read() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = "\n".join(line for line in section.splitlines() if line.startswith("| `"))
    documented = set(re.findall(r"\b[A-Z][A-Z0-9_]+\b", rows))

    assert sorted(set(ENVIRONMENT_NAMES) - documented) == []
