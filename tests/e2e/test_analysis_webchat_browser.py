"""The guided analysis in the web chat, in headless Chromium: the steps as forms in the page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from analysis_walk import (
    EXPECTED_SENTENCES,
    FULL_WALK,
    SHORT_CONCLUSION,
    SHORT_WALK,
    bundled_kb_options,
)
from browser_harness import ARTIFACTS, BROWSER_MARKS, chromium

pytestmark = BROWSER_MARKS


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    return bundled_kb_options()


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    async with chromium() as browser:
        context = await browser.new_context(
            viewport={"width": 1000, "height": 1000}, locale="sv-SE"
        )
        yield await context.new_page()


async def _start(page: Any, url: str) -> None:
    await page.goto(url + "/")
    await page.locator(".msg.bot.help").wait_for()
    await page.fill("#question", "analys")
    await page.press("#question", "Enter")
    await page.locator("button", has_text="Jämställdhetsanalys med 3R").last.click()


async def _fill_step(page: Any, number: int, total: int, answers: dict[str, str]) -> Any:
    form = page.locator("form.reply-form", has_text=f"Jämställdhetsanalys {number}/{total}").last
    await form.wait_for()
    for name, value in answers.items():
        control = form.locator(f"[name={name}]")
        if await control.evaluate("el => el.tagName") == "SELECT":
            await control.select_option(value)
        else:
            await control.fill(value)
    return form


async def test_full_walk_as_forms_in_the_page(page, jambot_server, db_backend) -> None:
    await _start(page, jambot_server.url)
    for number, answers in enumerate(FULL_WALK.values(), start=1):
        form = await _fill_step(page, number, 8, answers)
        if number == 4:
            ARTIFACTS.mkdir(exist_ok=True)
            await form.screenshot(path=str(ARTIFACTS / f"analysis-step-{db_backend}.png"))
        await form.locator("button[type=submit]").click()

    done = page.locator(".msg.bot", has_text="Konsekvenser för jämställdhet").last
    await done.locator("button", has_text="Ladda ner som Markdown").wait_for()
    text = await done.inner_text()
    for sentence in EXPECTED_SENTENCES:
        assert sentence in text
    await done.screenshot(path=str(ARTIFACTS / f"analysis-result-{db_backend}.png"))

    await done.locator("button", has_text="Ladda ner som Markdown").click()
    link = page.locator("a[download$='.md']").last
    await link.wait_for()
    href = await link.get_attribute("href")
    markdown = await page.evaluate("href => fetch(href).then(r => r.text())", href)
    assert markdown.startswith("## Konsekvenser för jämställdhet\n")
    assert EXPECTED_SENTENCES[2] in markdown


async def test_short_path_and_a_missing_answer_in_the_page(page, jambot_server) -> None:
    await _start(page, jambot_server.url)
    first = await _fill_step(page, 1, 8, {"beslut": ""})
    await first.locator("textarea[name=beslut]").evaluate(
        "el => el.required = false"
    )  # skip the browser's own check
    await first.locator("button[type=submit]").click()
    await page.locator(".field-error", has_text="Svara på den här frågan.").wait_for()
    again = await _fill_step(page, 1, 8, SHORT_WALK["arendet"])
    await again.locator("button[type=submit]").click()
    await (
        (await _fill_step(page, 2, 8, SHORT_WALK["manniskor"]))
        .locator("button[type=submit]")
        .click()
    )
    await (
        (await _fill_step(page, 3, 3, SHORT_WALK["ingen-betydelse"]))
        .locator("button[type=submit]")
        .click()
    )
    await page.locator(".msg.bot", has_text=SHORT_CONCLUSION).wait_for()
