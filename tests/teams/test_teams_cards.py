"""Adaptive Card rendering: Teams' size limit, forms with errors, Markdown it can show."""

from __future__ import annotations

import json
import re

from botbuilder.schema import Activity

from bot.teams.activities import join_thread, message_text, split_thread
from bot.teams.cards import reply_cards
from bot.teams.render import card_activity
from chat.replies import Button, FileAttachment, Form, FormField, Reply, Source

TEAMS_MESSAGE_LIMIT = 28 * 1024


def _texts(card: dict) -> list[str]:
    return [e["text"] for e in card["body"] if e["type"] == "TextBlock"]


def _words(text: str) -> list[str]:
    return re.sub(r"[*#\-]", " ", text).split()


def test_a_long_answer_is_split_into_cards_each_within_teams_limit() -> None:
    # 80 KB of text where every "ä" travels as a six-byte \\u00e4 escape, plus one
    # 30 KB paragraph without a single line break to force cutting inside it.
    paragraphs = [f"Stycke {i}: jämställdhetsanalys för kvinnor och män. " * 30 for i in range(40)]
    paragraphs.append("ordlöst" + "å" * 30_000)
    text = "\n\n".join(paragraphs)
    reply = Reply(
        kind="answer",
        title="Ett långt svar",
        text=text,
        sources=(Source("SKR", "https://skr.se/"),),
        buttons=(Button("👍", "feedback", "1:up"),),
    )

    cards = reply_cards(reply)

    assert len(cards) > 3
    for card in cards:
        wire = json.dumps(card_activity(card).serialize(), ensure_ascii=True)
        assert len(wire) < TEAMS_MESSAGE_LIMIT
    assert _texts(cards[0])[0] == "Ett långt svar"
    assert all("Ett långt svar" not in _texts(c) for c in cards[1:])
    assert _texts(cards[1])[0] == f"(fortsättning 2/{len(cards)})"
    assert "actions" in cards[-1] and all("actions" not in c for c in cards[:-1])
    assert "[SKR](https://skr.se/)" in "\n".join(_texts(cards[-1]))
    # Nothing lost or reordered: the cards' text blocks spell out the answer, word by word.
    skip = {"Ett långt svar", "Källor", "- [SKR](https://skr.se/)"}
    shown = [t for c in cards for t in _texts(c) if t not in skip and not t.startswith("(forts")]
    assert "".join("".join(_words(t)) for t in shown) == "".join(_words(text))


def test_a_short_answer_is_one_card_with_styled_buttons() -> None:
    reply = Reply(
        kind="abstain",
        text="Det vet jag inte.",
        buttons=(
            Button("Skicka till strategerna", "escalate", "7", style="primary"),
            Button("Nej tack", "noop", style="danger"),
            Button("Kanske", "noop"),
        ),
        footer="Jämbot svarar utifrån kunskapsbanken.",
    )

    [card] = reply_cards(reply)

    assert [a.get("style") for a in card["actions"]] == ["positive", "destructive", None]
    assert card["actions"][0]["data"] == {"action": "escalate", "value": "7"}
    assert card["body"][-1] == {
        "type": "TextBlock",
        "text": "Jämbot svarar utifrån kunskapsbanken.",
        "wrap": True,
        "isSubtle": True,
        "size": "Small",
    }


def test_markdown_headings_become_bold_and_lists_stay_lists() -> None:
    reply = Reply(kind="answer", text="## Steg\nFörsta raden\nAndra raden\n\n- ett\n- två")

    [card] = reply_cards(reply)

    assert _texts(card) == ["**Steg**\n\nFörsta raden\n\nAndra raden", "- ett\n- två"]


FORM = Form(
    action="submit_status",
    title="Kvartalsrapport 2025-Q1",
    submit_label="Skicka",
    value="hsf|2025-Q1",
    intro="Hälso- och sjukvårdsförvaltningen",
    fields=(
        FormField("status", "Läge", "select", (("on_track", "Enligt plan"),), required=True),
        FormField("done", "Vad har gjorts?", "multiline", max_length=2000, initial="Utbildning"),
    ),
)


def test_a_form_becomes_inputs_and_a_submit_carrying_its_context() -> None:
    [card] = reply_cards(Reply(kind="info", text=FORM.intro, form=FORM))

    status, done = (e for e in card["body"] if e["type"].startswith("Input."))
    assert status == {
        "type": "Input.ChoiceSet",
        "style": "compact",
        "choices": [{"title": "Enligt plan", "value": "on_track"}],
        "id": "status",
        "label": "Läge",
        "isRequired": True,
        "errorMessage": "Fyll i: Läge",
    }
    assert done["isMultiline"] is True and done["maxLength"] == 2000
    assert done["value"] == "Utbildning"
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Skicka",
            "data": {"action": "submit_status", "value": "hsf|2025-Q1"},
            "style": "positive",
        }
    ]
    assert _texts(card).count("Hälso- och sjukvårdsförvaltningen") == 1


def test_field_errors_appear_under_their_fields() -> None:
    reply = Reply(
        kind="error",
        text="Välj ett läge.",
        form=FORM,
        field_errors=(("status", "Välj ett läge."), ("other", "Något annat är fel.")),
    )

    [card] = reply_cards(reply)

    ids = [e.get("id") or e.get("text") for e in card["body"]]
    assert ids.index("Välj ett läge.", ids.index("status")) == ids.index("status") + 1
    assert "Något annat är fel." in ids
    assert all(
        e["color"] == "Attention" for e in card["body"] if e.get("text") == "Något annat är fel."
    )


def test_a_file_becomes_a_download_button() -> None:
    reply = Reply(
        kind="info",
        text="Exporten är klar.",
        file=FileAttachment("rapport.xlsx", b"PK", "application/vnd.ms-excel", title="Q1"),
        lang="en",
    )

    [card] = reply_cards(reply, "https://jambot.example.se/downloads/abc")

    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Download rapport.xlsx",
            "url": "https://jambot.example.se/downloads/abc",
        }
    ]
    assert _texts(card)[0] == "Q1"


def test_only_the_bots_own_mention_is_removed_from_a_channel_post() -> None:
    activity = Activity().deserialize(
        {
            "type": "message",
            "text": "<at>Jämbot</at> hur gör <at>Anna Andersson</at> med&nbsp;budgeten?\n",
            "recipient": {"id": "28:bot"},
            "entities": [
                {"type": "mention", "text": "<at>Jämbot</at>", "mentioned": {"id": "28:bot"}},
                {"type": "mention", "text": "<at>Anna Andersson</at>", "mentioned": {"id": "29:a"}},
            ],
        }
    )

    assert message_text(activity) == "hur gör Anna Andersson med budgeten?"


def test_thread_ids_split_and_join() -> None:
    assert split_thread("19:abc@thread.tacv2;messageid=17") == ("19:abc@thread.tacv2", "17")
    assert split_thread("a:1personal") == ("a:1personal", None)
    assert join_thread("19:abc@thread.tacv2", "17") == "19:abc@thread.tacv2;messageid=17"
    assert join_thread("19:abc@thread.tacv2", None) == "19:abc@thread.tacv2"


def test_a_source_without_a_link_is_plain_text_in_the_card() -> None:
    reply = Reply(
        kind="answer",
        title="Beslut",
        text="Svar.",
        sources=(Source("Regionstyrelsens protokoll", ""), Source("SKR", "https://skr.se/")),
    )
    text = json.dumps(reply_cards(reply), ensure_ascii=False)
    assert "- Regionstyrelsens protokoll" in text and "]()" not in text
    assert "[SKR](https://skr.se/)" in text
