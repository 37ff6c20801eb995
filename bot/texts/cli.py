"""What the ``jambot`` command says to the operators and strategists who run it (Swedish):
its ``--help`` (every command, option and argument) and the messages its commands print.

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
    # --help: every command, option and argument (shown by argparse)
    "cli.description.jambot": {
        "sv": "Jämbot: frågor och svar om jämställdhetsintegrering, påminnelser och kvartalsrapporter."
    },
    "cli.help.jambot.verbose": {
        "sv": "skriv först vilken databas kommandot använder (DATABASE_URL eller standardplatsen)"
    },
    "cli.help.jambot.command": {"sv": "vad jambot ska göra"},
    "cli.help.ask": {"sv": "ställ en fråga till kunskapsbasen"},
    "cli.help.ask.question": {"sv": 'frågan, t.ex. "vad är cemr?"'},
    "cli.help.ask.kb": {"sv": "kunskapsbasens katalog (env JAMBOT_KB_DIR; standard: den inbyggda)"},
    "cli.help.ask.json": {"sv": "skriv svaret som JSON (för andra verktyg)"},
    "cli.help.ask.explain": {
        "sv": "visa hur frågan tolkades och varför kandidaterna rankades så (på engelska, för den som finjusterar kunskapsbasen)"
    },
    "cli.help.kb": {"sv": "verktyg för kunskapsbasen: kontroll och luckor"},
    "cli.help.kb.action": {"sv": "vad som ska göras med kunskapsbasen"},
    "cli.help.kb.check": {
        "sv": "kontrollera en kunskapsbas: varje fel som fil:rad: meddelande (slutkod 1 vid fel)"
    },
    "cli.help.kb.check.directory": {
        "sv": "kunskapsbasens katalog (env JAMBOT_KB_DIR; standard: den inbyggda)"
    },
    "cli.help.kb.gaps": {
        "sv": "frågor boten inte kunde besvara, i grupper, med förslag på var svaret hör hemma"
    },
    "cli.description.kb.gaps": {
        "sv": "Frågor som boten inte svarade på, som fick 👎 eller skickades till strategerna, grupperade efter likhet. Med --apply GRUPP --to POST läggs gruppens formuleringar till i postens questions: och kb check körs."
    },
    "cli.help.kb.gaps.since": {"sv": "bara frågor från och med DATUM (ÅÅÅÅ-MM-DD)"},
    "cli.help.kb.gaps.format": {"sv": "utdata: md (Markdown) eller csv (standard: md)"},
    "cli.help.kb.gaps.apply": {"sv": "grupp-id ur listan att lägga till"},
    "cli.help.kb.gaps.to": {"sv": "id för posten som får formuleringarna"},
    "cli.help.kb.gaps.kb": {"sv": "kunskapsbasens katalog (env JAMBOT_KB_DIR)"},
    "cli.help.kb.gaps.config": {"sv": "organisationens YAML-fil (env JAMBOT_CONFIG)"},
    "cli.help.db": {"sv": "databasens schema: migreringar (Alembic, DATABASE_URL)"},
    "cli.help.db.action": {"sv": "vad som ska göras med databasen"},
    "cli.help.db.upgrade": {"sv": "kör alla migreringar som saknas (DATABASE_URL)"},
    "cli.help.db.upgrade.revision": {"sv": "målrevision (standard: head, den senaste)"},
    "cli.help.db.revision": {"sv": "(utveckling) skriv en ny migrering från modellerna"},
    "cli.help.db.revision.message": {"sv": "vad migreringen ändrar, med några ord"},
    "cli.help.db.current": {"sv": "visa databasens revision"},
    "cli.help.db.check": {"sv": "jämför databasen med modellerna; avslutar med 1 vid skillnader"},
    "cli.help.calendar": {
        "sv": "visa årets alla deadlines och planerade påminnelser, och varför de flyttas"
    },
    "cli.help.calendar.year": {"sv": "året att visa, t.ex. 2025"},
    "cli.help.export": {"sv": "exportera ett kvartals statusrapporter till en fil"},
    "cli.help.export.quarter": {"sv": "kvartalet, t.ex. 2025-Q1"},
    "cli.help.export.format": {"sv": "filformat: xlsx, docx, csv eller md (standard: xlsx)"},
    "cli.help.export.out": {
        "sv": "filen att skriva (standard: jambot-<organisation>-<kvartal>.<format>)"
    },
    "cli.help.export.assessment": {
        "sv": "strategens bedömning som textfil (UTF-8; rader som börjar med '- ' blir en punktlista), i stället för den som sparats med /jambot bedomning"
    },
    "cli.help.export.group-by": {
        "sv": "docx och md: förvaltningarna under en rubrik per utvecklingsområde (development-area) eller per status"
    },
    "cli.help.export.csv-separator": {
        "sv": "csv: semikolon (standard på svenska, det Excel med svenska inställningar delar på) eller komma (standard på engelska)"
    },
    "cli.help.remind": {
        "sv": "skicka alla påminnelser som är aktuella och inte redan skickade (säkert att köra från cron)"
    },
    "cli.help.remind.now": {
        "sv": "låtsas att klockan är TID (ISO 8601, t.ex. 2025-04-04T09:30; utan tidszon: organisationens)"
    },
    "cli.help.remind.dry-run": {"sv": "visa vad som skulle skickas, skicka ingenting"},
    "cli.help.status": {
        "sv": "vilka förvaltningar som har rapporterat för ett kvartal och vilka som saknas"
    },
    "cli.help.export.lang": {"sv": "exportens språk: sv eller en (standard: sv)"},
    "cli.help.status.lang": {"sv": "översiktens språk: sv eller en (standard: sv)"},
    "cli.help.status.quarter": {"sv": "kvartalet, t.ex. 2025-Q1"},
    "cli.help.reporting.config": {"sv": "organisationens YAML-fil (standard: env JAMBOT_CONFIG)"},
    "cli.help.serve": {"sv": "kör boten: Slack, Teams, webbchatt och /healthz i en server"},
    "cli.help.serve.host": {"sv": "adress att lyssna på (standard 127.0.0.1, env JAMBOT_HOST)"},
    "cli.help.serve.port": {"sv": "port (standard 3978, env JAMBOT_PORT)"},
    "cli.help.chat": {
        "sv": "chatta med boten i terminalen (samma svar och kommandon som i chatten)"
    },
    "cli.help.stats": {"sv": "vanliga frågor, obesvarade frågor, återkoppling och öppna frågor"},
    "cli.help.stats.since": {"sv": "bara frågor från och med DATUM (ÅÅÅÅ-MM-DD)"},
    "cli.help.stats.limit": {"sv": "rader per lista (standard 10)"},
    "cli.help.stats.config": {"sv": "organisationens YAML-fil (env JAMBOT_CONFIG; utan: demo)"},
    "cli.help.serve.kb": {
        "sv": "kunskapsbasens katalog (env JAMBOT_KB_DIR; standard: den inbyggda)"
    },
    "cli.help.serve.config": {
        "sv": "organisationens YAML-fil (env JAMBOT_CONFIG; utan fil körs demoorganisationen)"
    },
    "cli.help.teams-package": {
        "sv": "bygg Teams-appaketet (manifest.json + ikoner) att ladda upp i Teams"
    },
    "cli.help.teams-package.app-id": {"sv": "Azure-botens app-id (standard: MICROSOFT_APP_ID)"},
    "cli.help.teams-package.public-url": {
        "sv": "botens publika https-adress (standard: JAMBOT_PUBLIC_URL)"
    },
    "cli.help.teams-package.manifest-dir": {
        "sv": "mappen med manifest.json och ikonerna (standard: manifests/teams)"
    },
    "cli.help.teams-package.out": {"sv": "zip-filen (standard: {default})"},
}
