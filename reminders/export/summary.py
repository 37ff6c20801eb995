"""The Sammanfattning's sentences and figures, generated from the data for every format.

One place decides what the board is told first (how many reported, who is missing,
who dropped out since last quarter, who was late), so the Word, Markdown and Excel
summaries say the same thing in the same words.
"""

from __future__ import annotations

from reminders.export.model import STATUS_ORDER, QuarterReport, Revision
from reminders.export.wording import day_words, late_words, names_words, quarter_words
from reminders.texts import t


def share(n: int, total: int, lang: str) -> str:
    percent = round(100 * n / total) if total else 0
    return f"{percent}\u00a0%" if lang == "sv" else f"{percent}%"


def summary_sentences(report: QuarterReport) -> list[str]:
    lang = report.lang
    sentences = [
        t(
            "board.summary.reported",
            lang,
            reported=len(report.reported),
            total=len(report.rows),
            quarter=quarter_words(report.quarter, lang),
        )
    ]
    if report.missing:
        names = names_words([r.administration for r in report.missing], lang)
        sentences.append(t("board.summary.missing", lang, names=names))
    if report.dropped:
        names = names_words([r.administration for r in report.dropped], lang)
        sentences.append(t("board.summary.dropped", lang, names=names))
    deadline = day_words(report.deadline, lang)
    if report.late:
        items = [
            t(
                "board.summary.late_item",
                lang,
                administration=r.administration,
                when=day_words(r.first_submitted_at.date(), lang) if r.first_submitted_at else "",
                late=late_words(r.days_late, lang),
            )
            for r in report.late
        ]
        sentences.append(t("board.summary.late", lang, deadline=deadline, items="; ".join(items)))
    elif report.reported:
        sentences.append(t("board.summary.on_time", lang, deadline=deadline))
    sentences.append(analyses_sentence(report))
    return sentences


def analyses_sentence(report: QuarterReport) -> str:
    """The quarter's completed guided analyses in total: the measure strategists report."""
    if report.analyses_unassigned:
        return t(
            "board.summary.analyses_unassigned",
            report.lang,
            count=report.analyses_total,
            unassigned=report.analyses_unassigned,
        )
    return t("board.summary.analyses", report.lang, count=report.analyses_total)


def count_rows(report: QuarterReport) -> list[tuple[str, int, str, int]]:
    """(status, this quarter, share, previous quarter) in STATUS_ORDER, then the total."""
    now, before = report.tally(), report.tally(previous=True)
    total, lang = len(report.rows), report.lang
    rows = [(report.label(k), now[k], share(now[k], total, lang), before[k]) for k in STATUS_ORDER]
    rows.append((t("board.total", lang), total, share(total, total, lang), total))
    return rows


def change_lines(revisions: tuple[Revision, ...], report: QuarterReport) -> list[str]:
    """What each revision changed: the status from → to, by whom, when."""
    lang = report.lang
    lines = []
    for previous, revision in zip((None, *revisions), revisions, strict=False):
        values = {
            "number": revision.number,
            "when": f"{day_words(revision.at.date(), lang)} {revision.at:%H:%M}",
            "who": revision.by,
        }
        if previous is None:
            status = report.label(revision.status)
            lines.append(t("board.change.first", lang, status=status, **values))
        elif previous.status != revision.status:
            old, new = report.label(previous.status), report.label(revision.status)
            lines.append(t("board.change.status", lang, old=old, new=new, **values))
        else:
            lines.append(t("board.change.text", lang, **values))
    return lines


def submitted_words(report: QuarterReport, history: tuple[Revision, ...], days_late: int) -> str:
    """ "8 april av Bo Berg", or "24 april av Kalle Kula, 2 dagar efter sista dag"."""
    lang = report.lang
    first = history[0]
    text = t("board.submitted", lang, when=day_words(first.at.date(), lang), who=first.by)
    return f"{text}, {late_words(days_late, lang)}" if days_late else text
