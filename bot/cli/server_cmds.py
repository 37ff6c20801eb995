"""``jambot serve``, ``jambot chat`` and ``jambot stats``: the bot itself and what it learned."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli.common import database_label, settings_for
from bot.config import ConfigError, Settings
from bot.texts import t

log = logging.getLogger("bot.cli")


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help=t("cli.help.serve"))
    serve.add_argument(
        "--host",
        metavar="ADRESS",
        help=t("cli.help.serve.host"),
    )
    serve.add_argument("--port", type=int, metavar="PORT", help=t("cli.help.serve.port"))
    _common(serve)
    serve.set_defaults(handler=_serve)

    chat = subparsers.add_parser("chat", help=t("cli.help.chat"))
    _common(chat)
    chat.set_defaults(handler=_chat)

    stats = subparsers.add_parser("stats", help=t("cli.help.stats"))
    stats.add_argument("--since", type=_date, metavar="DATUM", help=t("cli.help.stats.since"))
    stats.add_argument(
        "--limit", type=int, default=10, metavar="ANTAL", help=t("cli.help.stats.limit")
    )
    stats.add_argument(
        "--config",
        type=Path,
        metavar="FIL",
        help=t("cli.help.stats.config"),
    )
    stats.set_defaults(handler=_stats)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kb",
        type=Path,
        metavar="KATALOG",
        help=t("cli.help.serve.kb"),
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FIL",
        help=t("cli.help.serve.config"),
    )


def _date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def _settings(args: argparse.Namespace) -> Settings:
    return settings_for(args)


def _serve(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.app import build_server_context, load_kb, load_org
    from bot.db.migrate import MigrationError
    from bot.observability.logging import configure_logging
    from bot.server import serve

    try:
        settings = _settings(args)
        secrets = [
            s
            for s in (
                settings.slack_bot_token,
                settings.slack_signing_secret,
                settings.slack_app_token,
                settings.microsoft_app_password,
                settings.pseudonym_secret,
            )
            if s
        ]
        configure_logging(
            settings.log_format, secrets, logging.getLevelNamesMapping()[settings.log_level]
        )
        log.info("database: %s", database_label(settings.database_url))
        if settings.demo and settings.host not in ("127.0.0.1", "localhost", "::1"):
            log.warning(
                "demo organisation on %s: everyone who reaches the web chat is its strategist "
                "(made-up data only); set JAMBOT_DEMO=0 or --config FILE for a real deployment",
                settings.host,
            )
        context = build_server_context(settings, load_org(settings), load_kb(settings))
    except ConfigError as exc:
        print(f"jambot serve: {exc}", file=sys.stderr)
        return 2
    try:
        serve(context, settings.host, settings.port)
    except OSError as exc:  # the port is taken or the address is not ours
        print(
            f"jambot serve: kan inte lyssna på {settings.host}:{settings.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    except (SQLAlchemyError, MigrationError) as exc:  # migrating at start needs the database
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(f"jambot serve: databasen går inte att använda: {reason}", file=sys.stderr)
        return 2
    return 0


def _chat(args: argparse.Namespace) -> int:
    from bot.app import build_context, load_kb, load_org, prepare_database
    from bot.demo import seed_demo
    from bot.terminal import TerminalChat

    try:
        settings = _settings(args)
        context = build_context(settings, load_org(settings), load_kb(settings))
    except ConfigError as exc:
        print(f"jambot chat: {exc}", file=sys.stderr)
        return 2
    prepare_database(context.db, settings)
    seed_demo(context.db, context.org, context.clock())
    chat = TerminalChat(context.conversation, sys.stdin, sys.stdout)
    try:
        return asyncio.run(chat.run())
    finally:
        context.db.dispose()


def _stats(args: argparse.Namespace) -> int:
    from bot.app import load_org, prepare_database
    from bot.conversation import DEFAULT_ORG_ID
    from bot.db import Database
    from bot.stats import collect_stats, format_stats

    try:
        settings = _settings(args)
        org = load_org(settings)
    except ConfigError as exc:
        print(f"jambot stats: {exc}", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        prepare_database(db, settings)
        org_id = org.organisation.id if org else DEFAULT_ORG_ID
        names = {a.id: a.name for a in org.administrations} if org else None
        print(format_stats(collect_stats(db, org_id, args.since, args.limit), names=names))
    finally:
        db.dispose()
    return 0
