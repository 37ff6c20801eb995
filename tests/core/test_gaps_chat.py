"""``/jambot gaps`` in chat: the largest gaps for strategists, a refusal for everyone else.

Staff ask through the real conversation (so the question log, the 👎 and the escalation
are what the bot itself stored), then a strategist asks for the gaps.
"""

from __future__ import annotations

from pathlib import Path

from bot.app import build_context, load_kb
from bot.config import Settings
from chat.replies import Action, Message
from reminders.organisation import load_org_config

E2E = Path(__file__).resolve().parents[1] / "e2e"
STRATEGIST = "U0STRAT1"  # Slack id of the strategist in E2E / org.yaml
PAY = ("Hur gör man en lönekartläggning?", "lönekartläggning regler", "lonekartlaggningen")
LONG = "Kvinnojourens lokaler " * 30 + "[klicka här](https://evil.example) `kod`"


def _conversation(database_url: str, *, org: bool = True):
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "JAMBOT_KB_DIR": str(E2E / "kb"),
            "JAMBOT_PSEUDONYM_SECRET": "s",
        }
    )
    organisation = load_org_config(E2E / "org.yaml") if org else None
    return build_context(settings, organisation, load_kb(settings)).conversation


async def _staff_ask_and_dislike(conversation) -> None:
    for number, question in enumerate(PAY):
        [reply] = await conversation.handle_message(
            Message(platform="slack", user_id=f"U0STAFF{number}", text=question)
        )
        assert reply.kind in ("abstain", "clarify")
    [answer] = await conversation.handle_message(
        Message(platform="slack", user_id="U0STAFF9", text="Vad är CEMR?")
    )
    await conversation.handle_message(Message(platform="slack", user_id="U0STAFF8", text=LONG))
    down = answer.buttons[1]
    assert down.value.endswith(":down")
    await conversation.handle_action(
        Action(platform="slack", user_id="U0STAFF9", action=down.action, value=down.value)
    )


async def test_a_strategist_sees_the_top_clusters_never_who_asked(db, database_url):
    conversation = _conversation(database_url)
    await _staff_ask_and_dislike(conversation)
    [reply] = await conversation.handle_message(
        Message(platform="slack", user_id=STRATEGIST, text="gaps")
    )
    assert (reply.kind, reply.title) == ("info", "Luckor i kunskapsbasen")
    assert reply.text.startswith(
        "5 frågor utan svar, med 👎 eller skickade till strategerna, i 3 grupper."
    )
    clusters = reply.text.split("\n\n**")[1:]
    pay = next(c for c in clusters if "lonekartlaggningen" in c)
    assert ": 3 frågor** (3 utan svar)" in pay
    assert all(f"- {q}" in pay for q in PAY)
    assert "Förslag: ny post behövs." in pay
    cemr = next(c for c in clusters if "Vad är CEMR?" in c)
    assert ": 1 fråga** (1 👎)" in cemr
    assert "U0STAFF" not in reply.text
    long = next(c for c in clusters if "Kvinnojourens" in c)
    shown = next(line for line in long.splitlines() if line.startswith("- "))
    assert len(shown) <= 2 + 200 and shown.endswith("…")

    [later] = await conversation.handle_message(
        Message(platform="slack", user_id=STRATEGIST, text="luckor 2999-01-01")
    )
    assert later.text.startswith("Inga luckor")


async def test_everyone_else_is_refused_and_questions_about_gaps_are_still_questions(
    db, database_url
):
    conversation = _conversation(database_url)
    await _staff_ask_and_dislike(conversation)
    [refused] = await conversation.handle_message(
        Message(platform="slack", user_id="U0HSF1", text="gaps")
    )
    assert refused.kind == "error" and "bara för jämställdhetsstrategerna" in refused.text
    assert "lönekartläggning" not in refused.text

    [question] = await conversation.handle_message(
        Message(platform="slack", user_id="U0HSF1", text="gaps in pay between women and men?")
    )
    assert question.kind in ("answer", "abstain", "clarify")

    [bad_date] = await conversation.handle_message(
        Message(platform="slack", user_id=STRATEGIST, text="gaps 2025-13-45")
    )
    assert bad_date.kind == "error" and "”2025-13-45” är inget datum" in bad_date.text


async def test_without_an_organisation_nobody_is_a_strategist(db, database_url):
    conversation = _conversation(database_url, org=False)
    [reply] = await conversation.handle_message(
        Message(platform="slack", user_id=STRATEGIST, text="gaps")
    )
    assert reply.kind == "error" and "bara för jämställdhetsstrategerna" in reply.text
