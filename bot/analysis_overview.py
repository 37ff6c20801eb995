"""Completed gender-equality analyses per administration, for ``/jambot status``.

The measure regions report on gender-equal decisions is how many decisions were
analysed; this shows that number per administration for one quarter, never content.
"""

from __future__ import annotations

from bot.analysis_store import completed_analyses
from bot.config import OrgConfig
from bot.db import Database
from bot.texts import t
from reminders.periods import Quarter


def analyses_overview(db: Database, org: OrgConfig, quarter: Quarter, lang: str = "sv") -> str:
    """A Markdown block to append to the quarter's status overview."""
    counts = completed_analyses(db, org.organisation.id, quarter)
    lines = ["", "", f"**{t('analysis.status_heading', lang, period=quarter.key)}**"]
    lines += [f"- {adm.name}: {counts.get(adm.id, 0)}" for adm in org.administrations]
    known = {adm.id for adm in org.administrations}
    others = sum(n for adm_id, n in counts.items() if adm_id not in known)
    if others:
        lines.append(f"- {t('analysis.stats_no_administration', lang)}: {others}")
    return "\n".join(lines)
