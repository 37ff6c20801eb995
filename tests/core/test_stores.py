"""The stores' promises: bound to one organisation, and the races settled in the database."""

from __future__ import annotations

import threading

from bot.db import Database
from bot.stores.escalations import EscalationStore
from bot.stores.feedback import FeedbackStore
from bot.stores.questions import QuestionStore
from knowledge.entry import Answer


def _abstained(question: str) -> Answer:
    return Answer(question=question, entry=None, confidence=0.1, lang="sv")


def test_another_organisation_sees_nothing(db: Database) -> None:
    ours, theirs = QuestionStore(db, "region-a"), QuestionStore(db, "region-b")
    question_id = ours.log("slack", "key-1", "Vad är CEMR?", _abstained("Vad är CEMR?"))
    question = ours.get(question_id)
    assert question is not None and (question.text, question.user_key) == ("Vad är CEMR?", "key-1")
    assert theirs.get(question_id) is None
    assert FeedbackStore(db, "region-b").record(question_id, "key-2", helpful=True) is None
    assert FeedbackStore(db, "region-a").record(question_id, "key-2", helpful=True) == "sv"
    escalation_id = EscalationStore(db, "region-a").open(question, "slack", {"platform": "slack"})
    assert escalation_id is not None
    assert EscalationStore(db, "region-b").by_id(escalation_id) is None
    assert EscalationStore(db, "region-b").still_open() == []
    assert [e.id for e in EscalationStore(db, "region-a").still_open()] == [escalation_id]


def test_a_question_is_escalated_once(db: Database) -> None:
    questions, escalations = QuestionStore(db, "region-a"), EscalationStore(db, "region-a")
    question = questions.get(questions.log("web", "key-1", "Budget?", _abstained("Budget?")))
    assert question is not None
    assert escalations.open(question, "web", {"platform": "web"}) is not None
    assert escalations.open(question, "web", {"platform": "web"}) is None


def test_two_strategists_closing_at_once_one_wins(database_url: str) -> None:
    setup = Database(database_url)
    setup.create_all()
    questions = QuestionStore(setup, "region-a")
    question = questions.get(questions.log("slack", "key-1", "Budget?", _abstained("Budget?")))
    assert question is not None
    escalation_id = EscalationStore(setup, "region-a").open(question, "slack", {"platform": "slack"})
    assert escalation_id is not None
    replicas = [Database(database_url) for _ in range(4)]  # one connection pool each, like replicas
    start = threading.Barrier(len(replicas))
    won: list[bool] = []

    def close(replica: Database, answer: str) -> None:
        start.wait()
        won.append(EscalationStore(replica, "region-a").close(escalation_id, answer))

    threads = [threading.Thread(target=close, args=(r, f"svar {i}")) for i, r in enumerate(replicas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False, False, False, True]
    row = EscalationStore(setup, "region-a").by_id(escalation_id)
    assert row is not None and row.status == "resolved" and row.answer in {f"svar {i}" for i in range(4)}
    for replica in [setup, *replicas]:
        replica.dispose()
