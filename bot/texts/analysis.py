"""Strings of the guided gender-equality analysis (the guide's own texts live in its file)."""

TEXTS: dict[str, dict[str, str]] = {
    "analysis.offer_button": {
        "sv": "Gör en jämställdhetsanalys",
        "en": "Do a gender-equality analysis",
    },
    "analysis.intro": {
        "sv": (
            "Jag går igenom ärendet med dig steg för steg. Till sist får du en färdig text till "
            "tjänsteskrivelsens avsnitt *{heading}*. Svaren sparas som ett utkast som bara du "
            "kan läsa; skriv `fortsätt analysen` för att fortsätta senare."
        ),
        "en": (
            "I will go through the matter with you step by step. At the end you get a ready text "
            "for the decision paper's section *{heading}*. Your answers are saved as a draft only "
            "you can read; write `continue analysis` to pick it up later."
        ),
    },
    "analysis.choose_guide": {
        "sv": "Vilken metod vill du använda?",
        "en": "Which method would you like to use?",
    },
    "analysis.start": {"sv": "Börja analysen", "en": "Start the analysis"},
    "analysis.has_draft": {
        "sv": "Du har en påbörjad analys från {date} ({guide}).",
        "en": "You have an analysis in progress from {date} ({guide}).",
    },
    "analysis.continue": {"sv": "Fortsätt analysen", "en": "Continue the analysis"},
    "analysis.start_new": {"sv": "Börja en ny analys", "en": "Start a new analysis"},
    "analysis.no_draft": {
        "sv": "Du har ingen påbörjad analys. Skriv `analys` för att börja en.",
        "en": "You have no analysis in progress. Write `analysis` to start one.",
    },
    "analysis.unavailable": {
        "sv": "Den guidade jämställdhetsanalysen är inte tillgänglig just nu: kunskapsbasen har ingen fungerande guide. Säg till en jämställdhetsstrateg.",
        "en": "The guided gender-equality analysis is not available right now: the knowledge base has no working guide. Please tell a gender-equality strategist.",
    },
    "analysis.guide_gone": {
        "sv": "Guiden för den här analysen finns inte längre i kunskapsbasen. Skriv `analys` för att börja en ny.",
        "en": "The guide for this analysis is no longer in the knowledge base. Write `analysis` to start a new one.",
    },
    "analysis.not_found": {
        "sv": "Jag hittar inte den analysen. Den kan ha rensats bort efter en tid, eller tillhöra någon annan. Skriv `analys` för att börja en ny.",
        "en": "I cannot find that analysis. It may have been cleared after a while, or belong to someone else. Write `analysis` to start a new one.",
    },
    "analysis.form.title": {
        "sv": "Jämställdhetsanalys {n}/{total}",
        "en": "Gender analysis {n}/{total}",
    },
    "analysis.form.next": {"sv": "Nästa", "en": "Next"},
    "analysis.form.finish": {"sv": "Skapa texten", "en": "Create the text"},
    "analysis.form.read_more": {
        "sv": "Läs mer: fråga mig ”{title}”",
        "en": "Read more: ask me “{title}”",
    },
    "analysis.form.required": {
        "sv": "Svara på den här frågan.",
        "en": "Please answer this question.",
    },
    "analysis.form.too_long": {
        "sv": "Svaret är för långt (högst {limit} tecken).",
        "en": "The answer is too long (at most {limit} characters).",
    },
    "analysis.form.bad_choice": {
        "sv": "Välj ett av alternativen.",
        "en": "Please pick one of the options.",
    },
    "analysis.done.intro": {
        "sv": "Klart! Här är texten till avsnittet *{heading}*. Kopiera den till tjänsteskrivelsen, eller ladda ner den.",
        "en": "Done! Here is the text for the section *{heading}*. Copy it into the decision paper, or download it.",
    },
    "analysis.done.footer": {
        "sv": "Utkastet sparas bara för dig och rensas automatiskt efter {days} dagar.",
        "en": "The draft is kept for you only and cleared automatically after {days} days.",
    },
    "analysis.download_docx": {"sv": "Ladda ner som Word (DOCX)", "en": "Download as Word (DOCX)"},
    "analysis.download_md": {"sv": "Ladda ner som Markdown", "en": "Download as Markdown"},
    "analysis.edit": {"sv": "Ändra svaren", "en": "Edit the answers"},
    "analysis.download_ready": {
        "sv": "Här är texten som {format}.",
        "en": "Here is the text as {format}.",
    },
    "analysis.file_title": {
        "sv": "Konsekvenser för jämställdhet",
        "en": "Consequences for gender equality",
    },
    "analysis.help": {
        "sv": (
            "\n\n**Jämställdhetsanalys i ärendet**\n"
            "- `analys`: jag guidar dig genom jämställdhetsanalysen till din tjänsteskrivelse.\n"
            "- `fortsätt analysen`: fortsätt där du slutade."
        ),
        "en": (
            "\n\n**Gender-equality analysis for a decision paper**\n"
            "- `analysis`: I guide you through the analysis for your decision paper.\n"
            "- `continue analysis`: pick up where you left off."
        ),
    },
    "analysis.stats_heading": {
        "sv": "Genomförda jämställdhetsanalyser per förvaltning och kvartal:",
        "en": "Completed gender-equality analyses per administration and quarter:",
    },
    "analysis.stats_no_administration": {"sv": "(ingen förvaltning)", "en": "(no administration)"},
    "analysis.status_heading": {
        "sv": "Genomförda jämställdhetsanalyser i ärenden {period}",
        "en": "Completed gender-equality analyses of decisions {period}",
    },
}
