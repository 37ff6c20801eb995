"""Strings of the quarterly reporting cycle (reminders, status form, receipts, exports)."""

TEXTS: dict[str, dict[str, str]] = {
    # Periods
    "reporting.bad_quarter": {
        "sv": "”{value}” är inget kvartal jag känner igen. Skriv året och kvartalet, till exempel 2025-Q1 (Q1–Q4).",
        "en": "“{value}” is not a quarter I recognise. Write the year and the quarter, for example 2025-Q1 (Q1–Q4).",
    },
    # Status values
    "reporting.status.on_track": {"sv": "Enligt plan", "en": "On track"},
    "reporting.status.some_deviation": {"sv": "Vissa avvikelser", "en": "Some deviation"},
    "reporting.status.major_deviation": {"sv": "Stora avvikelser", "en": "Major deviation"},
    "reporting.status.not_started": {"sv": "Ej påbörjad", "en": "Not started"},
    "reporting.status.missing": {"sv": "Ej rapporterat", "en": "Not reported"},
    "reporting.status.unspecified": {"sv": "Läge ej angivet", "en": "Status not given"},
    "reporting.months": {
        "sv": "januari,februari,mars,april,maj,juni,juli,augusti,september,oktober,november,december",
        "en": "January,February,March,April,May,June,July,August,September,October,November,December",
    },
    # Reminder messages
    "reporting.reminder.title": {
        "sv": "Kvartalsrapport {period}: {administration}",
        "en": "Quarterly report {period}: {administration}",
    },
    "reporting.reminder.before": {
        "sv": "Hej! Det är dags att rapportera läget för {administration} och utvecklingsområdet *{area}* för {period}. Sista dag är {deadline}.",
        "en": "Hi! It is time to report where {administration} stands with the development area *{area}* for {period}. The deadline is {deadline}.",
    },
    "reporting.reminder.deadline": {
        "sv": "Hej! I dag är sista dagen att rapportera läget för {administration} (*{area}*) för {period}.",
        "en": "Hi! Today is the last day to report where {administration} stands (*{area}*) for {period}.",
    },
    "reporting.reminder.overdue": {
        "sv": "Hej! Vi har ännu inte fått rapporten för {administration} (*{area}*) för {period}, som skulle vara klar {deadline}. Det går fortfarande bra att rapportera.",
        "en": "Hi! We have not yet received the report for {administration} (*{area}*) for {period}, due on {deadline}. You can still report.",
    },
    "reporting.reminder.how": {
        "sv": "Tryck på knappen, eller svara här i tråden med några rader om vad som gjorts.",
        "en": "Press the button, or reply in this thread with a few lines on what was done.",
    },
    "reporting.reminder.button": {"sv": "Rapportera status", "en": "Report status"},
    "reporting.unreachable": {
        "sv": "Jag kunde inte nå följande kontaktpersoner med påminnelsen om {period} ({step}):\n{people}\nKan du påminna dem på annat sätt, och lägga in deras Slack- eller Teams-id i konfigurationen?",
        "en": "I could not reach these contacts with the reminder for {period} ({step}):\n{people}\nCould you remind them another way, and add their Slack or Teams id to the configuration?",
    },
    "reporting.unreachable.no_id": {
        "sv": "inget Slack- eller Teams-id",
        "en": "no Slack or Teams id",
    },
    "reporting.unreachable.no_platform": {
        "sv": "boten är inte ansluten till personens plattform",
        "en": "the bot is not connected to this person's platform",
    },
    # The status form
    "reporting.form.title": {"sv": "Kvartalsrapport {period}", "en": "Quarterly report {period}"},
    "reporting.form.submit": {"sv": "Skicka", "en": "Submit"},
    "reporting.form.intro": {
        "sv": "{administration}, utvecklingsområde: {area}. Deadline {deadline}.",
        "en": "{administration}, development area: {area}. Deadline {deadline}.",
    },
    "reporting.form.status": {"sv": "Läge", "en": "Status"},
    "reporting.form.done": {
        "sv": "Vad har gjorts under kvartalet?",
        "en": "What was done this quarter?",
    },
    "reporting.form.next_steps": {"sv": "Nästa steg", "en": "Next steps"},
    "reporting.form.support_needed": {"sv": "Behöver ni stöd?", "en": "Do you need support?"},
    "reporting.form.required": {"sv": "Välj ett läge.", "en": "Choose a status."},
    "reporting.form.bad_status": {
        "sv": "Välj ett av lägena i listan.",
        "en": "Choose one of the statuses in the list.",
    },
    "reporting.form.too_long": {
        "sv": "Högst {limit} tecken (nu {length}).",
        "en": "At most {limit} characters (now {length}).",
    },
    "reporting.form.bad_context": {
        "sv": "Jag känner inte igen den här rapporten. Öppna formuläret igen från påminnelsen.",
        "en": "I do not recognise this report. Open the form again from the reminder.",
    },
    # Receipts
    "reporting.receipt": {
        "sv": "Tack! Rapporten för {administration} ({period}) är sparad som version {revision}. Läge: {status}.",
        "en": "Thank you! The report for {administration} ({period}) is saved as revision {revision}. Status: {status}.",
    },
    "reporting.receipt.thread": {
        "sv": "Tack! Jag har sparat ditt svar som ”vad som gjorts” för {administration} ({period}), version {revision}. Vill du fylla i läget och nästa steg också?",
        "en": "Thank you! I saved your reply as “what was done” for {administration} ({period}), revision {revision}. Would you like to add the status and next steps too?",
    },
    "reporting.receipt.edit": {"sv": "Ändra", "en": "Edit"},
    # Authorisation
    "reporting.refused.report": {
        "sv": "Tyvärr, bara kontaktpersonerna för {administration} och jämställdhetsstrategerna kan rapportera för den förvaltningen.",
        "en": "Sorry, only the contacts of {administration} and the gender equality strategists can report for that administration.",
    },
    "reporting.refused.strategists_only": {
        "sv": "Tyvärr, status och export av kvartalsrapporter är bara för jämställdhetsstrategerna. Hör av dig till dem om du behöver underlaget.",
        "en": "Sorry, quarterly status and exports are for the gender equality strategists only. Please ask them if you need the material.",
    },
    "reporting.refused.no_administration": {
        "sv": "Jag hittar ingen förvaltning där du är kontaktperson. Hör av dig till jämställdhetsstrategerna om det är fel.",
        "en": "I cannot find an administration where you are a contact. Please tell the gender equality strategists if that is wrong.",
    },
    "reporting.choose_administration": {
        "sv": "Vilken förvaltning vill du rapportera för ({period})?",
        "en": "Which administration do you want to report for ({period})?",
    },
    "reporting.open_form": {
        "sv": "Rapportera läget för {administration} ({period}):",
        "en": "Report the status of {administration} ({period}):",
    },
    # Status overview in chat
    "reporting.overview.title": {"sv": "Rapportläge {period}", "en": "Reporting status {period}"},
    "reporting.overview.header": {
        "sv": "Sista dag för rapportering: {deadline}. {reported} av {total} förvaltningar har rapporterat.",
        "en": "Deadline {deadline}. {reported} of {total} administrations have reported.",
    },
    "reporting.overview.reported_line": {
        "sv": "✅ {administration}: {status} ({who}, {when})",
        "en": "✅ {administration}: {status} ({who}, {when})",
    },
    "reporting.overview.missing_line": {
        "sv": "⏳ {administration}: ej rapporterat",
        "en": "⏳ {administration}: not reported",
    },
    "reporting.overview.overdue_line": {
        "sv": "⚠️ {administration}: ej rapporterat, försenad",
        "en": "⚠️ {administration}: not reported, overdue",
    },
    "reporting.command.usage_status": {
        "sv": "Skriv till exempel `status 2025-Q1`.",
        "en": "Write for example `status 2025-Q1`.",
    },
    "reporting.command.usage_export": {
        "sv": "Skriv till exempel `export 2025-Q1 xlsx` (format: csv, xlsx, docx eller md).",
        "en": "Write for example `export 2025-Q1 xlsx` (formats: csv, xlsx, docx or md).",
    },
    "reporting.export.ready": {
        "sv": "Här är kvartalsrapporten för {period} ({format}).",
        "en": "Here is the quarterly report for {period} ({format}).",
    },
    # Export documents
    "reporting.export.title": {
        "sv": "Kvartalsrapport jämställdhetsintegrering {period}",
        "en": "Gender mainstreaming quarterly report {period}",
    },
    "reporting.export.organisation": {"sv": "Organisation", "en": "Organisation"},
    "reporting.export.period": {"sv": "Period", "en": "Period"},
    "reporting.export.deadline": {"sv": "Sista dag för rapportering", "en": "Reporting deadline"},
    "reporting.export.generated": {"sv": "Skapad", "en": "Generated"},
    "reporting.export.counts": {"sv": "Antal per läge", "en": "Counts by status"},
    "reporting.export.missing_list": {"sv": "Saknade rapporter", "en": "Missing reports"},
    "reporting.export.none_missing": {
        "sv": "Alla förvaltningar har rapporterat.",
        "en": "Every administration has reported.",
    },
    "reporting.export.col.administration_id": {"sv": "Förvaltnings-id", "en": "Administration id"},
    "reporting.export.col.administration": {"sv": "Förvaltning", "en": "Administration"},
    "reporting.export.col.development_area": {"sv": "Utvecklingsområde", "en": "Development area"},
    "reporting.export.col.status": {"sv": "Läge", "en": "Status"},
    "reporting.export.col.done": {"sv": "Gjort under kvartalet", "en": "Done this quarter"},
    "reporting.export.col.next_steps": {"sv": "Nästa steg", "en": "Next steps"},
    "reporting.export.col.support_needed": {"sv": "Stödbehov", "en": "Support needed"},
    "reporting.export.col.submitted_by": {"sv": "Inskickad av", "en": "Submitted by"},
    "reporting.export.col.submitted_at": {"sv": "Inskickad", "en": "Submitted at"},
    "reporting.export.col.revisions": {"sv": "Antal versioner", "en": "Revisions"},
    "reporting.export.col.analyses": {
        "sv": "Genomförda jämställdhetsanalyser",
        "en": "Completed gender equality analyses",
    },
    "reporting.export.count": {"sv": "Antal", "en": "Count"},
    "reporting.export.chart": {"sv": "Förvaltningar per läge", "en": "Administrations by status"},
    "reporting.export.sheet": {"sv": "Rapporter", "en": "Reports"},
    "reporting.export.summary_sheet": {"sv": "Sammanställning", "en": "Summary"},
    # jambot calendar: why a reminder is moved or not sent
    "reporting.calendar.weekdays": {
        "sv": "måndag,tisdag,onsdag,torsdag,fredag,lördag,söndag",
        "en": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    },
    "reporting.calendar.date": {
        "sv": "{weekday} {day} {month} {year}",
        "en": "{weekday} {day} {month} {year}",
    },
    "reporting.calendar.period_day": {"sv": "{day} {month} {year}", "en": "{day} {month} {year}"},
    "reporting.calendar.moved_holiday": {
        "sv": "flyttad från {date}: {name} är ingen arbetsdag",
        "en": "moved from {date}: {name} is not a working day",
    },
    "reporting.calendar.moved_day_off": {
        "sv": "flyttad från {date}: ingen arbetsdag",
        "en": "moved from {date}: not a working day",
    },
    "reporting.calendar.moved_weekend": {
        "sv": "flyttad från {date}: helg, ingen arbetsdag",
        "en": "moved from {date}: weekend, not a working day",
    },
    "reporting.calendar.skipped_quiet": {
        "sv": "skickas inte: uppehåll i påminnelserna {start}–{end}",
        "en": "not sent: quiet period {start}–{end}",
    },
}
