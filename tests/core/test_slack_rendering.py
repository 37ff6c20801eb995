"""Block Kit rendering and modal forms: Slack's limits and dialect, without a network."""

from __future__ import annotations

import json

import pytest

from bot.slack.blocks import action_name, render, split_text, to_mrkdwn
from bot.slack.modals import errors_response, form_view, parse_submission
from chat.replies import Button, Form, FormField, Reply, Source


def test_markdown_becomes_mrkdwn():
    markdown = (
        "## Rubrik\n\nText med **fet** och *kursiv* stil och en [länk](https://a.se/x?a=1&b=2).\n"
        "- punkt ett\n* punkt två\n\nA < B & C > D"
    )
    assert to_mrkdwn(markdown) == (
        "*Rubrik*\n\nText med *fet* och _kursiv_ stil och en <https://a.se/x?a=1&amp;b=2|länk>.\n"
        "• punkt ett\n• punkt två\n\nA &lt; B &amp; C &gt; D"
    )


def test_hard_wrapped_lines_join_but_lists_and_code_do_not():
    markdown = "Första raden\nfortsätter här.\n\n- a\n- b\n\n```\nkod 1\nkod 2\n```"
    assert to_mrkdwn(markdown) == "Första raden fortsätter här.\n\n• a\n• b\n\n```\nkod 1\nkod 2\n```"


def test_user_text_cannot_forge_mentions_or_links():
    assert to_mrkdwn("<!channel> <@U123> <https://evil|klicka>") == (
        "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|klicka&gt;"
    )


@pytest.mark.parametrize("limit", [50, 300, 3000])
def test_split_text_respects_the_limit_and_loses_nothing(limit):
    text = "\n\n".join(f"Stycke {i}. " + "ord " * (i * 7) for i in range(40))
    pieces = split_text(text, limit)
    assert all(len(piece) <= limit for piece in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())


def test_a_word_longer_than_the_limit_is_cut_hard():
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_render_splits_into_several_messages_past_fifty_blocks():
    body = "\n\n".join("stycke " + "y" * 2900 for _ in range(60))
    reply = Reply(kind="answer", title="Lång", text=body, sources=(Source("Källa", "https://k.se"),))
    messages = render(reply)
    assert len(messages) == 2
    assert all(len(m["blocks"]) <= 50 for m in messages)
    assert all(len(json.dumps(m)) < 200_000 for m in messages)
    texts = [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in texts)
    assert texts[-1] == "*Källor*\n• <https://k.se|Källa>"
    assert all(len(m["text"]) <= 3000 for m in messages)


def test_buttons_are_clipped_and_carry_the_neutral_action():
    buttons = tuple(Button("B" * 100, "ask_entry", f"id-{i}") for i in range(30))
    [message] = render(Reply(kind="clarify", text="Menade du?", buttons=buttons))
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    first = actions[0]["elements"][0]
    assert len(first["text"]["text"]) == 75
    assert action_name(first["action_id"]) == "ask_entry"
    assert len({e["action_id"] for a in actions for e in a["elements"]}) == 30
    assert action_name("someone_else:x") is None


STATUS_FORM = Form(
    action="submit_status",
    title="Statusrapport för hälso- och sjukvården",
    submit_label="Skicka",
    value="hsf|2025-Q1",
    intro="Berätta hur det går.",
    fields=(
        FormField("status", "Status", kind="select", options=(("on_track", "Enligt plan"), ("late", "Sen")),
                  required=True, initial="late"),
        FormField("done", "Vad har ni gjort?", kind="multiline", max_length=2000, initial="Kartlagt"),
    ),
)


def test_form_round_trips_through_a_modal():
    view = form_view(STATUS_FORM, channel_id="D0HSF1", thread_id="17.1")
    assert len(view["title"]["text"]) <= 24
    select_block = view["blocks"][1]
    assert select_block["element"]["initial_option"]["value"] == "late"
    assert view["blocks"][2]["element"]["multiline"] is True
    view["state"] = {"values": {
        "status": {"value": {"type": "static_select", "selected_option": {"value": "on_track"}}},
        "done": {"value": {"type": "plain_text_input", "value": "Mycket"}},
    }}
    submission = parse_submission(view)
    assert (submission.action, submission.value, submission.channel_id, submission.thread_id) == (
        "submit_status", "hsf|2025-Q1", "D0HSF1", "17.1"
    )
    assert submission.fields == {"status": "on_track", "done": "Mycket"}


def test_foreign_views_and_field_errors():
    with pytest.raises(ValueError):
        parse_submission({"callback_id": "someone_elses", "private_metadata": "{}"})
    with pytest.raises(ValueError):
        parse_submission({"callback_id": "jambot_form", "private_metadata": "[]"})
    assert errors_response((("status", "Välj en status"),)) == {
        "response_action": "errors", "errors": {"status": "Välj en status"},
    }


def test_a_source_without_a_link_is_shown_as_plain_text() -> None:
    reply = Reply(
        kind="answer",
        title="Beslut",
        text="Svar.",
        sources=(Source("Regionstyrelsens protokoll", ""), Source("SKR", "https://skr.se/")),
    )
    text = json.dumps(render(reply), ensure_ascii=False)
    assert "• Regionstyrelsens protokoll\\n" in text and "<|" not in text
    assert "<https://skr.se/|SKR>" in text
