"""``jambot --help`` is complete and Swedish: every command, option and argument explained.

Walks the whole argparse tree, so a command or option added later without a help text, or
with an English one, fails here. argparse's own fixed words ("usage:", "options:", the
``-h`` line) are not ours and are left out.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from bot.cli import build_parser

# Words that mark a help text as English; none of them is a Swedish word.
ENGLISH_MARKERS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "for",
        "with",
        "without",
        "from",
        "default",
        "file",
        "directory",
        "folder",
        "show",
        "print",
        "send",
        "output",
        "instead",
        "only",
        "every",
        "each",
        "which",
        "when",
        "where",
        "is",
        "are",
        "be",
        "e.g.",
        "eg",
        "write",
        "read",
        "run",
        "pretend",
        "nothing",
    ]
)


def _parsers(
    parser: argparse.ArgumentParser, name: str = "jambot"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {command}")


def _help_texts() -> list[tuple[str, str | None]]:
    """(where, help) for every action, every listed subcommand and every description."""
    texts: list[tuple[str, str | None]] = []
    for name, parser in _parsers(build_parser()):
        texts.append((f"{name} (beskrivning)", parser.description))
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue  # argparse's own "-h, --help" line
            where = f"{name} {'/'.join(action.option_strings) or action.metavar or action.dest}"
            texts.append((where, action.help))
            if isinstance(action, argparse._SubParsersAction):
                texts += [(f"{name} {a.dest}", a.help) for a in action._choices_actions]
    return texts


def test_the_tree_has_every_command() -> None:
    names = {name for name, _ in _parsers(build_parser())}
    assert {
        "jambot ask",
        "jambot kb check",
        "jambot kb gaps",
        "jambot db upgrade",
        "jambot db current",
        "jambot db check",
        "jambot db revision",
        "jambot calendar",
        "jambot export",
        "jambot remind",
        "jambot status",
        "jambot serve",
        "jambot chat",
        "jambot stats",
        "jambot teams-package",
    } <= names


def test_every_command_option_and_argument_has_a_help_text() -> None:
    missing = [where for where, text in _help_texts() if not (text or "").strip()]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("print every deadline of a year", True),
        ("output file (default: jambot-<org>.xlsx)", True),
        ("e.g. 2025-Q1", True),
        ("visa årets alla deadlines", False),
        ("bara a-z och --kb, env JAMBOT_KB_DIR (t.ex. 2025-Q1).", False),
    ],
)
def test_the_marker_words_tell_english_from_swedish(text: str, english: bool) -> None:
    assert bool(_english_words(text)) is english


def test_no_help_text_is_in_english() -> None:
    english = {where: _english_words(text or "") for where, text in _help_texts()}
    assert {where: words for where, words in english.items() if words} == {}


def test_metavars_are_swedish_not_the_option_names() -> None:
    """``--quarter KVARTAL``, not ``--quarter QUARTER``: argparse's default is the dest."""
    usage = "\n".join(parser.format_usage() for _, parser in _parsers(build_parser()))
    for english in ("QUARTER", "CONFIG", "YEAR", "QUESTION", "DIRECTORY", "KB_COMMAND", " OUT"):
        assert english not in usage


def _english_words(text: str) -> set[str]:
    # Environment variables, options and placeholders are names, not words.
    names = re.sub(r"\$?[A-Z][A-Z0-9_]+|(?<![\w-])--?[\w-]+|<[^>]*>|\{[^}]*\}", " ", text)
    return set(re.findall(r"e\.g\.|[a-zåäö]+(?:-[a-zåäö0-9]+)*", names.lower())) & ENGLISH_MARKERS
