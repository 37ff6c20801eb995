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
from bot.cli.common import DATABASE_COMMANDS, database_label
from bot.config import ConfigError, Settings
from bot.texts import t

COMMAND_MODULES = (knowledge_cmds, gaps_cmds, db_cmds, reporting_cmds, server_cmds, teams_cmds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jambot",
        description=t("cli.description.jambot"),
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        help=t("cli.help.jambot.verbose"),
    )
    sub = parser.add_subparsers(
        dest="command", metavar="KOMMANDO", required=True, help=t("cli.help.jambot.command")
    )
    for module in COMMAND_MODULES:
        module.register(sub)
    _describe_subcommands(parser)
    return parser


def _describe_subcommands(parser: argparse.ArgumentParser) -> None:
    """``jambot KOMMANDO --help`` opens with the line ``jambot --help`` lists it with."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for listed in action._choices_actions:
            command = action.choices[listed.dest]
            summary = listed.help or ""
            if not command.description and summary:
                command.description = f"{summary[:1].upper()}{summary[1:]}."
            _describe_subcommands(command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.verbose and args.command in DATABASE_COMMANDS:
            print(f"jambot: databas {database_label(Settings.from_env().database_url)}", file=sys.stderr)
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except ConfigError as exc:  # a missing --kb/--config, a bad environment variable
        print(f"jambot {args.command}: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        # Every command that touches the database ends here when it is down or the URL is
        # wrong: one line naming the cause, never a traceback (and never the password).
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(f"jambot: kan inte använda databasen (DATABASE_URL): {reason}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
