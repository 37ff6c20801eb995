"""The layers point one way: bot -> (reminders, knowledge) -> chat, and nothing back.

Read from the source (every import statement, also those inside functions and under
``TYPE_CHECKING``: a lazy import is still a dependency) and checked by running: the
domain packages import, and the reporting cycle's pure tests pass, with ``bot`` unavailable.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "chat", "knowledge", "reminders")
# What each package may import of ours (besides itself).
ALLOWED = {
    "chat": set(),
    "knowledge": set(),
    "reminders": {"chat"},
    "bot": {"chat", "knowledge", "reminders"},
}
# Blocks ``import bot`` in a child interpreter, as if the package were not installed.
NO_BOT = """
import importlib.abc, sys
class NoBot(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "bot" or name.startswith("bot."):
            raise ModuleNotFoundError(f"bot is unavailable here: {name}")
        return None
sys.meta_path.insert(0, NoBot())
"""


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imported(path: Path) -> Iterator[str]:
    """Every module of ours that ``path`` imports, anywhere in the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                while name not in MODULES and "." in name:  # "pkg.mod.Class" -> "pkg.mod"
                    name = name.rpartition(".")[0]
                yield name


def _graph() -> dict[str, set[str]]:
    return {name: set(_imported(path)) - {name} for name, path in MODULES.items()}


def test_the_modules_are_found() -> None:
    assert {"bot.app", "bot.server", "reminders.scheduler", "chat.replies"} <= set(MODULES)


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in ALLOWED[package] | {package}
    )
    assert wrong == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_even_through_lazy_imports() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"bot.app": {"bot.server"}, "bot.server": {"bot.app"}, "chat.replies": set()}
    assert _cycles(graph) == [["bot.app", "bot.server"]]


def _run_without_bot(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_BOT + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_domain_packages_import_without_bot() -> None:
    domain = sorted(m for m in MODULES if m.split(".")[0] in ("chat", "knowledge", "reminders"))
    done = _run_without_bot(
        f"import importlib\nfor m in {domain!r}: importlib.import_module(m)\n"
        "import bot\n"  # the blocker works: this line must fail
    )
    assert "bot is unavailable here: bot" in done.stderr, done.stderr
    assert "Traceback" in done.stderr and done.stderr.count("ModuleNotFoundError") == 1


@pytest.mark.slow
def test_the_reporting_cycles_pure_tests_pass_without_bot() -> None:
    files = [
        "tests/reminders/test_reminders_calendar.py",
        "tests/reminders/test_reminders_schedule.py",
        "tests/reminders/test_reminders_ratelimit.py",
    ]
    done = _run_without_bot(
        "import sys, pytest\n"
        f"sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-p', 'no:xdist', *{files!r}]))\n"
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and "error" not in done.stdout.lower()
