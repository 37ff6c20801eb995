"""What the ``jambot`` command prints to the operators and strategists who run it (Swedish).

Output read by tools (``ask --json``, the export files, ``kb gaps --format csv``) is not
here: it is a contract and never translated.
"""

TEXTS: dict[str, dict[str, str]] = {
    # jambot kb check
    "cli.kb_check.warning": {"sv": "{where}: varning: {message}"},
    "cli.kb_check.failed": {"sv": "{directory}: {count} problem att rätta"},
    "cli.kb_check.ok": {
        "sv": "{directory}: OK, {entries} poster ({languages}), {synonyms} synonymgrupper"
        "{guides}{warnings}"
    },
    "cli.kb_check.no_entries": {"sv": "inga"},
    "cli.kb_check.guides": {"sv": ", {count} guider"},
    "cli.kb_check.warnings": {"sv": ", {count} varning(ar)"},
    # shared
    "cli.no_such_directory": {"sv": "{path}: ingen sådan katalog"},
    # jambot calendar
    "cli.calendar.bad_year": {"sv": "år {year}: ange ett år mellan 2000 och 2100"},
    "cli.calendar.all_quiet": {"sv": "  (inga påminnelser: alla infaller under uppehåll)"},
    # jambot export
    "cli.export.cannot_read_assessment": {
        "sv": "--assessment {path}: kan inte läsa filen ({reason})"
    },
    "cli.export.assessment_not_utf8": {
        "sv": "--assessment {path}: filen är inte UTF-8-text; spara den som UTF-8"
    },
    "cli.export.assessment_too_long": {
        "sv": "--assessment {path}: {length} tecken, högst {limit} får plats"
    },
    "cli.export.cannot_write": {"sv": "{path}: kan inte skriva filen ({reason})"},
    "cli.export.written": {"sv": "{path}: {rows} förvaltningar, {missing} har inte rapporterat"},
    # jambot remind
    "cli.remind.bad_now": {
        "sv": "--now {value!r}: ange en tid i ISO-format, t.ex. 2025-04-04T09:30"
    },
    "cli.remind.platforms": {"sv": "{now}: plattformar {platforms}"},
    "cli.remind.no_platforms": {"sv": "inga"},
    "cli.remind.would_send": {"sv": "skulle skickas"},
    "cli.remind.sent": {"sv": "skickade"},
    "cli.remind.failed": {"sv": "misslyckades (nytt försök vid nästa körning)"},
    "cli.remind.undeliverable": {"sv": "gick inte att leverera"},
    "cli.remind.skipped": {"sv": "redan skickade eller på väg"},
    "cli.remind.unreachable_dry": {"sv": "nås inte, skulle rapporteras till strategerna"},
    "cli.remind.unreachable": {"sv": "nås inte, rapporterade till strategerna"},
    "cli.remind.nothing_due": {"sv": "inget att skicka nu"},
}
