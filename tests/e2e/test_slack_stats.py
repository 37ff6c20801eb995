"""``jambot stats`` over what really happened in Slack: top and unanswered questions, feedback."""

from __future__ import annotations

import pytest
from slack_harness import E2E_ORG, ESCALATION_CHANNEL

from bot.cli import main


async def _ask_a_few_questions(signed_slack_request, slack_api) -> None:
    await signed_slack_request.dm("Vad är CEMR?")
    await signed_slack_request.dm("vad är cemr")
    await signed_slack_request.dm("Hur blir vädret i morgon?")
    posts = await slack_api.wait_for("chat.postMessage", 3)
    answer = next(p for p in posts if "CEMR" in p.text_of_blocks())
    abstain = next(p for p in posts if "Det vet jag tyvärr inte" in p.text_of_blocks())
    await signed_slack_request.press(answer.buttons()[1])  # 👎
    await signed_slack_request.press(abstain.button("escalate"))
    await slack_api.wait_for("chat.postEphemeral")
    posts = await slack_api.wait_for("chat.postMessage", 5)
    assert any(p.body["channel"] == ESCALATION_CHANNEL for p in posts)


async def test_stats_reports_questions_gaps_feedback_and_open_escalations(
    signed_slack_request, slack_api, jambot_server, monkeypatch, capsys
):
    await _ask_a_few_questions(signed_slack_request, slack_api)
    monkeypatch.setenv("DATABASE_URL", jambot_server.settings.database_url)
    monkeypatch.setenv("JAMBOT_CONFIG", str(E2E_ORG))

    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Frågor: 3 (besvarade 2, obesvarade 1)" in out
    assert "Återkoppling: 👍 0  👎 1" in out
    top = out.split("Vanligaste frågorna:")[1].split("\n\n")[0]
    assert top.splitlines()[1].split() == ["2", "vad", "är", "cemr"]
    unanswered = out.split("Obesvarade frågor")[1].split("\n\n")[0]
    assert "hur blir vädret i morgon" in unanswered
    assert "cemr-vad-ar" in out.split("Svar markerade 👎:")[1]
    assert "Öppna frågor hos strategerna: 1" in out
    assert "Hur blir vädret i morgon?" in out.split("Öppna frågor hos strategerna: 1")[1]

    assert main(["stats", "--since", "2999-01-01"]) == 0
    later = capsys.readouterr().out
    assert "Frågor: 0 (besvarade 0, obesvarade 0)" in later


def test_stats_rejects_a_bad_date(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "--since", "igår"])
    assert exit_info.value.code == 2
    assert "'igår' är inget datum" in capsys.readouterr().err
