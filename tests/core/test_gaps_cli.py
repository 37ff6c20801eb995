"""``jambot kb gaps`` over a seeded question log in a real database and a copy of the bundled KB.

The loop end to end: list the clusters, apply one to an entry, and the bot then answers
those phrasings from that entry.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.models import Escalation, Feedback, QuestionLog
from bot.pseudonym import user_key
from knowledge import BUNDLED_CONTENT, KnowledgeBase

E2E_ORG = Path(__file__).resolve().parents[1] / "e2e" / "org.yaml"
ORG_ID = "region-exempel"  # the organisation id in E2E_ORG
SECRET = "test-secret"
NOW = datetime.now(UTC)
PAY = (
    "Hur gör man en lönekartläggning?",
    "lonekartlaggning",
    "lönekartläggningen när ska den vara klar",
)
BUDGET = ("jamstalldhetsbudget", "Jämställdhetsbudgetering i regionen?")
ENGLISH = ("How do we do a pay survey?", "What is a pay survey for?")


def _seed(db: Database) -> dict[str, str]:
    """A month of questions: gaps of every kind, answers that went fine, old and foreign rows.

    Returns the user keys and raw ids that must never appear in any output.
    """
    keys: dict[str, str] = {}

    def logged(
        session, text, *, abstained=True, entry=None, days_ago=3, user="U0STAFF1", org=ORG_ID
    ):
        keys[user] = user_key(SECRET, "slack", user)
        row = QuestionLog(
            org_id=org,
            platform="slack",
            user_key=keys[user],
            question=text,
            lang="sv",
            entry_id=entry,
            confidence=0.3 if abstained else 0.9,
            abstained=abstained,
            created_at=NOW - timedelta(days=days_ago),
        )
        session.add(row)
        session.flush()
        return row

    with db.session() as session:
        logged(session, PAY[0], user="U0STAFF1")
        logged(session, PAY[0], user="U0STAFF2")
        logged(session, PAY[1], user="U0STAFF3")
        escalated = logged(session, PAY[2], user="U0STAFF4")
        session.add(
            Escalation(
                org_id=ORG_ID,
                question_id=escalated.id,
                platform="slack",
                question=PAY[2],
                reply_to={"platform": "slack", "user_id": "U0STAFF4", "channel_id": "D1"},
                created_at=NOW - timedelta(days=3),
            )
        )
        disliked = logged(
            session, BUDGET[0], abstained=False, entry="resursfordelning", user="U0STAFF5"
        )
        session.add(
            Feedback(
                org_id=ORG_ID, question_id=disliked.id, user_key=keys["U0STAFF5"], helpful=False
            )
        )
        logged(session, BUDGET[1], user="U0STAFF6")
        liked = logged(
            session, "Vad är CEMR?", abstained=False, entry="cemr-vad-ar", user="U0STAFF7"
        )
        session.add(
            Feedback(org_id=ORG_ID, question_id=liked.id, user_key=keys["U0STAFF7"], helpful=True)
        )
        logged(session, "Vad är 3R-metoden?", abstained=False, entry="3r-metoden", user="U0STAFF7")
        logged(session, '=HYPERLINK("http://evil.example")', user="U0STAFF8")
        logged(session, "Kvinnojour [klicka här](https://evil.example) `rm -rf`", user="U0STAFF8")
        logged(session, "hur bokar jag konferensrum", days_ago=200, user="U0STAFF9")
        for english in ENGLISH:
            logged(session, english, user="U0STAFF10")
        logged(session, "sjukanmälan vård av barn", org="annan-region", user="U0OTHER1")
        # An escalation whose logged question is gone (retention keeps open escalations).
        session.add(
            Escalation(
                org_id=ORG_ID,
                question_id=None,
                platform="teams",
                question="Vem beslutar om bidrag till kvinnojouren?",
                reply_to={"platform": "teams", "user_id": "29:secret-teams-id"},
                created_at=NOW - timedelta(days=2),
            )
        )
    return keys


@pytest.fixture
def seeded(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    upgrade(database_url)
    db = Database(database_url)
    keys = _seed(db)
    db.dispose()
    kb_dir = tmp_path / "kb"
    shutil.copytree(BUNDLED_CONTENT, kb_dir)
    _without_entry(kb_dir, "lonekartlaggning")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("JAMBOT_CONFIG", str(E2E_ORG))
    monkeypatch.setenv("JAMBOT_KB_DIR", str(kb_dir))
    return kb_dir, keys


def _without_entry(kb_dir: Path, entry_id: str) -> None:
    """The scenario needs pay surveys to be a gap, as they were before the bundled KB had an
    entry on them: drop that entry and every ``related:`` link to it from the copy."""
    for path in kb_dir.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if f"\nid: {entry_id}\n" in text:
            path.unlink()
        elif entry_id in text:
            text = re.sub(rf",\s*{entry_id}\b|\b{entry_id},\s*", "", text)
            path.write_text(text, encoding="utf-8")


def _digest(directory: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(directory)).encode() + path.read_bytes())
    return sha.hexdigest()


def _csv(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    assert main(["kb", "gaps", "--format", "csv", *args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffgrupp,antal,")  # the BOM makes Excel read å, ä, ö
    return list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))


def _row_with(rows: list[dict[str, str]], phrasing: str) -> dict[str, str]:
    return next(r for r in rows if phrasing in r["formuleringar"].split(" | "))


def test_markdown_lists_clusters_with_counts_reasons_nearest_and_suggestions(seeded, capsys):
    _kb_dir, keys = seeded
    assert main(["kb", "gaps"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Luckor i kunskapsbasen sedan början")
    sections = out.split("\n## ")[1:]
    pay = next(s for s in sections if "lonekartlaggning" in s)
    assert ": 6 frågor" in pay.splitlines()[0]
    assert "6 utan svar, 1 till strategerna" in pay
    assert "“Hur gör man en lönekartläggning?” (2×)" in pay
    # "pay survey" meets "lönekartläggning" through the engine's Swedish-English glossary.
    assert "“How do we do a pay survey?”" in pay and "“What is a pay survey for?”" in pay
    assert "Närmaste poster:" in pay
    rooms = next(s for s in sections if "konferensrum" in s)
    assert ": 1 fråga" in rooms.splitlines()[0] and "**Förslag: ny post behövs.**" in rooms
    assert "Skriv en ny post med formuleringarna" in rooms and "--to POST`" in rooms
    budget = next(s for s in sections if "jamstalldhetsbudget" in s)
    assert "1 utan svar, 1 👎" in budget
    assert "**Förslag: lägg till formuleringarna i `jamstalld-budget-vad-ar`.**" in budget
    assert "Svaret från `resursfordelning` fick 👎" in budget
    cluster_id = budget.split("`")[1]
    assert f"jambot kb gaps --apply {cluster_id} --to jamstalld-budget-vad-ar" in budget
    assert "Vem beslutar om bidrag till kvinnojouren?" in out  # an escalation without its log row
    assert "konferensrum" in out  # 200 days old: still in when no --since
    # Staff-typed text stays text: no link, no code span of its own.
    assert "“Kvinnojour [klicka här] (https://evil.example) 'rm -rf'”" in out
    # What went well, and another organisation's questions, are no gaps of ours.
    assert "Vad är CEMR?" not in out and "3R-metoden" not in out and "sjukanmälan" not in out
    # Never who asked: neither the pseudonymous keys nor any raw platform id.
    for raw_id, key in keys.items():
        assert raw_id not in out and key not in out
    assert "secret-teams-id" not in out


def test_since_leaves_older_questions_out(seeded, capsys):
    since = (NOW - timedelta(days=30)).date().isoformat()
    assert main(["kb", "gaps", "--since", since]) == 0
    out = capsys.readouterr().out
    assert f"sedan {since}" in out and "konferensrum" not in out and "lonekartlaggning" in out


def test_csv_has_one_row_per_cluster_and_neutralises_formulas(seeded, capsys):
    rows = _csv(capsys)
    pay = _row_with(rows, "lonekartlaggning")
    assert (pay["antal"], pay["utan_svar"], pay["till_strategerna"]) == ("6", "6", "1")
    rooms = _row_with(rows, "hur bokar jag konferensrum")
    assert (rooms["antal"], rooms["förslag"], rooms["föreslagen_post"]) == ("1", "ny post", "")
    budget = _row_with(rows, "jamstalldhetsbudget")
    assert (budget["tummen_ner"], budget["föreslagen_post"]) == ("1", "jamstalld-budget-vad-ar")
    assert budget["närmaste_poster"].startswith("jamstalld-budget-vad-ar (")
    formula = next(r for r in rows if "HYPERLINK" in r["formuleringar"])
    assert formula["formuleringar"].startswith("'=")
    assert len({r["grupp"] for r in rows}) == len(rows)


def test_apply_adds_the_phrasings_runs_kb_check_and_the_bot_then_answers_them(seeded, capsys):
    kb_dir, _keys = seeded
    pay_id = _row_with(_csv(capsys), "lonekartlaggning")["grupp"]
    target = kb_dir / "grunder" / "intern-och-extern-jamstalldhet.md"
    before = target.read_text(encoding="utf-8")
    # The entry on staff matters already answers most of them; one goes elsewhere before the edit.
    before_kb = KnowledgeBase.load(kb_dir)
    answered_by = {q: before_kb.answer(q).entry for q in (*PAY, *ENGLISH)}
    assert any(e is None or e.id != "intern-och-extern-jamstalldhet" for e in answered_by.values())

    assert main(["kb", "gaps", "--apply", pay_id, "--to", "intern-och-extern-jamstalldhet"]) == 0
    out = capsys.readouterr().out
    assert "5 formuleringar tillagda" in out and "OK," in out  # kb check's own line
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before.split("questions:")[0])  # everything before is untouched
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # and the body
    for phrasing in (*PAY, *ENGLISH):  # the entry has no English version: all in one file
        assert f"  - {phrasing}\n" in after
    assert len(after.splitlines()) == len(before.splitlines()) + 5

    kb = KnowledgeBase.load(kb_dir)
    for phrasing in (*PAY, *ENGLISH):
        answer = kb.answer(phrasing)
        assert answer.entry is not None and answer.entry.id == "intern-och-extern-jamstalldhet"

    # Applying again changes nothing: the phrasings are there now.
    assert main(["kb", "gaps", "--apply", pay_id, "--to", "intern-och-extern-jamstalldhet"]) == 0
    assert "inget ändrat" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == after


def test_english_phrasings_go_to_the_english_version_of_the_entry(seeded, capsys):
    kb_dir, _keys = seeded
    pay_id = _row_with(_csv(capsys), ENGLISH[0])["grupp"]
    entry = "jamstalldhetsintegrering-vad-ar"
    assert main(["kb", "gaps", "--apply", pay_id, "--to", entry]) == 0
    out = capsys.readouterr().out
    assert "3 formuleringar tillagda" in out and "2 formuleringar tillagda" in out
    swedish = (kb_dir / "grunder" / f"{entry}.md").read_text(encoding="utf-8")
    english = (kb_dir / "en" / f"{entry}.md").read_text(encoding="utf-8")
    assert all(f"- {q}\n" in swedish and f"- {q}\n" not in english for q in PAY)
    assert all(f"- {q}\n" in english and f"- {q}\n" not in swedish for q in ENGLISH)


def test_a_file_the_editor_cannot_handle_is_refused_and_every_file_left_as_it_was(seeded, capsys):
    """The Swedish version is editable, the English one uses a YAML tag the editor will not
    touch: the Swedish edit is undone too, so the entry never ends up half changed."""
    kb_dir, _keys = seeded
    english = kb_dir / "en" / "jamstalldhetsintegrering-vad-ar.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace("questions:\n", "questions: !!seq\n", 1),
        encoding="utf-8",
    )
    pay_id = _row_with(_csv(capsys), ENGLISH[0])["grupp"]
    digest = _digest(kb_dir)
    assert main(["kb", "gaps", "--apply", pay_id, "--to", "jamstalldhetsintegrering-vad-ar"]) == 2
    err = capsys.readouterr().err
    assert "Ingenting ändrat" in err and "edit it by hand" in err and "Traceback" not in err
    assert _digest(kb_dir) == digest


@pytest.mark.parametrize(
    "args, message",
    [
        (["--apply", "ffffff", "--to", "cemr-vad-ar"], "Det finns ingen grupp ”ffffff”"),
        (["--apply", "PAY", "--to", "finns-inte"], "Det finns ingen post med id ”finns-inte”"),
        (["--apply", "PAY"], "--apply behöver --to POST"),
        (["--to", "cemr-vad-ar"], "--to används bara tillsammans med --apply"),
        (["--apply", "PAY", "--to", "cemr-vad-ar", "--kb", "/finns/inte"], "ingen sådan katalog"),
    ],
)
def test_bad_apply_arguments_exit_2_and_write_nothing(seeded, capsys, args, message):
    kb_dir, _keys = seeded
    pay_id = _row_with(_csv(capsys), "lonekartlaggning")["grupp"]
    digest = _digest(kb_dir)
    args = [pay_id if a == "PAY" else a for a in args]
    assert main(["kb", "gaps", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert captured.out == ""
    assert _digest(kb_dir) == digest


def test_a_bad_date_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["kb", "gaps", "--since", "igår"])
    assert exit_info.value.code == 2
    assert "'igår' är inget datum" in capsys.readouterr().err
