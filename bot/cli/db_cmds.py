"""``jambot db``: bring the database schema up to date and inspect it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.config import ConfigError, Settings
from bot.texts import t


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help=t("cli.help.db"))
    sub = db.add_subparsers(
        dest="db_command", metavar="ÅTGÄRD", required=True, help=t("cli.help.db.action")
    )

    up = sub.add_parser("upgrade", help=t("cli.help.db.upgrade"))
    up.add_argument(
        "--revision", default="head", metavar="REVISION", help=t("cli.help.db.upgrade.revision")
    )
    up.set_defaults(handler=_upgrade)

    sub.add_parser("current", help=t("cli.help.db.current")).set_defaults(handler=_current)
    sub.add_parser(
        "check", help=t("cli.help.db.check")
    ).set_defaults(handler=_check)

    rev = sub.add_parser("revision", help=t("cli.help.db.revision"))
    rev.add_argument(
        "-m", "--message", required=True, metavar="TEXT", help=t("cli.help.db.revision.message")
    )
    rev.set_defaults(handler=_revision)


def _database_url() -> str:
    return Settings.from_env().database_url


def _run(action: Any) -> int:
    # Imported here so that `jambot --help` does not load Alembic.
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.migrate import MigrationError
    from bot.observability.logging import redact

    try:
        return int(action())
    except (ConfigError, MigrationError) as exc:
        print(f"jambot db: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        # A wrong DATABASE_URL or an unreachable server: one clear line, no traceback, no password.
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"jambot db: kan inte använda databasen (DATABASE_URL): {redact(first_line)}", file=sys.stderr)
        return 2


def _upgrade(args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade

    def action() -> int:
        reached = upgrade(_database_url(), args.revision)
        print(f"Databasen är på revision {reached}.")
        return 0

    return _run(action)


def _current(args: argparse.Namespace) -> int:
    from bot.db.migrate import current, head_revision

    def action() -> int:
        rev = current(_database_url())
        head = head_revision()
        state = "aktuell" if rev == head else f"senaste är {head}: kör `jambot db upgrade`"
        print(f"{rev or 'ingen (aldrig migrerad)'} ({state})")
        return 0

    return _run(action)


def _check(args: argparse.Namespace) -> int:
    from bot.db.migrate import check

    def action() -> int:
        differences = check(_database_url())
        for line in differences:
            print(line)
        if differences:
            print(f"{len(differences)} skillnad(er) mellan databasen och modellerna.", file=sys.stderr)
            return 1
        print("Databasen stämmer med modellerna.")
        return 0

    return _run(action)


def _revision(args: argparse.Namespace) -> int:
    from bot.db.migrate import new_revision

    def action() -> int:
        path = new_revision(args.message)
        print(f"Ny migrering: {path}" if path else "Modellerna matchar redan senaste migreringen.")
        return 0

    return _run(action)
