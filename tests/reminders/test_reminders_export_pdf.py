"""The board paper and the workbook as they print: converted to PDF by LibreOffice.

One ``soffice`` run converts both files (one conversion per format); ``pdftotext``
(poppler) reads the pages back. Skipped only where LibreOffice is not installed
(``.ci/run`` installs it from Debian, with poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from board_quarter import NAMES, seed_board_quarter

from reminders.export import FORMATS, build_report
from reminders.periods import Quarter
from reminders.ports import Database

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


def _pages(pdf: Path) -> list[str]:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the PDF"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def pdfs(db: Database, tmp_path: Path) -> dict[str, list[str]]:
    org = seed_board_quarter(db)
    report = build_report(db, org, Quarter(2025, 1), now=datetime(2025, 4, 28, 8, tzinfo=UTC))
    for fmt in ("docx", "xlsx"):
        (tmp_path / f"rapport-{fmt}.{fmt}").write_bytes(FORMATS[fmt].render(report))
    profile = (tmp_path / "profile").as_uri()  # its own profile: parallel runs do not collide
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "rapport-docx.docx"),
         str(tmp_path / "rapport-xlsx.xlsx")],
        capture_output=True, check=True, timeout=240,
    )  # fmt: skip
    return {fmt: _pages(tmp_path / f"rapport-{fmt}.pdf") for fmt in ("docx", "xlsx")}


def test_board_paper_and_workbook_print(pdfs: dict[str, list[str]]) -> None:
    paper = pdfs["docx"]
    assert 3 <= len(paper) <= 6, f"{len(paper)} pages"
    first = paper[0]
    for part in ("Kvartal 1 2025 (januari–mars)", "Sammanfattning", "Bedömning", "Skickas till"):
        assert part in first  # the paper itself fits its first page
    for number, page in enumerate(paper, start=1):
        assert "Ärendenummer: RS 2025/123" in page and f"Sida {number} av {len(paper)}" in page
        body = [line.strip() for line in page.splitlines() if line.strip()]
        last = body[-2]  # the line above the footer
        assert last not in {name for _, name, _ in NAMES}, f"heading alone at the foot of {number}"

    book = pdfs["xlsx"]
    assert 2 <= len(book) <= 4, f"{len(book)} pages"
    summary = book[0]
    # Both charts, titles whole, on the summary's first page with the counts table.
    for title in ("Förvaltningar per läge, kvartal 1 2025", "Förvaltningar per läge, kvartal 4"):
        assert " ".join(summary.split()).count(title) == 1
    assert "Totalt" in summary  # the counts table, above the charts
    assert not any("Förvaltningar per läge" in page for page in book[1:])
