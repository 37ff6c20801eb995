"""Starting without an organisation file: the default path may be missing, a named one may not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import load_org
from bot.config import DEFAULT_CONFIG_PATH, ConfigError, Settings


def test_missing_default_config_means_questions_and_answers_only(tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert load_org(Settings(config_path=DEFAULT_CONFIG_PATH)) is None
    assert "serving questions and answers only" in caplog.text


def test_a_named_config_that_is_missing_or_broken_stops_the_start(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_org(Settings(config_path=tmp_path / "nope.yaml"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("organisation: {id: x, name: X}\nstrategists: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="strategists"):
        load_org(Settings(config_path=broken))


def test_the_bundled_example_config_loads():
    repo = Path(__file__).resolve().parents[2]
    org = load_org(Settings(config_path=repo / "config" / "jambot.yaml"))
    assert org is not None and org.escalation.slack_channel
