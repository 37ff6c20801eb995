"""The quarterly reporting cycle: calendar, reminders, status updates and exports.

Knows nothing about chat platforms: adapters deliver what it decides.
"""
