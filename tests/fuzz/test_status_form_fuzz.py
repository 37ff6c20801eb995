"""The status form (a Slack modal) with hostile field values, and what the exports make of them.

Every submission is either refused with field errors (and nothing stored) or stored
as typed (trimmed, invisible control characters dropped); whatever was stored comes out of the CSV and Excel exports
as inert text, never as a formula, and the Word document still opens.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from fuzz.live import LiveServer
from fuzz.strategies import FUZZ, formula_text, nasty_text
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from slack_harness import E2E_ORG

from bot.db import Database
from reminders.export import FORMATS, build_report
from reminders.export.injection import FORMULA_STARTS
from reminders.organisation import load_org_config
from reminders.periods import Quarter
from reminders.updates import latest_update

CONTACT = "U0HSF1"  # a contact of "hsf" in the e2e organisation
OUTSIDER = "U0KUL1"  # a contact of another administration
PERIOD = "2025-Q1"
ORG = load_org_config(E2E_ORG)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.fixture(scope="module")
def status_view(live: LiveServer) -> dict[str, Any]:
    """The modal the "Rapportera status" button opens, as the bot sent it to views.open."""
    response = live.press("report_status", f"hsf|{PERIOD}", CONTACT)
    assert response.status == 200
    live.idle()
    opened = [c for c in list(live.standin.slack.calls) if c.method == "views.open"]
    assert opened, "the button did not open the form"
    view = opened[-1].body["view"]
    return json.loads(view) if isinstance(view, str) else view


@pytest.fixture(scope="module")
def db(live: LiveServer) -> Iterator[Database]:
    database = Database(live.database_url)
    yield database
    database.dispose()


def _options(view: dict[str, Any]) -> list[str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == "status")
    return [o["value"] for o in block["element"]["options"]]


field_text = st.one_of(nasty_text, formula_text, st.none(), st.text(min_size=1990, max_size=2100))


@FUZZ
@given(data=st.data())
def test_any_submission_is_stored_as_typed_or_refused_with_field_errors(
    live: LiveServer, db: Database, status_view: dict[str, Any], data: st.DataObject
) -> None:
    values = {
        "status": data.draw(st.one_of(st.sampled_from(_options(status_view)), st.none(), nasty_text)),
        "done": data.draw(field_text),
        "next_steps": data.draw(field_text),
        "support_needed": data.draw(field_text),
    }
    before = latest_update(db, ORG.organisation.id, "hsf", PERIOD)
    response = live.submit_view(status_view, values, CONTACT)
    assert response.status == 200, response.body[:300]
    body = response.json() if response.body else {}
    after = latest_update(db, ORG.organisation.id, "hsf", PERIOD)
    if body.get("response_action") == "errors":
        assert body["errors"] and all(isinstance(m, str) and m for m in body["errors"].values())
        assert (after.revision if after else 0) == (before.revision if before else 0)
        return
    assert not body, body
    assert after is not None and after.revision == (before.revision if before else 0) + 1
    for name in ("done", "next_steps", "support_needed"):  # control characters are dropped
        assert getattr(after, name) == CONTROL.sub("", values[name] or "").strip()
    _assert_exports_are_inert(db)


def _assert_exports_are_inert(db: Database) -> None:
    report = build_report(db, ORG, Quarter.parse(PERIOD))
    raw = FORMATS["csv"].render(report).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline=""), delimiter=";"))  # Swedish: semicolons
    for cell in (c for row in rows[1:] for c in row):
        assert not cell.startswith(FORMULA_STARTS), f"CSV cell would run as a formula: {cell[:60]!r}"
    book = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"XLSX formula in {sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    # issue 15: stored as a text cell with Excel's quote prefix, no apostrophe
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value[:60]
    docx = FORMATS["docx"].render(report)
    document = Document(io.BytesIO(docx))  # still opens
    assert any("Hälso- och sjukvårdsförvaltningen" in p.text for p in document.paragraphs)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    # Typed text must never become a Word field (DDEAUTO, HYPERLINK, INCLUDETEXT ...).
    assert "instrText" not in xml and "fldSimple" not in xml


@FUZZ
@given(done=st.one_of(nasty_text, formula_text))
def test_someone_elses_administration_cannot_be_reported_for(
    live: LiveServer, db: Database, status_view: dict[str, Any], done: str
) -> None:
    before = latest_update(db, ORG.organisation.id, "hsf", PERIOD)
    response = live.submit_view(status_view, {"status": _options(status_view)[0], "done": done}, OUTSIDER)
    assert response.status < 500
    after = latest_update(db, ORG.organisation.id, "hsf", PERIOD)
    assert (after.revision if after else 0) == (before.revision if before else 0)


@FUZZ
@given(metadata=st.one_of(nasty_text, st.builds(json.dumps, st.dictionaries(
    st.sampled_from(["a", "v", "c", "t"]), st.one_of(nasty_text, st.integers(), st.none()), max_size=4))))
def test_a_tampered_form_context_changes_nothing(
    live: LiveServer, status_view: dict[str, Any], metadata: str
) -> None:
    before = live.snapshot()
    view = {**status_view, "private_metadata": metadata}
    response = live.submit_view(view, {"status": _options(status_view)[0], "done": "x"}, CONTACT)
    assert response.status < 500, response.body[:300]
    after = live.snapshot()
    assert after["status_update"] == before["status_update"] or json.loads(metadata).get("v") == f"hsf|{PERIOD}"
