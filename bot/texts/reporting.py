"""Strings of the quarterly reporting cycle (reminders, status form, receipts, exports)."""

TEXTS: dict[str, dict[str, str]] = {}
