"""``jambot calendar | remind | export | status``: the quarterly reporting cycle from a shell."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime
from pathlib import Path

from bot.cli.common import org_config
from bot.config import ConfigError, Settings
from bot.db import Database
from bot.db.base import utcnow
from bot.outboxes import build_outboxes
from bot.quarter_report import load_quarter_report
from bot.texts import t
from reminders.assessment import ASSESSMENT_LIMIT, clean_assessment
from reminders.calendar import DayOff, PlannedReminder, SkippedReminder, year_plan
from reminders.export import (
    FORMATS,
    GROUP_BY,
    ExportOptions,
    QuarterReport,
    export_filename,
)
from reminders.organisation import OrgConfig
from reminders.overview import overview_text
from reminders.periods import PeriodError, Quarter
from reminders.ratelimit import RateLimiter
from reminders.runner import run_reminders


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cal = sub.add_parser(
        "calendar",
        help=t("cli.help.calendar"),
    )
    cal.add_argument("year", type=int, metavar="ÅR", help=t("cli.help.calendar.year"))
    _config_option(cal)
    cal.set_defaults(handler=calendar_cmd)

    exp = sub.add_parser("export", help=t("cli.help.export"))
    exp.add_argument(
        "--quarter", required=True, metavar="KVARTAL", help=t("cli.help.export.quarter")
    )
    exp.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="xlsx",
        help=t("cli.help.export.format"),
    )
    exp.add_argument(
        "--out",
        type=Path,
        metavar="FIL",
        help=t("cli.help.export.out"),
    )
    _lang_option(exp, t("cli.help.export.lang"))
    exp.add_argument(
        "--assessment",
        type=Path,
        metavar="FIL",
        help=t("cli.help.export.assessment"),
    )
    exp.add_argument(
        "--group-by",
        choices=GROUP_BY,
        help=t("cli.help.export.group-by"),
    )
    exp.add_argument(
        "--csv-separator",
        choices=("semicolon", "comma"),
        help=t("cli.help.export.csv-separator"),
    )
    _config_option(exp)
    exp.set_defaults(handler=export_cmd)

    rem = sub.add_parser(
        "remind",
        help=t("cli.help.remind"),
    )
    rem.add_argument(
        "--now",
        metavar="TID",
        help=t("cli.help.remind.now"),
    )
    rem.add_argument("--dry-run", action="store_true", help=t("cli.help.remind.dry-run"))
    _config_option(rem)
    rem.set_defaults(handler=remind_cmd)

    st = sub.add_parser(
        "status",
        help=t("cli.help.status"),
    )
    st.add_argument("quarter", metavar="KVARTAL", help=t("cli.help.status.quarter"))
    _lang_option(st, t("cli.help.status.lang"))
    _config_option(st)
    st.set_defaults(handler=status_cmd)


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FIL",
        help=t("cli.help.reporting.config"),
    )


def _lang_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--lang", choices=("sv", "en"), default="sv", help=help_text)


def _org(args: argparse.Namespace, settings: Settings) -> OrgConfig:
    return org_config(args, settings)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def calendar_cmd(args: argparse.Namespace) -> int:
    try:
        org = _org(args, Settings.from_env())
    except ConfigError as exc:
        return _fail(str(exc))
    if not 2000 <= args.year <= 2100:
        return _fail(t("cli.calendar.bad_year", year=args.year))
    print(f"{org.organisation.name}: {args.year} ({org.organisation.timezone})")
    for plan in year_plan(org.reporting, args.year, org.tz):
        print(f"\n{plan.quarter.key}  deadline {_short_date(plan.deadline)}")
        steps: list[PlannedReminder | SkippedReminder] = [*plan.reminders, *plan.skipped]
        for step in sorted(steps, key=lambda s: (s.day, isinstance(s, SkippedReminder))):
            print(_calendar_line(step))
        if not plan.reminders:
            print(t("cli.calendar.all_quiet"))
    return 0


def _short_date(day: date, lang: str = "sv") -> str:
    """ "2025-04-22 tis": the date and its weekday in the calendar's columns."""
    weekday = t("reporting.calendar.weekdays", lang).split(",")[day.weekday()][:3]
    return f"{day:%Y-%m-%d} {weekday}"


def _calendar_date(day: date, lang: str = "sv", weekday: bool = True) -> str:
    """ "fredag 20 juni 2025" (or "20 juni 2025"): a day as a reason in the calendar names it."""
    return t(
        "reporting.calendar.date" if weekday else "reporting.calendar.period_day",
        lang,
        weekday=t("reporting.calendar.weekdays", lang).split(",")[day.weekday()],
        day=day.day,
        month=t("reporting.months", lang).split(",")[day.month - 1],
        year=day.year,
    )


def _moved_words(moved: DayOff, lang: str = "sv") -> str:
    when = _calendar_date(moved.day, lang)
    if moved.weekend:
        return t("reporting.calendar.moved_weekend", lang, date=when)
    if not moved.holiday:
        return t("reporting.calendar.moved_day_off", lang, date=when)
    return t("reporting.calendar.moved_holiday", lang, date=when, name=moved.holiday)


def _calendar_line(step: PlannedReminder | SkippedReminder, lang: str = "sv") -> str:
    """One reminder step of ``jambot calendar``, with why it moved or is not sent."""
    reasons = []
    if isinstance(step, SkippedReminder):
        quiet = step.quiet
        start, end = (_calendar_date(d, lang, weekday=False) for d in (quiet.from_, quiet.to))
        reasons.append(t("reporting.calendar.skipped_quiet", lang, start=start, end=end))
        line = f"  {_short_date(step.day)}  {step.step}"
    else:
        line = f"  {_short_date(step.send_at)} {step.send_at:%H:%M %Z}  {step.step}"
    if step.moved_from is not None:
        reasons.append(_moved_words(step.moved_from, lang))
    return f"{line}  ({'; '.join(reasons)})" if reasons else line


def _open_database(settings: Settings) -> Database:
    """The database, migrated to the current schema unless JAMBOT_AUTO_MIGRATE=0."""
    if settings.run_migrations:
        from bot.db.migrate import upgrade

        upgrade(settings.database_url)
    return Database(settings.database_url)


def _read_assessment(path: Path | None) -> str | None:
    """The assessment file's text (None: no file given); ValueError with a clear message."""
    if path is None:
        return None
    try:
        text = clean_assessment(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ValueError(
            t("cli.export.cannot_read_assessment", path=path, reason=exc.strerror)
        ) from exc
    except UnicodeDecodeError as exc:
        raise ValueError(t("cli.export.assessment_not_utf8", path=path)) from exc
    if len(text) > ASSESSMENT_LIMIT:
        raise ValueError(
            t("cli.export.assessment_too_long", path=path, length=len(text), limit=ASSESSMENT_LIMIT)
        )
    return text


def _quarter_report(args: argparse.Namespace, now: datetime | None = None) -> QuarterReport | int:
    """The quarter's report from the database, or the exit status after a clear message."""
    try:
        settings = Settings.from_env()
        org = _org(args, settings)
        quarter = Quarter.parse(args.quarter)
        assessment = _read_assessment(getattr(args, "assessment", None))
    except ConfigError as exc:
        return _fail(str(exc))
    except PeriodError as exc:
        return _fail(exc.message(args.lang))
    except ValueError as exc:
        return _fail(str(exc))
    db = _open_database(settings)
    try:
        return load_quarter_report(db, org, quarter, lang=args.lang, now=now, assessment=assessment)
    finally:
        db.dispose()


def export_cmd(args: argparse.Namespace) -> int:
    report = _quarter_report(args)
    if isinstance(report, int):
        return report
    out: Path = args.out or Path(export_filename(report, args.format))
    try:
        options = ExportOptions(group_by=args.group_by, csv_separator=args.csv_separator)
        out.write_bytes(FORMATS[args.format].render(report, options))
    except OSError as exc:
        return _fail(t("cli.export.cannot_write", path=out, reason=exc.strerror))
    print(t("cli.export.written", path=out, rows=len(report.rows), missing=len(report.missing)))
    return 0


def status_cmd(args: argparse.Namespace) -> int:
    now = utcnow()
    report = _quarter_report(args, now=now)
    if isinstance(report, int):
        return report
    print(overview_text(report, now))
    return 0


def _parse_now(value: str | None, org: OrgConfig) -> datetime:
    if not value:
        return utcnow()
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=org.tz)


def remind_cmd(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env()
        org = _org(args, settings)
        now = _parse_now(args.now, org)
    except ConfigError as exc:
        return _fail(str(exc))
    except ValueError:
        return _fail(t("cli.remind.bad_now", value=args.now))
    db = _open_database(settings)
    try:
        outboxes = build_outboxes(settings, db, org, serving=False)
        report = asyncio.run(
            run_reminders(db, org, outboxes, now, dry_run=args.dry_run, limiter=RateLimiter())
        )
    finally:
        db.dispose()
    platforms = ", ".join(sorted(outboxes)) or t("cli.remind.no_platforms")
    print(
        t(
            "cli.remind.platforms",
            now=f"{now.astimezone(org.tz):%Y-%m-%d %H:%M %Z}",
            platforms=platforms,
        )
    )
    unreachable = "cli.remind.unreachable_dry" if args.dry_run else "cli.remind.unreachable"
    sections = (
        (t("cli.remind.would_send"), report.would_send),
        (t("cli.remind.sent"), report.sent),
        (t("cli.remind.failed"), report.failed),
        (t("cli.remind.undeliverable"), report.undeliverable),
        (t("cli.remind.skipped"), report.skipped),
        (t(unreachable), report.unreachable),
    )
    for title, lines in sections:
        if lines:
            print(f"{title}: {len(lines)}")
            for line in lines:
                print(f"  {line}")
    if not any(lines for _, lines in sections):
        print(t("cli.remind.nothing_due"))
    return 1 if report.failed else 0
