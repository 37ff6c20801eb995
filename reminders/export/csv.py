"""CSV: comma-separated, UTF-8 with a byte-order mark so Excel shows å, ä, ö correctly.

Comma rather than semicolon: it is what every other tool expects, and Excel
honours it with the BOM; fields with commas or line breaks are quoted.
"""

from __future__ import annotations

import csv
import io

from reminders.export.injection import neutralise
from reminders.export.model import COLUMNS, QuarterReport, row_values


def render_csv(report: QuarterReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([report.column(name) for name in COLUMNS])
    for row in report.rows:
        writer.writerow([neutralise(v) for v in row_values(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
