"""The guided gender-equality analysis end to end in Slack (issue 14).

Real signed Slack requests in, the Slack Web API stand-in out: `analys` in a DM offers
the methods, the button opens a modal (views.open with the click's trigger_id), each
submission is answered in the ack itself with ``response_action: update`` and the next
step's view (fixed block_ids, the draft and step in private_metadata), and the last one
posts the text with its download buttons. Also the short path, resuming a draft, the
strategist's count in ``jambot stats`` and a broken guide file.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from analysis_walk import (
    EXPECTED_SENTENCES,
    FULL_WALK,
    SHORT_CONCLUSION,
    SHORT_WALK,
    bundled_kb_options,
    step_of,
)
from docx import Document
from slack_harness import E2E_ORG, STAFF, STRATEGIST, JambotServer, SignedSlackRequests, e2e_env

from bot.app import build_server_context, load_kb
from bot.cli import main
from bot.config import Settings
from bot.server import create_app
from knowledge import BUNDLED_CONTENT
from reminders.organisation import load_org_config


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    return bundled_kb_options()


def _view(call: Any) -> dict[str, Any]:
    view = call.body["view"]
    return json.loads(view) if isinstance(view, str) else view


async def _open_walk(signed_slack_request, slack_api, start_label: str = "3R") -> dict[str, Any]:
    await signed_slack_request.dm("analys")
    [offer] = await slack_api.wait_for("chat.postMessage")
    assert "Vilken metod vill du använda?" in offer.text_of_blocks()
    start = next(b for b in offer.buttons() if start_label in b["text"]["text"])
    await signed_slack_request.press(start)
    [opened] = await slack_api.wait_for("views.open")
    assert opened.body["trigger_id"].startswith("trigger-")
    return _view(opened)


async def _walk(
    signed_slack_request, view: dict[str, Any], answers: dict[str, dict[str, str]]
) -> list[str]:
    """Submit step after step; returns the modal titles seen. Ends after the last submission."""
    titles = []
    while True:
        titles.append(view["title"]["text"])
        metadata = json.loads(view["private_metadata"])
        assert metadata["a"] == "analysis_step"
        step = step_of(metadata["v"])
        assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == list(
            answers[step]
        )
        ack = await signed_slack_request.submit_view(view, answers[step])
        assert ack.status == 200
        if not ack.body:
            return titles
        assert ack.body["response_action"] == "update", ack.body
        view = ack.body["view"]


async def test_full_walk_in_a_modal_ends_with_the_text_and_downloads(
    signed_slack_request, slack_api, jambot_server, monkeypatch, capsys
) -> None:
    view = await _open_walk(signed_slack_request, slack_api)
    assert view["callback_id"] == "jambot_form"
    assert "Vad ska stå om jämställdhet i en tjänsteskrivelse?" in view["blocks"][0]["text"]["text"]

    titles = await _walk(signed_slack_request, view, FULL_WALK)

    assert titles == [f"Jämställdhetsanalys {n}/8" for n in range(1, 9)]
    posts = await slack_api.wait_for("chat.postMessage", 2)
    done = posts[-1]
    assert done.body["channel"] == "D" + STAFF[1:]
    text = done.text_of_blocks()
    for sentence in EXPECTED_SENTENCES:
        assert sentence in text
    assert slack_api.calls_to("views.update") == []  # each step travelled in its submission's ack

    await signed_slack_request.press(done.button("analysis_download"))
    [upload] = await slack_api.wait_for("upload")
    paragraphs = [p.text for p in Document(io.BytesIO(upload.body["bytes"])).paragraphs]
    assert paragraphs[0] == "Konsekvenser för jämställdhet" and EXPECTED_SENTENCES[0] in paragraphs

    # the strategist's count: one analysis for the contact's administration, no content
    monkeypatch.setenv("DATABASE_URL", jambot_server.settings.database_url)
    monkeypatch.setenv("JAMBOT_CONFIG", str(E2E_ORG))
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    counts = out.split("Genomförda jämställdhetsanalyser per förvaltning och kvartal:")[1]
    [line] = [row for row in counts.splitlines() if row.strip()]
    count, period, *name = line.split()
    assert count == "1" and period.count("-Q") == 1
    assert " ".join(name) == "Hälso- och sjukvårdsförvaltningen"
    assert "Luleå" not in out

    # ... and in `/jambot status` for that quarter
    await signed_slack_request.command(f"status {period}", user=STRATEGIST)
    [status] = await slack_api.wait_for("response_url")
    overview = json.dumps(status.body, ensure_ascii=False)
    assert f"Genomförda jämställdhetsanalyser i ärenden {period}" in overview
    assert (
        "Hälso- och sjukvårdsförvaltningen: 1" in overview and "Kulturförvaltningen: 0" in overview
    )


async def test_short_path_from_the_slash_command(signed_slack_request, slack_api) -> None:
    await signed_slack_request.command("analys jamstalldhetsanalys", user=STRATEGIST)
    [offer] = await slack_api.wait_for("response_url")
    start = next(
        e
        for block in offer.body["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
        if e["action_id"].split(":")[1] == "analysis_start"
    )
    await signed_slack_request.press(start, user=STRATEGIST, channel="C0GENERAL", ephemeral=True)
    [opened] = await slack_api.wait_for("views.open")
    titles = []
    view = _view(opened)
    for step in ("arendet", "manniskor", "ingen-betydelse"):
        titles.append(view["title"]["text"])
        ack = await signed_slack_request.submit_view(view, SHORT_WALK[step], user=STRATEGIST)
        view = ack.body.get("view") if ack.body else None
    assert titles == [
        "Jämställdhetsanalys 1/8",
        "Jämställdhetsanalys 2/8",
        "Jämställdhetsanalys 3/3",
    ]
    assert view is None
    post = (await slack_api.wait_for("chat.postMessage"))[-1]
    assert SHORT_CONCLUSION in post.text_of_blocks()


async def test_missing_answer_keeps_the_modal_open_with_the_message(
    signed_slack_request, slack_api
) -> None:
    view = await _open_walk(signed_slack_request, slack_api)
    ack = await signed_slack_request.submit_view(view, {"beslut": ""})
    assert ack.body == {
        "response_action": "errors",
        "errors": {"beslut": "Svara på den här frågan."},
    }


async def test_resume_a_draft_in_a_new_modal(signed_slack_request, slack_api) -> None:
    view = await _open_walk(signed_slack_request, slack_api)
    ack = await signed_slack_request.submit_view(view, FULL_WALK["arendet"])
    assert ack.body["view"]["title"]["text"] == "Jämställdhetsanalys 2/8"
    # the person closes the modal and comes back later
    await signed_slack_request.dm("fortsätt analysen")
    posts = await slack_api.wait_for("chat.postMessage", 2)
    resume = posts[-1]
    assert "Du har en påbörjad analys" in resume.text_of_blocks()
    await signed_slack_request.press(resume.button("analysis_open"))
    opened = await slack_api.wait_for("views.open", 2)
    view = _view(opened[-1])
    assert view["title"]["text"] == "Jämställdhetsanalys 2/8"
    # someone else pressing the same button gets nothing of the draft
    await signed_slack_request.press(resume.button("analysis_open"), user="U0KUL1")
    refusal = (await slack_api.wait_for("chat.postEphemeral"))[-1]
    assert "Jag hittar inte den analysen" in refusal.body["text"]
    assert len(slack_api.calls_to("views.open")) == 2


@pytest.fixture
def broken_kb(tmp_path: Path) -> Path:
    """The bundled knowledge base with one guide broken (a typo in a placeholder)."""
    root = tmp_path / "kb"
    shutil.copytree(BUNDLED_CONTENT, root)
    guide = root / "guides" / "jamkas-bas.yaml"
    text = guide.read_text(encoding="utf-8")
    assert text.count("gäller {answer}") == 1
    guide.write_text(text.replace("gäller {answer}", "gäller {svar}"), encoding="utf-8")
    return root


async def test_a_broken_guide_is_reported_and_the_bot_still_runs(
    broken_kb, database_url, slack_api, capsys
) -> None:
    assert main(["kb", "check", str(broken_kb)]) == 1
    out = capsys.readouterr().out
    assert f"{broken_kb}/guides/jamkas-bas.yaml:" in out and "okänd platshållare {svar}" in out

    # a server on that knowledge base starts, answers and offers the working guide only
    settings = Settings.from_env(e2e_env(database_url, slack_api, JAMBOT_KB_DIR=str(broken_kb)))
    context = build_server_context(settings, load_org_config(E2E_ORG), load_kb(settings))
    server = TestServer(create_app(context), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as http:
            jambot = JambotServer(str(server.make_url("")).rstrip("/"), context, server.app, http)
            status, _ = await jambot.get("/healthz")
            assert status == 200
            await SignedSlackRequests(jambot, slack_api).dm("analys")
            [offer] = await slack_api.wait_for("chat.postMessage")
            labels = [b["text"]["text"] for b in offer.buttons()]
            assert labels == ["Börja analysen"]  # 3R only: JämKAS Bas was skipped
    finally:
        await server.close()
        context.db.dispose()
