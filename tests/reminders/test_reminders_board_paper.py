"""The quarterly report a strategist hands to the board unchanged (issue 15).

Every format is opened with its own library and checked for what the board reads:
the board paper's page, language, header and page numbers, the generated summary,
late marks, what changed between revisions, the trend against last quarter, the
chart's colours and order, and a CSV Swedish Excel opens in columns.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from board_quarter import LONG, seed_board_quarter
from docx import Document
from openpyxl import load_workbook

from reminders.assessment import get_assessment, save_assessment
from reminders.export import FORMATS, ExportOptions, QuarterReport, build_report
from reminders.export.xlsx import STATUS_COLOURS
from reminders.organisation import OrgConfig
from reminders.overview import overview_text
from reminders.periods import Quarter
from reminders.ports import Database

Q1 = Quarter(2025, 1)
NOW = datetime(2025, 4, 28, 8, 0, tzinfo=UTC)
ASSESSMENT = (
    "Förvaltningarna har kommit olika långt.\n\n- Tre behöver stöd i analysen.\n- Två saknas."
)


@pytest.fixture
def quarter(db: Database) -> tuple[Database, OrgConfig]:
    return db, seed_board_quarter(db)


def _report(quarter: tuple[Database, OrgConfig], **kwargs: str) -> QuarterReport:
    db, org = quarter
    return build_report(db, org, Q1, now=NOW, **kwargs)  # type: ignore[arg-type]


def _docx(report: QuarterReport, options: ExportOptions | None = None) -> Document:
    raw = FORMATS["docx"].render(report, options or ExportOptions())
    return Document(io.BytesIO(raw))


def test_model_knows_late_revisions_and_trend(quarter: tuple[Database, OrgConfig]) -> None:
    report = _report(quarter)
    assert len(report.reported) == 9 and len(report.missing) == 3
    assert [r.administration_id for r in report.late] == ["koll"]
    assert report.late[0].days_late == 2
    assert [r.administration_id for r in report.dropped] == ["kultur", "fast"]
    hsf = report.rows[0]
    assert [(r.status, r.by) for r in hsf.history] == [
        ("not_started", "Bo Berg"),
        ("some_deviation", "Britt Bok"),
    ]
    assert hsf.previous_status == "on_track"
    assert report.tally()["missing"] == 3 and report.tally(previous=True)["missing"] == 1
    assert list(report.tally()) == [
        "on_track",
        "some_deviation",
        "major_deviation",
        "not_started",
        "unspecified",
        "missing",
    ]


def test_board_paper_page_language_header_footer_properties(
    quarter: tuple[Database, OrgConfig],
) -> None:
    doc = _docx(_report(quarter))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    styles = doc.styles.element.xml
    assert re.search(r'<w:rPrDefault>.*?<w:lang w:val="sv-SE"', styles, re.S)
    header = section.header.paragraphs[0].text
    assert "Region Test" in header and "Ärendenummer: RS 2025/123" in header
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "Sida" in footer
    props = doc.core_properties
    assert props.title.endswith("kvartal 1 2025 (januari–mars)")
    assert props.author == "Region Test" and props.language == "sv-SE"
    assert props.created == NOW and props.last_modified_by == "Jämbot"


def test_board_paper_first_page_summary_and_assessment(
    quarter: tuple[Database, OrgConfig],
) -> None:
    doc = _docx(_report(quarter, assessment=ASSESSMENT))
    paragraphs = [p for p in doc.paragraphs]
    texts = [p.text for p in paragraphs]
    headings = [p.text for p in paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:7] == [
        "Kvartalsrapportering – Jämställdhetsintegrering",
        "Sammanfattning",
        "Stödbehov",
        "Bedömning",
        "Förslag till beslut",
        "Skickas till",
        "Förvaltningarnas rapporter",
    ]
    reports = next(p for p in paragraphs if p.text == "Förvaltningarnas rapporter")
    assert reports.paragraph_format.page_break_before  # the first page is the paper itself
    text = "\n".join(texts)
    assert "Kvartal 1 2025 (januari–mars)" in text
    assert "Sista dag för rapportering: 22 april 2025" in text
    assert "Deadline" not in text and "2025-Q1" not in text
    assert "9 av 12 förvaltningar har rapporterat för kvartal 1 2025 (januari–mars)." in text
    assert (
        "Rapport saknas från Kulturförvaltningen, Fastighetsförvaltningen och Laboratoriemedicin."
        in text
    )
    assert "Rapporterade förra kvartalet men inte nu: Kulturförvaltningen och" in text
    assert "Kollektivtrafikförvaltningen (24 april, 2 dagar efter sista dag)" in text
    # Counts: fixed order, "Läge ej angivet" before "Ej rapporterat", total and shares,
    # last quarter beside it.
    table = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert table[0] == ["Läge", "Kv 1 2025", "Andel", "Kv 4 2024"]
    assert [row[0] for row in table[1:]] == [
        "Enligt plan",
        "Vissa avvikelser",
        "Stora avvikelser",
        "Ej påbörjad",
        "Läge ej angivet",
        "Ej rapporterat",
        "Totalt",
    ]
    assert table[-1] == ["Totalt", "12", "100\u00a0%", "12"]
    assert table[6] == ["Ej rapporterat", "3", "25\u00a0%", "1"]
    # One gathered list of support needs, and the strategist's assessment as written.
    support = texts[texts.index("Stödbehov") + 1 : texts.index("Bedömning")]
    assert len(support) == 5 and support[0].startswith("Hälso- och sjukvårdsförvaltningen: Hjälp")
    assessment = paragraphs[texts.index("Bedömning") + 1 : texts.index("Förslag till beslut")]
    assert [p.text for p in assessment] == [
        "Förvaltningarna har kommit olika långt.",
        "Tre behöver stöd i analysen.",
        "Två saknas.",
    ]
    assert assessment[1].style.name == "List Bullet"
    assert texts[texts.index("Förslag till beslut") + 1] == "Informationen tas emot."
    assert texts[texts.index("Skickas till") + 1] == "Samtliga nämnder."


def test_board_paper_sections_late_changes_lists_trend(
    quarter: tuple[Database, OrgConfig],
) -> None:
    doc = _docx(_report(quarter))
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs]
    text = "\n".join(texts)
    assert "Inskickad: 24 april av Kalle Kula, 2 dagar efter sista dag" in text
    assert "Inskickad: 11 april av Tina Tand" in text  # on time: no mark
    assert (
        "Version 2, 15 april 12:00, Britt Bok: läge ändrat från Ej påbörjad till Vissa avvikelser"
        in text
    )
    assert "Version 2, 18 april 12:00, Hugo Hr: texten ändrad, läget oförändrat" in text
    assert "Förra kvartalet: Enligt plan" in text
    start = texts.index("Kulturförvaltningen")
    assert texts[start + 1 : start + 6] == [
        "Utvecklingsområde: Jämställd fördelning av kulturstöd",
        "Läge: Ej rapporterat",
        "Förra kvartalet: Enligt plan",
        "Ingen rapport har kommit in.",
        "Rapporterade förra kvartalet, saknas nu.",
    ]
    # The contact's "- " list is a real Word list, not run into the paragraph.
    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert "presenterat resultatet för ledningsgruppen den 12 mars" in bullets
    assert "Intervjuer med handläggare" in bullets
    assert "Ledningsgruppen har beslutat" in text and LONG[:40] in text
    assert not any(p.style.name == "Intense Quote" for p in paragraphs)
    for heading in (p for p in paragraphs if p.style.name.startswith("Heading")):
        assert (
            heading.style.paragraph_format.keep_with_next or heading.paragraph_format.keep_with_next
        )


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_group_by_status_and_area(quarter: tuple[Database, OrgConfig], fmt: str) -> None:
    report = _report(quarter)
    by_status = FORMATS[fmt].render(report, ExportOptions(group_by="status"))
    by_area = FORMATS[fmt].render(report, ExportOptions(group_by="development-area"))
    if fmt == "docx":

        def level2(raw: bytes) -> list[str]:
            doc = Document(io.BytesIO(raw))
            after = [p for p in doc.paragraphs if p.style.name == "Heading 2"]
            return [p.text for p in after if p.text != "Stödbehov"]

        status_groups, area_groups = level2(by_status), level2(by_area)
    else:
        status_groups = re.findall(r"^### (.+)$", by_status.decode(), re.M)[1:]
        area_groups = re.findall(r"^### (.+)$", by_area.decode(), re.M)[1:]
    assert status_groups == [
        "Enligt plan",
        "Vissa avvikelser",
        "Stora avvikelser",
        "Ej påbörjad",
        "Läge ej angivet",
        "Ej rapporterat",
    ]
    assert area_groups[:2] == [
        "Jämställd vård på akutmottagningen",
        "Jämställdhetsintegrerad budgetprocess",
    ]
    assert len(area_groups) == 12


def test_xlsx_summary_first_print_ready_chart(quarter: tuple[Database, OrgConfig]) -> None:
    raw = FORMATS["xlsx"].render(_report(quarter))
    book = load_workbook(io.BytesIO(raw))
    assert book.sheetnames[0] == "Sammanställning"
    summary, data = book["Sammanställning"], book["Rapporter"]
    values = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
    assert "Kvartal 1 2025 (januari–mars)" in values
    assert datetime(2025, 4, 22) in values  # the deadline, as a date
    assert "Kollektivtrafikförvaltningen" in values and "Laboratoriemedicin" in values
    assert "Hjälp med könsuppdelad statistik från vårdsystemet." in values
    for sheet in (summary, data):
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert "&P" in sheet.oddFooter.center.text
    assert data.print_title_rows == "$1:$1"
    header = [c.value for c in data[1]]
    assert header[-1] == "Förvaltnings-id" and "Förra kvartalet" in header
    hsf_height = data.row_dimensions[2].height
    assert hsf_height is not None and hsf_height > 10 * 15  # the 1 450-character text fits
    assert data.row_dimensions[3].height < hsf_height
    reg = [c for c in data[7]]
    assert reg[header.index("Gjort under kvartalet")].value.startswith("- Kartläggning")
    assert reg[header.index("Gjort under kvartalet")].data_type == "s"
    koll = [c.value for c in data[5]]
    assert koll[header.index("Dagar efter sista dag")] == 2
    assert koll[header.index("Inskickad")] == datetime(2025, 4, 24, 12, 0)

    charts = sorted(n for n in zipfile.ZipFile(io.BytesIO(raw)).namelist() if "charts/chart" in n)
    assert len(charts) == 2
    titles = []
    for name in charts:
        xml = zipfile.ZipFile(io.BytesIO(raw)).read(name).decode()
        colours = re.findall(r'<dPt>.*?<a:srgbClr val="([0-9A-F]{6})"', xml, re.S)
        assert colours == list(STATUS_COLOURS.values())  # fixed colours, fixed order
        assert STATUS_COLOURS["on_track"] == "2E7D32" and STATUS_COLOURS["missing"] == "757575"
        assert '<majorUnit val="1"' in xml and '<min val="0"' in xml
        assert "$A$" in xml  # categories from the fixed status column
        titles.append(re.findall(r"<a:t>(.*?)</a:t>", xml)[0])
    assert titles == [
        "Förvaltningar per läge, kvartal 1 2025 (januari–mars)",
        "Förvaltningar per läge, kvartal 4 2024 (oktober–december)",
    ]


def test_csv_semicolons_for_swedish_excel_commas_on_request(
    quarter: tuple[Database, OrgConfig],
) -> None:
    report = _report(quarter)
    raw = FORMATS["csv"].render(report)
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Förvaltnings-id;Förvaltning;Utvecklingsområde;Läge;")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    # 10 columns, then the completed analyses appended last (other tools read by position)
    assert len(rows) == 13 and all(len(r) == 11 for r in rows)
    assert rows[6][4] == "'- Kartläggning av stöd 2024\n- Intervjuer med handläggare"
    commas = FORMATS["csv"].render(report, ExportOptions(csv_separator="comma"))
    assert commas.decode("utf-8-sig").startswith("Förvaltnings-id,Förvaltning,")
    english = build_report(quarter[0], quarter[1], Q1, lang="en", now=NOW)
    assert FORMATS["csv"].render(english).decode("utf-8-sig").startswith("Administration id,")


def test_markdown_board_paper_lists_need_blank_lines(quarter: tuple[Database, OrgConfig]) -> None:
    text = FORMATS["md"].render(_report(quarter, assessment=ASSESSMENT)).decode()
    assert "9 av 12 förvaltningar har rapporterat" in text
    assert "| Läge ej angivet | 1 | 8\u00a0% | 0 |\n| Ej rapporterat | 3 | 25\u00a0% | 1 |" in text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith(("- ", "|")) and not lines[index - 1].startswith(("- ", "|")):
            assert lines[index - 1] == "", f"no blank line before {line!r}"
    assert "**Inskickad:** 24 april av Kalle Kula, 2 dagar efter sista dag" in text


def test_status_shows_trend_dropped_and_assessment(quarter: tuple[Database, OrgConfig]) -> None:
    db, org = quarter
    save_assessment(db, org.organisation.id, Q1.key, "Första utkastet.", "Anna", "slack")
    save_assessment(
        db, org.organisation.id, Q1.key, "Arbetet går framåt.", "Anna Andersson", "slack"
    )
    stored = get_assessment(db, org.organisation.id, Q1.key)
    assert stored is not None and stored.text == "Arbetet går framåt."
    report = build_report(db, org, Q1, now=NOW)
    assert report.assessment == "Arbetet går framåt."
    text = overview_text(report, NOW)
    assert (
        "✅ Hälso- och sjukvårdsförvaltningen: Vissa avvikelser (Britt Bok, 2025-04-15) – förra kvartalet: Enligt plan"
        in text
    )
    assert (
        "⚠️ Laboratoriemedicin: ej rapporterat, försenad – förra kvartalet: Ej rapporterat" in text
    )
    assert "Kv 1 2025: Enligt plan 4, Vissa avvikelser 2" in text
    assert "Kv 4 2024: Enligt plan 6" in text
    assert (
        "Rapporterade förra kvartalet men inte nu: Kulturförvaltningen och Fastighetsförvaltningen"
        in text
    )
    assert text.endswith("Bedömning: Arbetet går framåt.")
