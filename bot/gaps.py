"""The knowledge base's gaps as Markdown, CSV or a chat reply, for ``jambot kb gaps`` and ``/jambot gaps``.

``bot/stores/gaps.py`` reads the questions (abstained on, marked 👎 or escalated);
``knowledge.gaps`` groups them; this module renders what it makes of them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from bot.texts import t
from knowledge.gaps import REASONS, Cluster, GapReport
from reminders.export.injection import neutralise

EXAMPLES_SHOWN = 5
CHAT_CLUSTERS = 5
CHAT_EXAMPLES = 3
CHAT_PHRASING_CHARS = 200  # a pasted paragraph would push the other clusters off the screen



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
