"""Markdown: the quarter as plain text, for a wiki page or a chat message.

Every value that comes from staff or the config goes through ``mdtext`` so it is
shown as typed and can never add a heading, HTML, an image or a link.
"""

from __future__ import annotations

from bot.texts import t
from reminders.export.mdtext import md_inline, md_lines
from reminders.export.model import QuarterReport


def render_markdown(report: QuarterReport) -> bytes:
    lang = report.lang
    lines = [
        f"# {t('reporting.export.title', lang, period=report.period)}",
        "",
        f"- {t('reporting.export.organisation', lang)}: {md_inline(report.org_name)}",
        f"- {t('reporting.export.period', lang)}: {report.period}",
        f"- {t('reporting.export.deadline', lang)}: {report.deadline.isoformat()}",
        f"- {t('reporting.export.generated', lang)}: {report.generated_at:%Y-%m-%d %H:%M}",
        "",
        f"## {t('reporting.export.counts', lang)}",
        "",
        f"| {report.column('status')} | {t('reporting.export.count', lang)} |",
        "|---|---:|",
        *(f"| {label} | {n} |" for label, n in report.counts),
        "",
    ]
    for row in report.rows:
        lines += [
            f"## {md_inline(row.administration)}",
            "",
            f"*{md_inline(row.development_area)}*",
            "",
        ]
        lines.append(f"**{report.column('status')}:** {row.status_label}")
        if not row.missing:
            for name, value in (
                ("done", row.done),
                ("next_steps", row.next_steps),
                ("support_needed", row.support_needed),
            ):
                lines += ["", f"**{report.column(name)}:**", *(md_lines(value) or ["", "–"])]
            when = row.submitted_at.strftime("%Y-%m-%d %H:%M") if row.submitted_at else ""
            lines += [
                "",
                f"{report.column('submitted_by')}: {md_inline(row.submitted_by)}, {when} "
                f"({report.column('revisions')}: {row.revisions})",
            ]
        lines.append("")
    lines += [f"## {t('reporting.export.missing_list', lang)}", ""]
    missing = report.missing
    lines += [f"- {md_inline(r.administration)}" for r in missing] or [
        t("reporting.export.none_missing", lang)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
