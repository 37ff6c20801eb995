"""The conversation core's routing and its safety net, over the real knowledge base and database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.app import build_context, load_kb
from bot.config import Settings
from bot.db import Database
from bot.db.models import Feedback, QuestionLog
from chat.replies import Action, Message
from reminders.organisation import load_org_config

E2E = Path(__file__).resolve().parents[1] / "e2e"


def _conversation(database_url: str, *, org: bool = True, db: Database | None = None):
    settings = Settings.from_env({"DATABASE_URL": database_url, "JAMBOT_KB_DIR": str(E2E / "kb")})
    organisation = load_org_config(E2E / "org.yaml") if org else None
    return build_context(settings, organisation, load_kb(settings), db=db).conversation


def _msg(text: str, **kw) -> Message:
    return Message(platform="web", user_id="w1", text=text, **kw)


async def test_help_words_and_empty_text_get_help_in_the_right_language(db, database_url):
    conversation = _conversation(database_url)
    for text, title in [("", "Så här kan jag hjälpa dig"), ("Hjälp!", "Så här kan jag hjälpa dig"),
                        ("help", "How I can help"), ("hi", "How I can help")]:
        [reply] = await conversation.handle_message(_msg(text))
        assert (reply.kind, reply.title) == ("help", title)
    [web] = await conversation.handle_message(_msg("hjälp"))
    assert "rutan längst ned" in web.text and "/jambot" not in web.text
    [slack] = await conversation.handle_message(Message(platform="slack", user_id="U1", text="hjälp"))
    assert "`/jambot <fråga>`" in slack.text
    [teams] = await conversation.handle_message(Message(platform="teams", user_id="a1", text="help"))
    assert "mention me (@Jämbot)" in teams.text
    [question] = await conversation.handle_message(_msg("hjälp med CEMR"))
    assert question.kind == "answer"  # more than a help word is a question


async def test_without_an_organisation_there_is_no_reporting(db, database_url):
    conversation = _conversation(database_url, org=False)
    [help_reply] = await conversation.handle_message(_msg("hjälp"))
    assert "Kvartalsrapportering" not in help_reply.text
    [reply] = await conversation.handle_message(_msg("status 2025-Q1"))
    assert reply.kind in ("answer", "abstain", "clarify")  # just a question then
    [unknown] = await conversation.handle_action(Action(platform="web", user_id="w1", action="report_status"))
    assert unknown.kind == "error"


async def test_unaddressed_messages_outside_bot_threads_are_ignored(db, database_url):
    conversation = _conversation(database_url)
    assert await conversation.handle_message(_msg("vad är CEMR?", thread_id="17.0", addressed=False)) == []


async def test_too_long_questions_are_refused_plainly(db, database_url):
    conversation = _conversation(database_url)
    [reply] = await conversation.handle_message(_msg("CEMR " * 1000))
    assert reply.kind == "error" and "för lång" in reply.text


async def test_a_database_outage_gives_a_plain_apology_never_a_traceback(database_url):
    down = Database("postgresql+psycopg://jambot@127.0.0.1:1/jambot?connect_timeout=2")
    conversation = _conversation(database_url, db=down)
    [reply] = await conversation.handle_message(_msg("Vad är CEMR?"))
    assert reply.kind == "error" and reply.text.startswith("Något gick fel hos mig")
    assert "Traceback" not in reply.text and "psycopg" not in reply.text
    assert await conversation.handle_message(_msg("Vad är CEMR?", thread_id="1.0", addressed=False)) == []
    [action_reply] = await conversation.handle_action(
        Action(platform="web", user_id="w1", action="feedback", value="1:up")
    )
    assert action_reply.kind == "error"
    down.dispose()


async def test_lone_surrogates_from_hostile_json_are_stored_not_crashed_on(db, database_url):
    conversation = _conversation(database_url)
    [reply] = await conversation.handle_message(
        Message(platform="slack", user_id="U\ud800", text="Vad är CEMR? \udfff")
    )
    assert reply.kind == "answer"
    with db.session() as session:
        assert session.scalars(select(QuestionLog.question)).one() == "Vad är CEMR? ?"


async def test_a_double_click_on_feedback_stores_one_verdict(db, database_url):
    conversation = _conversation(database_url)
    [answer] = await conversation.handle_message(_msg("Vad är CEMR?"))
    up = answer.buttons[0]
    press = Action(platform="web", user_id="w1", action=up.action, value=up.value)
    replies = await asyncio.gather(*(conversation.handle_action(press) for _ in range(5)))
    assert all(reply.kind == "info" for [reply] in replies)
    with db.session() as session:
        assert session.scalars(select(Feedback.helpful)).all() == [True]
