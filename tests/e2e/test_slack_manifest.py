"""The shipped Slack app manifest matches what the adapter listens to."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack import EVENTS_PATH
from bot.slack.listeners import COMMAND

MANIFEST = Path(__file__).resolve().parents[2] / "manifests" / "slack" / "manifest.yaml"


def test_manifest_points_every_request_at_the_events_endpoint():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    settings = manifest["settings"]
    [command] = manifest["features"]["slash_commands"]
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        command["url"],
    ]
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)
    assert command["command"] == COMMAND
    assert settings["interactivity"]["is_enabled"] is True


def test_manifest_subscribes_to_the_events_and_scopes_the_bot_needs():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_mention", "message.im", "message.channels", "message.groups"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "chat:write",
        "im:write",
        "commands",
        "files:write",
        "app_mentions:read",
        "im:history",
        "channels:history",
        "groups:history",
    } == scopes
    assert len(manifest["features"]["bot_user"]["display_name"]) <= 80
