"""The knowledge base's gaps from the question log, for ``jambot kb gaps`` and ``/jambot gaps``.

The log already says which questions the bot abstained on; feedback says which answers got
👎 and the escalation table which questions were passed to the strategists. This module
reads those (text only: never the user key) and renders what ``knowledge.gaps`` makes of
them as Markdown, CSV or a chat reply.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select

from bot.db import Database
from bot.db.models import Escalation, Feedback, QuestionLog
from bot.texts import t
from knowledge.gaps import REASONS, Cluster, GapQuestion, GapReport, Reason
from reminders.export.injection import neutralise

EXAMPLES_SHOWN = 5
CHAT_CLUSTERS = 5
CHAT_EXAMPLES = 3
CHAT_PHRASING_CHARS = 200  # a pasted paragraph would push the other clusters off the screen


def gap_questions(db: Database, org_id: str, since: datetime | None = None) -> list[GapQuestion]:
    """Questions asked since ``since`` that were abstained on, got 👎 or were escalated.

    One record per logged question, with every reason that applies; an escalation whose
    logged question is gone (retention keeps open escalations) still counts, by its own copy
    of the text. One query each, whatever the size of the log.
    """
    disliked = select(Feedback.question_id).where(
        Feedback.org_id == org_id, Feedback.helpful.is_(False)
    )
    escalated = select(Escalation.question_id).where(
        Escalation.org_id == org_id, Escalation.question_id.is_not(None)
    )
    logged = select(
        QuestionLog.question,
        QuestionLog.created_at,
        QuestionLog.entry_id,
        QuestionLog.abstained,
        QuestionLog.id.in_(disliked).label("disliked"),
        QuestionLog.id.in_(escalated).label("escalated"),
    ).where(
        QuestionLog.org_id == org_id,
        or_(
            QuestionLog.abstained.is_(True),
            QuestionLog.id.in_(disliked),
            QuestionLog.id.in_(escalated),
        ),
    )
    orphans = select(Escalation.question, Escalation.created_at).where(
        Escalation.org_id == org_id, Escalation.question_id.is_(None)
    )
    if since is not None:
        logged = logged.where(QuestionLog.created_at >= since)
        orphans = orphans.where(Escalation.created_at >= since)
    found: list[GapQuestion] = []
    with db.session() as session:
        for text, created_at, entry_id, abstained, was_disliked, was_escalated in session.execute(
            logged.order_by(QuestionLog.id)
        ):
            flags: tuple[tuple[Reason, bool], ...] = (
                ("abstained", abstained),
                ("not_helpful", was_disliked),
                ("escalated", was_escalated),
            )
            reasons = frozenset(reason for reason, flag in flags if flag)
            found.append(GapQuestion(text, reasons, created_at, entry_id))
        for text, created_at in session.execute(orphans.order_by(Escalation.id)):
            found.append(GapQuestion(text, frozenset({"escalated"}), created_at))
    return found


# -- rendering --------------------------------------------------------------------------------


def _since_text(since: datetime | None, lang: str) -> str:
    return since.date().isoformat() if since else t("gaps.all_time", lang)


def _reasons_text(cluster: Cluster, lang: str) -> str:
    return ", ".join(
        t(f"gaps.reason.{reason}", lang, count=cluster.reasons[reason])
        for reason in REASONS
        if reason in cluster.reasons
    )


def suggestion_text(cluster: Cluster, lang: str, code: str = "`") -> str:
    entry = cluster.suggestion.entry_id
    if cluster.suggestion.kind == "add" and entry:
        return t("gaps.suggest.add", lang, entry=f"{code}{entry}{code}")
    return t("gaps.suggest.new", lang)


def apply_command(cluster: Cluster, entry: str, since: datetime | None) -> str:
    since_part = f" --since {since.date().isoformat()}" if since else ""
    return f"jambot kb gaps{since_part} --apply {cluster.id} --to {entry}"


def format_markdown(report: GapReport, since: datetime | None, lang: str = "sv") -> str:
    """The whole report as Markdown: one section per cluster, largest first."""
    lines = [f"# {t('gaps.heading', lang, since=_since_text(since, lang))}", ""]
    if not report.clusters:
        lines.append(t("gaps.none", lang))
        return "\n".join(lines) + "\n"
    lines.append(_totals(report, lang))
    if report.without_topic:
        lines.append(t("gaps.without_topic", lang, count=report.without_topic))
    for rank, cluster in enumerate(report.clusters, start=1):
        heading = t(
            "gaps.cluster", lang, rank=rank, id=f"`{cluster.id}`", count=_count(cluster.count, lang)
        )
        lines += [
            "",
            f"## {heading}",
            "",
            _reasons_text(cluster, lang),
            "",
            t("gaps.phrasings", lang),
        ]
        lines += [_example(p.text, p.count) for p in cluster.phrasings[:EXAMPLES_SHOWN]]
        hidden = len(cluster.phrasings) - EXAMPLES_SHOWN
        if hidden > 0:
            lines.append(f"- {t('gaps.more_phrasings', lang, count=hidden)}")
        lines.append("")
        if cluster.nearest:
            lines.append(t("gaps.nearest", lang))
            lines += [f"- `{n.id}` {n.title} ({n.score:.2f})" for n in cluster.nearest]
        else:
            lines.append(t("gaps.nearest_none", lang))
        if cluster.disliked:
            entries = ", ".join(f"`{e}`" for e in cluster.disliked)
            lines += ["", t("gaps.disliked", lang, entries=entries)]
        lines += ["", f"**{suggestion_text(cluster, lang)}**"]
        target = cluster.suggestion.entry_id or ("POST" if lang == "sv" else "ENTRY")
        command = f"`{apply_command(cluster, target, since)}`"
        key = "gaps.apply_hint" if cluster.suggestion.entry_id else "gaps.new_hint"
        hint = t(key, lang, command=command)
        lines.append(hint)
    return "\n".join(lines) + "\n"


def _inline(text: str) -> str:
    """A staff-typed phrasing as inert Markdown text: it cannot open code or form a link."""
    return " ".join(text.split()).replace("`", "'").replace("](", "] (")


def _shorten(text: str) -> str:
    if len(text) <= CHAT_PHRASING_CHARS:
        return text
    return text[: CHAT_PHRASING_CHARS - 1].rstrip() + "…"


def _totals(report: GapReport, lang: str) -> str:
    groups = len(report.clusters)
    clusters = t("gaps.one_group" if groups == 1 else "gaps.groups", lang, count=groups)
    return t("gaps.totals", lang, questions=_count(report.questions, lang), clusters=clusters)


def _example(text: str, count: int) -> str:
    return f"- “{_inline(text)}”" + (f" ({count}×)" if count > 1 else "")


def _count(count: int, lang: str) -> str:
    return t("gaps.one_question" if count == 1 else "gaps.questions", lang, count=count)


def format_csv(report: GapReport, lang: str = "sv") -> str:
    """One row per cluster; phrasings joined by " | ", formula-looking cells neutralised.

    Starts with a byte-order mark, like the quarterly CSV export, so that Excel reads å, ä, ö.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(t("gaps.csv.columns", lang).split(","))
    for cluster in report.clusters:
        kind = t(f"gaps.csv.{cluster.suggestion.kind}", lang)
        row: Iterable[str | int] = (
            cluster.id,
            cluster.count,
            cluster.reasons.get("abstained", 0),
            cluster.reasons.get("not_helpful", 0),
            cluster.reasons.get("escalated", 0),
            kind,
            cluster.suggestion.entry_id or "",
            " | ".join(f"{n.id} ({n.score:.2f})" for n in cluster.nearest),
            " | ".join(p.text for p in cluster.phrasings),
        )
        writer.writerow([neutralise(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def format_chat(report: GapReport, since: datetime | None, lang: str = "sv") -> str:
    """The top clusters, short enough for one chat message."""
    if not report.clusters:
        return t("gaps.none", lang)
    lines = [_totals(report, lang)]
    for rank, cluster in enumerate(report.clusters[:CHAT_CLUSTERS], start=1):
        heading = t(
            "gaps.cluster", lang, rank=rank, id=cluster.id, count=_count(cluster.count, lang)
        )
        lines += ["", f"**{heading}** ({_reasons_text(cluster, lang)})"]
        lines += [
            f"- {_shorten(_inline(p.text))}" + (f" ({p.count}×)" if p.count > 1 else "")
            for p in cluster.phrasings[:CHAT_EXAMPLES]
        ]
        lines += ["", suggestion_text(cluster, lang)]
    if len(report.clusters) > CHAT_CLUSTERS:
        lines += ["", t("gaps.chat.shown", lang, shown=CHAT_CLUSTERS, total=len(report.clusters))]
    return "\n".join(lines)
