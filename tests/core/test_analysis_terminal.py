"""``jambot chat``: the guided analysis one question at a time, left and continued later."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.app import build_context
from bot.config import Settings
from bot.terminal import TerminalChat
from knowledge import BUNDLED_CONTENT, KnowledgeBase
from reminders.organisation import load_org_config
from tests.e2e.analysis_walk import EXPECTED_SENTENCES, FULL_WALK, SHORT_CONCLUSION, SHORT_WALK

E2E = Path(__file__).resolve().parents[1] / "e2e"


@pytest.fixture(scope="module")
def bundled_kb() -> KnowledgeBase:
    return KnowledgeBase.load(BUNDLED_CONTENT)


@pytest.fixture
def context(database_url: str, db, bundled_kb: KnowledgeBase):
    settings = Settings.from_env(
        {"DATABASE_URL": database_url, "JAMBOT_KB_DIR": str(BUNDLED_CONTENT)}
    )
    return build_context(settings, load_org_config(E2E / "org.yaml"), bundled_kb, db=db)


async def chat(context, lines: list[str]) -> str:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    assert await TerminalChat(context.conversation, stdin, out, "U0HSF1").run() == 0
    return out.getvalue()


async def test_full_walk_one_question_at_a_time(context, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the terminal saves a file in the current directory
    answers = [value for step in FULL_WALK.values() for value in step.values()]
    text = await chat(context, ["analys", "1", *answers, "2", "exit"])
    assert "  [1] Jämställdhetsanalys med 3R\n  [2] Jämställdhetsanalys med JämKAS Bas" in text
    assert "Jämställdhetsanalys 1/8" in text and "Jämställdhetsanalys 8/8" in text
    assert "Vilken statistik saknas?: " in text
    assert "Konsekvenser för jämställdhet\n=============================" in text
    for sentence in EXPECTED_SENTENCES:
        assert sentence in text
    [saved] = tmp_path.glob("jamstalldhetsanalys-*.md")  # button 2: the Markdown file
    markdown = saved.read_text(encoding="utf-8")
    assert markdown.startswith("## Konsekvenser för jämställdhet\n")
    assert all(sentence in markdown for sentence in EXPECTED_SENTENCES)


async def test_leave_then_continue_on_the_short_path(context) -> None:
    first = await chat(context, ["analys", "1", SHORT_WALK["arendet"]["beslut"]])  # EOF at step 2
    assert (
        "Berör ärendet människor, direkt eller indirekt? (ja=Ja, ärendet berör människor" in first
    )

    later = await chat(
        context, ["fortsätt analysen", "1", "nej", SHORT_WALK["ingen-betydelse"]["motivering"]]
    )
    assert "Du har en påbörjad analys" in later
    assert "Jämställdhetsanalys 2/8" in later and "Jämställdhetsanalys 3/3" in later
    assert SHORT_CONCLUSION in later
    assert "Ärendet gäller Byte av serverplattform för ekonomisystemet." in later
