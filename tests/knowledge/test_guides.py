"""Guide files (``guides/*.yaml``): the bundled ones are clean; mistakes point at their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from knowledge import BUNDLED_CONTENT, load_directory
from knowledge.guides import MAX_GUIDE_BYTES, load_guides

BUNDLED = BUNDLED_CONTENT / "guides" / "jamstalldhetsanalys.yaml"
ENTRY = """\
---
id: 3r-metoden
title: Vad är 3R-metoden?
questions: [Vad är 3R?]
sources: [{title: Jämställdhetsmyndigheten, url: "https://jamstalldhetsmyndigheten.se/"}]
---
Representation, resurser och realia.
"""

MINIMAL = """\
id: liten
title: Liten guide
summary: En rad.
output:
  heading: Konsekvenser för jämställdhet
  gaps_heading: Saknas
steps:
  - id: arendet
    title: Ärendet
    help: En rad hjälp.
    fields:
      - id: beslut
        label: Vad beslutar ärendet?
        text: "Ärendet gäller {answer}."
"""


def write(root: Path, text: str, name: str = "guide.yaml") -> Path:
    path = root / "guides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(root: Path, known: set[str] | None = None) -> list[str]:
    loaded = load_guides(root, known, warn=False)
    return [f"{p.path.rsplit('/', 1)[-1]}:{p.line}: {p.message}" for p in loaded.problems]


def test_bundled_guides_load_without_problems_and_point_at_real_entries() -> None:
    entries = {e.id for e in load_directory(BUNDLED_CONTENT, warn=False).entries}
    loaded = load_guides(BUNDLED_CONTENT, entries, warn=False)
    assert [str(p) for p in loaded.problems] == []
    assert [(g.id, g.lang) for g in loaded.guides] == [
        ("jamstalldhetsanalys", "en"),
        ("jamstalldhetsanalys", "sv"),
        ("jamkas-bas", "sv"),
    ]
    three_r = loaded.guides[1]
    english = loaded.guides[0]
    # a translation walks the same steps and fields, so a draft reads the same in both
    assert [[f.id for f in s.fields] for s in english.steps] == [
        [f.id for f in s.fields] for s in three_r.steps
    ]
    assert 6 <= len(three_r.steps) <= 10
    assert three_r.heading == "Konsekvenser för jämställdhet"
    assert all(step.help and "\n" not in step.help for step in three_r.steps)
    assert three_r.short_path is not None


def test_a_minimal_guide_loads(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL)
    loaded = load_guides(tmp_path, warn=False)
    assert (
        loaded.problems == []
        and loaded.guides[0].steps[0].fields[0].text == "Ärendet gäller {answer}."
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('        text: "Ärendet gäller {answer}."', '        text: "Ärendet gäller {svar}."'),
            "guide.yaml:14: steps[0].fields[0].text: okänd platshållare {svar}: bara {answer} fylls i",
        ),
        (
            ("    help: En rad hjälp.", "    help: En rad hjälp.\n    hjalp: stavfel"),
            "guide.yaml:11: okänd nyckel 'steps[0].hjalp'",
        ),
        (("title: Liten guide\n", ""), "guide.yaml:1: obligatoriskt fält 'title' saknas"),
        (
            ("  - id: arendet", "  - id: Ärendet"),
            "guide.yaml:8: steps[0].id: 'Ärendet' är inget giltigt id (använd a-z, 0-9 och enstaka '-')",
        ),
        (
            (
                "        label: Vad beslutar ärendet?",
                "        label: Vad beslutar ärendet?\n        kind: dropdown",
            ),
            "guide.yaml:14: steps[0].fields[0].kind: ska vara 'text', 'multiline' eller 'choice'",
        ),
        (
            ("summary: En rad.", "summary: En rad.\nid: igen"),
            "guide.yaml:4: nyckeln 'id' förekommer två gånger",
        ),
        (
            (
                "        label: Vad beslutar ärendet?",
                "        label: Vad beslutar ärendet?\n        required: kanske",
            ),
            "guide.yaml:14: steps[0].fields[0].required: ska vara true eller false",
        ),
        (
            ('        text: "Ärendet gäller {answer}."', '        text: "Ärendet gäller {answer."'),
            "guide.yaml:14: steps[0].fields[0].text: är ingen giltig mall (expected '}' before end of string); skriv {{ och }} för klammerparenteser",
        ),
    ],
)
def test_mistakes_are_reported_at_their_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in MINIMAL
    write(tmp_path, MINIMAL.replace(old, new, 1))
    assert problems_of(tmp_path) == [expected]


def test_yaml_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL.replace("summary: En rad.", "summary: &s En rad.\norder: *s"))
    assert problems_of(tmp_path) == [
        "guide.yaml:3: YAML-ankare och alias (&namn, *namn) är inte tillåtna; skriv ut värdet"
    ]


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL + "#" * MAX_GUIDE_BYTES)
    assert problems_of(tmp_path) == ["guide.yaml:1: filen är större än 256 kB; korta guiden"]


def test_short_path_must_be_wired_both_ways(tmp_path: Path) -> None:
    unreached = MINIMAL + (
        "short_path:\n  id: kort\n  title: Kort\n  help: Motivera.\n  fields:\n"
        "    - id: motivering\n      label: Varför?\n      required: true\n"
    )
    write(tmp_path, unreached)
    assert problems_of(tmp_path) == [
        "guide.yaml:15: short_path nås aldrig: markera ett val med 'short_path: true'"
    ]
    dangling = MINIMAL + (
        "  - id: manniskor\n    title: Människor\n    help: Berörs människor?\n    fields:\n"
        "      - id: beror\n        label: Berör ärendet människor?\n        kind: choice\n"
        "        choices:\n          - {value: ja, label: Ja}\n"
        "          - {value: nej, label: Nej, short_path: true}\n"
    )
    write(tmp_path, dangling)
    assert problems_of(tmp_path) == [
        "guide.yaml:24: short_path: bara på ett obligatoriskt val (required) i stegen",
        "guide.yaml:1: ett val leder till den korta vägen, men guiden har ingen 'short_path'",
    ]


def test_ids_unique_and_entries_must_exist(tmp_path: Path) -> None:
    text = MINIMAL.replace("title: Liten guide", "title: Liten guide\nentry: finns-inte") + (
        "  - id: arendet\n    title: Igen\n    help: Igen.\n    fields:\n"
        "      - id: beslut\n        label: Igen?\n"
    )
    write(tmp_path, text)
    assert problems_of(tmp_path, {"3r-metoden"}) == [
        "guide.yaml:16: steg-id 'arendet' förekommer två gånger",
        "guide.yaml:20: fält-id 'beslut' förekommer två gånger",
        "guide.yaml:3: posten 'finns-inte' finns inte",
    ]


def test_a_broken_guide_is_skipped_the_others_load(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "bra.yaml")
    write(tmp_path, "id: [trasig\n", "trasig.yaml")
    write(tmp_path, MINIMAL, "dubblett.yml")
    loaded = load_guides(tmp_path, warn=False)
    assert [g.path.rsplit("/", 1)[-1] for g in loaded.guides] == ["bra.yaml"]
    messages = [f"{Path(p.path).name}:{p.line}: {p.message}" for p in loaded.problems]
    assert messages[0].startswith("dubblett.yml:1: guide-id 'liten' (språk sv) finns redan i")
    assert messages[1].startswith("trasig.yaml:2: YAML-fel:")


def test_the_entry_loader_ignores_guide_files(tmp_path: Path) -> None:
    (tmp_path / "3r-metoden.md").write_text(ENTRY, encoding="utf-8")
    write(tmp_path, "not: [valid", "trasig.yaml")
    loaded = load_directory(tmp_path, warn=False)
    assert [e.id for e in loaded.entries] == ["3r-metoden"] and loaded.problems == []


def test_kb_check_reports_a_broken_guide_with_path_and_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "3r-metoden.md").write_text(ENTRY, encoding="utf-8")
    path = write(tmp_path, MINIMAL.replace("{answer}", "{svar}"))
    assert main(["kb", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:14: steps[0].fields[0].text: okänd platshållare {{svar}}" in out
    path.write_text(MINIMAL.replace("title: Liten guide", "title: Liten guide\nentry: 3r-metoden"))
    assert main(["kb", "check", str(tmp_path)]) == 0
    assert "1 guider" in capsys.readouterr().out


def test_kb_check_of_the_bundled_content_counts_its_guides(capsys) -> None:
    assert main(["kb", "check"]) == 0
    assert "guider" in capsys.readouterr().out
    assert BUNDLED.exists()
