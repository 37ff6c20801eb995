"""Markdown: the board paper as plain text, for a wiki page or an e-mail.

The same parts as the Word document (summary, counts with share and last quarter,
support needs, assessment, one section per administration) and the list of missing
reports at the end. Every value that comes from staff or the config goes through
``mdtext`` so it is shown as typed and can never add a heading, HTML, an image or a
link; every list and table has a blank line before it, which most renderers need.
"""

from __future__ import annotations

from reminders.export.blocks import text_blocks
from reminders.export.mdtext import md_inline, md_lines
from reminders.export.model import QuarterReport, ReportRow
from reminders.export.options import DEFAULT, ExportOptions, grouped
from reminders.export.summary import change_lines, count_rows, submitted_words, summary_sentences
from reminders.export.wording import day_words, quarter_short, quarter_words
from reminders.texts import t


def _header(report: QuarterReport) -> list[str]:
    lang = report.lang
    lines = [
        f"# {t('reporting.export.title', lang, period=report.period)}",
        "",
        f"**{quarter_words(report.quarter, lang, capital=True)}**",
        "",
        f"- {t('reporting.export.organisation', lang)}: {md_inline(report.org_name)}",
    ]
    if report.case_number:
        lines.append(f"- {t('board.case_number', lang)}: {md_inline(report.case_number)}")
    lines += [
        f"- {t('reporting.export.period', lang)}: {report.period}",
        f"- {t('reporting.export.deadline', lang)}: {day_words(report.deadline, lang, year=True)}",
        f"- {t('reporting.export.generated', lang)}: {report.generated_at:%Y-%m-%d %H:%M}",
    ]
    return lines


def _summary(report: QuarterReport) -> list[str]:
    lang = report.lang
    head = (
        t("board.col.status", lang),
        quarter_short(report.quarter, lang),
        t("board.col.share", lang),
        quarter_short(report.quarter.previous(), lang),
    )
    lines = [
        "",
        f"## {t('board.summary', lang)}",
        "",
        md_inline(" ".join(summary_sentences(report))),
    ]
    lines += ["", f"| {' | '.join(head)} |", "|---|---:|---:|---:|"]
    lines += [
        f"| {label} | {n} | {part} | {before} |" for label, n, part, before in count_rows(report)
    ]
    lines += ["", f"### {t('board.support', lang)}", ""]
    for row in report.support:
        flat = " ".join(line for b in text_blocks(row.support_needed) for line in b.lines)
        lines.append(f"- **{md_inline(row.administration)}:** {md_inline(flat)}")
    if not report.support:
        lines.append(t("board.support.none", lang))
    lines += ["", f"## {t('board.assessment', lang)}"]
    lines += md_lines(report.assessment) or [
        "",
        f"*{md_inline(t('board.assessment.missing', lang, period=report.period))}*",
    ]
    return lines


def _field(label: str, value: str) -> list[str]:
    return ["", f"**{label}:** {md_inline(value)}"]


def _administration(report: QuarterReport, row: ReportRow, level: str) -> list[str]:
    lang = report.lang
    lines = ["", f"{level} {md_inline(row.administration)}"]
    lines += _field(t("board.field.development_area", lang), row.development_area)
    lines += _field(report.column("status"), row.status_label)
    lines += _field(t("board.field.previous", lang), report.label(row.previous_status))
    if row.missing:
        lines += ["", f"*{t('board.not_reported', lang)}*"]
        if row.dropped:
            lines += ["", f"**{t('board.dropped', lang)}**"]
    else:
        lines += _report_fields(report, row)
    # Last in the section: counted whether or not the administration has reported.
    return lines + _field(report.column("analyses"), str(row.analyses))


def _report_fields(report: QuarterReport, row: ReportRow) -> list[str]:
    """What an administration that has reported wrote, and when."""
    lang = report.lang
    lines = _field(
        t("board.field.submitted", lang), submitted_words(report, row.history, row.days_late)
    )
    for name, value in (
        ("done", row.done),
        ("next_steps", row.next_steps),
        ("support_needed", row.support_needed),
    ):
        lines += ["", f"**{report.column(name)}:**", *(md_lines(value) or ["", "–"])]
    lines += [
        "",
        f"{report.column('submitted_by')}: {md_inline(row.submitted_by)}, "
        f"{row.submitted_at:%Y-%m-%d %H:%M} ({report.column('revisions')}: {row.revisions})"
        if row.submitted_at
        else "",
    ]
    if row.revisions > 1:
        lines += ["", f"**{t('board.field.changes', lang)}:**", ""]
        lines += [f"- {md_inline(line)}" for line in change_lines(row.history, report)]
    return lines


def render_markdown(report: QuarterReport, options: ExportOptions = DEFAULT) -> bytes:
    lang = report.lang
    lines = [*_header(report), *_summary(report), "", f"## {t('board.reports', lang)}"]
    for title, rows in grouped(report, options.group_by):
        if title is not None:
            lines += ["", f"### {md_inline(title)}"]
        for row in rows:
            lines += _administration(report, row, "####" if title is not None else "###")
    lines += ["", f"## {t('reporting.export.missing_list', lang)}", ""]
    lines += [f"- {md_inline(r.administration)}" for r in report.missing] or [
        t("reporting.export.none_missing", lang)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
