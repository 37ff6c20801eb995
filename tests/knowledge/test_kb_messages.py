"""``kb check`` speaks Swedish: pydantic's common validation errors, as a strategist meets them.

Real entry files on disk through the real loader; the field path stays as the file writes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import load_directory
from knowledge.messages import validation_reason

ENTRY = """\
---
id: ett-svar
title: En titel
questions:
  - En fråga?
sources:
  - title: Källa
    url: https://example.org/källa
lang: sv
---
Ett svar.
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: En titel\n", "title: [en, lista]\n", "3: title: ska vara text"),
        (
            "questions:\n  - En fråga?\n",
            "questions: En fråga?\n",
            "4: questions: ska vara en lista",
        ),
        ("lang: sv\n", "lang: de\n", "9: lang: ska vara 'sv' eller 'en'"),
        (
            "    url: https://example.org/källa\n",
            "    url: example.org/källa\n",
            "8: sources[0].url: 'example.org/källa' är ingen giltig webbadress "
            "(http:// eller https:// och ett värdnamn)",
        ),
        (
            "  - title: Källa\n",
            "  - title: '  '\n",
            "7: sources[0].title: får inte vara tomt",
        ),
        (
            "id: ett-svar\n",
            "id: Ett_svar\n",
            "2: id: 'Ett_svar' är inget giltigt id (använd a-z, 0-9 och enstaka '-')",
        ),
        ("lang: sv\n", "lang: sv\ntags: ja\n", "10: tags: ska vara en lista"),
        (
            "sources:\n",
            "sources: ja\n",
            "7: YAML-fel: mapping values are not allowed in this context",
        ),
    ],
)
def test_common_mistakes_are_explained_in_swedish(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = tmp_path / "a.md"
    text = ENTRY.replace(old, new)
    assert text != ENTRY
    path.write_text(text, encoding="utf-8")
    problems = load_directory(tmp_path, warn=False).problems
    assert [str(p) for p in problems] == [f"{path}:{expected}"]


def test_an_unknown_pydantic_error_keeps_its_own_text() -> None:
    error = {"type": "some_new_type", "loc": ("title",), "msg": "Something new went wrong"}
    assert validation_reason(error) == "something new went wrong"


def test_too_short_names_what_the_list_holds() -> None:
    assert validation_reason({"type": "too_short", "loc": ("steps",), "msg": ""}) == (
        "måste ha minst ett steg"
    )
    assert validation_reason({"type": "too_short", "loc": ("x", 0, "okänd"), "msg": ""}) == (
        "måste ha minst ett värde"
    )
