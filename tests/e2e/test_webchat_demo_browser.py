"""The local demo in headless Chromium, as a newcomer tries it after ``make run``.

The web chat runs on the embedded default (no organisation config, no Slack or Teams), so
the demo organisation is on: report, status, export download, an escalation answered in the
strategist view, and a layout whose header and question bar never leave the screen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from browser_harness import ARTIFACTS, BROWSER_MARKS, chromium
from slack_harness import JambotServer
from sqlalchemy import select

from bot.app import build_server_context, load_kb, load_org
from bot.config import Settings
from bot.db.base import utcnow
from bot.db.models import StatusUpdate
from bot.demo import is_demo, reporting_quarter
from bot.server import create_app

pytestmark = BROWSER_MARKS
DESKTOP = {"width": 1000, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
async def demo_server(database_url: str) -> AsyncIterator[JambotServer]:
    """``jambot serve`` on its defaults: no JAMBOT_CONFIG and no credentials, so the demo."""
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "JAMBOT_SCHEDULER": "0",
            "JAMBOT_PSEUDONYM_SECRET": "demo-test",
        }
    )
    org = load_org(settings)
    assert is_demo(org)
    context = build_server_context(settings, org, load_kb(settings))
    server = TestServer(create_app(context), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as http:
        yield JambotServer(str(server.make_url("")).rstrip("/"), context, server.app, http)
    await server.close()
    context.db.dispose()


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    async with chromium() as launched:
        yield launched


async def _open(browser, url: str, viewport: dict[str, int]):
    context = await browser.new_context(viewport=viewport, locale="sv-SE", accept_downloads=True)
    page = await context.new_page()
    await page.goto(url + "/")
    await page.locator(".msg.bot.help").wait_for()
    return page


async def _ask(page, text: str):
    """Type a question, press Enter and return the first reply that comes back."""
    before = await page.locator("#log .msg.bot").count()
    await page.fill("#question", text)
    await page.press("#question", "Enter")
    reply = page.locator("#log .msg.bot:not(.pending)").nth(before)
    await reply.wait_for()
    return reply


def _quarter() -> str:
    from bot.demo import demo_org

    return reporting_quarter(demo_org(), utcnow()).key


async def test_health_and_page_say_it_is_a_demo(demo_server):
    status, health = await demo_server.get("/healthz")
    assert status == 200
    assert health["demo"] is True and health["organisation"] == "demo"
    assert health["platforms"] == ["web"]  # no Slack, no Teams configured
    status, html = await demo_server.get("/")
    assert 'data-demo="1"' in html and "Demoläge" in html


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
async def test_header_and_question_bar_stay_visible_and_answers_open_at_their_start(
    demo_server, browser, name, viewport
):
    page = await _open(browser, demo_server.url, viewport)
    for question in (
        "Vad är CEMR?",
        "Vad är jämställdhetsintegrering?",
        "Hur gör vi en jämställdhetsanalys?",
    ):
        reply = await _ask(page, question)
        await page.wait_for_timeout(600)  # the smooth scroll settles
        title = await reply.locator("h2").bounding_box()
        header = await page.locator("header").bounding_box()
        assert title is not None and header is not None
        assert header["y"] == 0
        assert header["height"] <= title["y"] < viewport["height"] / 2, (
            question
        )  # its start is in view
    bar = await page.locator("#question").bounding_box()
    assert bar is not None and bar["y"] + bar["height"] <= viewport["height"]
    assert await page.locator(".msg.bot.answer .hint", has_text="Säkerhet").count() == 3
    user = await page.locator(".msg.user").first.bounding_box()
    assert user is not None and user["width"] < viewport["width"] * 0.8  # a bubble, not a full row
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"webchat-demo-{name}.png"))


async def test_report_status_and_export_download(demo_server, browser):
    page = await _open(browser, demo_server.url, DESKTOP)
    quarter = _quarter()
    offer = await _ask(page, "rapportera")
    await offer.locator("button", has_text="Rapportera status").click()
    form = page.locator("form.reply-form").last
    await form.wait_for()
    await form.locator("select[name=status]").select_option("on_track")
    await form.locator("textarea[name=done]").fill("Könsuppdelad statistik på akuten.")
    await form.locator("button[type=submit]").click()
    await page.locator(".msg.bot.receipt", has_text="Hälso- och sjukvårdsförvaltningen").wait_for()
    with demo_server.db.session() as session:
        [done] = session.scalars(
            select(StatusUpdate.done).where(StatusUpdate.administration_id == "hsf")
        ).all()
    assert done == "Könsuppdelad statistik på akuten."

    reported = await _ask(page, "har vi rapporterat?")
    assert "Hälso- och sjukvårdsförvaltningen: ja" in await reported.inner_text()

    status = await _ask(page, f"status {quarter}")
    text = await status.inner_text()
    assert quarter in text and "Kulturförvaltningen" in text and "Utbildningsförvaltningen" in text

    export = await _ask(page, f"export {quarter} xlsx")
    async with page.expect_download() as info:
        await export.locator("a.download").click()
    download = await info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = await download.path()
    assert path is not None and Path(path).read_bytes()[:2] == b"PK"  # a real Excel (zip) file


async def test_escalation_answered_in_the_strategist_view_reaches_the_chat(demo_server, browser):
    page = await _open(browser, demo_server.url, DESKTOP)
    question = 'Var parkerar jag? <img src=x onerror="document.title=1">'
    abstain = await _ask(page, question)
    await abstain.locator("button", has_text="Skicka frågan till strategerna").click()
    await page.locator("#log .msg.bot", has_text="skickat din fråga").wait_for()

    await page.click("#show-strategist")
    post = page.locator("#posts .post").first
    await post.wait_for()
    assert "Var parkerar jag?" in await post.inner_text()
    await post.locator("textarea").fill("Fråga receptionen, **de vet**.")
    await post.locator("button", has_text="Skicka svaret").click()
    await page.locator("#strategist .msg", has_text="Svaret är skickat").wait_for()

    await page.click("#show-chat")
    answer = page.locator("#log .msg.bot", has_text="Svar från jämställdhetsstrategerna")
    await answer.wait_for()
    assert await answer.locator("strong", has_text="de vet").count() == 1
    # The question came back twice (post and answer) and stayed text both times.
    assert await page.locator("img").count() == 0
    assert await page.title() != "1"
    assert 'onerror="document.title=1"' in await answer.inner_text()
