"""``jambot chat``: the same conversation core in a terminal, buttons typed as numbers."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from bot.app import build_context, load_kb
from bot.config import Settings
from bot.db.models import Feedback, QuestionLog
from bot.terminal import TerminalChat
from reminders.organisation import load_org_config

E2E = Path(__file__).resolve().parents[1] / "e2e"


def _context(database_url: str, org: bool = True):
    settings = Settings.from_env({"DATABASE_URL": database_url, "JAMBOT_KB_DIR": str(E2E / "kb")})
    return build_context(settings, load_org_config(E2E / "org.yaml") if org else None, load_kb(settings))


async def test_ask_press_a_numbered_button_and_quit(db, database_url):
    context = _context(database_url)
    out = io.StringIO()
    chat = TerminalChat(context.conversation, io.StringIO("hjälp\nVad är CEMR?\n1\n3\nexit\nnever read\n"), out, "tester")
    assert await chat.run() == 0
    text = out.getvalue()
    assert "Så här kan jag hjälpa dig" in text
    assert "Vad är CEMR-deklarationen?\n==========================" in text
    assert "  - CEMR – European Charter for Equality of Women and Men in Local Life: https://charter-equality.eu/" in text
    assert "  [1] 👍 Bra svar" in text
    assert "Tack för din återkoppling" in text
    assert "Hur tar vi fram en handlingsplan för CEMR?\n=" in text  # button 3: the related entry
    with db.session() as session:
        assert session.scalars(select(Feedback.helpful)).all() == [True]
        assert session.scalars(select(QuestionLog.platform)).all() == ["terminal", "terminal"]


async def test_without_an_organisation_it_answers_but_cannot_escalate(db, database_url):
    context = _context(database_url, org=False)
    out = io.StringIO()
    assert await TerminalChat(context.conversation, io.StringIO("Hur blir vädret i morgon?\n"), out, "t").run() == 0
    text = out.getvalue()
    assert "Fråga gärna en jämställdhetsstrateg direkt" in text
    assert "[1]" not in text  # no escalate button without an escalation channel
    assert "rapportera" not in text



async def test_after_an_abstention_a_number_is_a_question_not_an_old_button(db, database_url):
    context = _context(database_url, org=False)
    out = io.StringIO()
    lines = "Vad är CEMR?\nHur blir vädret i morgon?\n1\n"
    assert await TerminalChat(context.conversation, io.StringIO(lines), out, "t").run() == 0
    assert "Tack för din återkoppling" not in out.getvalue()  # "1" did not press 👍 of the CEMR answer
    with db.session() as session:
        assert session.scalars(select(Feedback)).all() == []
        assert session.scalars(select(QuestionLog.question)).all()[-1] == "1"


async def test_markdown_is_rendered_for_the_terminal(db, database_url):
    context = _context(database_url)
    out = io.StringIO()  # not a terminal: the marks are dropped, the words stay
    assert await TerminalChat(context.conversation, io.StringIO("Vad är CEMR?\nhjälp\n"), out, "t").run() == 0
    text = out.getvalue()
    assert "**" not in text and "den europeiska deklarationen" in text
    assert "`" not in text and "Skriv din fråga och tryck Enter" in text


def test_markdown_on_a_terminal_is_bold_and_links_show_their_address():
    from bot.terminal import BOLD, PLAIN, render_markdown

    rendered = render_markdown("## Rubrik\n* **viktigt** och *lite* [SKR](https://skr.se) `kod`", ansi=True)
    assert rendered == f"{BOLD}Rubrik{PLAIN}\n- {BOLD}viktigt{PLAIN} och lite SKR (https://skr.se) kod"


async def test_an_export_in_the_terminal_is_saved_as_a_file(db, database_url, tmp_path, monkeypatch):
    from bot.demo import demo_org

    settings = Settings.from_env({"DATABASE_URL": database_url})
    context = build_context(settings, demo_org(), load_kb(settings))
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert await TerminalChat(context.conversation, io.StringIO("export 2025-Q1 xlsx\n"), out, "me").run() == 0
    [saved] = list(tmp_path.glob("*.xlsx"))
    assert saved.read_bytes()[:2] == b"PK"
    assert f"Sparad: {saved}" in out.getvalue()
