"""``/jambot gaps`` through Slack: staff DM questions the bot cannot answer, a strategist
asks for the gaps with the slash command and gets the clusters back through response_url
(Block Kit, Slack's mrkdwn); anyone else is refused."""

from __future__ import annotations

from slack_harness import STAFF, STRATEGIST

# A topic the bundled knowledge base does not cover (pay surveys, used at first, now has entries).
QUESTIONS = (
    "Hur söker man friskvårdsbidrag?",
    "friskvardsbidrag",
    "Hur söker man friskvårdsbidrag?",
)


async def test_a_strategist_gets_the_gaps_and_staff_are_refused(signed_slack_request, slack_api):
    for question in QUESTIONS:
        await signed_slack_request.dm(question)
    posts = await slack_api.wait_for("chat.postMessage", len(QUESTIONS))
    assert all("Det vet jag tyvärr inte" in p.text_of_blocks() for p in posts)

    await signed_slack_request.command("gaps", user=STRATEGIST)
    [reply] = await slack_api.wait_for("response_url")
    text = reply.text_of_blocks()
    assert "*Luckor i kunskapsbasen*" in text
    assert "3 frågor utan svar, med 👎 eller skickade till strategerna, i 1 grupp." in text
    assert ": 3 frågor* (3 utan svar)" in text  # Markdown bold became Slack's *bold*
    assert "• Hur söker man friskvårdsbidrag? (2×)" in text and "• friskvardsbidrag" in text
    assert "Förslag: ny post behövs." in text
    assert STAFF not in text

    await signed_slack_request.command("gaps", user=STAFF)
    refusal = (await slack_api.wait_for("response_url", 2))[1]
    assert "bara för jämställdhetsstrategerna" in refusal.text_of_blocks()
    assert "lönekartläggning" not in refusal.text_of_blocks()
