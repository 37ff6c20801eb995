"""``jambot kb gaps``: what staff asked that the bot could not answer, and the fix.

Lists clusters of failed questions (Markdown or CSV), or with ``--apply CLUSTER --to ENTRY``
adds a cluster's phrasings to an entry's ``questions:`` and runs ``kb check``. The logic is
in ``knowledge.gaps`` (clusters), ``knowledge.question_edit`` (the file edit) and
``bot.gaps`` (the question log, the rendering).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings
from bot.texts import t
from knowledge import BUNDLED_CONTENT, KnowledgeBase
from knowledge.gaps import Cluster, GapReport
from knowledge.question_edit import EditError, add_questions


def register(subparsers: Any) -> None:
    """Adds ``gaps`` under the ``kb`` command that ``knowledge_cmds`` registers first."""
    kb = subparsers.choices["kb"]
    kb_sub = next(a for a in kb._actions if isinstance(a, argparse._SubParsersAction))
    gaps = kb_sub.add_parser(
        "gaps",
        help=t("cli.help.kb.gaps"),
        description=(t("cli.description.kb.gaps")),
    )
    gaps.add_argument("--since", type=_date, metavar="DATUM", help=t("cli.help.kb.gaps.since"))
    gaps.add_argument(
        "--format",
        choices=("md", "csv"),
        default="md",
        help=t("cli.help.kb.gaps.format"),
    )
    gaps.add_argument("--apply", metavar="GRUPP", help=t("cli.help.kb.gaps.apply"))
    gaps.add_argument("--to", metavar="POST", help=t("cli.help.kb.gaps.to"))
    gaps.add_argument("--kb", type=Path, metavar="KATALOG", help=t("cli.help.kb.gaps.kb"))
    gaps.add_argument("--config", type=Path, metavar="FIL", help=t("cli.help.kb.gaps.config"))
    gaps.set_defaults(handler=gaps_command)


def _date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def _fail(message: str) -> int:
    print(f"jambot kb gaps: {message}", file=sys.stderr)
    return 2


def gaps_command(args: argparse.Namespace) -> int:
    if args.to and not args.apply:
        return _fail(t("gaps.apply.to_without_apply"))
    if args.apply and not args.to:
        return _fail(t("gaps.apply.needs_to"))
    try:
        settings = Settings.from_env()
        if args.config is not None:
            settings = settings.model_copy(update={"config_path": args.config})
        kb_dir: Path = args.kb or settings.kb_dir or BUNDLED_CONTENT
        if not kb_dir.is_dir():
            return _fail(f"{kb_dir}: ingen sådan katalog")
        report = _report(settings, kb_dir, args.since)
    except ConfigError as exc:
        return _fail(str(exc))
    if args.apply:
        return _apply(report.gaps, report.kb, kb_dir, args)
    if args.format == "csv":
        from bot.gaps import format_csv

        sys.stdout.write(format_csv(report.gaps))
    else:
        from bot.gaps import format_markdown

        sys.stdout.write(format_markdown(report.gaps, args.since))
    return 0


@dataclasses.dataclass(frozen=True)
class _Loaded:
    gaps: GapReport
    kb: KnowledgeBase


def _report(settings: Settings, kb_dir: Path, since: datetime | None) -> _Loaded:
    from bot.app import load_org, prepare_database
    from bot.conversation import DEFAULT_ORG_ID
    from bot.db import Database
    from bot.stores.gaps import gap_questions
    from knowledge.gaps import find_gaps

    org = load_org(settings)
    db = Database(settings.database_url)
    try:
        prepare_database(db, settings)
        records = gap_questions(db, org.organisation.id if org else DEFAULT_ORG_ID, since)
    finally:
        db.dispose()
    kb = KnowledgeBase.load(kb_dir)
    return _Loaded(find_gaps(kb, records), kb)


def _apply(report: GapReport, kb: KnowledgeBase, kb_dir: Path, args: argparse.Namespace) -> int:
    cluster = report.cluster(args.apply)
    if cluster is None:
        since = t("gaps.apply.since", since=args.since.date().isoformat()) if args.since else ""
        return _fail(t("gaps.apply.unknown_cluster", id=args.apply, since=since))
    if kb.get(args.to) is None:
        return _fail(t("gaps.apply.unknown_entry", entry=args.to, kb=kb_dir))
    targets = _files_by_language(kb, args.to, cluster)
    originals = {path: path.read_bytes() for path in targets}
    added: list[tuple[Path, tuple[str, ...]]] = []
    skipped = 0
    try:
        for path, phrasings in targets.items():
            result = add_questions(path, phrasings)
            skipped += len(result.skipped)
            if result.added:
                added.append((path, result.added))
    except EditError as exc:
        _restore(originals)
        return _fail(t("gaps.apply.failed", reason=exc))
    if not added:
        print(t("gaps.apply.nothing", entry=args.to))
        return 0
    for path, written in added:
        print(t("gaps.apply.added", path=path, count=len(written)))
        print("\n".join(f"  - {q}" for q in written))
    if skipped:
        print(t("gaps.apply.skipped", count=skipped))
    print(t("gaps.apply.restart"))
    print()
    from bot.cli.knowledge_cmds import check_command

    return check_command(argparse.Namespace(directory=kb_dir))


def _files_by_language(kb: KnowledgeBase, entry_id: str, cluster: Cluster) -> dict[Path, list[str]]:
    """Each phrasing goes to the entry's version in its language, else the Swedish one."""
    targets: dict[Path, list[str]] = {}
    for phrasing in cluster.phrasings:
        version = kb.get(entry_id, kb.detect_language(phrasing.text))
        assert version is not None  # the caller checked the id
        targets.setdefault(Path(version.path), []).append(phrasing.text)
    return targets


def _restore(originals: dict[Path, bytes]) -> None:
    for path, content in originals.items():
        path.write_bytes(content)
