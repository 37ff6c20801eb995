"""Every table, grouped by the job it serves (the reporting cycle's own live in reminders/tables.py). Every organisation-owned row carries ``org_id``."""

from bot.db.models.analysis import AnalysisCompletion, AnalysisDraft
from bot.db.models.conversations import (
    ConversationRef,
    Download,
    Escalation,
    Feedback,
    ProcessedEvent,
    QuestionLog,
)
from reminders.tables import BoardAssessment, ReminderSend, SchedulerLease, StatusUpdate

__all__ = [
    "AnalysisCompletion",
    "AnalysisDraft",
    "BoardAssessment",
    "ConversationRef",
    "Download",
    "Escalation",
    "Feedback",
    "ProcessedEvent",
    "QuestionLog",
    "ReminderSend",
    "SchedulerLease",
    "StatusUpdate",
]
