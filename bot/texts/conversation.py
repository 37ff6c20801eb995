"""Strings of the question-and-answer conversation (help, abstain, escalation, feedback)."""

TEXTS: dict[str, dict[str, str]] = {
    # --- help -------------------------------------------------------------------------------
    "help_title": {"sv": "Så här kan jag hjälpa dig", "en": "How I can help"},
    "help_body": {
        "sv": (
            "Jag är Jämbot och svarar på frågor om jämställdhetsintegrering, till exempel "
            "*Vad är CEMR-deklarationen?* eller *Hur gör vi en jämställdhetsanalys?*\n\n"
            "- {how}\n"
            "- Jag visar alltid källorna så att du kan läsa vidare.\n"
            "- Tryck 👍 eller 👎 under ett svar så blir jag bättre."
        ),
        "en": (
            "I'm Jämbot and I answer questions about gender mainstreaming, for example "
            "*What is the CEMR charter?* or *How do we do a gender analysis?*\n\n"
            "- {how}\n"
            "- I always show the sources so you can read more.\n"
            "- Press 👍 or 👎 under an answer to help me improve."
        ),
    },
    # Only where an escalation can actually go from (see bot/dialogs/help_card.py).
    "help_escalation": {
        "sv": "\n- Vet jag inte svaret kan du skicka frågan vidare till jämställdhetsstrategerna.",
        "en": "\n- If I don't know, you can pass the question on to the gender equality strategists.",
    },
    "help_how_slack": {
        "sv": "Skriv din fråga direkt till mig, nämn mig i en kanal eller använd `/jambot <fråga>`.",
        "en": "Write your question to me directly, mention me in a channel or use `/jambot <question>`.",
    },
    "help_how_teams": {
        "sv": "Skriv din fråga direkt till mig i en chatt, eller nämn mig (@Jämbot) i en kanal.",
        "en": "Write your question to me in a chat, or mention me (@Jämbot) in a channel.",
    },
    "help_how_web": {
        "sv": "Skriv din fråga i rutan längst ned och tryck på Skicka.",
        "en": "Type your question in the box at the bottom and press Send.",
    },
    "help_how_terminal": {
        "sv": "Skriv din fråga och tryck Enter; skriv en knapps nummer för att trycka på den.",
        "en": "Type your question and press Enter; type a button's number to press it.",
    },
    # The reporting lines are shown only to whoever may use them (a contact, a strategist).
    "help_reporting": {"sv": "\n\n**Kvartalsrapportering**", "en": "\n\n**Quarterly reporting**"},
    "help_reporting_report": {
        "sv": "\n- `rapportera`: lämna din förvaltnings statusrapport.",
        "en": "\n- `rapportera` (report): submit your administration's status report.",
    },
    "help_reporting_strategist": {
        "sv": (
            "\n- `status {period}`: se vilka som har rapporterat.\n"
            "- `export {period} xlsx`: hämta kvartalets rapporter."
        ),
        "en": (
            "\n- `status {period}`: see who has reported.\n"
            "- `export {period} xlsx`: download the quarter's reports."
        ),
    },
    "help_reporting_facts": {
        "sv": "\n- `När är deadline för {period}?`, `har vi rapporterat?`, `vem är min strateg?`",
        "en": "\n- `When is the deadline for {period}?`, `have we reported?`, `who is my strategist?`",
    },
    # --- answers ----------------------------------------------------------------------------
    "answer_sources": {"sv": "Källor", "en": "Sources"},
    "answer_related": {"sv": "Läs också", "en": "See also"},
    "feedback_up": {"sv": "👍 Bra svar", "en": "👍 Helpful"},
    "feedback_down": {"sv": "👎 Inte till hjälp", "en": "👎 Not helpful"},
    "feedback_thanks_up": {
        "sv": "Tack för din återkoppling! Skönt att svaret hjälpte.",
        "en": "Thanks for the feedback! Glad it helped.",
    },
    "feedback_thanks_down": {
        "sv": "Tack för din återkoppling! Strategerna ser vilka svar som behöver bli bättre.",
        "en": "Thanks for the feedback! The strategists can see which answers need work.",
    },
    "feedback_unknown": {
        "sv": "Jag hittar inte den frågan längre, så återkopplingen kunde inte sparas.",
        "en": "I can't find that question any more, so the feedback could not be saved.",
    },
    "clarify_text": {
        "sv": "Jag är inte helt säker på vad du menar. Menade du något av detta?",
        "en": "I'm not quite sure what you mean. Did you mean one of these?",
    },
    "abstain_text": {
        "sv": (
            "Det vet jag tyvärr inte. Jag svarar bara på frågor om jämställdhetsintegrering "
            "som finns i min kunskapsbas. Vill du att jag skickar frågan till "
            "jämställdhetsstrategerna?"
        ),
        "en": (
            "Sorry, I don't know that. I only answer questions about gender mainstreaming that "
            "are in my knowledge base. Would you like me to pass the question on to the "
            "gender equality strategists?"
        ),
    },
    "abstain_text_no_escalation": {
        "sv": (
            "Det vet jag tyvärr inte. Jag svarar bara på frågor om jämställdhetsintegrering "
            "som finns i min kunskapsbas. Fråga gärna en jämställdhetsstrateg direkt."
        ),
        "en": (
            "Sorry, I don't know that. I only answer questions about gender mainstreaming that "
            "are in my knowledge base. Please ask a gender equality strategist directly."
        ),
    },
    "escalate_button": {
        "sv": "Skicka frågan till strategerna",
        "en": "Send the question to the strategists",
    },
    "entry_unknown": {
        "sv": "Det svaret finns inte längre i kunskapsbasen. Ställ gärna frågan igen.",
        "en": "That answer is no longer in the knowledge base. Please ask again.",
    },
    # --- escalation -------------------------------------------------------------------------
    "escalation_post_title": {"sv": "Fråga till strategerna", "en": "Question for the strategists"},
    "escalation_post_text": {
        "sv": (
            "En medarbetare frågade Jämbot något som inte finns i kunskapsbasen:\n\n> {question}\n\n"
            "Svara i den här tråden så skickar jag svaret till frågeställaren, "
            "eller tryck **Markera som löst**."
        ),
        "en": (
            "A member of staff asked Jämbot something that is not in the knowledge base:\n\n"
            "> {question}\n\nReply in this thread and I will pass the answer on, "
            "or press **Mark as resolved**."
        ),
    },
    "escalation_resolve_button": {"sv": "Markera som löst", "en": "Mark as resolved"},
    "escalation_sent": {
        "sv": "Tack! Jag har skickat din fråga till jämställdhetsstrategerna. Du får svaret här.",
        "en": "Thanks! I've passed your question on to the gender equality strategists. "
        "You'll get the answer here.",
    },
    "escalation_already": {
        "sv": "Den frågan är redan skickad till strategerna.",
        "en": "That question has already been passed on to the strategists.",
    },
    "escalation_unavailable": {
        "sv": "Jag kan tyvärr inte skicka frågor vidare härifrån. Kontakta en jämställdhetsstrateg direkt.",
        "en": "Sorry, I can't pass questions on from here. Please contact a gender equality "
        "strategist directly.",
    },
    "escalation_saved": {
        "sv": "Jag har sparat din fråga till jämställdhetsstrategerna, men kunde inte nå dem just nu. "
        "Jag skickar den till dem så snart det går. Du får svaret här.",
        "en": "I've saved your question for the gender equality strategists, but couldn't reach "
        "them just now. I'll pass it on as soon as I can. You'll get the answer here.",
    },
    "escalation_not_yours": {
        "sv": "Bara den som ställde frågan kan skicka den vidare.",
        "en": "Only the person who asked can pass the question on.",
    },
    "escalation_answer_title": {
        "sv": "Svar från jämställdhetsstrategerna",
        "en": "Answer from the gender equality strategists",
    },
    "escalation_answer_text": {
        "sv": "Du frågade:\n> {question}\n\n{answer}",
        "en": "You asked:\n> {question}\n\n{answer}",
    },
    "escalation_resolved_text": {
        "sv": "Strategerna har markerat din fråga som löst:\n> {question}",
        "en": "The strategists have marked your question as resolved:\n> {question}",
    },
    "escalation_relayed": {
        "sv": "Tack! Svaret är skickat till den som frågade.",
        "en": "Thanks! The answer has been sent to the person who asked.",
    },
    "escalation_relay_failed": {
        "sv": "Svaret kunde inte levereras till den som frågade ({error}). Frågan är fortfarande öppen.",
        "en": "The answer could not be delivered to the person who asked ({error}). "
        "The question is still open.",
    },
    "escalation_marked_resolved": {
        "sv": "Frågan är markerad som löst av {name}.",
        "en": "The question was marked as resolved by {name}.",
    },
    "escalation_closed": {
        "sv": "Den här frågan är redan löst.",
        "en": "This question has already been resolved.",
    },
    "escalation_strategists_only": {
        "sv": "Bara jämställdhetsstrateger kan besvara eller lösa frågor som skickats vidare.",
        "en": "Only gender equality strategists can answer or resolve passed-on questions.",
    },
    "someone": {"sv": "en strateg", "en": "a strategist"},
    # --- general ----------------------------------------------------------------------------
    "unknown_action": {
        "sv": "Den knappen känner jag inte igen längre. Ställ gärna frågan igen.",
        "en": "I don't recognise that button any more. Please ask again.",
    },
    "internal_error": {
        "sv": "Något gick fel hos mig. Försök igen om en stund.",
        "en": "Something went wrong on my side. Please try again in a while.",
    },
    "too_long": {
        "sv": "Frågan är för lång. Skriv den kortare (högst {limit} tecken).",
        "en": "The question is too long. Please shorten it (at most {limit} characters).",
    },
    "form_cancel": {"sv": "Avbryt", "en": "Cancel"},
    "form_expired": {
        "sv": "Formuläret hann inte öppnas. Tryck på knappen igen så öppnar jag det.",
        "en": "The form could not open in time. Press the button again and I will open it.",
    },
    # --- jambot stats (for strategists) ------------------------------------------------------
    "stats_heading": {"sv": "Jämbot-statistik sedan {since}", "en": "Jämbot statistics since {since}"},
    "stats_all_time": {"sv": "början", "en": "the start"},
    "stats_totals": {
        "sv": "Frågor: {questions} (besvarade {answered}, obesvarade {abstained})",
        "en": "Questions: {questions} (answered {answered}, unanswered {abstained})",
    },
    "stats_feedback": {
        "sv": "Återkoppling: 👍 {helpful}  👎 {not_helpful}",
        "en": "Feedback: 👍 {helpful}  👎 {not_helpful}",
    },
    "stats_top_questions": {"sv": "Vanligaste frågorna:", "en": "Most asked questions:"},
    "stats_unanswered": {
        "sv": "Obesvarade frågor (saknas i kunskapsbasen?):",
        "en": "Unanswered questions (missing from the knowledge base?):",
    },
    "stats_top_entries": {"sv": "Mest använda svar:", "en": "Most used answers:"},
    "stats_not_helpful": {"sv": "Svar markerade 👎:", "en": "Answers marked 👎:"},
    "stats_none": {"sv": "(inga)", "en": "(none)"},
    "stats_open_escalations": {
        "sv": "Öppna frågor hos strategerna: {count}",
        "en": "Open questions with the strategists: {count}",
    },
    "stats_not_yet_posted": {
        "sv": "(inte skickad till strategerna än)",
        "en": "(not yet posted to the strategists)",
    },
    "web_title": {"sv": "Jämbot – webbchatt", "en": "Jämbot – web chat"},
    "web_tagline": {
        "sv": "Frågor och svar om jämställdhetsintegrering. Skriv hjälp för att se vad jag kan.",
        "en": "Questions and answers about gender mainstreaming. Type help to see what I can do.",
    },
    "web_question_label": {"sv": "Din fråga", "en": "Your question"},
    "web_placeholder": {
        "sv": "Skriv din fråga, t.ex. Vad är CEMR?",
        "en": "Type your question, e.g. What is CEMR?",
    },
    "web_send": {"sv": "Skicka", "en": "Send"},
    "web_unreachable": {"sv": "Det gick inte att nå Jämbot:", "en": "Could not reach Jämbot:"},
    "terminal_intro": {
        "sv": "Jämbot i terminalen. Skriv en fråga, en knapps nummer, 'hjälp' eller 'exit'.",
        "en": "Jämbot in the terminal. Type a question, a button number, 'help' or 'exit'.",
    },
    # --- Microsoft Teams adapter (bot/teams) and download links (bot/downloads.py) ---------
    "teams_welcome": {
        "sv": "Hej! Jag är Jämbot. Fråga mig om jämställdhetsintegrering, till exempel "
        "*Vad är jämställdhetsintegrering?* Skriv **hjälp** så berättar jag vad jag kan.",
        "en": "Hi! I'm Jämbot. Ask me about gender mainstreaming, for example "
        "*What is gender mainstreaming?* Type **help** and I'll tell you what I can do.",
    },
    "teams_continued": {"sv": "(fortsättning {part}/{total})", "en": "(continued {part}/{total})"},
    "teams_download": {"sv": "Ladda ner {filename}", "en": "Download {filename}"},
    "teams_download_expires": {
        "sv": "Länken gäller i en timme.",
        "en": "The link is valid for one hour.",
    },
    "teams_download_gone": {
        "sv": "Länken har gått ut eller finns inte. Be Jämbot om filen igen.",
        "en": "The link has expired or does not exist. Ask Jämbot for the file again.",
    },
    "teams_field_errors": {
        "sv": "Något i formuläret behöver rättas:",
        "en": "Something in the form needs fixing:",
    },
    "teams_field_required": {"sv": "Fyll i: {label}", "en": "Please fill in: {label}"},
    "teams_file_sent_privately": {
        "sv": "Jag har skickat filen till dig i vår personliga chatt.",
        "en": "I have sent you the file in our personal chat.",
    },
    "teams_file_needs_personal_chat": {
        "sv": "Filer skickar jag bara i en personlig chatt. Skriv till mig där, så får du den.",
        "en": "I only send files in a personal chat. Write to me there and you will get it.",
    },
}
