"""``jambot teams-package``: the zip a Teams admin uploads to install Jämbot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings
from bot.texts import t
from reminders.organisation import load_org_config

DEFAULT_OUT = Path("build/jambot-teams.zip")


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "teams-package",
        help=t("cli.help.teams-package"),
    )
    cmd.add_argument("--app-id", metavar="ID", help=t("cli.help.teams-package.app-id"))
    cmd.add_argument(
        "--public-url",
        metavar="URL",
        help=t("cli.help.teams-package.public-url"),
    )
    cmd.add_argument(
        "--manifest-dir",
        type=Path,
        default=None,
        metavar="KATALOG",
        help=t("cli.help.teams-package.manifest-dir"),
    )
    cmd.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="FIL",
        help=t("cli.help.teams-package.out", default=DEFAULT_OUT),
    )
    cmd.set_defaults(handler=_package)


def _organisation_name(settings: Settings) -> str:
    """The developer name Teams shows; the organisation's, when its config can be read."""
    try:
        return load_org_config(settings.config_path).organisation.name
    except ConfigError:
        return "Jämbot"


def _package(args: argparse.Namespace) -> int:
    from bot.teams.package import DEFAULT_MANIFEST_DIR, PackageValues, build_package

    try:
        settings = Settings.from_env()
        values = PackageValues(
            app_id=args.app_id or settings.microsoft_app_id or "",
            public_url=args.public_url or settings.public_url or "",
            organisation_name=_organisation_name(settings),
        )
        package = build_package(args.manifest_dir or DEFAULT_MANIFEST_DIR, values)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"jambot teams-package: {problem}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(package)
    print(f"Teams-appaketet är klart: {args.out}")
    print("Ladda upp det i Teams administrationscenter (Hantera appar → Ladda upp ny app).")
    return 0
