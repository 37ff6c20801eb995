"""The guided gender-equality analysis through the conversation core, on the real database.

The bundled knowledge base and its bundled guides (3R, JämKAS Bas) are used as shipped,
so these tests also hold the guides' wording to what a decision paper needs.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from bot.app import build_context
from bot.config import Settings
from bot.conversation import Conversation
from bot.db.base import utcnow
from bot.db.models import AnalysisCompletion, AnalysisDraft
from bot.retention import purge_expired
from bot.stores.analysis import completed_analyses
from chat.replies import Action, Message, Reply
from knowledge import BUNDLED_CONTENT, KnowledgeBase
from reminders.organisation import load_org_config
from reminders.periods import Quarter
from tests.e2e.analysis_walk import FULL_WALK  # the same case officer on every platform

E2E = Path(__file__).resolve().parents[1] / "e2e"
BO = "U0HSF1"  # contact of "hsf" in tests/e2e/org.yaml
OTHER = "U0KUL1"  # contact of "kultur"



@pytest.fixture(scope="module")
def bundled_kb() -> KnowledgeBase:
    return KnowledgeBase.load(BUNDLED_CONTENT)


@pytest.fixture
def conversation(database_url: str, db, bundled_kb: KnowledgeBase) -> Conversation:
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "JAMBOT_KB_DIR": str(BUNDLED_CONTENT),
            "JAMBOT_PSEUDONYM_SECRET": "s",
        }
    )
    return build_context(
        settings, load_org_config(E2E / "org.yaml"), bundled_kb, db=db
    ).conversation


async def say(conversation: Conversation, text: str, user: str = BO) -> Reply:
    [reply] = await conversation.handle_message(Message(platform="slack", user_id=user, text=text))
    return reply


async def press(
    conversation: Conversation, action: str, value: str, user: str = BO, **fields: str
) -> Reply:
    [reply] = await conversation.handle_action(
        Action(platform="slack", user_id=user, action=action, value=value, fields=fields)
    )
    return reply


def button(reply: Reply, label_part: str):
    return next(b for b in reply.buttons if label_part in b.label)


async def start_3r(conversation: Conversation, user: str = BO) -> Reply:
    offer = await say(conversation, "analys", user)
    assert "Vilken metod vill du använda?" in offer.text
    start = button(offer, "3R")
    return await press(conversation, start.action, start.value, user)


async def walk(
    conversation: Conversation,
    form_reply: Reply,
    answers: dict[str, dict[str, str]],
    user: str = BO,
) -> Reply:
    reply = form_reply
    while reply.form is not None and reply.form.action == "analysis_step":
        step_id = reply.form.value.split("|")[1]
        reply = await press(
            conversation, "analysis_step", reply.form.value, user, **answers[step_id]
        )
    return reply


async def test_full_walk_ends_in_the_section_with_gaps_named(conversation, db) -> None:
    first = await start_3r(conversation)
    assert first.form is not None
    assert first.form.title == "Jämställdhetsanalys 1/8"
    assert (
        "Läs mer: fråga mig ”Vad ska stå om jämställdhet i en tjänsteskrivelse?”"
        in first.form.intro
    )
    assert [f.name for f in first.form.fields] == ["beslut"] and first.form.fields[0].required

    done = await walk(conversation, first, FULL_WALK)

    assert done.title == "Konsekvenser för jämställdhet"
    assert "Ärendet gäller Nya öppettider för vårdcentralerna i Luleå." in done.text
    assert "Beslutet berör patienter, främst äldre kvinnor och män." in done.text
    assert "Underlaget bygger på besök per kön och ålder 2024." in done.text
    assert "Kortare öppettider drabbar främst kvinnor som arbetar dagtid." in done.text
    assert (
        "För att beslutet ska bli mer jämställt föreslås kvällsöppet två dagar i veckan."
        in done.text
    )
    gaps = done.text.split("**Det här behöver kompletteras innan beslut**")[1]
    assert (
        "- Könsuppdelad statistik saknas för resvanor till vårdcentralen; ta fram den innan beslut."
        in gaps
    )
    assert "- Det är inte undersökt hur resurserna fördelas mellan kvinnor och män." in gaps
    assert (
        "- Det är inte bestämt hur beslutets effekter för kvinnor och män ska följas upp." in gaps
    )
    assert "representerade" not in gaps  # answered, so not a gap
    assert [b.action for b in done.buttons] == [
        "analysis_download",
        "analysis_download",
        "analysis_open",
    ]
    quarter = Quarter.containing(utcnow().date())
    assert completed_analyses(db, "region-exempel", quarter) == {"hsf": 1}


async def test_short_path_for_a_matter_that_does_not_concern_people(conversation, db) -> None:
    first = await start_3r(conversation)
    second = await press(
        conversation,
        "analysis_step",
        first.form.value,
        beslut="Byte av serverplattform för ekonomisystemet",
    )
    assert second.form is not None and second.form.fields[0].kind == "select"
    third = await press(conversation, "analysis_step", second.form.value, beror="nej")
    assert third.form is not None and third.form.title == "Jämställdhetsanalys 3/3"
    assert third.form.submit_label == "Skapa texten"
    refused = await press(conversation, "analysis_step", third.form.value, motivering="")
    assert refused.field_errors == (("motivering", "Svara på den här frågan."),)
    done = await press(
        conversation,
        "analysis_step",
        third.form.value,
        motivering="det gäller en teknisk plattform som ingen invånare eller anställd märker av.",
    )
    assert done.text.endswith(
        "Ärendet gäller Byte av serverplattform för ekonomisystemet.\n\n"
        "Ärendet bedöms inte ha betydelse för jämställdheten, eftersom det gäller en teknisk "
        "plattform som ingen invånare eller anställd märker av."
    )
    assert "kompletteras" not in done.text  # the short path asks nothing it then calls missing


async def test_resume_continues_where_the_person_left_and_keeps_answers(conversation) -> None:
    first = await start_3r(conversation)
    await press(conversation, "analysis_step", first.form.value, beslut="Ny taxa för färdtjänst")

    resumed = await say(conversation, "fortsätt analysen")
    cont = button(resumed, "Fortsätt")
    assert cont.value.endswith("|manniskor")
    form = await press(conversation, cont.action, cont.value)
    assert form.form is not None and form.form.title == "Jämställdhetsanalys 2/8"

    # `analys` again offers the draft first, next to starting anew
    offer = await say(conversation, "analys")
    assert (
        "Du har en påbörjad analys" in offer.text and offer.buttons[0].label == "Fortsätt analysen"
    )

    done = await walk(conversation, form, FULL_WALK)
    assert "Ärendet gäller Ny taxa för färdtjänst." in done.text

    # edit: the first step comes back prefilled; changing it changes the text, counted once
    edit = button(done, "Ändra")
    again = await press(conversation, edit.action, edit.value)
    assert again.form.fields[0].initial == "Ny taxa för färdtjänst"
    edited = await walk(
        conversation, again, {**FULL_WALK, "arendet": {"beslut": "Ny taxa för sjukresor"}}
    )
    assert "Ärendet gäller Ny taxa för sjukresor." in edited.text
    shown = await say(conversation, "fortsätt analysen")
    assert "Ny taxa för sjukresor" in shown.text  # a finished draft shows its text again


async def test_nobody_else_can_read_or_change_a_draft(conversation, db) -> None:
    first = await start_3r(conversation)
    await press(conversation, "analysis_step", first.form.value, beslut="Hemligt ärende om lokaler")
    draft_id = first.form.value.split("|")[0]
    for action, value in (
        ("analysis_open", f"{draft_id}|arendet"),
        ("analysis_step", f"{draft_id}|arendet"),
        ("analysis_download", f"{draft_id}|md"),
    ):
        reply = await press(conversation, action, value, user=OTHER, beslut="kapat")
        assert reply.kind == "error" and "Hemligt" not in reply.text
        assert reply.form is None and reply.file is None
    assert (await say(conversation, "fortsätt analysen", OTHER)).text.startswith(
        "Du har ingen påbörjad analys"
    )
    with db.session() as session:
        assert session.scalars(select(AnalysisDraft.answers)).all() == [
            {"beslut": "Hemligt ärende om lokaler"}
        ]
        # the owner is a keyed hash, never the platform id
        assert BO not in session.scalars(select(AnalysisDraft.user_key)).one()


async def test_bad_input_is_refused_with_a_message(conversation) -> None:
    first = await start_3r(conversation)
    second = await press(conversation, "analysis_step", first.form.value, beslut="Ärendet")
    wrong = await press(conversation, "analysis_step", second.form.value, beror="kanske")
    assert (
        wrong.field_errors == (("beror", "Välj ett av alternativen."),) and wrong.form is not None
    )
    long = await press(conversation, "analysis_step", first.form.value, beslut="x" * 2001)
    assert long.field_errors == (("beslut", "Svaret är för långt (högst 2000 tecken)."),)
    for value in ("", "abc|arendet", "99999999999999999999999|x", "0", "-1|arendet"):
        reply = await press(conversation, "analysis_open", value)
        assert reply.kind == "error"


async def test_downloads_as_docx_and_markdown(conversation) -> None:
    done = await walk(conversation, await start_3r(conversation), FULL_WALK)
    docx_button, md_button = done.buttons[:2]
    md = await press(conversation, md_button.action, md_button.value)
    assert md.file is not None and md.file.filename.endswith(".md")
    markdown = md.file.content.decode()
    assert markdown.startswith("## Konsekvenser för jämställdhet\n\nÄrendet gäller Nya öppettider")
    docx = await press(conversation, docx_button.action, docx_button.value)
    assert docx.file is not None and docx.file.filename.endswith(".docx")
    paragraphs = [p.text for p in Document(io.BytesIO(docx.file.content)).paragraphs]
    assert paragraphs[0] == "Konsekvenser för jämställdhet"
    assert "Det här behöver kompletteras innan beslut" in paragraphs
    assert (
        "Könsuppdelad statistik saknas för resvanor till vårdcentralen; ta fram den innan beslut."
        in paragraphs
    )


async def test_answers_about_decision_papers_offer_the_analysis(conversation) -> None:
    for question in (
        "Vad är 3R-metoden?",
        "Vad ska stå om jämställdhet i en tjänsteskrivelse?",
        "Vad är JämKAS Bas?",
    ):
        answer = await say(conversation, question)
        assert answer.kind == "answer", question
        offer = button(answer, "Gör en jämställdhetsanalys")
        assert offer.action == "analysis_begin"
    cemr = await say(conversation, "Vad är CEMR-deklarationen?")
    assert cemr.kind == "answer" and not [b for b in cemr.buttons if b.action == "analysis_begin"]
    begun = await press(conversation, "analysis_begin", "sv")
    assert "Vilken metod vill du använda?" in begun.text


async def test_english_command_and_help(conversation) -> None:
    offer = await say(conversation, "analysis")
    assert offer.lang == "en" and "Which method would you like to use?" in offer.text
    help_reply = await say(conversation, "help")
    assert "`analysis`" in help_reply.text
    assert (
        await say(conversation, "analys av budgeten i kommunen")
    ).kind != "info"  # a question, not the command
    start = button(offer, "Gender-equality analysis with 3R")
    first = await press(conversation, start.action, start.value)
    assert first.form.title == "Gender analysis 1/8" and first.form.submit_label == "Next"
    second = await press(
        conversation, "analysis_step", first.form.value, beslut="a new server platform"
    )
    third = await press(conversation, "analysis_step", second.form.value, beror="nej")
    done = await press(
        conversation, "analysis_step", third.form.value, motivering="no one notices the change."
    )
    assert done.title == "Consequences for gender equality" and done.lang == "en"
    assert done.text.endswith(
        "The matter concerns a new server platform.\n\n"
        "The matter is judged to have no significance for gender equality, because no one notices the change."
    )


async def test_retention_purges_drafts_but_keeps_the_count(conversation, db) -> None:
    await walk(conversation, await start_3r(conversation), FULL_WALK)
    await start_3r(conversation, OTHER)  # an unfinished draft of someone else
    purge_expired(db, 30, now=utcnow() + timedelta(days=29))
    with db.session() as session:
        assert len(session.scalars(select(AnalysisDraft.id)).all()) == 2
    purge_expired(db, 30, now=utcnow() + timedelta(days=31))
    with db.session() as session:
        assert session.scalars(select(AnalysisDraft.id)).all() == []
        [completion] = session.scalars(select(AnalysisCompletion)).all()
        assert (
            completion.administration_id == "hsf" and completion.guide_id == "jamstalldhetsanalys"
        )
    assert (await say(conversation, "fortsätt analysen")).text.startswith(
        "Du har ingen påbörjad analys"
    )
