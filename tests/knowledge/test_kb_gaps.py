"""knowledge.gaps (clusters of failed questions) and knowledge.question_edit (adding phrasings).

Over the bundled knowledge base: clusters must form the way the engine reads questions,
and phrasings added to an entry file must leave every other byte of it alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, load_directory
from knowledge.gaps import GapQuestion, GapReport, find_gaps
from knowledge.question_edit import EditError, add_questions

ABSTAINED = frozenset({"abstained"})


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _records(*questions: str, reasons: frozenset = ABSTAINED) -> list[GapQuestion]:
    return [GapQuestion(q, reasons) for q in questions]


SEEDED = _records(
    "Hur gör man en lönekartläggning?",
    "Hur gör man en lönekartläggning?",
    "lonekartlaggning",
    "lönekartläggningen när ska den vara klar",
    "jamstalldhetsbudget",
    "Jämställdhetsbudgetering i regionen?",
    "hur bokar jag konferensrum",
    "boka konferensrummet",
    "hej",
    "?",
)


def _cluster_with(report: GapReport, phrasing: str):
    return next(c for c in report.clusters if any(p.text == phrasing for p in c.phrasings))


def _phrasings(cluster) -> set[str]:
    return {p.text for p in cluster.phrasings}


def test_similar_phrasings_meet_in_one_cluster_with_their_counts(kb):
    report = find_gaps(kb, SEEDED)
    assert report.questions == 10
    assert report.without_topic == 2  # "hej" and "?" name no topic

    pay = _cluster_with(report, "lonekartlaggning")
    assert _phrasings(pay) == {
        "Hur gör man en lönekartläggning?",
        "lonekartlaggning",
        "lönekartläggningen när ska den vara klar",
    }
    assert pay.count == 4 and pay.phrasings[0].count == 2  # most asked first
    assert dict(pay.reasons) == {"abstained": 4}

    # Without diacritics and with another suffix, through the engine's folding and synonyms.
    budget = _cluster_with(report, "jamstalldhetsbudget")
    assert _phrasings(budget) == {"jamstalldhetsbudget", "Jämställdhetsbudgetering i regionen?"}

    rooms = _cluster_with(report, "hur bokar jag konferensrum")
    assert _phrasings(rooms) == {"hur bokar jag konferensrum", "boka konferensrummet"}
    assert len(report.clusters) == 3
    assert [c.count for c in report.clusters] == sorted(
        (c.count for c in report.clusters), reverse=True
    )


def test_unrelated_questions_stay_apart(kb):
    report = find_gaps(
        kb,
        _records(
            "Hur sjukanmäler jag mig?",
            "hur bokar jag konferensrum",
            "Vad säger diskrimineringslagen om aktiva åtgärder?",
            "jamstalldhetsbudget",
        ),
    )
    assert len(report.clusters) == 4


def test_the_nearest_entry_is_suggested_when_close_and_a_new_entry_when_not(kb):
    report = find_gaps(kb, SEEDED)
    budget = _cluster_with(report, "jamstalldhetsbudget")
    assert budget.nearest[0].id == "jamstalld-budget-vad-ar"
    assert budget.nearest[0].title == kb.get("jamstalld-budget-vad-ar").title
    assert (budget.suggestion.kind, budget.suggestion.entry_id) == (
        "add",
        "jamstalld-budget-vad-ar",
    )
    rooms = _cluster_with(report, "hur bokar jag konferensrum")
    assert (rooms.suggestion.kind, rooms.suggestion.entry_id) == ("new", None)
    assert all(n.score < 0.35 for n in rooms.nearest)


def test_an_entry_whose_answer_got_thumbs_down_is_not_suggested_for_the_same_questions(kb):
    disliked = [
        GapQuestion(q, frozenset({"not_helpful"}), entry_id="jamstalld-budget-vad-ar")
        for q in ("jamstalldhetsbudget", "jämställdhetsbudgetering")
    ]
    [cluster] = find_gaps(kb, disliked).clusters
    assert cluster.disliked == ("jamstalld-budget-vad-ar",)
    assert cluster.nearest[0].id == "jamstalld-budget-vad-ar"  # still shown as nearest
    assert cluster.suggestion.entry_id != "jamstalld-budget-vad-ar"
    assert dict(cluster.reasons) == {"not_helpful": 2}


def test_cluster_ids_do_not_depend_on_order_or_on_unrelated_new_questions(kb):
    first = find_gaps(kb, SEEDED)
    shuffled = SEEDED[:]
    random.Random(7).shuffle(shuffled)
    again = find_gaps(kb, shuffled)
    assert [(c.id, _phrasings(c)) for c in first.clusters] == [
        (c.id, _phrasings(c)) for c in again.clusters
    ]
    grown = find_gaps(
        kb, [*SEEDED, *_records("Hur sjukanmäler jag mig?", "sjukanmälan vård av barn")]
    )
    assert {c.id for c in first.clusters} <= {c.id for c in grown.clusters}
    ids = [c.id for c in grown.clusters]
    assert len(set(ids)) == len(ids) and all(len(i) >= 6 for i in ids)
    assert grown.cluster(first.clusters[0].id.upper()) is not None
    assert grown.cluster("nosuch") is None


def test_a_vector_function_can_link_questions_that_share_no_word(kb):
    questions = _records("Hur sjukanmäler jag mig?", "vab-anmälan när barnet är sjukt")
    assert len(find_gaps(kb, questions).clusters) == 2

    def embed(texts: Sequence[str]) -> list[list[float]]:
        # A stand-in for a semantic model: both texts are about being away from work.
        return [[1.0, 0.1] if "sjuk" in t else [0.0, 1.0] for t in texts]

    assert len(find_gaps(kb, questions, embed=embed).clusters) == 1


# -- adding phrasings to an entry file --------------------------------------------------------

BLOCK = """---
# Who answers what: kept by the strategists
id: lonekartlaggning
title: Lönekartläggning
questions:   # the ways staff ask
  - Vad är en lönekartläggning?
    # (we used to have an English one here)
  - >-
    Hur ofta ska arbetsgivaren
    kartlägga lönerna?
tags: [lon, diskriminering]   # keep short
sources:
  - title: DO – Lönekartläggning
    url: https://www.do.se/
lang: sv
---
Body text.
"""

INDENTLESS = """---
id: indentless
title: Indentless
questions:
- Första frågan
- 'Andra: med kolon'
sources:
- {title: DO, url: "https://www.do.se/"}
---
Body.
"""

FLOW = """---
id: flow
title: Flow
questions: [Första frågan, "Andra, med komma"]  # comment after the list
sources: [{title: DO, url: "https://www.do.se/"}]
---
Body.
"""

FLOW_MULTILINE = """---
id: flowmulti
title: Flow over lines
questions: [
  Första frågan,   # first
  Andra frågan,
]
sources: [{title: DO, url: "https://www.do.se/"}]
---
Body.
"""

FLOW_LAST_COMMENTED = """---
id: flowcomment
title: Flow with a comment on its last item
questions: [Första frågan,
    Andra frågan  # second
  ]  # after
sources: [{title: DO, url: "https://www.do.se/"}]
---
Body.
"""

TRICKY = [
    "Vad gäller: lönekartläggning?",
    "# hur ofta?",
    "yes",
    "- börjar med streck",
    'Hon sa "kartlägg" [varje år], {alltid}',
    "2019",
    "  extra   mellanslag  ",
    "it's fine",
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _questions(path: Path) -> list[str]:
    loaded = load_directory(path.parent, warn=False)
    assert loaded.problems == []
    [entry] = [e for e in loaded.entries if Path(e.path) == path]
    return list(entry.questions)


def _only_added_lines(before: str, after: str) -> list[str]:
    """The lines of ``after`` that are not in ``before``, checking every old line survived in order."""
    old = before.split("\n")
    added = []
    i = 0
    for line in after.split("\n"):
        if i < len(old) and line == old[i]:
            i += 1
        else:
            added.append(line)
    assert i == len(old), "an original line was changed or lost"
    return added


def test_block_list_keeps_comments_indent_and_wrapped_items(tmp_path):
    path = _write(tmp_path, "lon.md", BLOCK)
    result = add_questions(path, ["Hur gör man en lönekartläggning?", "lonekartlaggning regler"])
    assert result.added == ("Hur gör man en lönekartläggning?", "lonekartlaggning regler")
    after = path.read_text(encoding="utf-8")
    assert _only_added_lines(BLOCK, after) == [
        "  - Hur gör man en lönekartläggning?",
        "  - lonekartlaggning regler",
    ]
    assert (
        after.index("kartlägga lönerna?") < after.index("- lonekartlaggning") < after.index("tags:")
    )
    assert _questions(path) == [
        "Vad är en lönekartläggning?",
        "Hur ofta ska arbetsgivaren kartlägga lönerna?",
        "Hur gör man en lönekartläggning?",
        "lonekartlaggning regler",
    ]


def test_indentless_block_list_and_tricky_phrasings_read_back_exactly(tmp_path):
    path = _write(tmp_path, "indentless.md", INDENTLESS)
    result = add_questions(path, TRICKY)
    expected = [" ".join(q.split()) for q in TRICKY]
    assert list(result.added) == expected
    after = path.read_text(encoding="utf-8")
    assert all(line.startswith("- ") for line in _only_added_lines(INDENTLESS, after))
    assert _questions(path) == ["Första frågan", "Andra: med kolon", *expected]


@pytest.mark.parametrize(
    "text",
    [FLOW, FLOW_MULTILINE, FLOW_LAST_COMMENTED],
    ids=["one-line", "multi-line", "comment-on-last-item"],
)
def test_flow_lists_get_the_phrasings_before_the_closing_bracket(tmp_path, text):
    path = _write(tmp_path, "flow.md", text)
    before = _questions(path)
    add_questions(path, ["Tredje, med komma", "Fjärde frågan"])
    after = path.read_text(encoding="utf-8")
    assert _questions(path) == [*before, "Tredje, med komma", "Fjärde frågan"]
    comments = [line[line.index("#") :] for line in text.split("\n") if "#" in line]
    assert comments and all(comment in after for comment in comments)
    assert after.split("---")[2] == text.split("---")[2]  # the body is untouched
    if "\n  " in text.split("questions:")[1].split("sources:")[0]:  # one item a line stays so
        assert '\n    "Tredje, med komma",' in after or '\n  "Tredje, med komma",' in after


def test_phrasings_already_there_are_skipped_and_nothing_is_written(tmp_path):
    path = _write(tmp_path, "lon.md", BLOCK)
    stamp = path.stat().st_mtime_ns
    result = add_questions(path, ["vad ar en LONEKARTLAGGNING", "Lönekartläggning"])
    assert result.added == () and len(result.skipped) == 2  # a question and the title
    assert path.read_text(encoding="utf-8") == BLOCK and path.stat().st_mtime_ns == stamp


def test_windows_line_endings_and_a_bom_are_kept(tmp_path):
    text = "\ufeff" + BLOCK.replace("\n", "\r\n")
    path = _write(tmp_path, "crlf.md", text)
    add_questions(path, ["Ny fråga om lön"])
    raw = path.read_bytes().decode("utf-8")
    assert raw.startswith("\ufeff---\r\n") and "\n" not in raw.replace("\r\n", "")
    assert "  - Ny fråga om lön\r\n" in raw


@pytest.mark.parametrize(
    "text, reason",
    [
        ("---\nid: x\ntitle: X\nsources: []\n---\nBody\n", "no top-level 'questions:'"),
        ("---\nid: x\ntitle: X\nquestions: en fråga\n---\nBody\n", "not a list"),
        ("---\nid: x\nquestions: [a\n---\nBody\n", "not valid YAML"),
        ("no front matter\n", "no YAML front matter"),
    ],
)
def test_files_that_cannot_be_edited_safely_are_left_alone(tmp_path, text, reason):
    path = _write(tmp_path, "bad.md", text)
    with pytest.raises(EditError, match=reason):
        add_questions(path, ["Ny fråga"])
    assert path.read_text(encoding="utf-8") == text
