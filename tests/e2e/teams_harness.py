"""Teams' side of the end-to-end tests: post activities to the real server, read its state.

The server is the shared ``jambot_server`` fixture (tests/e2e/conftest.py: the real
app on a loopback port, ``tests/e2e/org.yaml``, the e2e knowledge base); Teams
activities carry a ``serviceUrl`` pointing at the Bot Connector stand-in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_harness import JambotServer
from sqlalchemy import select

from bot.app import AppContext
from bot.db.models import ConversationRef
from bot.teams import TEAMS_TURNS
from chat.outbox import Outbox

# People and channels of tests/e2e/org.yaml, by their Teams (Entra object) ids.
STRATEGIST_AAD = "00000000-0000-0000-0000-0000000000a1"
CONTACT_HSF_AAD = "00000000-0000-0000-0000-0000000000b1"  # Bo Berg, also on Slack
CONTACT_KULTUR_AAD = "00000000-0000-0000-0000-0000000000c2"  # Eva Ek, Teams only
ESCALATION_CHANNEL = "19:escalation@thread.tacv2"


@dataclass
class TeamsClient:
    server: JambotServer

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def context(self) -> AppContext:
        return self.server.context

    @property
    def http(self) -> Any:
        return self.server.http

    @property
    def teams(self) -> Outbox:
        return self.context.outboxes["teams"]

    async def post_activity(
        self, activity: Any, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """POST an activity to /api/messages as the Bot Connector does; (status, body).

        Returns once the turn it started has finished.
        """
        data = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        async with self.http.post(
            f"{self.url}/api/messages", data=data, headers=sent_headers
        ) as response:
            result = response.status, await response.text()
        # The bot answers after the HTTP response; wait for it, as the connector would.
        await self.server.app[TEAMS_TURNS].drain(timeout=10)
        return result

    def references(self) -> dict[str, dict[str, Any]]:
        """Stored Teams conversation references by key."""
        with self.context.db.session() as session:
            rows = session.scalars(
                select(ConversationRef).where(ConversationRef.platform == "teams")
            ).all()
            return {row.key: row.reference for row in rows}
