"""Fixtures of the reporting tests: an organisation config, a Slack stand-in, real outboxes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from aiohttp.test_utils import TestServer
from reporting_org import ORG, make_org
from slack_standin import SlackStandIn

from reminders.organisation import OrgConfig

if TYPE_CHECKING:
    from bot.config import Settings


@pytest.fixture
def org() -> OrgConfig:
    return make_org()


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "jambot.yaml"
    path.write_text(yaml.safe_dump(ORG, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
async def slack() -> AsyncIterator[tuple[SlackStandIn, str]]:
    """The stand-in and its Web API base URL (what SLACK_API_URL points at)."""
    standin = SlackStandIn()
    server = TestServer(standin.app(), host="127.0.0.1")
    await server.start_server()
    yield standin, str(server.make_url("/api/"))
    await server.close()


@pytest.fixture
def slack_settings(slack: tuple[SlackStandIn, str], database_url: str) -> Settings:
    from bot.config import Settings

    return Settings(database_url=database_url, slack_bot_token="xoxb-test", slack_api_url=slack[1])
