"""Strings of the board paper (the quarterly export as the regional board reads it), its
summary, trend and the strategist's assessment (bedömning) in chat and CLI."""

TEXTS: dict[str, dict[str, str]] = {
    # The quarter and dates in words
    "board.quarter": {
        "sv": "kvartal {number} {year} ({first}–{last})",
        "en": "quarter {number} {year} ({first}–{last})",
    },
    "board.quarter_short": {"sv": "Kv {number} {year}", "en": "Q{number} {year}"},
    "board.day": {"sv": "{day} {month}", "en": "{day} {month}"},
    "board.day_year": {"sv": "{day} {month} {year}", "en": "{day} {month} {year}"},
    "board.late.one": {"sv": "1 dag efter sista dag", "en": "1 day after the deadline"},
    "board.late.many": {
        "sv": "{days} dagar efter sista dag",
        "en": "{days} days after the deadline",
    },
    # Case header
    "board.title": {
        "sv": "Kvartalsrapportering – Jämställdhetsintegrering",
        "en": "Quarterly reporting – Gender mainstreaming",
    },
    "board.case_number": {"sv": "Ärendenummer", "en": "Case number"},
    "board.organisation": {"sv": "Organisation", "en": "Organisation"},
    "board.deadline": {"sv": "Sista dag för rapportering", "en": "Reporting deadline"},
    "board.generated": {"sv": "Sammanställd", "en": "Compiled"},
    "board.page": {"sv": "Sida {page} av {pages}", "en": "Page {page} of {pages}"},
    # Sammanfattning
    "board.summary": {"sv": "Sammanfattning", "en": "Summary"},
    "board.summary.reported": {
        "sv": "{reported} av {total} förvaltningar har rapporterat för {quarter}.",
        "en": "{reported} of {total} administrations have reported for {quarter}.",
    },
    "board.summary.missing": {
        "sv": "Rapport saknas från {names}.",
        "en": "No report from {names}.",
    },
    "board.summary.dropped": {
        "sv": "Rapporterade förra kvartalet men inte nu: {names}.",
        "en": "Reported last quarter but not now: {names}.",
    },
    "board.summary.late": {
        "sv": "Inkom efter sista dag ({deadline}): {items}.",
        "en": "Came in after the deadline ({deadline}): {items}.",
    },
    "board.summary.late_item": {
        "sv": "{administration} ({when}, {late})",
        "en": "{administration} ({when}, {late})",
    },
    "board.summary.on_time": {
        "sv": "Alla inskickade rapporter kom in senast sista dag ({deadline}).",
        "en": "Every report sent in came in by the deadline ({deadline}).",
    },
    "board.summary.analyses": {
        "sv": "Genomförda jämställdhetsanalyser under kvartalet: {count}.",
        "en": "Gender equality analyses completed this quarter: {count}.",
    },
    "board.summary.analyses_unassigned": {
        "sv": "Genomförda jämställdhetsanalyser under kvartalet: {count}, "
        "varav {unassigned} utan förvaltning.",
        "en": "Gender equality analyses completed this quarter: {count}, "
        "{unassigned} of them without an administration.",
    },
    "board.and": {"sv": "och", "en": "and"},
    "board.counts": {"sv": "Läge per förvaltning", "en": "Status by administration"},
    "board.col.status": {"sv": "Läge", "en": "Status"},
    "board.col.count": {"sv": "Antal", "en": "Count"},
    "board.col.share": {"sv": "Andel", "en": "Share"},
    "board.col.previous": {"sv": "Förra kvartalet", "en": "Previous quarter"},
    "board.col.administration_id": {"sv": "Förvaltnings-id", "en": "Administration id"},
    "board.col.first_submitted": {"sv": "Först inskickad", "en": "First submitted"},
    "board.col.days_late": {"sv": "Dagar efter sista dag", "en": "Days after deadline"},
    "board.total": {"sv": "Totalt", "en": "Total"},
    "board.support": {"sv": "Stödbehov", "en": "Support needs"},
    "board.support.none": {
        "sv": "Ingen förvaltning har angett något stödbehov.",
        "en": "No administration has asked for support.",
    },
    # Bedömning, beslut, Skickas till
    "board.assessment": {"sv": "Bedömning", "en": "Assessment"},
    "board.assessment.missing": {
        "sv": "Strategens bedömning är inte skriven än. Skriv den med /jambot bedomning {period} i chatten eller jambot export --assessment FIL.",
        "en": "The strategist's assessment has not been written yet. Write it with /jambot bedomning {period} in chat or jambot export --assessment FILE.",
    },
    "board.decision": {"sv": "Förslag till beslut", "en": "Proposed decision"},
    "board.decision.text": {"sv": "Informationen tas emot.", "en": "The information is received."},
    "board.send_to": {"sv": "Skickas till", "en": "Send to"},
    "board.send_to.default": {"sv": "Samtliga nämnder.", "en": "All committees."},
    # One section per administration
    "board.reports": {"sv": "Förvaltningarnas rapporter", "en": "The administrations' reports"},
    "board.field.development_area": {"sv": "Utvecklingsområde", "en": "Development area"},
    "board.field.status": {"sv": "Läge", "en": "Status"},
    "board.field.previous": {"sv": "Förra kvartalet", "en": "Previous quarter"},
    "board.field.submitted": {"sv": "Inskickad", "en": "Submitted"},
    "board.field.changes": {"sv": "Ändringar", "en": "Changes"},
    "board.submitted": {"sv": "{when} av {who}", "en": "{when} by {who}"},
    "board.not_reported": {"sv": "Ingen rapport har kommit in.", "en": "No report has come in."},
    "board.dropped": {
        "sv": "Rapporterade förra kvartalet, saknas nu.",
        "en": "Reported last quarter, missing now.",
    },
    "board.change.first": {
        "sv": "Version 1, {when}, {who}: {status}",
        "en": "Revision 1, {when}, {who}: {status}",
    },
    "board.change.status": {
        "sv": "Version {number}, {when}, {who}: läge ändrat från {old} till {new}",
        "en": "Revision {number}, {when}, {who}: status changed from {old} to {new}",
    },
    "board.change.text": {
        "sv": "Version {number}, {when}, {who}: texten ändrad, läget oförändrat",
        "en": "Revision {number}, {when}, {who}: text changed, status unchanged",
    },
    "board.group.none": {"sv": "Övriga", "en": "Other"},
    # The overview in chat and CLI (trend) and the assessment command
    "board.overview.previous": {
        "sv": "förra kvartalet: {status}",
        "en": "previous quarter: {status}",
    },
    "board.overview.counts": {
        "sv": "{quarter}: {counts}. {previous}: {previous_counts}.",
        "en": "{quarter}: {counts}. {previous}: {previous_counts}.",
    },
    "board.overview.dropped": {
        "sv": "⚠️ Rapporterade förra kvartalet men inte nu: {names}.",
        "en": "⚠️ Reported last quarter but not now: {names}.",
    },
    "board.overview.assessment": {"sv": "Bedömning: {text}", "en": "Assessment: {text}"},
    "board.command.usage_assessment": {
        "sv": "Skriv till exempel `bedomning 2025-Q1 Arbetet går framåt i de flesta förvaltningar.` Utan text visar jag den bedömning som finns.",
        "en": "Write for example `bedomning 2025-Q1 Most administrations are making progress.` Without a text I show the assessment there is.",
    },
    "board.command.assessment_saved": {
        "sv": "Tack! Bedömningen för {period} är sparad och kommer med i exporten.",
        "en": "Thank you! The assessment for {period} is saved and goes into the export.",
    },
    "board.command.assessment_none": {
        "sv": "Det finns ingen bedömning för {period} än.",
        "en": "There is no assessment for {period} yet.",
    },
    "board.command.assessment_show": {
        "sv": "Bedömning för {period} ({who}, {when}):\n{text}",
        "en": "Assessment for {period} ({who}, {when}):\n{text}",
    },
    "board.command.assessment_too_long": {
        "sv": "Bedömningen får vara högst {limit} tecken (nu {length}).",
        "en": "The assessment may be at most {limit} characters (now {length}).",
    },
}
