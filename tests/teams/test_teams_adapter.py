"""Teams credentials are checked when the server starts, with the setting to fix named."""

from __future__ import annotations

import subprocess
import sys

import pytest
from botbuilder.schema import Activity, ConversationAccount

from bot.config import ConfigError, Settings
from bot.teams.adapter import build_adapter

APP_ID = "0b5e0c1a-1111-4222-8333-944445555666"
# What every server with a platform configured must also set (bot/config.py).
PLATFORM_ENV = {"JAMBOT_PSEUDONYM_SECRET": "test-secret", "JAMBOT_PUBLIC_URL": "https://jambot.test"}


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        (
            {"MICROSOFT_APP_ID": APP_ID},
            "MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set",
        ),
        (
            {
                "MICROSOFT_APP_ID": APP_ID,
                "MICROSOFT_APP_PASSWORD": "s",
                "MICROSOFT_APP_TYPE": "SingleTenant",
            },
            "MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant",
        ),
        (
            {"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_TYPE": "UserAssignedMSI"},
            "MICROSOFT_APP_ID, MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=UserAssignedMSI",
        ),
    ],
)
def test_incomplete_credentials_stop_the_start_with_a_clear_message(
    env: dict[str, str], problem: str
) -> None:
    with pytest.raises(ConfigError) as error:
        build_adapter(Settings.from_env({**PLATFORM_ENV, **env}))

    assert error.value.problems == [problem]


ACTIVITY = Activity(
    type="message",
    channel_id="msteams",
    service_url="http://127.0.0.1:9/",
    conversation=ConversationAccount(id="a:1"),
)


async def test_without_credentials_the_adapter_runs_open_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    adapter = build_adapter(Settings.from_env({}))

    result = await adapter.bot_framework_authentication.authenticate_request(ACTIVITY, "")

    assert result.claims_identity.is_authenticated  # anonymous, as the Emulator expects
    assert "accepts unauthenticated requests" in caplog.text


@pytest.mark.parametrize(
    "env",
    [
        {"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s"},
        {
            "MICROSOFT_APP_ID": APP_ID,
            "MICROSOFT_APP_PASSWORD": "s",
            "MICROSOFT_APP_TYPE": "SingleTenant",
            "MICROSOFT_APP_TENANT_ID": "72f988bf-0000-4000-8000-00000000beef",
        },
    ],
)
async def test_complete_credentials_build_an_adapter_that_demands_a_token(
    env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    adapter = build_adapter(Settings.from_env({**PLATFORM_ENV, **env}))

    with pytest.raises(PermissionError):
        await adapter.bot_framework_authentication.authenticate_request(ACTIVITY, "")
    assert "unauthenticated" not in caplog.text


_RETRY_CODES = """
import sys
from msrest.universal_http.requests import ClientRetryPolicy
import bot.app, bot.server, bot.teams  # everything `jambot serve` imports before building
print(type(ClientRetryPolicy.safe_codes).__name__)
original = set(ClientRetryPolicy.safe_codes)
from bot.config import Settings
from bot.teams.adapter import build_adapter, install_fast_retry_codes
build_adapter(Settings.from_env({}))
patched = ClientRetryPolicy.safe_codes
install_fast_retry_codes()
print(type(patched).__name__, patched is ClientRetryPolicy.safe_codes, patched == original)
"""


def test_msrest_is_patched_when_an_adapter_is_built_not_when_bot_teams_is_imported() -> None:
    # A fresh interpreter: this test process has built adapters already.
    result = subprocess.run(
        [sys.executable, "-c", _RETRY_CODES], capture_output=True, text=True, timeout=120
    )

    imported, *built = result.stdout.split()
    assert imported == "list"  # msrest's own value: importing changed nothing
    assert result.returncode == 0, result.stderr
    assert built == ["frozenset", "True", "True"]  # patched once, same membership answers
