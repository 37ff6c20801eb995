"""The knowledge-base loader: real files on disk, every problem reported at its line."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import load_directory
from knowledge.loader import Problem

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"

VALID = """\
---
id: {id}
title: En titel
questions:
  - En fråga?
tags: [a]
sources:
  - title: Källa
    url: https://example.org/källa
lang: {lang}
related: [{related}]
---
Ett svar.
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def valid(entry_id: str = "ett-svar", lang: str = "sv", related: str = "") -> str:
    return VALID.format(id=entry_id, lang=lang, related=related)


def only_problem(root: Path) -> Problem:
    problems = load_directory(root).problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_fixture_kb_loads_without_problems() -> None:
    loaded = load_directory(FIXTURE_KB)
    assert loaded.problems == []
    ids = {(e.id, e.lang) for e in loaded.entries}
    assert ("jamstalldhetsintegrering-vad-ar", "en") in ids
    assert ("jamstalldhetsintegrering-vad-ar", "sv") in ids
    assert len(ids) == 10
    assert ["jämställdhetsintegrering", "JI", "gender mainstreaming"] in loaded.synonyms
    cemr = next(e for e in loaded.entries if e.id == "cemr-vad-ar")
    assert cemr.lang == "sv"  # the default when `lang` is left out
    assert cemr.related == ("cemr-handlingsplan",)
    assert cemr.sources[0].url == "https://charter-equality.eu/"
    assert cemr.body.startswith("CEMR-deklarationen är")


def test_unknown_key_reported_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid().replace("tags: [a]\n", "tags: [a]\nauthor: Kim\n"))
    problem = only_problem(tmp_path)
    assert problem.line == 7
    assert "okänd nyckel 'author'" in problem.message
    assert str(problem) == f"{tmp_path / 'a.md'}:7: {problem.message}"


def test_unknown_key_inside_a_source(tmp_path: Path) -> None:
    text = valid().replace(
        "    url: https://example.org/källa\n",
        "    url: https://example.org/källa\n    year: 2020\n",
    )
    write(tmp_path, "a.md", text)
    problem = only_problem(tmp_path)
    assert (problem.line, "okänd nyckel 'sources[0].year'" in problem.message) == (10, True)


def test_missing_required_field(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid().replace("questions:\n  - En fråga?\n", ""))
    problem = only_problem(tmp_path)
    assert problem.message == "obligatoriskt fält 'questions' saknas"


def test_bad_id_slug(tmp_path: Path) -> None:
    write(tmp_path, "sub/a.md", valid(entry_id="Ett Svar"))
    problem = only_problem(tmp_path)
    assert problem.line == 2
    assert "är inget giltigt id" in problem.message


@pytest.mark.parametrize(
    "url", ["ftp://example.org/x", "inte en länk", "https://", "example.org/x"]
)
def test_bad_url(tmp_path: Path, url: str) -> None:
    write(tmp_path, "a.md", valid().replace("https://example.org/källa", url))
    problem = only_problem(tmp_path)
    assert problem.line == 9
    assert problem.message.startswith("sources[0].url:")


def test_yaml_error_reported_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid().replace("tags: [a]", "tags: [a"))
    problem = only_problem(tmp_path)
    assert problem.message.startswith("YAML-fel")
    assert 7 <= problem.line <= 8


def test_empty_body(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid().replace("Ett svar.\n", "\n  \n"))
    problem = only_problem(tmp_path)
    assert (problem.line, problem.message.startswith("svarstexten saknas")) == (12, True)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("questions:\n  - En fråga?\n", "questions: []\n", 4, "questions: måste ha minst en fråga"),
        (
            "sources:\n  - title: Källa\n    url: https://example.org/källa\n",
            "sources: []\n",
            7,
            "sources: måste ha minst en källa",
        ),
    ],
)
def test_empty_lists(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    write(tmp_path, "a.md", valid().replace(old, new))
    problem = only_problem(tmp_path)
    assert (problem.line, problem.message) == (line, message)


def test_blank_question(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid().replace("  - En fråga?\n", "  - En fråga?\n  - '  '\n"))
    problem = only_problem(tmp_path)
    assert problem.line == 6


def test_bad_lang(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid(lang="de"))
    problem = only_problem(tmp_path)
    assert (problem.line, problem.message.startswith("lang:")) == (10, True)


def test_missing_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "# Bara markdown\n\nInget huvud.\n")
    problem = only_problem(tmp_path)
    assert (problem.line, "YAML-huvud saknas" in problem.message) == (1, True)


def test_duplicate_id_same_language(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid())
    write(tmp_path, "b/b.md", valid())
    write(tmp_path, "en/a.md", valid(lang="en"))  # an English version is not a duplicate
    problem = only_problem(tmp_path)
    assert problem.path == str(tmp_path / "b" / "b.md")
    assert problem.line == 2
    assert "id 'ett-svar' (språk sv) finns redan i" in problem.message
    assert [e.lang for e in load_directory(tmp_path).entries] == ["sv", "en"]


def test_dangling_related_is_reported_and_dropped(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid(related="finns-inte, annat-svar"))
    write(tmp_path, "b.md", valid(entry_id="annat-svar"))
    loaded = load_directory(tmp_path)
    assert [str(p) for p in loaded.problems] == [
        f"{tmp_path / 'a.md'}:11: related: id 'finns-inte' finns inte"
    ]
    entry = next(e for e in loaded.entries if e.id == "ett-svar")
    assert entry.related == ("annat-svar",)


def test_duplicate_key(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid().replace("tags: [a]\n", "tags: [a]\ntags: [b]\n"))
    problem = only_problem(tmp_path)
    assert (problem.line, problem.message) == (7, "nyckeln 'tags' förekommer två gånger")


def test_broken_file_is_skipped_and_the_rest_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path, "bra.md", valid())
    write(tmp_path, "trasig.md", "---\nid: [oavslutad\n---\nText\n")
    write(tmp_path, "README.md", "Not an entry.\n")
    with caplog.at_level(logging.WARNING):
        loaded = load_directory(tmp_path)
    assert [e.id for e in loaded.entries] == ["ett-svar"]
    assert len(loaded.problems) == 1
    assert "trasig.md" in caplog.text


def test_yaml_numbers_and_booleans_are_questions_too(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid().replace("  - En fråga?\n", "  - En fråga?\n  - 2019\n  - ja\n"))
    loaded = load_directory(tmp_path)
    assert loaded.problems == []
    assert loaded.entries[0].questions == ("En fråga?", "2019", "ja")


def test_synonym_file_problems(tmp_path: Path) -> None:
    write(tmp_path, "a.md", valid())
    write(tmp_path, "synonyms.yaml", "- [JI, jämställdhetsintegrering]\n- [ensam]\n- just text\n")
    loaded = load_directory(tmp_path)
    assert loaded.synonyms == [["JI", "jämställdhetsintegrering"]]
    assert [(p.line, p.message) for p in loaded.problems] == [
        (2, "en synonymgrupp behöver minst två termer"),
        (3, "en synonymgrupp ska vara en lista med termer som inte är tomma"),
    ]


def test_missing_directory(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "finns-inte")
    assert problem.message == "ingen katalog"


def test_recursive_alias_and_complex_key_do_not_crash(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\nid: &a [*a]\n---\nSvar.\n")
    write(
        tmp_path, "b.md", valid(entry_id="b").replace("tags: [a]\n", "tags: [a]\n? [x, y]\n: 1\n")
    )
    problems = load_directory(tmp_path).problems
    assert [(Path(p.path).name, p.line) for p in problems] == [("a.md", 2), ("b.md", 7)]
    assert problems[0].message.startswith("YAML-ankare och alias (&namn, *namn) är inte tillåtna")
    assert problems[1].message.startswith("okänd nyckel '<sequence key>'")


@settings(max_examples=60, deadline=None)
@given(
    front=st.text(
        alphabet=st.sampled_from(list("abcé:-[]{}&*!|>'\"#\n -0123456789?,")), max_size=120
    ),
    body=st.text(max_size=40),
)
def test_any_file_is_reported_never_crashes(front: str, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, "bra.md", valid())
        write(root, "slump.md", f"---\n{front}\n---\n{body}")
        loaded = load_directory(root, warn=False)
    assert "ett-svar" in {e.id for e in loaded.entries}
    assert all(p.line >= 0 and p.message for p in loaded.problems)


def test_entries_are_read_from_subfolders_in_path_order_skipping_hidden_and_other_files(
    tmp_path: Path,
) -> None:
    write(tmp_path, "b/inre/djup.md", valid("djup"))
    write(tmp_path, "a.md", valid("forst"))
    write(tmp_path, "b/mitt.md", valid("mitt"))
    write(tmp_path, ".git/gomd.md", valid("dold-mapp"))
    write(tmp_path, "b/.utkast.md", valid("dold-fil"))
    write(tmp_path, "b/anteckning.txt", "inte en post")
    (tmp_path / "mapp.md").mkdir()  # a folder named like an entry is not one
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    loaded = load_directory(tmp_path)
    assert [e.id for e in loaded.entries] == ["forst", "djup", "mitt"]
    assert loaded.problems == []


def test_a_source_without_a_public_link_is_cited_by_title(tmp_path: Path) -> None:
    """A board decision in the region's own minutes has no public URL: cite it by title rather
    than pin a link to another page that pretends to back the answer."""
    write(
        tmp_path,
        "a.md",
        valid().replace(
            "  - title: Källa\n    url: https://example.org/källa\n",
            "  - title: Regionstyrelsens protokoll, RS § 334\n",
        ),
    )
    loaded = load_directory(tmp_path)
    assert loaded.problems == []
    assert [(s.title, s.url) for s in loaded.entries[0].sources] == [
        ("Regionstyrelsens protokoll, RS § 334", "")
    ]
