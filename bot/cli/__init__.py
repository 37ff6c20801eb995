"""The ``jambot`` command: parse arguments, call the packages. No business logic here.

Each ``*_cmds`` module registers its own subcommands, so the knowledge, server,
reporting and database commands can be found by file name.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from bot.cli import db_cmds, gaps_cmds, knowledge_cmds, reporting_cmds, server_cmds, teams_cmds

COMMAND_MODULES = (knowledge_cmds, gaps_cmds, db_cmds, reporting_cmds, server_cmds, teams_cmds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jambot",
        description="Jämbot: frågor och svar om jämställdhetsintegrering, påminnelser och kvartalsrapporter.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except OperationalError as exc:
        # Every command that touches the database ends here when it is down or the URL is
        # wrong: one line naming the cause, never a traceback (and never the password).
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(f"jambot: cannot use the database (DATABASE_URL): {reason}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
