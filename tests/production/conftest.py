"""Fixtures for production tests: the Slack stand-in and real ``jambot serve`` processes.

The end-to-end harness (signed Slack requests, the Slack Web API stand-in) lives in
tests/e2e; these tests reuse it from outside, against server subprocesses.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from standins.slack_api import SlackApiStandIn

from production.servers import ServerFactory


@pytest.fixture
async def slack_standin() -> AsyncIterator[SlackApiStandIn]:
    standin = SlackApiStandIn()
    await standin.start()
    yield standin
    await standin.stop()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[ServerFactory]:
    """Starts ``jambot serve`` subprocesses; every one still running is stopped afterwards."""
    factory = ServerFactory(tmp_path)
    yield factory
    factory.stop_all()
