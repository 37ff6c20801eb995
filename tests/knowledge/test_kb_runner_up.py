"""A confident answer with a close runner-up offers it beside the answer: confident wrong
answers gather where two entries score nearly alike, so the right one is one click away.

The knowledge base is written as real files; embeddings are off so the ranking does not
depend on the model's numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import build_context, load_kb
from bot.cli import main
from bot.config import Settings
from chat.replies import Action, Message
from knowledge import KnowledgeBase

ENTRIES = {
    "deadline": (
        "Deadline för kvartalsrapporten",
        ["När ska kvartalsrapporten vara inne?", "Vilken dag är sista dag för rapporten?"],
        "Kvartalsrapporten lämnas senast den 15:e i månaden efter kvartalet.",
    ),
    "missad-deadline": (
        "Missad deadline för kvartalsrapporten",
        ["Vi hann inte lämna rapporten i tid, vad gör vi?"],
        "Har ni missat att lämna rapporten, hör av er till strategen så snart som möjligt.",
    ),
    "jamstalld-budget": (
        "Jämställd budget",
        ["Vad är jämställdhetsbudgetering?"],
        "En jämställd budget fördelar resurser så att kvinnor och män får lika villkor.",
    ),
}
BOTH_FIT = "lämna kvartalsrapporten"  # the deadline, or what to do when it was missed
ONE_FITS = "När ska kvartalsrapporten vara inne?"


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JAMBOT_EMBEDDINGS", "off")
    monkeypatch.setenv("JAMBOT_INDEX_CACHE", "off")
    for entry_id, (title, questions, body) in ENTRIES.items():
        listed = "".join(f"  - {q}\n" for q in questions)
        (tmp_path / f"{entry_id}.md").write_text(
            f"---\nid: {entry_id}\ntitle: {title}\nquestions:\n{listed}"
            "sources:\n  - title: Regionens rutin\n    url: https://example.org/rutin\n"
            f"---\n{body}\n",
            encoding="utf-8",
        )
    return tmp_path


def test_a_close_runner_up_comes_with_the_answer(kb_dir: Path) -> None:
    kb = KnowledgeBase.load(kb_dir)
    answer = kb.answer(BOTH_FIT)
    assert answer.entry is not None and answer.entry.id == "deadline"
    assert answer.runner_up is not None and answer.runner_up.id == "missad-deadline"


def test_a_clear_answer_has_no_runner_up(kb_dir: Path) -> None:
    kb = KnowledgeBase.load(kb_dir)
    answer = kb.answer(ONE_FITS)
    assert answer.entry is not None and answer.entry.id == "deadline"
    assert answer.runner_up is None


def test_jambot_ask_names_the_runner_up_after_the_answer(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", BOTH_FIT, "--kb", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Deadline för kvartalsrapporten\n")
    assert out.rstrip().endswith("Eller menade du: Missad deadline för kvartalsrapporten?")
    assert main(["ask", ONE_FITS, "--kb", str(kb_dir)]) == 0
    assert "menade du" not in capsys.readouterr().out


def test_an_abstention_has_no_runner_up(kb_dir: Path) -> None:
    answer = KnowledgeBase.load(kb_dir).answer("Var kan jag parkera cykeln?")
    assert answer.entry is None and answer.runner_up is None


async def test_the_runner_up_is_a_button_that_answers_it(
    kb_dir: Path, db: object, database_url: str
) -> None:
    settings = Settings.from_env({"DATABASE_URL": database_url, "JAMBOT_KB_DIR": str(kb_dir)})
    conversation = build_context(settings, None, load_kb(settings)).conversation
    [reply] = await conversation.handle_message(
        Message(platform="web", user_id="w1", text=BOTH_FIT)
    )
    assert reply.kind == "answer" and reply.title == "Deadline för kvartalsrapporten"
    labels = [b.label for b in reply.buttons]
    assert labels[:3] == [
        "👍 Bra svar",
        "👎 Inte till hjälp",
        "Eller menade du: Missad deadline för kvartalsrapporten?",
    ], labels
    button = reply.buttons[2]
    [chosen] = await conversation.handle_action(
        Action(platform="web", user_id="w1", action=button.action, value=button.value)
    )
    assert chosen.kind == "answer" and chosen.title == "Missad deadline för kvartalsrapporten"

    [clear] = await conversation.handle_message(
        Message(platform="web", user_id="w1", text=ONE_FITS)
    )
    assert not any(b.label.startswith("Eller menade du") for b in clear.buttons)
