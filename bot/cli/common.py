"""What every ``jambot`` command reads the same way: settings, paths, the organisation.

One place so that ``JAMBOT_KB_DIR`` and ``JAMBOT_CONFIG`` mean the same to every
command, and a ``--kb`` or ``--config`` that does not exist is always the same error
(exit 2) instead of a bot that starts and abstains on everything.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings
from reminders.organisation import OrgConfig, load_org_config

# Commands that open the database; ``jambot --verbose`` names it before they start.
DATABASE_COMMANDS = frozenset({"serve", "chat", "stats", "status", "export", "remind", "db"})


def kb_dir(given: Path | None, option: str = "--kb") -> Path | None:
    """``--kb`` (or ``option``) or else ``JAMBOT_KB_DIR``; None for the bundled one. Missing: ConfigError."""
    path = given or (Path(os.environ["JAMBOT_KB_DIR"]) if os.environ.get("JAMBOT_KB_DIR") else None)
    if path is not None and not path.is_dir():
        source = option if given else "JAMBOT_KB_DIR"
        raise ConfigError([f"{path}: ingen sådan katalog ({source})"])
    return path


def settings_for(args: argparse.Namespace) -> Settings:
    """The environment's settings with this command's options on top, paths checked."""
    settings = Settings.from_env()
    changes: dict[str, Any] = {"kb_dir": kb_dir(getattr(args, "kb", None))}
    for name, field in (("config", "config_path"), ("host", "host"), ("port", "port")):
        value = getattr(args, name, None)
        if value is not None:
            changes[field] = value
    if getattr(args, "config", None) is not None and not _demo_forced():
        changes["demo"] = False  # a real organisation config switches the demo off
    settings = settings.model_copy(update=changes)
    if not settings.demo and _config_named(args) and not settings.config_path.is_file():
        source = "--config" if getattr(args, "config", None) else "JAMBOT_CONFIG"
        raise ConfigError([f"{settings.config_path}: filen finns inte ({source})"])
    return settings


def org_config(args: argparse.Namespace, settings: Settings) -> OrgConfig:
    """The organisation a reporting command works on: the demo's, or the named/default file."""
    from bot.demo import demo_org

    if getattr(args, "config", None) is not None and not _demo_forced():
        return load_org_config(args.config)
    if settings.demo:
        return demo_org()
    return load_org_config(settings.config_path)


def database_label(url: str) -> str:
    """The database URL to show people: the password hidden, a SQLite path made absolute."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return f"sqlite:///{Path(parsed.database or '').resolve()}"
    return parsed.render_as_string(hide_password=True)


def _config_named(args: argparse.Namespace) -> bool:
    return getattr(args, "config", None) is not None or bool(os.environ.get("JAMBOT_CONFIG"))


def _demo_forced() -> bool:
    return os.environ.get("JAMBOT_DEMO", "").lower() in {"1", "true", "yes", "on"}
