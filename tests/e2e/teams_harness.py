"""The real Jämbot server in-process on a loopback port, as the Teams tests drive it.

Built exactly as ``jambot serve`` builds it (``bot.app.build_context`` +
``create_app``), with the example organisation config, the bundled knowledge
base and the test database; only the network edge (the Bot Connector) is a
stand-in.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.app import AppContext, build_context, create_app
from bot.config import Settings, load_org_config
from bot.db.models import ConversationRef
from bot.outbox import Outbox
from knowledge import KnowledgeBase

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = REPO / "config" / "jambot.yaml"
# People and channels of config/jambot.yaml, by their Teams (AAD object) ids.
STRATEGIST_AAD = "00000000-0000-0000-0000-0000000000a1"
CONTACT_HSF_AAD = "00000000-0000-0000-0000-0000000000b1"
ESCALATION_CHANNEL = "19:escalation@thread.tacv2"


@dataclass
class RunningJambot:
    url: str
    context: AppContext
    http: aiohttp.ClientSession

    @property
    def teams(self) -> Outbox:
        return self.context.outboxes["teams"]

    async def post_activity(
        self, activity: Any, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """POST an activity to /api/messages as the Bot Connector does; (status, body)."""
        data = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        async with self.http.post(
            f"{self.url}/api/messages", data=data, headers=sent_headers
        ) as response:
            return response.status, await response.text()

    def references(self) -> dict[str, dict[str, Any]]:
        """Stored Teams conversation references by key."""
        with self.context.db.session() as session:
            rows = session.scalars(
                select(ConversationRef).where(ConversationRef.platform == "teams")
            ).all()
            return {row.key: row.reference for row in rows}


@asynccontextmanager
async def running_jambot(
    database_url: str, env: dict[str, str] | None = None
) -> AsyncIterator[RunningJambot]:
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "JAMBOT_CONFIG": str(EXAMPLE_CONFIG),
            "JAMBOT_SCHEDULER": "0",
            **(env or {}),
        }
    )
    org = load_org_config(EXAMPLE_CONFIG)
    context = build_context(settings, org, KnowledgeBase.load(settings.kb_dir))
    server = TestServer(create_app(context), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as http:
            yield RunningJambot(str(server.make_url("")).rstrip("/"), context, http)
    finally:
        await server.close()
        context.db.dispose()
