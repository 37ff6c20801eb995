"""The strategist's Bedömning: written in chat or given as a file, stored, shown, exported.

Chat goes through the real conversation core (routing included); the CLI through
``bot.cli.main`` with a real database and config file.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from reporting_org import make_org

from bot.app import build_context
from bot.cli import main
from bot.config import Settings
from bot.db import Database
from chat.replies import Message
from knowledge import KnowledgeBase
from reminders.assessment import ASSESSMENT_LIMIT, get_assessment

NOW = datetime(2025, 4, 28, 8, 0, tzinfo=UTC)
KB = Path(__file__).resolve().parents[1] / "e2e" / "kb"


def _conversation(db: Database):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=db.url)
    return build_context(
        settings, make_org(), KnowledgeBase.load(KB), db=db, clock=lambda: NOW
    ).conversation


def _bedomning(user: str, text: str) -> Message:
    return Message(platform="slack", user_id=user, text=text)


def _board_paper_text(raw: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(raw)).paragraphs]


async def test_bedomning_in_chat_is_stored_shown_and_exported(db: Database) -> None:
    conversation = _conversation(db)
    [refused] = await conversation.handle_message(_bedomning("U0HSF1", "bedomning 2025-Q1 Bra."))
    assert refused.kind == "error" and "bara för jämställdhetsstrategerna" in refused.text
    assert get_assessment(db, "region-test", "2025-Q1") is None

    [none] = await conversation.handle_message(_bedomning("U0STRAT1", "bedömning 2025-Q1"))
    assert "Det finns ingen bedömning för 2025-Q1 än." in none.text

    text = (
        "bedömning 2025-Q1 Arbetet går framåt.\n\n- Två förvaltningar behöver stöd.\n- En saknas."
    )
    [saved] = await conversation.handle_message(_bedomning("U0STRAT1", text))
    assert saved.kind == "receipt" and "Bedömningen för 2025-Q1 är sparad" in saved.text
    stored = get_assessment(db, "region-test", "2025-Q1")
    assert stored is not None and stored.written_by == "Anna Andersson"
    assert stored.text == "Arbetet går framåt.\n\n- Två förvaltningar behöver stöd.\n- En saknas."

    [shown] = await conversation.handle_message(_bedomning("U0STRAT1", "bedomning 2025-Q1"))
    assert "Anna Andersson" in shown.text and "Arbetet går framåt." in shown.text
    [status] = await conversation.handle_message(_bedomning("U0STRAT1", "status 2025-Q1"))
    assert "Bedömning: Arbetet går framåt." in status.text
    [export] = await conversation.handle_message(_bedomning("U0STRAT1", "export 2025-Q1 docx"))
    assert export.file is not None
    paper = _board_paper_text(export.file.content)
    start = paper.index("Bedömning")
    assert paper[start + 1 : start + 4] == [
        "Arbetet går framåt.",
        "Två förvaltningar behöver stöd.",
        "En saknas.",
    ]


async def test_bedomning_bad_input_changes_nothing(db: Database) -> None:
    conversation = _conversation(db)
    [bad] = await conversation.handle_message(_bedomning("U0STRAT1", "bedomning 2025-Q9 Bra."))
    assert bad.kind == "error" and "inget kvartal" in bad.text
    long = "x" * (ASSESSMENT_LIMIT + 1)
    [too_long] = await conversation.handle_message(
        _bedomning("U0STRAT1", f"bedomning 2025-Q1 {long}")
    )
    assert too_long.kind == "error" and f"högst {ASSESSMENT_LIMIT} tecken" in too_long.text
    assert get_assessment(db, "region-test", "2025-Q1") is None


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str, org_file: Path) -> Path:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("JAMBOT_CONFIG", str(org_file))
    return org_file


def test_cli_export_assessment_group_by_and_separator(
    env: Path, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assessment = tmp_path / "bedomning.txt"
    assessment.write_text("Metodiken ger ett långsiktigt arbete.\n", encoding="utf-8")
    out = tmp_path / "styrelse.docx"
    args = ["export", "--quarter", "2025-Q1", "--format", "docx", "--out", str(out)]
    assert main([*args, "--assessment", str(assessment), "--group-by", "status"]) == 0
    paper = _board_paper_text(out.read_bytes())
    assert paper[paper.index("Bedömning") + 1] == "Metodiken ger ett långsiktigt arbete."
    assert "Ej rapporterat" in paper  # the status group heading

    csv_out = tmp_path / "q1.csv"
    csv_args = ["export", "--quarter", "2025-Q1", "--format", "csv", "--out", str(csv_out)]
    assert main(csv_args) == 0
    assert csv_out.read_bytes().decode("utf-8-sig").startswith("Förvaltnings-id;Förvaltning;")
    assert main([*csv_args, "--csv-separator", "comma"]) == 0
    assert csv_out.read_bytes().decode("utf-8-sig").startswith("Förvaltnings-id,Förvaltning,")
    capsys.readouterr()

    missing = tmp_path / "finns-inte.txt"
    assert main([*args, "--assessment", str(missing)]) == 2
    assert "kan inte läsa filen" in capsys.readouterr().err
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Bedömning".encode("latin-1"))
    assert main([*args, "--assessment", str(latin1)]) == 2
    assert "inte UTF-8-text" in capsys.readouterr().err
