"""``jambot ask`` and ``jambot kb check`` run as real processes, as a strategist or CI would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
JAMBOT = Path(sys.executable).with_name("jambot")  # the installed console script


def jambot(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console script in a child process, exactly as a strategist runs it."""
    return subprocess.run(
        [str(JAMBOT), *args], capture_output=True, text=True, timeout=60, check=False
    )


def jambot_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The same entry point in this process: fast enough for the many small cases."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_ask_json_answer() -> None:
    result = jambot("ask", "vad är JI?", "--kb", str(FIXTURE_KB), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["id", "title", "answer", "confidence", "sources", "alternatives"]
    assert document["id"] == "jamstalldhetsintegrering-vad-ar"
    assert document["title"] == "Vad är jämställdhetsintegrering?"
    assert document["answer"].startswith("Jämställdhetsintegrering är den strategi")
    assert 0.5 <= document["confidence"] <= 1.0
    assert document["sources"] == [
        {
            "title": "Jämställdhetsmyndigheten – Jämställdhetsintegrering",
            "url": "https://jamstalldhetsmyndigheten.se/jamstalldhetsintegrering/",
        }
    ]
    assert isinstance(document["alternatives"], list)


def test_ask_json_abstains_with_nulls() -> None:
    result = jambot("ask", "hur bokar jag parkering?", "--kb", str(FIXTURE_KB), "--json")
    document = json.loads(result.stdout)
    assert (document["id"], document["title"], document["answer"], document["sources"]) == (
        None,
        None,
        None,
        [],
    )
    assert document["confidence"] < 0.5


def test_ask_text_prints_title_answer_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = jambot_in_process(capsys, "ask", "vad är cemr", "--kb", str(FIXTURE_KB))
    assert status == 0
    assert out.startswith("Vad är CEMR-deklarationen?\n")
    assert (
        "Källor:\n- CEMR – European Charter for Equality of Women and Men in Local Life: https://charter-equality.eu/"
        in out
    )


def test_ask_text_says_it_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = jambot_in_process(
        capsys, "ask", "har du ett recept på kanelbullar?", "--kb", str(FIXTURE_KB)
    )
    assert status == 0
    assert out.startswith("Det vet jag tyvärr inte.")


def test_ask_in_english_gets_the_english_texts(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = jambot_in_process(
        capsys, "ask", "What does gender mainstreaming mean?", "--kb", str(FIXTURE_KB)
    )
    assert status == 0
    assert out.startswith("What is gender mainstreaming?\n")
    assert "\nSources:\n" in out


def test_ask_explain_shows_how_the_question_was_read(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = jambot_in_process(
        capsys, "ask", "budgetprocesen", "--kb", str(FIXTURE_KB), "--explain"
    )
    assert status == 0
    assert "--- explain (language sv" in out
    assert "word 'budgetprocesen': fuzzy" in out
    assert " 1. jamstalld-budgetprocess " in out
    assert "lexical" in out and "semantic" in out and "cosine" in out  # side by side
    assert "confidence of 1st = logistic(" in out and "-> answer" in out


def test_ask_explain_says_a_workplace_question_was_refused_before_ranking(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The ranking is still shown, but its confidence was never used: the explanation
    must not claim a high confidence led to an abstention."""
    status, out, _ = jambot_in_process(capsys, "ask", "vem är min chef", "--explain")
    assert status == 0
    assert "confidence 0.000" in out
    assert "abstained before ranking: the question asks about the asker's own workplace" in out
    verdict = next(line for line in out.splitlines() if line.startswith("confidence of 1st"))
    assert verdict.endswith("-> not used (abstained before ranking)")


def test_ask_explain_without_embeddings_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAMBOT_EMBEDDINGS", "off")
    status, out, _ = jambot_in_process(
        capsys, "ask", "budgetprocessen", "--kb", str(FIXTURE_KB), "--explain"
    )
    assert status == 0
    assert "embeddings off" in out
    row = next(line for line in out.splitlines() if " 1. jamstalld-budgetprocess" in line)
    assert row.split()[3:5] == ["-", "-"]  # no semantic evidence, only lexical


def test_ask_with_missing_knowledge_base_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = jambot_in_process(capsys, "ask", "cemr", "--kb", str(tmp_path / "saknas"))
    assert status == 2
    assert "ingen sådan katalog" in err


def test_kb_check_passes_on_a_valid_knowledge_base(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = jambot_in_process(capsys, "kb", "check", str(FIXTURE_KB))
    assert status == 0, out
    assert "OK, 9 poster (1 en, 9 sv), 5 synonymgrupper" in out


def test_kb_check_lists_every_problem_and_fails(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\nid: a\ntitle: A\nquestions: [A?]\nsources:\n  - title: K\n    url: nope\nfärg: blå\n---\nSvar.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text("---\nid: b\n---\n", encoding="utf-8")
    result = jambot("kb", "check", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        f"{tmp_path / 'a.md'}:7: sources[0].url: 'nope' är ingen giltig webbadress (http:// eller https:// och ett värdnamn)"
        in lines
    )
    assert any(line.startswith(f"{tmp_path / 'a.md'}:8: okänd nyckel 'färg'") for line in lines)
    assert f"{tmp_path / 'b.md'}:1: obligatoriskt fält 'title' saknas" in lines
    assert (
        f"{tmp_path / 'b.md'}:3: svarstexten saknas: skriv svaret under den avslutande '---'"
        in lines
    )
    assert "Traceback" not in result.stderr


def test_ask_in_english_about_a_swedish_only_entry_says_so_in_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = jambot_in_process(
        capsys, "ask", "Why should statistics be broken down by sex?", "--kb", str(FIXTURE_KB)
    )
    assert status == 0
    assert out.startswith("This answer is only available in Swedish:\n\nVarför ska statistiken")
    assert "\nSources:\n" in out
