"""Jämbot's conversation core, platform adapters, server, configuration and storage."""
