"""The botbuilder ``CloudAdapter``, configured from ``Settings``.

With ``MICROSOFT_APP_ID``/``MICROSOFT_APP_PASSWORD`` set, every inbound request
must carry a valid Bot Framework JWT; without them the adapter runs open, the
way the Bot Framework Emulator and local tests expect, and says so in the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from msrest.universal_http.requests import ClientRetryPolicy

from bot.config import Settings

log = logging.getLogger(__name__)

# msrest rebuilds its retry list for every connector client by testing 999 status codes
# against a 500-item list (~10 ms of CPU on the event loop), and botbuilder makes two
# clients per activity: that alone capped Teams at ~40 activities/s (bench/load.py).
# A frozenset gives the same membership answers in O(1).
ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


@dataclass(frozen=True)
class _BotConfiguration:
    """The attribute names ``ConfigurationBotFrameworkAuthentication`` reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str | None


def build_adapter(settings: Settings) -> CloudAdapter:
    """The credentials each app type needs were checked by ``Settings.from_env``."""
    if not settings.microsoft_app_id:
        log.warning(
            "Teams: MICROSOFT_APP_ID is not set, so /api/messages accepts unauthenticated "
            "requests, from a Bot Framework Emulator on this machine only"
        )
    configuration = _BotConfiguration(
        APP_ID=settings.microsoft_app_id or "",
        APP_PASSWORD=settings.microsoft_app_password or "",
        APP_TYPE=settings.microsoft_app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id,
    )
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(configuration))
