"""The botbuilder ``CloudAdapter``, configured from ``Settings``.

With ``MICROSOFT_APP_ID``/``MICROSOFT_APP_PASSWORD`` set, every inbound request
must carry a valid Bot Framework JWT; without them the adapter runs open, the
way the Bot Framework Emulator and local tests expect, and says so in the log.

Building the adapter is also where msrest gets its one patch (``install_fast_retry_codes``):
importing this package changes nothing in another library.
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


def install_fast_retry_codes() -> None:
    """Make msrest's retry-policy set-up O(1) per status code; safe to call more than once.

    msrest rebuilds its retry list for every connector client by testing 999 status codes
    against a 500-item list (~10 ms of CPU on the event loop), and botbuilder makes two
    clients per activity: that alone capped Teams at ~40 activities/s (bench/load.py).
    A frozenset gives the same membership answers in O(1). It is a class attribute of
    another library, so it is changed here, when an adapter is built, rather than as a
    side effect of importing this package.
    """
    codes = ClientRetryPolicy.safe_codes
    if not isinstance(codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(codes)  # type: ignore[assignment]


@dataclass(frozen=True)
class _BotConfiguration:
    """The attribute names ``ConfigurationBotFrameworkAuthentication`` reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str | None


def build_adapter(settings: Settings) -> CloudAdapter:
    """The credentials each app type needs were checked by ``Settings.from_env``."""
    install_fast_retry_codes()
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
