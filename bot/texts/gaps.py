"""Strings of the knowledge-base gaps loop (``jambot kb gaps`` and ``/jambot gaps``)."""

TEXTS: dict[str, dict[str, str]] = {
    "gaps.heading": {
        "sv": "Luckor i kunskapsbasen sedan {since}",
        "en": "Gaps in the knowledge base since {since}",
    },
    "gaps.all_time": {"sv": "början", "en": "the start"},
    "gaps.totals": {
        "sv": "{questions} utan svar, med 👎 eller skickade till strategerna, i {clusters}.",
        "en": "{questions} without an answer, marked 👎 or passed to the strategists, in {clusters}.",
    },
    "gaps.without_topic": {
        "sv": "{count} frågor utan ämnesord (som ”hej?”) är inte med.",
        "en": "{count} questions without a topic word (like “hi?”) are left out.",
    },
    "gaps.none": {
        "sv": "Inga luckor: inga frågor utan svar, med 👎 eller skickade till strategerna.",
        "en": "No gaps: no questions without an answer, marked 👎 or passed to the strategists.",
    },
    "gaps.cluster": {"sv": "{rank}. Grupp {id}: {count}", "en": "{rank}. Group {id}: {count}"},
    "gaps.one_question": {"sv": "{count} fråga", "en": "{count} question"},
    "gaps.questions": {"sv": "{count} frågor", "en": "{count} questions"},
    "gaps.one_group": {"sv": "{count} grupp", "en": "{count} group"},
    "gaps.groups": {"sv": "{count} grupper", "en": "{count} groups"},
    "gaps.reason.abstained": {"sv": "{count} utan svar", "en": "{count} not answered"},
    "gaps.reason.not_helpful": {"sv": "{count} 👎", "en": "{count} 👎"},
    "gaps.reason.escalated": {
        "sv": "{count} till strategerna",
        "en": "{count} passed to the strategists",
    },
    "gaps.phrasings": {"sv": "Formuleringar:", "en": "Phrasings:"},
    "gaps.more_phrasings": {
        "sv": "… och {count} formuleringar till",
        "en": "… and {count} more phrasings",
    },
    "gaps.nearest": {"sv": "Närmaste poster:", "en": "Nearest entries:"},
    "gaps.nearest_none": {"sv": "Närmaste poster: inga", "en": "Nearest entries: none"},
    "gaps.disliked": {
        "sv": "Svaret från {entries} fick 👎 på de här frågorna.",
        "en": "The answer from {entries} got 👎 on these questions.",
    },
    "gaps.suggest.add": {
        "sv": "Förslag: lägg till formuleringarna i {entry}.",
        "en": "Suggestion: add these phrasings to {entry}.",
    },
    "gaps.suggest.new": {
        "sv": "Förslag: ny post behövs.",
        "en": "Suggestion: a new entry is needed.",
    },
    "gaps.apply_hint": {"sv": "Så gör du: {command}", "en": "How: {command}"},
    "gaps.new_hint": {
        "sv": "Skriv en ny post med formuleringarna under questions: (se docs/forbattra-kunskapsbasen.md), eller lägg dem i en befintlig post: {command}",
        "en": "Write a new entry with these phrasings under questions: (see docs/forbattra-kunskapsbasen.md), or add them to an existing entry: {command}",
    },
    "gaps.csv.columns": {
        "sv": "grupp,antal,utan_svar,tummen_ner,till_strategerna,förslag,föreslagen_post,närmaste_poster,formuleringar",
        "en": "group,count,not_answered,thumbs_down,escalated,suggestion,suggested_entry,nearest_entries,phrasings",
    },
    "gaps.csv.add": {"sv": "lägg till", "en": "add"},
    "gaps.csv.new": {"sv": "ny post", "en": "new entry"},
    # In chat (strategists only)
    "gaps.chat.title": {"sv": "Luckor i kunskapsbasen", "en": "Gaps in the knowledge base"},
    "gaps.chat.shown": {
        "sv": "Visar de {shown} största av {total} grupper. Hela listan och hur du lägger till formuleringar: `jambot kb gaps`.",
        "en": "Showing the {shown} largest of {total} groups. The whole list, and how to add phrasings: `jambot kb gaps`.",
    },
    "gaps.chat.refused": {
        "sv": "Tyvärr, luckorna i kunskapsbasen visas bara för jämställdhetsstrategerna.",
        "en": "Sorry, the knowledge base's gaps are shown to the gender equality strategists only.",
    },
    "gaps.chat.bad_date": {
        "sv": "”{value}” är inget datum. Skriv `gaps` eller till exempel `gaps 2025-01-31` (frågor från och med det datumet).",
        "en": "“{value}” is not a date. Write `gaps`, or for example `gaps 2025-01-31` (questions from that date on).",
    },
    # jambot kb gaps --apply
    "gaps.apply.unknown_cluster": {
        "sv": "Det finns ingen grupp ”{id}” bland luckorna{since}. Kör `jambot kb gaps` (med samma --since) och välj ett id ur listan.",
        "en": "There is no group “{id}” among the gaps{since}. Run `jambot kb gaps` (with the same --since) and pick an id from the list.",
    },
    "gaps.apply.since": {"sv": " sedan {since}", "en": " since {since}"},
    "gaps.apply.unknown_entry": {
        "sv": "Det finns ingen post med id ”{entry}” i {kb}.",
        "en": "There is no entry with id “{entry}” in {kb}.",
    },
    "gaps.apply.needs_to": {
        "sv": "--apply behöver --to POST: vilken post formuleringarna ska läggas till i.",
        "en": "--apply needs --to ENTRY: the entry to add the phrasings to.",
    },
    "gaps.apply.to_without_apply": {
        "sv": "--to används bara tillsammans med --apply GRUPP.",
        "en": "--to only goes with --apply GROUP.",
    },
    "gaps.apply.added": {
        "sv": "{path}: {count} formuleringar tillagda i questions:",
        "en": "{path}: {count} phrasings added to questions:",
    },
    "gaps.apply.skipped": {
        "sv": "Fanns redan i posten, hoppades över: {count}",
        "en": "Already in the entry, skipped: {count}",
    },
    "gaps.apply.nothing": {
        "sv": "Alla formuleringarna fanns redan i posten {entry}; inget ändrat.",
        "en": "Every phrasing was already in entry {entry}; nothing changed.",
    },
    "gaps.apply.failed": {
        "sv": "Ingenting ändrat: {reason}",
        "en": "Nothing changed: {reason}",
    },
    "gaps.apply.restart": {
        "sv": "Starta om boten (eller vänta på nästa driftsättning) så att den läser in ändringen.",
        "en": "Restart the bot (or wait for the next deployment) for it to read the change.",
    },
}
