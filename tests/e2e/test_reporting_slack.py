"""The quarterly reporting cycle end to end through Slack, with a fixed clock.

The real server starts with its reminder scheduler on; reminders due at the fixed
time arrive at the Slack stand-in as DMs with the "Rapportera status" button; the
button opens the modal (views.open); the submission is stored; a plain reply in
the reminder's thread is stored too; a strategist's export contains it and marks
the others missing; a non-strategist's export is refused; a holiday moves the
reminder to the working day before.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from openpyxl import load_workbook
from slack_harness import E2E_ORG, STRATEGIST

from bot.db.base import utcnow
from reminders.updates import latest_update

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ORG_ID = "region-exempel"
BO = "U0HSF1"
DAVID = "U0KUL1"


def _administration(text: str) -> str:
    names = {
        "Hälso- och sjukvårdsförvaltningen": "hsf",
        "Kulturförvaltningen": "kultur",
        "Kollektivtrafikförvaltningen": "kollektivtrafik",
    }
    return next(key for name, key in names.items() if name in text)


def fixed(moment: datetime) -> Any:
    return lambda: moment


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    return {
        "env": {"JAMBOT_SCHEDULER": "1"},
        "clock": fixed(datetime(2025, 4, 4, 9, 30, tzinfo=STOCKHOLM)),
    }


async def test_reminder_form_submission_and_export(
    signed_slack_request, slack_api, jambot_server
) -> None:
    # the scheduler's run at start: one DM per Slack contact, the channel for rsf, one notice
    await slack_api.wait_for("chat.postMessage", 5, timeout=15)
    await slack_api.settle()
    posts = slack_api.calls_to("chat.postMessage")
    assert len(posts) == 5
    by_channel = {c.body["channel"]: c for c in posts if c.body["channel"].startswith("C")}
    assert set(by_channel) == {"C0RSF", "C0ESCAL"}
    opened_dms = [
        c.body["users"] for c in slack_api.calls_to("conversations.open") if "users" in c.body
    ]
    assert not opened_dms or sorted(opened_dms) == ["U0HSF1", "U0KTF1", "U0KUL1"]
    dms = {
        _administration(c.body["text"]): c for c in posts if not c.body["channel"].startswith("C")
    }
    assert set(dms) == {"hsf", "kultur", "kollektivtrafik"}
    reminder = dms["hsf"]
    button = reminder.button("report_status")
    assert button["value"] == "hsf|2025-Q1" and button["text"]["text"] == "Rapportera status"
    assert "Eva Ek" in by_channel["C0ESCAL"].body["text"]  # Teams contact without a conversation

    # the button opens the modal, the submission is stored
    await signed_slack_request.press(
        button, user=BO, channel=reminder.response["channel"], message_ts=reminder.response["ts"]
    )
    [opened] = await slack_api.wait_for("views.open")
    view = opened.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    accepted = await signed_slack_request.submit_view(
        view,
        {
            "status": "some_deviation",
            "done": "Kartläggning av väntetider klar",
            "next_steps": "Analys",
        },
        user=BO,
    )
    assert accepted.status == 200
    stored = latest_update(jambot_server.db, ORG_ID, "hsf", "2025-Q1")
    assert (
        stored is not None
        and stored.status == "some_deviation"
        and stored.submitted_by_name == "Bo Berg"
    )

    # a plain reply in the reminder's thread becomes "what was done" of a new revision
    kultur = dms["kultur"]
    await signed_slack_request.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": kultur.response["channel"],
            "user": DAVID,
            "text": "Vi har börjat med kartläggningen.",
            "ts": f"{utcnow().timestamp():.6f}",
            "thread_ts": kultur.response["ts"],
        }
    )
    await jambot_server.drain()
    kultur_update = latest_update(jambot_server.db, ORG_ID, "kultur", "2025-Q1")
    assert kultur_update is not None and kultur_update.done == "Vi har börjat med kartläggningen."

    # a non-strategist's export is refused; the strategist gets the file in a DM
    uploads_before = len(slack_api.calls_to("upload"))
    refused = await signed_slack_request.command("export 2025-Q1 xlsx", user=DAVID)
    assert refused.status == 200
    await jambot_server.drain()
    assert len(slack_api.calls_to("upload")) == uploads_before
    said = json.dumps([c.body for c in slack_api.calls[-3:]], ensure_ascii=False)
    assert "bara för jämställdhetsstrategerna" in said

    await signed_slack_request.command("export 2025-Q1 xlsx", user=STRATEGIST)
    [upload] = await slack_api.wait_for("upload", uploads_before + 1, timeout=10)
    sheet = load_workbook(io.BytesIO(upload.body["bytes"]))["Rapporter"]
    header = [c.value for c in sheet[1]]  # issue 15: the id is the last column
    status, done = header.index("Läge"), header.index("Gjort under kvartalet")
    rows = {
        sheet.cell(row=r, column=len(header)).value: [c.value for c in sheet[r]]
        for r in range(2, sheet.max_row + 1)
    }
    assert list(rows) == ["hsf", "rsf", "kultur", "kollektivtrafik"]
    assert (
        rows["hsf"][status] == "Vissa avvikelser"
        and rows["hsf"][done] == "Kartläggning av väntetider klar"
    )
    assert rows["rsf"][status] == "Ej rapporterat"
    assert rows["kollektivtrafik"][status] == "Ej rapporterat"
    assert rows["kultur"][status] == "Läge ej angivet"


@pytest.fixture
def holiday_org(tmp_path: Path) -> Path:
    data = yaml.safe_load(E2E_ORG.read_text(encoding="utf-8"))
    data["reporting"]["deadline"]["dates"] = {"2025-Q2": "2025-06-20"}  # midsommarafton
    data["reporting"]["quiet_periods"] = []
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


class TestHoliday:
    @pytest.fixture
    def jambot_server_options(self, holiday_org: Path) -> dict[str, Any]:
        return {
            "env": {"JAMBOT_SCHEDULER": "1"},
            "org": holiday_org,
            "clock": fixed(datetime(2025, 6, 19, 9, 15, tzinfo=STOCKHOLM)),
        }

    async def test_a_deadline_on_midsommarafton_is_reminded_the_day_before(
        self, slack_api, jambot_server
    ) -> None:
        await slack_api.wait_for("chat.postMessage", 4, timeout=15)
        await slack_api.settle()
        texts = [c.body["text"] for c in slack_api.calls_to("chat.postMessage")]
        hsf = next(t for t in texts if "Hälso- och sjukvårdsförvaltningen" in t)
        assert "I dag är sista dagen" in hsf and "2025-Q2" in hsf
