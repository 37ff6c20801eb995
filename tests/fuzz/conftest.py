"""One real ``jambot serve`` per fuzz module, played from outside with hostile input.

Hypothesis runs many examples per test, so the server, its database and the
Slack Web API stand-in live for the whole module (module scope), and every
example checks that nothing changed by counting the rows of every table.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz.live import LiveServer, start_live_server


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, _pg_schema_url: str | None
) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path_factory.mktemp("fuzz"), _pg_schema_url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _settled(request: pytest.FixtureRequest) -> None:
    """Each test starts on a quiet server: a previous test's acknowledged events may still be
    answered (and logged) after their ack, which would look like a change made by this test."""
    if "live" in request.fixturenames:
        request.getfixturevalue("live").idle()
