"""The loader against hostile or careless files (issue 10) and the warnings of ``kb check``.

Each attack is a real file on disk: an alias bomb, a symlink out of the knowledge base, an
oversized entry. A broken file is reported as ``path:line: message`` and the rest still loads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import load_directory
from knowledge.loader import MAX_ENTRY_BYTES, MAX_TITLE_CHARS

VALID = """\
---
id: {id}
title: {title}
questions:
  - En fråga om {id}?
tags: [{tags}]
sources:
{sources}
---
Ett svar.
"""
SOURCE = "  - title: Källa\n    url: {url}\n"


def entry(
    entry_id: str = "ett-svar",
    title: str = "En titel",
    tags: str = "a",
    urls: tuple[str, ...] = ("https://example.org/källa",),
) -> str:
    """An entry; ``urls=()`` writes ``sources: []``."""
    sources = "".join(SOURCE.format(url=url) for url in urls)
    text = VALID.format(id=entry_id, title=title, tags=tags, sources=sources)
    return text if urls else text.replace("sources:\n\n", "sources: []\n")


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def alias_bomb(levels: int, fan_out: int = 10) -> str:
    """A "billion laughs" front matter: ``fan_out ** levels`` strings once expanded."""
    lines = ["---", "id: bomb", "title: Bomb", "a0: &a0 [lol]"]
    for level in range(1, levels + 1):
        refs = ", ".join(f"*a{level - 1}" for _ in range(fan_out))
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines += [f"questions: *a{levels}", "sources: []", "---", "Svar.", ""]
    return "\n".join(lines)


# -- YAML aliases ------------------------------------------------------------------------


def test_alias_bomb_is_rejected_at_its_line_without_expanding_it(tmp_path: Path) -> None:
    # 10**5 strings if expanded; the 547-byte file (about 10**9) ran past 60 s at 4.9 GB.
    bomb = alias_bomb(levels=5)
    assert len(bomb.encode()) < 600
    write(tmp_path, "bomb.md", bomb)
    write(tmp_path, "bra.md", entry())
    loaded = load_directory(tmp_path, warn=False)
    assert [e.id for e in loaded.entries] == ["ett-svar"]
    assert [str(p) for p in loaded.problems] == [
        f"{tmp_path / 'bomb.md'}:4: YAML-ankare och alias (&namn, *namn) är inte tillåtna; "
        "skriv ut värdet"
    ]


def test_a_single_alias_is_rejected_too(tmp_path: Path) -> None:
    text = entry().replace("tags: [a]\n", "tags: &t [a]\nextra: *t\n")
    write(tmp_path, "a.md", text)
    problems = load_directory(tmp_path, warn=False).problems
    assert [(p.line, p.message.startswith("YAML-ankare och alias")) for p in problems] == [
        (6, True)
    ]


def test_ampersand_and_asterisk_inside_text_are_fine(tmp_path: Path) -> None:
    text = entry(title="'R&D *och* FoU'").replace(
        "  - En fråga om ett-svar?\n", "  - Vad är R&D?\n  - '*'\n"
    )
    write(tmp_path, "a.md", text)
    loaded = load_directory(tmp_path, warn=False)
    assert loaded.problems == []
    assert loaded.entries[0].title == "R&D *och* FoU"
    assert loaded.entries[0].questions == ("Vad är R&D?", "*")


def test_alias_in_synonyms_file_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.md", entry())
    write(tmp_path, "synonyms.yaml", "- &g [JI, jämställdhetsintegrering]\n- *g\n")
    loaded = load_directory(tmp_path, warn=False)
    assert loaded.synonyms == []
    assert [(Path(p.path).name, p.line) for p in loaded.problems] == [("synonyms.yaml", 1)]
    assert "YAML-ankare och alias" in loaded.problems[0].message


# -- symlinks and size -------------------------------------------------------------------


def test_symlink_to_a_file_outside_the_knowledge_base_is_not_followed(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    outside = write(tmp_path, "hemligt/post.md", entry(entry_id="utanfor"))
    write(kb, "bra.md", entry())
    (kb / "lank.md").symlink_to(outside)
    (kb / "synonyms.yaml").symlink_to(
        write(tmp_path, "syn.yaml", "- [JI, jämställdhetsintegrering]\n")
    )
    loaded = load_directory(kb, warn=False)
    assert [e.id for e in loaded.entries] == ["ett-svar"]
    assert loaded.synonyms == []
    assert sorted((Path(p.path).name, p.line, p.message) for p in loaded.problems) == [
        ("lank.md", 1, "är en länk till en fil utanför kunskapsbasen; kopiera in filen i stället"),
        (
            "synonyms.yaml",
            1,
            "är en länk till en fil utanför kunskapsbasen; kopiera in filen i stället",
        ),
    ]


def test_symlink_inside_the_knowledge_base_still_works(tmp_path: Path) -> None:
    write(tmp_path, "utkast/post.md", entry(entry_id="inne"))
    (tmp_path / "lank.md").symlink_to(tmp_path / "utkast" / "post.md")
    loaded = load_directory(tmp_path, warn=False)
    # the same file twice: read through the link and directly, so a duplicate id is reported
    assert [e.id for e in loaded.entries] == ["inne"]
    assert [
        p.message.startswith("id 'inne' (språk sv) finns redan i") for p in loaded.problems
    ] == [True]


def test_entry_over_the_size_limit_is_rejected_without_reading_it_all(tmp_path: Path) -> None:
    big = entry(entry_id="stor").replace("Ett svar.\n", "Ett svar. " * (MAX_ENTRY_BYTES // 10 + 1))
    assert len(big.encode()) > MAX_ENTRY_BYTES
    write(tmp_path, "stor.md", big)
    write(tmp_path, "bra.md", entry())
    loaded = load_directory(tmp_path, warn=False)
    assert [e.id for e in loaded.entries] == ["ett-svar"]
    assert [(Path(p.path).name, p.line) for p in loaded.problems] == [("stor.md", 1)]
    assert loaded.problems[0].message == (
        f"filen är större än {MAX_ENTRY_BYTES // 1024} kB; dela upp svaret i flera poster"
    )


def test_entry_just_under_the_size_limit_loads(tmp_path: Path) -> None:
    text = entry()
    text += "x" * (MAX_ENTRY_BYTES - len(text.encode()))
    write(tmp_path, "a.md", text)
    loaded = load_directory(tmp_path, warn=False)
    assert loaded.problems == []


# -- sources and warnings ----------------------------------------------------------------


def test_entries_about_jambot_may_have_no_sources_others_may_not(tmp_path: Path) -> None:
    write(tmp_path, "jambot/hjalp.md", entry(entry_id="jambot-hjalp", tags="jambot", urls=()))
    write(tmp_path, "rapportering/paminn.md", entry(entry_id="paminn", tags="jambot", urls=()))
    write(tmp_path, "grunder/mal.md", entry(entry_id="mal", tags="grunder", urls=()))
    loaded = load_directory(tmp_path, warn=False)
    assert sorted(e.id for e in loaded.entries) == ["jambot-hjalp", "paminn"]
    assert [(Path(p.path).name, p.line, p.message) for p in loaded.problems] == [
        ("mal.md", 7, "sources: måste ha minst en källa")
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://api.slack.com/interactivity/slash-commands",
        "https://docs.slack.dev/interactivity",
        "https://learn.microsoft.com/en-us/microsoftteams/platform/bots/what-are-bots",
        "https://docs.microsoft.com/azure/bot-service/",
        "https://dev.botframework.com/",
    ],
)
def test_developer_documentation_as_a_source_is_a_warning_outside_jambot_entries(
    tmp_path: Path, url: str
) -> None:
    write(tmp_path, "rapportering/deadline.md", entry(entry_id="deadline", urls=(url,)))
    write(
        tmp_path,
        "jambot/jambot-hjalp.md",
        entry(entry_id="jambot-hjalp", tags="jambot", urls=(url,)),
    )
    loaded = load_directory(tmp_path, warn=False)
    assert loaded.problems == []
    assert {e.id for e in loaded.entries} == {"deadline", "jambot-hjalp"}
    assert [(Path(w.path).name, w.line) for w in loaded.warnings] == [("deadline.md", 9)]
    assert "är utvecklardokumentation för en chattplattform" in loaded.warnings[0].message


def test_long_title_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "a.md", entry(title="Lång " * 40))
    write(tmp_path, "b.md", entry(entry_id="kort", title="K" * MAX_TITLE_CHARS))
    loaded = load_directory(tmp_path, warn=False)
    assert loaded.problems == []
    assert len(loaded.entries) == 2
    assert [(Path(w.path).name, w.line) for w in loaded.warnings] == [("a.md", 3)]
    assert f"längre än {MAX_TITLE_CHARS}: korta den" in loaded.warnings[0].message


def with_question(text: str, question: str) -> str:
    """``text`` with one more example question, after its first."""
    first = next(line for line in text.splitlines() if line.startswith("  - "))
    return text.replace(first + "\n", f"{first}\n  - {question}\n", 1)


def test_an_example_question_of_two_entries_is_a_warning(tmp_path: Path) -> None:
    # Two neighbours claiming one phrasing cannot both be its answer: whichever the engine
    # ranks first, the other entry's writer meant something else (seen in the bundled KB).
    shared = "Är varje skillnad ett problem?"
    write(tmp_path, "metoder/analys.md", with_question(entry("analys"), shared))
    english = with_question(entry("analys"), shared).replace("tags:", "lang: en\ntags:")
    write(tmp_path, "en/analys.md", english)  # an entry's own versions may share phrasings
    write(
        tmp_path, "nyckeltal/tal.md", with_question(entry("tal"), "ar varje  skillnad ett problem")
    )
    write(tmp_path, "other.md", with_question(entry("annat"), "Är varje skillnad ett mål?"))
    loaded = load_directory(tmp_path, warn=False)
    assert loaded.problems == []
    assert len(loaded.entries) == 4
    assert [(Path(w.path).name, w.line) for w in loaded.warnings] == [("tal.md", 6)]
    assert loaded.warnings[0].message == (
        "exempelfrågan 'ar varje  skillnad ett problem' finns också i posten 'analys' "
        f"({tmp_path / 'en' / 'analys.md'}): låt den stå i den post som svarar bäst, "
        "annars kan Jämbot inte skilja dem åt"
    )


# -- jambot kb check ---------------------------------------------------------------------


def test_kb_check_prints_warnings_but_still_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    write(tmp_path, "a.md", entry(urls=("https://api.slack.com/apps",)))
    status = main(["kb", "check", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert f"{tmp_path / 'a.md'}:9: varning: " in out
    assert "OK, 1 poster (1 sv), 0 synonymgrupper, 1 varning(ar)" in out


def test_kb_check_on_an_alias_bomb_fails_quickly_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    write(tmp_path, "bomb.md", alias_bomb(levels=5))
    status = main(["kb", "check", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 1
    assert out.startswith(f"{tmp_path / 'bomb.md'}:4: YAML-ankare och alias")
