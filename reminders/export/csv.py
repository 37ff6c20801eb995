"""CSV: RFC 4180 quoting, UTF-8 with a byte-order mark, semicolons for Swedish readers.

Excel takes the list separator from the computer's regional settings when it
opens a file: with Swedish settings that is ``;``, and a comma-separated file
lands in column A. The byte-order mark only tells Excel the encoding (å, ä, ö);
it does not change the separator. So the Swedish export is semicolon-separated
and the English one comma-separated; ``--csv-separator comma|semicolon``
overrides it for tools that expect the other. Fields holding the separator, a
quote or a line break are quoted, so a list typed in a text stays in its cell.
"""

from __future__ import annotations

import csv
import io

from reminders.export.injection import neutralise
from reminders.export.model import COLUMNS, QuarterReport, row_values
from reminders.export.options import DEFAULT, ExportOptions, csv_separator


def render_csv(report: QuarterReport, options: ExportOptions = DEFAULT) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_separator(report, options), lineterminator="\r\n")
    writer.writerow([report.column(name) for name in COLUMNS])
    for row in report.rows:
        writer.writerow([neutralise(v) for v in row_values(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
