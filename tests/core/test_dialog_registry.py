"""The command and action registry: declared once by the dialogs, every name reaches a handler.

The conversation dispatches only from the registry, so these tests hold the dialogs to
their declarations: a button whose action nobody handles, a command word the conversation
never passes on, or two dialogs claiming one word all fail here rather than in a chat.
"""

from __future__ import annotations

import ast
import importlib
import logging
from pathlib import Path

import pytest

from bot.app import build_context, load_kb
from bot.config import Settings
from bot.conversation import Conversation
from bot.db import Database
from bot.dialogs.registry import DuplicateRegistration, Registry
from bot.dialogs.reporting import ReportingDialog
from chat.replies import Message
from reminders.organisation import load_org_config

ROOT = Path(__file__).resolve().parents[2]
E2E = ROOT / "tests" / "e2e"
STRATEGIST = "U0STRAT1"
# Where replies with buttons and forms are built: the dialogs, and the reminders the cycle sends.
REPLY_BUILDERS = [*sorted((ROOT / "bot" / "dialogs").glob("*.py")), *sorted((ROOT / "reminders").rglob("*.py"))]
QA_KINDS = {"answer", "abstain", "clarify"}


def _conversation(database_url: str) -> Conversation:
    settings = Settings.from_env({"DATABASE_URL": database_url, "JAMBOT_KB_DIR": str(E2E / "kb")})
    org = load_org_config(E2E / "org.yaml")
    return build_context(settings, org, load_kb(settings)).conversation


def _action_argument(call: ast.Call) -> ast.expr | None:
    """The ``action`` of ``Button(label, action, ...)`` or ``Form(action=...)``."""
    name = call.func.id if isinstance(call.func, ast.Name) else None
    for keyword in call.keywords:
        if keyword.arg == "action":
            return keyword.value
    if name == "Button" and len(call.args) > 1:
        return call.args[1]
    if name == "Form" and call.args:
        return call.args[0]
    return None


def _actions_on_buttons_and_forms() -> dict[str, list[str]]:
    """Every action name a ``Button``/``Form`` is built with, and where (file:line)."""
    found: dict[str, list[str]] = {}
    for path in REPLY_BUILDERS:
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("Button", "Form"):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            argument = _action_argument(node)
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                name = argument.value
            elif isinstance(argument, ast.Name):
                name = getattr(importlib.import_module(module_name), argument.id)
            else:
                pytest.fail(f"{where}: name the action with a constant, so it can be checked")
            found.setdefault(name, []).append(where)
    return found


async def test_every_action_on_a_button_or_form_has_a_handler_and_every_handler_a_button(
    db: Database, database_url: str
) -> None:
    registry = _conversation(database_url).registry
    on_buttons = _actions_on_buttons_and_forms()
    unhandled = {name: where for name, where in on_buttons.items() if registry.find_action(name) is None}
    assert unhandled == {}
    assert set(registry.actions) == set(on_buttons)  # no handler waits for a button nobody makes
    assert {"report_status", "submit_status", "feedback", "escalate", "analysis_step"} <= set(on_buttons)


async def test_every_declared_command_reaches_its_dialog(
    db: Database, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = _conversation(database_url)
    commands = conversation.registry.commands
    assert {"help", "gaps", "analysis", "reporting"} <= {c.owner for c in commands.values()}
    for phrase, command in commands.items():
        text = " ".join(phrase)
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="bot.conversation"):
            [reply, *_] = await conversation.handle_message(
                Message(platform="slack", user_id=STRATEGIST, text=text.upper())
            )
        assert f"command {text!r} answered by {command.owner}" in caplog.messages, text
        assert reply.kind not in QA_KINDS, text


async def test_export_in_swedish_reaches_the_export(db: Database, database_url: str) -> None:
    """``exportera`` was declared by the reporting dialog but never passed on by the conversation."""
    conversation = _conversation(database_url)
    [reply] = await conversation.handle_message(
        Message(platform="slack", user_id=STRATEGIST, text="exportera 2025-Q1 csv")
    )
    assert reply.file is not None and reply.file.filename.endswith(".csv")


async def test_a_word_that_is_not_a_command_still_goes_to_the_knowledge_base(
    db: Database, database_url: str
) -> None:
    conversation = _conversation(database_url)
    for text in ("gaps i lönerna mellan kvinnor och män?", "status!", "fortsätt analysen nu", "hej hej"):
        [reply] = await conversation.handle_message(Message(platform="web", user_id="w1", text=text))
        assert reply.kind in QA_KINDS | {"info"} and reply.kind != "help", text


def test_a_word_or_action_declared_twice_stops_the_start(db: Database) -> None:
    org = load_org_config(E2E / "org.yaml")
    registry = Registry()
    ReportingDialog(org, db, Settings()).register(registry)
    with pytest.raises(DuplicateRegistration, match="declared by reporting and reporting"):
        ReportingDialog(org, db, Settings()).register(registry)
    routes = Registry()
    routes.action("one", ["report_status"], ReportingDialog(org, db, Settings()).on_action)
    with pytest.raises(DuplicateRegistration, match="action 'report_status' declared by one and reporting"):
        ReportingDialog(org, db, Settings()).register(routes)


def test_phrases_are_declared_as_they_are_looked_up(db: Database) -> None:
    registry = Registry()
    handler = ReportingDialog(load_org_config(E2E / "org.yaml"), db, Settings()).on_command
    with pytest.raises(ValueError, match="not written as it is looked up"):
        registry.command("someone", ["Status"], handler)
    registry.command("someone", ["fortsätt analysen", "fortsätt"], handler)
    assert registry.find_command(["Fortsätt", "analysen!", "nu"]).phrase == ("fortsätt", "analysen")
    assert registry.find_command(["fortsätt,", "med", "rapporten"]).phrase == ("fortsätt",)
    assert registry.find_command(["analysen"]) is None
