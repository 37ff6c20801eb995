"""A server that talks to real people must not start on settings anyone can guess (issue 10).

Item 1: without ``JAMBOT_PUBLIC_URL`` a download link's host came from request headers.
Item 8: without ``JAMBOT_PSEUDONYM_SECRET`` user keys were made with the public default.
"""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings

SLACK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
SOCKET_MODE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
TEAMS = {"MICROSOFT_APP_ID": "0b5e0c1a-1111-4222-8333-944445555666", "MICROSOFT_APP_PASSWORD": "p"}
COMPLETE = {"JAMBOT_PSEUDONYM_SECRET": "a-long-random-secret", "JAMBOT_PUBLIC_URL": "https://jambot.test"}


def _problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env)
    return error.value.problems


@pytest.mark.parametrize("platform", [SLACK, SOCKET_MODE, TEAMS], ids=["slack", "socket", "teams"])
def test_a_platform_without_public_url_or_pseudonym_secret_refuses_to_start(
    platform: dict[str, str],
) -> None:
    problems = _problems(platform)

    assert any(p.startswith("JAMBOT_PSEUDONYM_SECRET: required") for p in problems)
    assert any(p.startswith("JAMBOT_PUBLIC_URL: required") for p in problems)


@pytest.mark.parametrize(
    "url",
    ["jambot.test", "ftp://jambot.test", "https://user@jambot.test", "https://jambot.test/?x=1",
     "https://jambot.test\\@evil.example", "https://", "https://jambot.test:99999"],
)
def test_a_public_url_that_is_not_a_plain_address_is_refused(url: str) -> None:
    problems = _problems({**SLACK, **COMPLETE, "JAMBOT_PUBLIC_URL": url})

    assert [p.split(":")[0] for p in problems] == ["JAMBOT_PUBLIC_URL"]


@pytest.mark.parametrize("platform", [SLACK, SOCKET_MODE, TEAMS], ids=["slack", "socket", "teams"])
def test_a_platform_with_both_set_starts(platform: dict[str, str]) -> None:
    settings = Settings.from_env({**platform, **COMPLETE})

    assert settings.public_url == "https://jambot.test"
    assert settings.pseudonym_secret == "a-long-random-secret"


def test_the_default_local_run_needs_no_configuration() -> None:
    """``make run``: no platform, web chat on 127.0.0.1; nothing to set."""
    settings = Settings.from_env({})

    assert settings.webchat_enabled
    assert settings.host == "127.0.0.1"
