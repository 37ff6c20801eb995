"""Answers from the organisation's own data, and a help card that offers only what works."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_context, load_kb
from bot.config import Settings
from bot.demo import demo_org, seed_demo
from bot.dialogs.org_facts import long_date, mentioned_quarter
from chat.replies import Message
from reminders.organisation import load_org_config
from reminders.periods import Quarter
from reminders.updates import StatusInput, Submitter, record_update

E2E = Path(__file__).resolve().parents[1] / "e2e"
NOW = datetime(2025, 4, 3, 10, 0, tzinfo=UTC)  # 2025-Q1 is being reported, deadline 2025-04-22
CONTACT, STRATEGIST, STAFF = "U0HSF1", "U0STRAT1", "U0NOBODY"


@pytest.fixture
def conversation(db, database_url):
    settings = Settings.from_env({"DATABASE_URL": database_url})
    org = load_org_config(E2E / "org.yaml")
    return build_context(settings, org, load_kb(settings), db=db, clock=lambda: NOW).conversation


async def _ask(conversation, text: str, user: str = CONTACT, platform: str = "slack"):
    [reply] = await conversation.handle_message(Message(platform=platform, user_id=user, text=text))
    return reply


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("När är deadline för Q2 2025?", "Deadline för 2025-Q2 är måndag 14 juli 2025."),
        ("när ska kvartalsrapporten in?", "Deadline för 2025-Q1 är tisdag 22 april 2025."),
        ("Vad är sista dag för 2025-Q3?", "Deadline för 2025-Q3 är tisdag 14 oktober 2025."),
        ("When is the deadline for 2025-Q2?", "The deadline for 2025-Q2 is Monday 14 July 2025."),
    ],
)
async def test_deadlines_come_from_the_reporting_calendar(conversation, question, expected):
    reply = await _ask(conversation, question, user=STAFF)
    assert reply.kind == "info"
    assert reply.text.startswith(expected)


async def test_a_past_deadline_says_so(conversation):
    reply = await _ask(conversation, "deadline för 2024-Q4?")
    assert "redan passerat" in reply.text


async def test_who_is_my_strategist(conversation):
    reply = await _ask(conversation, "vem är min strateg?", user=STAFF)
    assert "Anna Andersson (anna.andersson@example.se)" in reply.text


async def test_development_area_follows_the_role(conversation):
    contact = await _ask(conversation, "vilket utvecklingsområde har vi?")
    assert contact.text == "- Hälso- och sjukvårdsförvaltningen: Jämställd vård på akutmottagningen"
    strategist = await _ask(conversation, "vilket utvecklingsområde har vi?", user=STRATEGIST)
    assert strategist.text.count("\n") == 3 and "Kulturförvaltningen" in strategist.text
    nobody = await _ask(conversation, "vilket utvecklingsområde har vi?", user=STAFF)
    assert "inte som kontaktperson" in nobody.text and "akutmottagningen" not in nobody.text
    web = await _ask(
        conversation, "vilket utvecklingsområde har vi?", user=STRATEGIST, platform="web"
    )
    assert "akutmottagningen" not in web.text  # an anonymous web user is nobody in a real org


async def test_have_we_reported_reads_the_database(conversation, db):
    before = await _ask(conversation, "har vi rapporterat?")
    assert before.title == "Rapportering 2025-Q1"
    assert (
        "Hälso- och sjukvårdsförvaltningen: inte än" in before.text and "2025-04-22" in before.text
    )
    record_update(
        db,
        "region-exempel",
        "hsf",
        "2025-Q1",
        StatusInput(status="on_track", done="x"),
        Submitter(CONTACT, "Bo Berg", "slack"),
        now=NOW,
    )
    after = await _ask(conversation, "har vi rapporterat?")
    assert after.text.startswith(
        "- Hälso- och sjukvårdsförvaltningen: ja, enligt plan (senast 2025-04-03)"
    )
    assert "Kulturförvaltningen" not in after.text  # a contact sees their own administration


async def test_knowledge_questions_still_reach_the_knowledge_base(conversation):
    reply = await _ask(conversation, "Vad är CEMR?")
    assert reply.kind == "answer"


def test_quarters_and_dates_are_read_and_written_the_swedish_way():
    assert mentioned_quarter("deadline Q2 2025") == Quarter(2025, 2)
    assert mentioned_quarter("deadline 2025-q3?") == Quarter(2025, 3)
    assert mentioned_quarter("kvartal 4 2026") == Quarter(2026, 4)
    assert mentioned_quarter("deadline") is None
    assert long_date(datetime(2025, 7, 14).date(), "sv") == "måndag 14 juli 2025"


async def test_help_card_lists_what_this_person_can_use(conversation):
    contact = await _ask(conversation, "hjälp")
    assert "`rapportera`" in contact.text and "`status 2025-Q1`" not in contact.text
    strategist = await _ask(conversation, "hjälp", user=STRATEGIST)
    assert "`status 2025-Q1`" in strategist.text and "`export 2025-Q1 xlsx`" in strategist.text
    staff = await _ask(conversation, "hjälp", user=STAFF)
    assert "Kvartalsrapportering" not in staff.text
    web = await _ask(conversation, "hjälp", user=STRATEGIST, platform="web")
    assert "Kvartalsrapportering" not in web.text
    # No Slack outbox is attached here, so no line offers passing a question on.
    assert "skicka frågan vidare" not in web.text and "skicka frågan vidare" not in staff.text


async def test_demo_help_card_and_seeded_reports(db, database_url):
    settings = Settings.from_env({"DATABASE_URL": database_url})
    org = demo_org()
    assert seed_demo(db, org, NOW) == 2
    assert seed_demo(db, org, NOW) == 0  # once per quarter, however often the demo starts
    conversation = build_context(
        settings, org, load_kb(settings), db=db, clock=lambda: NOW
    ).conversation
    help_card = await _ask(conversation, "hjälp", user="web-anyone", platform="web")
    for line in (
        "`rapportera`",
        "`status 2025-Q1`",
        "`export 2025-Q1 xlsx`",
        "Strategvy",
        "skicka frågan vidare",
    ):
        assert line in help_card.text
    terminal = await _ask(conversation, "hjälp", user="me", platform="terminal")
    assert "Strategvy" not in terminal.text  # the strategist view is the web chat's
    status = await _ask(conversation, "status 2025-Q1", user="web-anyone", platform="web")
    assert "Regionstyrelseförvaltningen" in status.text
    slack = await _ask(conversation, "status 2025-Q1", user="U0SOMEONE")
    assert slack.kind == "error"  # only the people at this machine are the demo's strategist
