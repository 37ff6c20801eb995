"""Pseudonymous user keys and the retention purge of question logs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import Escalation, Feedback, ProcessedEvent, QuestionLog
from bot.pseudonym import user_key
from bot.retention import purge_expired


def test_user_keys_are_stable_keyed_and_do_not_reveal_the_id():
    key = user_key("secret", "slack", "U0HSF1")
    assert key == user_key("secret", "slack", "U0HSF1")
    assert len(key) == 64 and "U0HSF1" not in key
    assert key != user_key("other-secret", "slack", "U0HSF1")
    assert key != user_key("secret", "teams", "U0HSF1")
    assert user_key("s", "slack", "ab") != user_key("s", "slackab", "")  # no ambiguity in the joint


def _question(session, created, text="q") -> QuestionLog:
    row = QuestionLog(org_id="o", platform="slack", user_key="k", question=text, lang="sv", entry_id=None,
                      confidence=0.1, abstained=True, created_at=created)
    session.add(row)
    session.flush()
    return row


def test_purge_deletes_only_what_is_past_retention(db):
    now = utcnow()
    old, recent = now - timedelta(days=400), now - timedelta(days=10)
    with db.session() as session:
        old_q = _question(session, old, "gammal")
        new_q = _question(session, recent, "ny")
        session.add_all([
            Feedback(org_id="o", question_id=old_q.id, user_key="k", helpful=False, created_at=old),
            Feedback(org_id="o", question_id=new_q.id, user_key="k", helpful=True, created_at=recent),
            Escalation(org_id="o", question_id=old_q.id, platform="slack", question="gammal", reply_to={},
                       status="resolved", created_at=old),
            Escalation(org_id="o", question_id=old_q.id, platform="slack", question="öppen", reply_to={},
                       status="open", created_at=old),
            ProcessedEvent(platform="slack", event_id="Ev-old", created_at=now - timedelta(days=3)),
            ProcessedEvent(platform="slack", event_id="Ev-new", created_at=now),
        ])
    purged = purge_expired(db, retention_days=365, now=now)
    # An open escalation past the period goes too: its asker's ids must not outlive it.
    assert (purged.questions, purged.feedback, purged.escalations, purged.events) == (1, 1, 2, 1)
    with db.session() as session:
        assert session.scalars(select(QuestionLog.question)).all() == ["ny"]
        assert session.scalars(select(Feedback.helpful)).all() == [True]
        assert session.scalars(select(Escalation)).all() == []
        assert session.scalars(select(ProcessedEvent.event_id)).all() == ["Ev-new"]
    assert purge_expired(db, retention_days=365, now=now).questions == 0
