"""The web chat in headless Chromium: ask, read the answer and its sources, press buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from browser_harness import ARTIFACTS, BROWSER_MARKS, chromium
from sqlalchemy import select

from bot.db.models import Feedback

pytestmark = BROWSER_MARKS


@pytest.fixture
async def page() -> AsyncIterator[object]:
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 1000, "height": 900}, locale="sv-SE")
        yield await context.new_page()


async def test_ask_read_sources_and_give_feedback(page, jambot_server, db_backend):
    await page.goto(jambot_server.url + "/")
    await page.locator(".msg.bot.help").wait_for()  # the page greets with the help text

    await page.fill("#question", "Vad är CEMR?")
    await page.press("#question", "Enter")
    answer = page.locator(".msg.bot.answer").last
    await answer.locator("h2", has_text="Vad är CEMR-deklarationen?").wait_for()
    assert await answer.locator("strong", has_text="den europeiska deklarationen").count() == 1
    source = answer.locator(".sources a").first
    assert await source.get_attribute("href") == "https://charter-equality.eu/"
    assert await source.get_attribute("rel") == "noopener"

    await answer.locator("button", has_text="Bra svar").click()
    await page.locator(".msg.bot.info", has_text="Tack för din återkoppling").wait_for()

    await answer.locator("button", has_text="handlingsplan").click()
    await page.locator(".msg.bot.answer h2", has_text="Hur tar vi fram en handlingsplan").wait_for()

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"webchat-{db_backend}.png"), full_page=True)
    with jambot_server.db.session() as session:
        assert session.scalars(select(Feedback.helpful)).all() == [True]


async def test_unknown_question_stays_text_and_is_not_passed_on_by_anonymous_users(
    page, jambot_server
):
    """Next to Slack, web users may not escalate unless JAMBOT_WEBCHAT_ESCALATION=1."""
    await page.goto(jambot_server.url + "/")
    await page.locator(".msg.bot.help").wait_for()
    await page.fill("#question", "<script>alert(1)</script> var parkerar jag?")
    await page.press("#question", "Enter")
    abstain = page.locator(".msg.bot.abstain").last
    await abstain.wait_for()
    assert await page.locator(".msg.user script").count() == 0  # shown as text, never run
    assert "Fråga gärna en jämställdhetsstrateg direkt" in await abstain.inner_text()
    assert await abstain.locator("button", has_text="Skicka frågan till strategerna").count() == 0
