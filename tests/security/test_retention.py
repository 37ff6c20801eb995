"""Personal data past its purpose is purged on the retention schedule (issue 10, item 11).

Before: expired export files stayed in the database until the next export, Teams
conversation references were kept forever, and so were the asker ids of escalations
nobody answered.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import ConversationRef, Download, Escalation
from bot.retention import purge_expired

CONTACT = "00000000-0000-0000-0000-0000000000b1"  # listed in the organisation config
CHANNEL = "19:hsf@thread.tacv2"  # an administration's channel
STRANGER = "3f1c2a4e-0000-4000-8000-000000000042"  # staff who asked once, long ago


def _ref(key: str, updated: object) -> ConversationRef:
    return ConversationRef(org_id="o", platform="teams", key=key, reference={"user": key},
                           updated_at=updated)  # fmt: skip


def test_expired_downloads_old_references_and_old_open_escalations_are_purged(db: Database) -> None:
    now = utcnow()
    old, recent = now - timedelta(days=400), now - timedelta(days=10)
    with db.session() as session:
        session.add_all([
            Download(token="gone", org_id="o", filename="q1.csv", mimetype="text/csv", content=b"a",
                     expires_at=now - timedelta(minutes=1), created_at=now - timedelta(hours=1)),
            Download(token="live", org_id="o", filename="q1.csv", mimetype="text/csv", content=b"a",
                     expires_at=now + timedelta(minutes=30), created_at=now),
            _ref(STRANGER, old), _ref(CONTACT, old), _ref(CHANNEL, old), _ref("recent-user", recent),
            Escalation(org_id="o", platform="teams", question="gammal", status="open", created_at=old,
                       reply_to={"platform": "teams", "user_id": STRANGER, "lang": "sv"}),
            Escalation(org_id="o", platform="teams", question="ny", status="open", created_at=recent,
                       reply_to={"platform": "teams", "user_id": STRANGER, "lang": "sv"}),
        ])  # fmt: skip

    purged = purge_expired(db, retention_days=365, now=now, keep_references=frozenset({CONTACT, CHANNEL}))

    assert (purged.downloads, purged.references, purged.escalations) == (1, 1, 1)
    with db.session() as session:
        assert session.scalars(select(Download.token)).all() == ["live"]
        assert sorted(session.scalars(select(ConversationRef.key))) == sorted([CONTACT, CHANNEL, "recent-user"])
        assert session.scalars(select(Escalation.question)).all() == ["ny"]
