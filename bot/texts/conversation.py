"""Strings of the question-and-answer conversation (help, abstain, escalation, feedback)."""

TEXTS: dict[str, dict[str, str]] = {}
