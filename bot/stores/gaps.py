"""The questions that show what the knowledge base lacks: abstained on, marked 👎 or escalated.

The log already says which questions the bot abstained on; feedback says which answers got
👎 and the escalation table which questions were passed to the strategists. This reads
those together (text only: never the user key) for ``knowledge.gaps`` to group.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from bot.db import Database
from bot.db.models import Escalation, Feedback, QuestionLog
from knowledge.gaps import GapQuestion, Reason


def gap_questions(db: Database, org_id: str, since: datetime | None = None) -> list[GapQuestion]:
    """Questions asked since ``since`` that were abstained on, got 👎 or were escalated.

    One record per logged question, with every reason that applies; an escalation whose
    logged question is gone (retention keeps open escalations) still counts, by its own copy
    of the text. One query each, whatever the size of the log.
    """
    disliked = select(Feedback.question_id).where(
        Feedback.org_id == org_id, Feedback.helpful.is_(False)
    )
    escalated = select(Escalation.question_id).where(
        Escalation.org_id == org_id, Escalation.question_id.is_not(None)
    )
    logged = select(
        QuestionLog.question,
        QuestionLog.created_at,
        QuestionLog.entry_id,
        QuestionLog.abstained,
        QuestionLog.id.in_(disliked).label("disliked"),
        QuestionLog.id.in_(escalated).label("escalated"),
    ).where(
        QuestionLog.org_id == org_id,
        or_(
            QuestionLog.abstained.is_(True),
            QuestionLog.id.in_(disliked),
            QuestionLog.id.in_(escalated),
        ),
    )
    orphans = select(Escalation.question, Escalation.created_at).where(
        Escalation.org_id == org_id, Escalation.question_id.is_(None)
    )
    if since is not None:
        logged = logged.where(QuestionLog.created_at >= since)
        orphans = orphans.where(Escalation.created_at >= since)
    found: list[GapQuestion] = []
    with db.session() as session:
        for text, created_at, entry_id, abstained, was_disliked, was_escalated in session.execute(
            logged.order_by(QuestionLog.id)
        ):
            flags: tuple[tuple[Reason, bool], ...] = (
                ("abstained", abstained),
                ("not_helpful", was_disliked),
                ("escalated", was_escalated),
            )
            reasons = frozenset(reason for reason, flag in flags if flag)
            found.append(GapQuestion(text, reasons, created_at, entry_id))
        for text, created_at in session.execute(orphans.order_by(Escalation.id)):
            found.append(GapQuestion(text, frozenset({"escalated"}), created_at))
    return found
