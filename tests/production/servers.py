"""Real ``jambot serve`` processes on loopback ports, for replica, fault and load tests.

Each server is the installed console script in its own process, with its output
in a log file, so a test can kill it (SIGKILL: a crash) or stop it (SIGTERM: a
rolling update) and read what it logged.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

JAMBOT = str(Path(sys.executable).parent / "jambot")
_OWN_PREFIXES = ("JAMBOT_", "SLACK_", "MICROSOFT_")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_environ() -> dict[str, str]:
    """This process's environment without any Jämbot setting that could leak into a server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_PREFIXES)}
    env.pop("DATABASE_URL", None)
    return env


@dataclass
class ServerProcess:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    async def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while True:
                if not self.running:
                    raise AssertionError(f"{self.name} exited early:\n{self.log()}")
                try:
                    async with http.get(self.url + "/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} not healthy within {timeout}s:\n{self.log()}")
                await asyncio.sleep(0.2)

    def terminate(self, timeout: float = 20.0) -> int:
        """SIGTERM and wait: a graceful stop; returns the exit code."""
        if self.running:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: the process dies mid-whatever, as in a crash or an OOM kill."""
        if self.running:
            self.proc.kill()
        self.proc.wait(timeout=10)


@dataclass
class ServerFactory:
    workdir: Path
    started: list[ServerProcess] = field(default_factory=list)

    def start(self, env: dict[str, str], name: str | None = None) -> ServerProcess:
        name = name or f"replica-{len(self.started) + 1}"
        port = free_port()
        log_path = self.workdir / f"{name}.log"  # stderr: the log lines
        with log_path.open("wb") as log, (self.workdir / f"{name}.out").open("wb") as out:
            proc = subprocess.Popen(
                [JAMBOT, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env={**clean_environ(), **env},
                cwd=self.workdir,
                stdout=out,
                stderr=log,
            )
        server = ServerProcess(name, port, proc, log_path)
        self.started.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.started:
            if server.running:
                try:
                    server.terminate(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
