"""Strings of the local demo, the web chat's guard and strategist view, and organisation facts."""

TEXTS: dict[str, dict[str, str]] = {
    # --- web chat: refused requests (bot/web/guard.py) ---------------------------------------
    "web_cross_site": {
        "sv": "Webbchatten tar bara emot frågor från sin egen sida.",
        "en": "The web chat only accepts questions from its own page.",
    },
    "web_json_only": {
        "sv": "Webbchatten tar bara emot JSON (Content-Type: application/json).",
        "en": "The web chat only accepts JSON (Content-Type: application/json).",
    },
    "web_too_many": {
        "sv": "För många frågor på kort tid. Vänta en stund och försök igen.",
        "en": "Too many questions in a short time. Please wait a moment and try again.",
    },
    "web_bad_json": {
        "sv": "Webbchatten förstod inte förfrågan: den är inte giltig JSON.",
        "en": "The web chat did not understand the request: it is not valid JSON.",
    },
    "web_strategists_only": {
        "sv": "Strategvyn är bara för jämställdhetsstrateger.",
        "en": "The strategist view is for gender equality strategists only.",
    },
    # --- web chat: the page ------------------------------------------------------------------
    "web_confidence": {"sv": "Säkerhet: {level}", "en": "Confidence: {level}"},
    "web_confidence_high": {"sv": "hög", "en": "high"},
    "web_confidence_medium": {"sv": "medel – kontrollera gärna källorna", "en": "medium – do check the sources"},
    "web_confidence_low": {"sv": "låg – kontrollera källorna", "en": "low – check the sources"},
    "web_download": {"sv": "Ladda ner {filename}", "en": "Download {filename}"},
    "web_strategist_view": {"sv": "Strategvy", "en": "Strategist view"},
    "web_chat_view": {"sv": "Chatt", "en": "Chat"},
    "web_strategist_intro": {
        "sv": "Frågor som medarbetare skickat vidare till strategerna hamnar här. "
        "Skriv ett svar så går det tillbaka till den som frågade.",
        "en": "Questions staff passed on to the strategists land here. "
        "Write an answer and it goes back to whoever asked.",
    },
    "web_strategist_empty": {"sv": "Inga frågor väntar just nu.", "en": "No questions are waiting."},
    "web_strategist_answer": {"sv": "Ditt svar", "en": "Your answer"},
    "web_strategist_send": {"sv": "Skicka svaret", "en": "Send the answer"},
    # --- the terminal chat (bot/terminal.py) ------------------------------------------------
    "terminal_file_saved": {"sv": "Sparad: {path} ({size} byte)", "en": "Saved: {path} ({size} bytes)"},
    "terminal_file_failed": {
        "sv": "Kunde inte spara {filename}: {reason}",
        "en": "Could not save {filename}: {reason}",
    },
    # --- the demo organisation (bot/demo.py) -------------------------------------------------
    "demo_badge": {"sv": "Demo", "en": "Demo"},
    "demo_banner": {
        "sv": "Demoläge: påhittad organisation. Du är både strateg och kontaktperson för "
        "{administration}. Inget skickas till Slack eller Teams.",
        "en": "Demo mode: a made-up organisation. You are both a strategist and the contact of "
        "{administration}. Nothing is sent to Slack or Teams.",
    },
    "demo_help": {
        "sv": (
            "\n\n**Demoläge** – du är strateg och kontaktperson för {administration}:\n"
            "- `rapportera`: fyll i förvaltningens statusrapport för {period}.\n"
            "- `status {period}`: se vilka som har rapporterat.\n"
            "- `export {period} xlsx`: ladda ner kvartalets rapporter.\n"
            "- `När är deadline för {period}?`, `vem är min strateg?`, `har vi rapporterat?`\n"
            "- Fråga något jag inte kan och skicka frågan vidare: svara på den under **Strategvy**."
        ),
        "en": (
            "\n\n**Demo mode** – you are a strategist and the contact of {administration}:\n"
            "- `rapportera` (report): fill in the administration's status report for {period}.\n"
            "- `status {period}`: see who has reported.\n"
            "- `export {period} xlsx`: download the quarter's reports.\n"
            "- `When is the deadline for {period}?`, `who is my strategist?`, `have we reported?`\n"
            "- Ask something I don't know and pass it on: answer it under **Strategist view**."
        ),
    },
    # --- answers from the organisation's own data (bot/dialogs/org_facts.py) -----------------
    "facts_deadline": {
        "sv": "Deadline för {period} är {date}.",
        "en": "The deadline for {period} is {date}.",
    },
    "facts_deadline_title": {"sv": "Deadline för kvartalsrapporten", "en": "Quarterly report deadline"},
    "facts_deadline_passed": {
        "sv": " Den har redan passerat.",
        "en": " It has already passed.",
    },
    "facts_strategist_title": {"sv": "Jämställdhetsstrateger", "en": "Gender equality strategists"},
    "facts_strategists": {
        "sv": "Jämställdhetsstrateger i {organisation}: {names}.",
        "en": "Gender equality strategists in {organisation}: {names}.",
    },
    "facts_area_title": {"sv": "Utvecklingsområde", "en": "Development area"},
    "facts_area": {"sv": "- {administration}: {area}", "en": "- {administration}: {area}"},
    "facts_reported_title": {"sv": "Rapportering {period}", "en": "Reporting {period}"},
    "facts_reported_yes": {
        "sv": "- {administration}: ja, {status} (senast {when}).",
        "en": "- {administration}: yes, {status} (last {when}).",
    },
    "facts_reported_no": {
        "sv": "- {administration}: inte än. Skriv `rapportera` för att lämna rapporten "
        "(deadline {deadline}).",
        "en": "- {administration}: not yet. Type `rapportera` to submit the report "
        "(deadline {deadline}).",
    },
    "facts_not_contact": {
        "sv": "Du står inte som kontaktperson för någon förvaltning. Fråga en "
        "jämställdhetsstrateg om du ska rapportera.",
        "en": "You are not listed as the contact of any administration. Ask a gender "
        "equality strategist whether you should report.",
    },
}
