"""``jambot ask`` and ``jambot kb check``: the knowledge base from the terminal.

``ask --json`` is a stable machine-readable contract (evaluations read it), so its keys
never change shape: an abstention is ``"id": null`` rather than a missing key.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bot.cli.common import kb_dir
from bot.texts import t
from knowledge import BUNDLED_CONTENT, Answer, KnowledgeBase, load_directory
from knowledge.engine import confidence_features
from knowledge.guides import load_guides


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = subparsers.add_parser("ask", help=t("cli.help.ask"))
    ask.add_argument("question", metavar="FRÅGA", help=t("cli.help.ask.question"))
    ask.add_argument(
        "--kb",
        type=Path,
        default=None,
        metavar="KATALOG",
        help=t("cli.help.ask.kb"),
    )
    ask.add_argument("--json", action="store_true", help=t("cli.help.ask.json"))
    ask.add_argument(
        "--explain",
        action="store_true",
        help=t("cli.help.ask.explain"),
    )
    ask.set_defaults(handler=ask_command)

    kb = subparsers.add_parser("kb", help=t("cli.help.kb"))
    kb_sub = kb.add_subparsers(
        dest="kb_command", metavar="ÅTGÄRD", required=True, help=t("cli.help.kb.action")
    )
    check = kb_sub.add_parser(
        "check",
        help=t("cli.help.kb.check"),
    )
    check.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=None,
        metavar="KATALOG",
        help=t("cli.help.kb.check.directory"),
    )
    check.set_defaults(handler=check_command)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The ``ask --json`` document for one answer."""
    entry = answer.entry
    return {
        "id": entry.id if entry else None,
        "title": entry.title if entry else None,
        "answer": entry.body if entry else None,
        "confidence": answer.confidence,
        "sources": [{"title": s.title, "url": s.url} for s in entry.sources] if entry else [],
        "alternatives": [alt.id for alt in answer.alternatives],
    }


def ask_command(args: argparse.Namespace) -> int:
    if args.kb is not None and not args.kb.is_dir():
        print(f"jambot ask: {t('cli.no_such_directory', path=args.kb)}", file=sys.stderr)
        return 2
    kb = KnowledgeBase.load(kb_dir(args.kb))
    answer = kb.answer(args.question)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        print(_answer_text(answer))
    if args.explain:
        print(_explanation(kb, args.question, answer), file=sys.stderr if args.json else sys.stdout)
    return 0


def _explanation(kb: KnowledgeBase, question: str, answer: Answer) -> str:
    """Why the engine answered as it did: for whoever tunes the content, not for end users.

    The lexical (BM25F and word-match signals) and the semantic (embedding cosine) evidence
    stand side by side per candidate, then the sum that made the confidence.
    """
    query, ranked = kb.rank(question, limit=5)
    semantic = kb.semantic.embedder.model_id if kb.semantic is not None else "off"
    gated = kb.about_own_workplace(question)
    lines = [
        "",
        f"--- explain (language {query.lang}, embeddings {semantic}, "
        f"confidence {answer.confidence:.3f}, threshold {kb.calibration.threshold})",
    ]
    if gated:
        lines.append(
            "abstained before ranking: the question asks about the asker's own workplace "
            "and names none of this knowledge base's topics (knowledge/workplace.py); "
            "the ranking below is for reference only"
        )
    for group in query.groups:
        terms = ", ".join(f"{term}×{weight:.2f}" for term, weight in group.alternatives) or "-"
        lines.append(
            f"word {group.label!r}: {group.how}, weight {group.weight:.2f}, idf {group.idf:.2f} -> {terms}"
        )
    if ranked:
        lines.append(
            f"{'':4}{'candidate':40} {'lexical':>8} {'semantic':>9} {'cosine':>7} {'fused':>7}"
        )
    for place, candidate in enumerate(ranked, start=1):
        f = candidate.features
        lexical = f.get("lexical", candidate.score)
        cells = (
            f"{f['semantic']:>9.3f} {f['cosine']:>7.3f}" if "cosine" in f else f"{'-':>9} {'-':>7}"
        )
        lines.append(
            f"{place:>2}. {kb.ids[candidate.doc]:40} {lexical:>8.3f} {cells} {candidate.score:>7.3f}"
        )
        details = ", ".join(
            f"{name} {value:.2f}"
            for name, value in f.items()
            if name not in ("lexical", "cosine", "cosine_rival")
        )
        lines.append(f"{'':4}({details})")
    if ranked:
        features = confidence_features(ranked)
        calibration = kb.calibration
        terms = " ".join(
            f"+ {weight:.2f}×{name} {features[name]:.2f}"
            for weight, name in zip(calibration.weights, calibration.features, strict=True)
        )
        verdict = "answer" if answer.entry is not None else "abstain"
        if gated:
            verdict = "not used (abstained before ranking)"
        lines.append(
            f"confidence of 1st = logistic({calibration.bias:.2f} {terms}) = "
            f"{calibration.confidence(features):.3f} -> {verdict}"
        )
    return "\n".join(lines)


def _answer_text(answer: Answer) -> str:
    entry = answer.entry
    if entry is None:
        return t("abstain_text_no_escalation", answer.lang)
    lines = [entry.title, "", entry.body, "", f"{t('answer_sources', answer.lang)}:"]
    if entry.lang != answer.lang:  # an English question, only a Swedish version exists
        lines[:0] = [t("answer_only_in_swedish", answer.lang), ""]
    lines.extend(f"- {s.title}: {s.url}" if s.url else f"- {s.title}" for s in entry.sources)
    if answer.runner_up is not None:
        lines.extend(["", t("answer_runner_up", answer.lang, title=answer.runner_up.title)])
    return "\n".join(lines)


def check_command(args: argparse.Namespace) -> int:
    directory = kb_dir(args.directory, "KATALOG") or BUNDLED_CONTENT
    loaded = load_directory(directory, warn=False)
    guides = load_guides(directory, {e.id for e in loaded.entries}, warn=False)
    loaded.problems.extend(guides.problems)
    for problem in loaded.problems:
        print(problem)
    for warning in loaded.warnings:  # worth fixing, but they never fail the check
        where = f"{warning.path}:{warning.line}"
        print(t("cli.kb_check.warning", where=where, message=warning.message))
    if loaded.problems:
        print(
            t("cli.kb_check.failed", directory=directory, count=len(loaded.problems)),
            file=sys.stderr,
        )
        return 1
    languages = Counter(entry.lang for entry in loaded.entries)
    summary = ", ".join(f"{count} {lang}" for lang, count in sorted(languages.items()))
    warnings = t("cli.kb_check.warnings", count=len(loaded.warnings)) if loaded.warnings else ""
    guide_count = t("cli.kb_check.guides", count=len(guides.guides)) if guides.guides else ""
    print(
        t(
            "cli.kb_check.ok",
            directory=directory,
            entries=len({e.id for e in loaded.entries}),
            languages=summary or t("cli.kb_check.no_entries"),
            synonyms=len(loaded.synonyms),
            guides=guide_count,
            warnings=warnings,
        )
    )
    return 0
