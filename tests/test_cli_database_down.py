"""Every database-backed command answers an unreachable database with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

CONFIG = str(Path(__file__).resolve().parents[1] / "config" / "jambot.yaml")
DOWN = "postgresql+psycopg://jambot:s3cret-pw@127.0.0.1:1/jambot"


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--quarter", "2025-Q1", "--format", "csv", "--config", CONFIG],
        ["status", "2025-Q1", "--config", CONFIG],
        ["remind", "--dry-run", "--now", "2025-04-04T09:30+02:00", "--config", CONFIG],
        ["stats", "--config", CONFIG],
    ],
    ids=lambda argv: argv[0],
)
def test_unreachable_database_is_one_line_and_exit_2(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", DOWN)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "s3cret-pw" not in err
    assert "database" in err.lower()
    assert not list(tmp_path.iterdir()), "nothing may be written when the database is down"
