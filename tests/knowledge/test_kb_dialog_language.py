"""The answering dialog over the real engine and database: small talk, and the reply
language following the question's language (issue 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import build_context, load_kb
from bot.config import Settings
from bot.dialogs.small_talk import small_talk
from chat.replies import Action, Message
from knowledge import KnowledgeBase

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
_KB: dict[str, KnowledgeBase] = {}


def _conversation(database_url: str):
    settings = Settings.from_env({"DATABASE_URL": database_url, "JAMBOT_KB_DIR": str(FIXTURE_KB)})
    if "kb" not in _KB:  # one load for the module: embedding is the slow part
        _KB["kb"] = load_kb(settings)
    return build_context(settings, None, _KB["kb"]).conversation


def _msg(text: str) -> Message:
    return Message(platform="web", user_id="w1", text=text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tack", ("thanks", "sv")),
        ("Tack så mycket!", ("thanks", "sv")),
        ("thanks!", ("thanks", "en")),
        ("hej hej", ("greeting", "sv")),
        ("god morgon", ("greeting", "sv")),
        ("Hi there, how are you?", ("greeting", "en")),
        ("hej, vad är JI?", None),  # a question that happens to start with a greeting
        ("tack för svaret om CEMR", None),
        ("vad är det", None),
    ],
)
def test_small_talk_is_recognised_only_when_it_is_all_there_is(text, expected) -> None:
    assert small_talk(text) == expected


async def test_greetings_and_thanks_get_a_friendly_reply_not_an_entry(db, database_url) -> None:
    conversation = _conversation(database_url)
    [thanks] = await conversation.handle_message(_msg("tack så mycket!"))
    assert thanks.kind == "info" and thanks.text.startswith("Varsågod")
    [english] = await conversation.handle_message(_msg("thanks a lot"))
    assert english.kind == "info" and english.lang == "en" and "welcome" in english.text
    [hello] = await conversation.handle_message(_msg("hej hej"))
    assert hello.kind == "info" and "Jämbot" in hello.text and hello.title is None


async def test_english_question_about_swedish_only_entry_is_introduced_in_english(
    db, database_url
) -> None:
    conversation = _conversation(database_url)
    [reply] = await conversation.handle_message(
        _msg("Why should statistics be broken down by sex?")
    )
    assert reply.kind == "answer" and reply.lang == "en"
    intro, _, body = reply.text.partition("\n\n")
    assert intro == "This answer is only available in Swedish:"
    assert "statistik" in body  # the Swedish text itself
    assert [b.label for b in reply.buttons][:2] == ["👍 Helpful", "👎 Not helpful"]


async def test_english_question_with_an_english_entry_gets_english_text_and_no_intro(
    db, database_url
) -> None:
    conversation = _conversation(database_url)
    [reply] = await conversation.handle_message(_msg("What is gender mainstreaming?"))
    assert reply.kind == "answer" and reply.lang == "en"
    assert reply.title == "What is gender mainstreaming?"
    assert not reply.text.startswith("This answer is only available in Swedish")


async def test_swedish_question_gets_no_english_intro(db, database_url) -> None:
    conversation = _conversation(database_url)
    [reply] = await conversation.handle_message(_msg("varför ska statistiken vara könsuppdelad"))
    assert reply.kind == "answer" and reply.lang == "sv"
    assert "only available in Swedish" not in reply.text


async def test_an_english_follow_up_button_opens_the_swedish_entry_with_the_intro(
    db, database_url
) -> None:
    conversation = _conversation(database_url)
    action = Action(
        platform="web", user_id="w1", action="ask_entry", value="konsuppdelad-statistik|en"
    )
    [reply] = await conversation.handle_action(action)
    assert reply.kind == "answer" and reply.lang == "en"
    assert reply.text.startswith("This answer is only available in Swedish:")
