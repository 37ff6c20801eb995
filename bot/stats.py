"""What staff ask and what the knowledge base lacks, for ``jambot stats``.

Strategists use this to decide which entries to write next (the unanswered
questions) and which to improve (the ones marked not helpful).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.db import Database
from bot.stores.analysis import completed_by_quarter
from bot.stores.escalations import EscalationStore, OpenEscalation
from bot.stores.feedback import FeedbackStore
from bot.stores.questions import QuestionStore
from bot.texts import t


@dataclass(frozen=True)
class Stats:
    since: datetime | None
    questions: int
    answered: int
    abstained: int
    top_questions: list[tuple[str, int]]
    unanswered: list[tuple[str, int]]
    top_entries: list[tuple[str, int]]
    helpful: int
    not_helpful: int
    not_helpful_entries: list[tuple[str, int]]
    open_escalations: list[OpenEscalation]
    # Guided gender-equality analyses completed: (quarter, administration id) -> count.
    analyses: dict[tuple[str, str | None], int] = field(default_factory=dict)


def collect_stats(db: Database, org_id: str, since: datetime | None = None, limit: int = 10) -> Stats:
    rows = QuestionStore(db, org_id).asked(since)
    feedback = FeedbackStore(db, org_id).verdicts(since)
    escalations = EscalationStore(db, org_id).still_open()

    asked: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    entries: Counter[str] = Counter()
    for row in rows:
        key = " ".join(row.question.casefold().split()).rstrip("?!. ")
        asked[key] += 1
        if row.abstained:
            unanswered[key] += 1
        elif row.entry_id:
            entries[row.entry_id] += 1
    helpful = sum(count for ok, _entry, count in feedback if ok)
    not_helpful_entries: Counter[str] = Counter()
    for ok, entry_id, count in feedback:
        if not ok:
            not_helpful_entries[entry_id or "-"] += count
    abstained = sum(1 for row in rows if row.abstained)
    return Stats(
        since=since,
        questions=len(rows),
        answered=len(rows) - abstained,
        abstained=abstained,
        top_questions=asked.most_common(limit),
        unanswered=unanswered.most_common(limit),
        top_entries=entries.most_common(limit),
        helpful=helpful,
        not_helpful=sum(not_helpful_entries.values()),
        not_helpful_entries=not_helpful_entries.most_common(limit),
        open_escalations=escalations,
        analyses=completed_by_quarter(db, org_id, since),
    )


def format_stats(stats: Stats, lang: str = "sv", names: Mapping[str, str] | None = None) -> str:
    since = stats.since.date().isoformat() if stats.since else t("stats_all_time", lang)
    lines = [
        t("stats_heading", lang, since=since),
        t(
            "stats_totals",
            lang,
            questions=stats.questions,
            answered=stats.answered,
            abstained=stats.abstained,
        ),
        t("stats_feedback", lang, helpful=stats.helpful, not_helpful=stats.not_helpful),
    ]
    sections = [
        ("stats_top_questions", stats.top_questions),
        ("stats_unanswered", stats.unanswered),
        ("stats_top_entries", stats.top_entries),
        ("stats_not_helpful", stats.not_helpful_entries),
    ]
    for key, items in sections:
        lines.append("")
        lines.append(t(key, lang))
        lines.extend(f"  {count:>5}  {text}" for text, count in items)
        if not items:
            lines.append("  " + t("stats_none", lang))
    lines.append("")
    lines.append(t("stats_open_escalations", lang, count=len(stats.open_escalations)))
    not_posted = t("stats_not_yet_posted", lang)
    lines.extend(
        f"  #{e.id:<5} {e.created_at.date().isoformat()}  {e.question}"
        + ("" if e.posted else f"  {not_posted}")
        for e in stats.open_escalations
    )
    lines += _analyses_lines(stats.analyses, lang, names or {})
    return "\n".join(lines)


def _analyses_lines(
    counts: dict[tuple[str, str | None], int], lang: str, names: Mapping[str, str]
) -> list[str]:
    """Completed analyses per quarter and administration: a count, never their content."""
    lines = ["", t("analysis.stats_heading", lang)]
    for (period, adm), count in sorted(counts.items(), key=lambda i: (i[0][0], i[0][1] or "")):
        name = names.get(adm, adm) if adm else t("analysis.stats_no_administration", lang)
        lines.append(f"  {count:>5}  {period}  {name}")
    if not counts:
        lines.append("  " + t("stats_none", lang))
    return lines
