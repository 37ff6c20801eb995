"""Every ``jambot`` command reads paths, the organisation and the database the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_KB = ROOT / "tests" / "knowledge" / "fixtures" / "kb"
E2E_ORG = ROOT / "tests" / "e2e" / "org.yaml"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> None:
    for name in (
        "JAMBOT_KB_DIR",
        "JAMBOT_CONFIG",
        "JAMBOT_DEMO",
        "SLACK_BOT_TOKEN",
        "MICROSOFT_APP_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("JAMBOT_SCHEDULER", "0")
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--kb", "saknas"],
        ["chat", "--kb", "saknas"],
        ["ask", "vad är cemr?", "--kb", "saknas"],
        ["kb", "check", "saknas"],
        ["serve", "--config", "saknas.yaml"],
        ["chat", "--config", "saknas.yaml"],
        ["stats", "--config", "saknas.yaml"],
        ["calendar", "2025", "--config", "saknas.yaml"],
        ["status", "2025-Q1", "--config", "saknas.yaml"],
        ["export", "--quarter", "2025-Q1", "--config", "saknas.yaml"],
        ["remind", "--dry-run", "--config", "saknas.yaml"],
    ],
)
def test_a_path_that_does_not_exist_is_exit_2_for_every_command(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "saknas" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["serve"], {"JAMBOT_KB_DIR": "saknas"}),
        (["ask", "cemr"], {"JAMBOT_KB_DIR": "saknas"}),
        (["kb", "check"], {"JAMBOT_KB_DIR": "saknas"}),
        (["chat"], {"JAMBOT_CONFIG": "saknas.yaml"}),
        (["stats"], {"JAMBOT_CONFIG": "saknas.yaml"}),
    ],
)
def test_the_environment_variables_are_checked_the_same_way(argv, env, monkeypatch, capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    assert next(iter(env)) in capsys.readouterr().err


def test_ask_and_kb_check_honour_jambot_kb_dir(monkeypatch, capsys):
    monkeypatch.setenv("JAMBOT_KB_DIR", str(FIXTURE_KB))
    assert main(["kb", "check"]) == 0
    assert f"{FIXTURE_KB}: OK, 9 poster" in capsys.readouterr().out
    # The bundled knowledge base knows 4R; the fixture does not, so it must abstain.
    assert main(["ask", "vad är 4R?", "--json"]) == 0
    assert '"id": null' in capsys.readouterr().out
    monkeypatch.delenv("JAMBOT_KB_DIR")
    assert main(["ask", "vad är 4R?", "--json"]) == 0
    assert '"id": "4r-metoden"' in capsys.readouterr().out


def test_the_sqlite_default_is_one_place_whatever_the_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("JAMBOT_DATA_DIR", raising=False)
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    first = Settings.from_env(env).database_url
    monkeypatch.chdir(ROOT)
    assert (
        Settings.from_env(env).database_url
        == first
        == f"sqlite:///{tmp_path / 'data' / 'jambot' / 'jambot.db'}"
    )
    assert (tmp_path / "data" / "jambot").is_dir()
    assert Settings.from_env({"JAMBOT_DATA_DIR": str(tmp_path / "d")}).database_url.endswith(
        "/d/jambot.db"
    )


def test_verbose_names_the_database_first(capsys, database_url):
    assert main(["--verbose", "db", "current"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("jambot: databas ")


def test_the_database_label_never_shows_a_password(tmp_path):
    from bot.cli.common import database_label

    assert database_label("postgresql+psycopg://jambot:hemligt@db:5432/jambot") == (
        "postgresql+psycopg://jambot:***@db:5432/jambot"
    )
    assert database_label(f"sqlite:///{tmp_path}/x.db") == f"sqlite:///{tmp_path}/x.db"


@pytest.mark.parametrize(
    ("env", "demo"),
    [
        ({}, True),
        ({"JAMBOT_CONFIG": "org.yaml"}, False),
        ({"JAMBOT_DEMO": "0"}, False),
        ({"JAMBOT_DEMO": "1", "JAMBOT_CONFIG": "org.yaml"}, True),
        (
            {
                "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_SIGNING_SECRET": "s",
                "JAMBOT_PSEUDONYM_SECRET": "a-long-random-secret",
                "JAMBOT_PUBLIC_URL": "https://jambot.example.se",
            },
            False,
        ),
    ],
)
def test_the_demo_runs_only_on_the_embedded_default_or_when_asked(env, demo, tmp_path):
    assert Settings.from_env({"JAMBOT_DATA_DIR": str(tmp_path), **env}).demo is demo


def test_a_real_config_switches_the_demo_off_and_web_users_get_no_rights(capsys):
    assert main(["status", "2025-Q1", "--config", str(E2E_ORG)]) == 0
    assert "Hälso- och sjukvårdsförvaltningen" in capsys.readouterr().out
    assert main(["status", "2025-Q1"]) == 0  # no config named: the demo organisation
    assert "Utbildningsförvaltningen" in capsys.readouterr().out


def test_the_demo_runs_no_reminder_scheduler_unless_asked(tmp_path):
    """The demo's contacts are the web-chat user, whom no reminder can reach: a scheduler run
    on `make run` only logged an error about unreachable contacts. Asked for, it still runs."""
    env = {"JAMBOT_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(env).scheduler is False
    assert Settings.from_env({**env, "JAMBOT_SCHEDULER": "1"}).scheduler is True
    assert Settings.from_env({**env, "JAMBOT_CONFIG": "org.yaml"}).scheduler is True
