"""Headless Debian Chromium for the web-chat browser tests (Playwright cannot download its own
browser here); one launch recipe, so every browser test runs the browser the same way."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("JAMBOT_SKIP_BROWSER") == "1", reason="JAMBOT_SKIP_BROWSER=1"
    ),
]


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A launched headless Chromium, closed afterwards."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            await browser.close()
