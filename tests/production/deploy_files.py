"""Read the deployment files the way Docker and Kubernetes would, for the tests to check."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from bot.config import ENVIRONMENT_NAMES

ROOT = Path(__file__).resolve().parents[2]


def dockerfile_instruction(name: str) -> str:
    """The argument of the last ``name`` instruction of the runtime stage (continuations joined)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = [m.group(1).strip() for m in re.finditer(rf"^{name}\s+(.*)$", text, re.MULTILINE)]
    if not found:
        raise AssertionError(f"Dockerfile has no {name}")
    return found[-1]


def dockerfile_cmd() -> list[str]:
    """The container's entry command (exec form, so SIGTERM reaches jambot itself)."""
    cmd = json.loads(dockerfile_instruction("CMD"))
    assert isinstance(cmd, list) and all(isinstance(x, str) for x in cmd)
    return cmd


def dockerfile_env() -> dict[str, str]:
    pairs = re.findall(r"(\w+)=(\S+)", dockerfile_instruction("ENV"))
    return dict(pairs)


def dockerfile_healthcheck_code() -> str:
    """The Python one-liner the HEALTHCHECK runs."""
    command = json.loads(dockerfile_instruction("HEALTHCHECK").split("CMD", 1)[1].strip())
    assert command[:2] == ["python", "-c"]
    return str(command[2])


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def kubernetes() -> dict[str, dict[str, Any]]:
    """Every manifest under deploy/kubernetes, by kind."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            docs[doc["kind"]] = doc
    return docs


def settings_env_names() -> set[str]:
    """Every environment variable the bot reads: the aliases of ``Settings``' fields and the
    data directory's variables (``bot.config.ENVIRONMENT_NAMES``, what ``from_env`` reads), and
    the ``JAMBOT_…`` names the ``knowledge`` package declares for its embeddings (it imports
    nothing from ``bot``, so it reads its own few settings)."""
    names = set(ENVIRONMENT_NAMES)
    for path in (ROOT / "knowledge").rglob("*.py"):
        names |= set(re.findall(r"""["'](JAMBOT_[A-Z0-9_]+)["']""", path.read_text(encoding="utf-8")))
    return names
