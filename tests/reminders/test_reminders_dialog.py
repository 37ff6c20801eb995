"""The reporting dialog as the conversation uses it: form, submission, receipt, thread reply, refusals."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from reporting_org import make_org
from slack_standin import SlackStandIn

from bot.config import Settings
from bot.db import Database
from bot.dialogs.registry import Registry
from bot.dialogs.reporting import ReportingDialog
from bot.slack import make_outbox
from bot.stores.analysis import complete, create_draft
from chat.replies import Action, Message
from reminders.runner import run_reminders
from reminders.updates import latest_update

NOW = datetime(2025, 4, 10, 12, 0, tzinfo=UTC)


def dialog(db: Database) -> ReportingDialog:
    return ReportingDialog(make_org(), db, Settings(), clock=lambda: NOW)


def press(user: str, value: str = "hsf|2025-Q1") -> Action:
    return Action("slack", user, "report_status", value)


def submit(user: str, fields: dict[str, str], value: str = "hsf|2025-Q1") -> Action:
    return Action("slack", user, "submit_status", value, fields=fields)


async def test_button_opens_the_form_and_submission_is_stored_with_an_edit_button(
    db: Database,
) -> None:
    d = dialog(db)
    routes = Registry()
    d.register(routes)
    assert sorted(routes.actions) == ["report_status", "submit_status"]  # and not "feedback"
    [opened] = await d.on_action(press("U0HSF1"))
    assert opened.form is not None and opened.form.action == "submit_status"
    assert [f.name for f in opened.form.fields] == [
        "status",
        "done",
        "next_steps",
        "support_needed",
    ]
    status_field = opened.form.fields[0]
    assert status_field.required and ("on_track", "Enligt plan") in status_field.options
    assert "Jämställd vård på akutmottagningen" in opened.form.intro

    [receipt] = await d.on_action(
        submit(
            "U0HSF1",
            {"status": "some_deviation", "done": "Kartläggning klar", "next_steps": "Analys"},
        )
    )
    assert (
        receipt.kind == "receipt"
        and "version 1" in receipt.text
        and "Vissa avvikelser" in receipt.text
    )
    [edit] = receipt.buttons
    assert (edit.label, edit.action, edit.value) == ("Ändra", "report_status", "hsf|2025-Q1")
    stored = latest_update(db, "region-test", "hsf", "2025-Q1")
    assert stored is not None and (stored.done, stored.submitted_by_name) == (
        "Kartläggning klar",
        "Bo Berg",
    )

    [reopened] = await d.on_action(Action("slack", "U0HSF1", edit.action, edit.value))
    assert reopened.form is not None
    initial = {f.name: f.initial for f in reopened.form.fields}
    assert initial == {
        "status": "some_deviation",
        "done": "Kartläggning klar",
        "next_steps": "Analys",
        "support_needed": "",
    }
    [second] = await d.on_action(submit("U0HSF2", {"status": "on_track", "done": "Mer"}))
    assert "version 2" in second.text


async def test_invalid_submission_returns_field_errors_and_stores_nothing(db: Database) -> None:
    [reply] = await dialog(db).on_action(submit("U0HSF1", {"status": "", "done": "x" * 2001}))
    assert reply.kind == "error" and reply.form is not None
    assert dict(reply.field_errors) == {
        "status": "Välj ett läge.",
        "done": "Högst 2000 tecken (nu 2001).",
    }
    assert {f.name: f.initial for f in reply.form.fields}["done"] == "x" * 2000
    assert latest_update(db, "region-test", "hsf", "2025-Q1") is None


async def test_only_own_contacts_and_strategists_may_report(db: Database) -> None:
    d = dialog(db)
    [refused] = await d.on_action(submit("U0KUL1", {"status": "on_track"}))
    assert (
        refused.kind == "error"
        and "bara kontaktpersonerna för Hälso- och sjukvårdsförvaltningen" in refused.text
    )
    [refused_form] = await d.on_action(press("U0NOBODY"))
    assert refused_form.form is None and refused_form.kind == "error"
    assert latest_update(db, "region-test", "hsf", "2025-Q1") is None
    [ok] = await d.on_action(submit("U0STRAT1", {"status": "on_track"}))
    assert ok.kind == "receipt"
    [bad] = await d.on_action(submit("U0HSF1", {"status": "on_track"}, value="hsf|2025-Q9"))
    assert bad.kind == "error" and "Öppna formuläret igen" in bad.text


async def test_status_and_export_are_for_strategists_only(db: Database) -> None:
    d = dialog(db)
    await d.on_action(submit("U0HSF1", {"status": "on_track", "done": "Klart"}))
    msg = Message("slack", "U0HSF1", "export 2025-Q1 xlsx")
    [refused] = await d.on_command(msg, msg.text.split())  # type: ignore[misc]
    assert (
        refused.kind == "error"
        and refused.file is None
        and "bara för jämställdhetsstrategerna" in refused.text
    )

    strat = Message("slack", "U0STRAT1", "status 2025-Q1")
    [status] = await d.on_command(strat, strat.text.split())  # type: ignore[misc]
    assert "1 av 3 förvaltningar har rapporterat" in status.text
    assert "✅ Hälso- och sjukvårdsförvaltningen: Enligt plan" in status.text
    assert (
        "⏳ Regionstyrelseförvaltningen: ej rapporterat" in status.text
    )  # deadline 22 April not passed

    in_q1 = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)  # (NOW, 10 April, would count for Q2)
    draft = create_draft(db, "region-test", "k:bo", "3r", "sv", "arendet", now=in_q1)
    assert complete(db, "region-test", "k:bo", draft.id, "rsf", make_org().tz, now=in_q1)
    export = Message("slack", "U0STRAT1", "export 2025-Q1 xlsx")
    [exported] = await d.on_command(export, export.text.split())  # type: ignore[misc]
    assert exported.file is not None and exported.file.filename == "jambot-region-test-2025-Q1.xlsx"
    sheet = load_workbook(io.BytesIO(exported.file.content))["Rapporter"]
    assert (
        sheet.cell(row=2, column=5).value == "Klart"
        and sheet.cell(row=3, column=4).value == "Ej rapporterat"
    )
    header = [c.value for c in sheet[1]]
    analyses = header.index("Genomförda jämställdhetsanalyser") + 1
    # The chat export loads the counts, too: rsf has not reported but completed one analysis.
    assert [sheet.cell(row=r, column=analyses).value for r in (2, 3, 4)] == [0, 1, 0]

    for text in ("status 2025-Q5", "export Q1", "export 2025-Q1 pdf", "status"):
        m = Message("slack", "U0STRAT1", text)
        [err] = await d.on_command(m, text.split())  # type: ignore[misc]
        assert err.kind == "error" and "2025-Q1" in err.text
    assert (
        await d.on_command(Message("slack", "U0STRAT1", "vad är jämställdhet"), ["vad", "är"])
        is None
    )


async def test_plain_reply_in_a_reminder_thread_is_stored_as_done(
    db: Database, slack: tuple[SlackStandIn, str], slack_settings: Settings
) -> None:
    standin, _ = slack
    org = make_org()
    await run_reminders(
        db,
        org,
        {"slack": make_outbox(slack_settings)},
        datetime(2025, 4, 4, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm")),
    )
    post = standin.posts_to("D0HSF1")[0]
    d = dialog(db)
    reply = Message(
        "slack", "U0HSF1", "Vi har gjort kartläggningen.", channel_id="D0HSF1", thread_id=post["ts"]
    )
    [receipt] = await d.on_thread_reply(reply)  # type: ignore[misc]
    assert receipt.kind == "receipt" and receipt.buttons[0].value == "hsf|2025-Q1"
    stored = latest_update(db, "region-test", "hsf", "2025-Q1")
    assert stored is not None and (stored.done, stored.status) == (
        "Vi har gjort kartläggningen.",
        None,
    )
    other_thread = Message("slack", "U0HSF1", "hej", channel_id="D0HSF1", thread_id="1.2")
    assert await d.on_thread_reply(other_thread) is None
    intruder = Message("slack", "U0KUL1", "jag med", channel_id="D0HSF1", thread_id=post["ts"])
    [refused] = await d.on_thread_reply(intruder)  # type: ignore[misc]
    assert refused.kind == "error"


async def test_rapportera_offers_the_form_for_ones_own_administration(db: Database) -> None:
    msg = Message("slack", "U0KUL1", "rapportera")
    [reply] = await dialog(db).on_command(msg, ["rapportera"])  # type: ignore[misc]
    assert [(b.action, b.value) for b in reply.buttons] == [("report_status", "kultur|2025-Q1")]
    nobody = Message("slack", "U0NOBODY", "rapportera")
    [refused] = await dialog(db).on_command(nobody, ["rapportera"])  # type: ignore[misc]
    assert refused.kind == "error"
