"""``jambot calendar | export | status | remind`` as a strategist or cron runs them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from docx import Document
from reporting_org import ORG, make_org

from bot.cli import main
from bot.db import Database
from bot.stores.analysis import complete, create_draft
from reminders.updates import StatusInput, Submitter, record_update


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str, org_file: Path) -> Path:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("JAMBOT_CONFIG", str(org_file))
    for name in ("SLACK_BOT_TOKEN", "MICROSOFT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    return org_file


def test_calendar_prints_deadlines_and_reminders(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "2025"]) == 0
    out = capsys.readouterr().out
    assert "2025-Q1  deadline 2025-04-22 tis" in out
    assert "2025-04-04 fre 09:00 CEST  before-10" in out
    assert "2025-10-27 mån 09:00 CET  overdue-3" in out
    assert "2026-01-16" in out


def test_calendar_says_why_reminders_move_or_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load(yaml.safe_dump(ORG))
    data["reporting"]["deadline"]["dates"] = {"2025-Q2": "2025-06-20", "2025-Q3": "2025-10-11"}
    data["reporting"]["quiet_periods"] = [{"from": "2025-06-25", "to": "2025-08-10"}]
    config = tmp_path / "jambot.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["calendar", "2025", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert (
        "2025-06-19 tor 09:00 CEST  deadline  "
        "(flyttad från fredag 20 juni 2025: Midsommarafton är ingen arbetsdag)" in out
    )
    assert (
        "2025-10-10 fre 09:00 CEST  deadline  (flyttad från lördag 11 oktober 2025: helg, "
        "ingen arbetsdag)" in out
    )
    assert (
        "2025-06-25 ons  overdue-1  (skickas inte: uppehåll i påminnelserna "
        "25 juni 2025–10 augusti 2025)" in out
    )
    assert "2025-06-17 tis 09:00 CEST  before-3\n" in out  # on its own day: no reason
    lines = out.split("\n")
    q2 = lines[lines.index("2025-Q2  deadline 2025-06-20 fre") + 1 :][:6]
    assert [line.split()[2 if "skickas inte" in line else 4] for line in q2] == [
        "before-10",
        "before-3",
        "deadline",
        "overdue-1",
        "overdue-2",
        "overdue-3",
    ]  # sent and skipped steps in date order


def test_export_and_status(
    env: Path, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database(database_url)
    db.create_all()
    record_update(
        db,
        make_org().organisation.id,
        "rsf",
        "2025-Q1",
        StatusInput("major_deviation", done="Budget"),
        Submitter("U0RSF1", "Cecilia Carlsson", "slack"),
    )
    db.dispose()
    out_file = tmp_path / "q1.docx"
    assert main(["export", "--quarter", "2025-Q1", "--format", "docx", "--out", str(out_file)]) == 0
    assert "3 förvaltningar, 2 har inte rapporterat" in capsys.readouterr().out
    text = "\n".join(p.text for p in Document(io.BytesIO(out_file.read_bytes())).paragraphs)
    assert "Läge: Stora avvikelser" in text and "Gjort under kvartalet: Budget" in text
    assert main(["status", "2025-Q1"]) == 0
    assert (
        "✅ Regionstyrelseförvaltningen: Stora avvikelser (Cecilia Carlsson"
        in capsys.readouterr().out
    )


def test_export_counts_completed_analyses(
    env: Path, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org = make_org()
    db = Database(database_url)
    db.create_all()
    for person in ("k:1", "k:2"):
        draft = create_draft(db, org.organisation.id, person, "3r", "sv", "arendet")
        at = datetime(2025, 2, 10, 9, tzinfo=UTC)
        assert complete(db, org.organisation.id, person, draft.id, "kultur", org.tz, now=at)
    db.dispose()
    out_file = tmp_path / "q1.csv"
    assert main(["export", "--quarter", "2025-Q1", "--format", "csv", "--out", str(out_file)]) == 0
    rows = list(csv.reader(io.StringIO(out_file.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Genomförda jämställdhetsanalyser"
    assert {r[0]: r[-1] for r in rows[1:]} == {"hsf": "0", "rsf": "0", "kultur": "2"}


def test_bad_input_gets_a_message_not_a_traceback(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--quarter", "2025-Q5", "--format", "csv"]) == 2
    assert "”2025-Q5” är inget kvartal" in capsys.readouterr().err
    assert main(["status", "Q1", "--lang", "en"]) == 2
    assert "is not a quarter" in capsys.readouterr().err
    assert main(["remind", "--now", "igår"]) == 2
    assert "ange en tid i ISO-format" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("organisation: {id: x}\n", encoding="utf-8")
    assert main(["calendar", "2025", "--config", str(broken)]) == 2
    assert "organisation.name: required" in capsys.readouterr().err


def test_remind_without_platforms_reports_nothing_sent(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remind", "--now", "2025-04-04T09:00", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "plattformar inga" in out
    assert "nås inte, skulle rapporteras till strategerna: 5" in out
