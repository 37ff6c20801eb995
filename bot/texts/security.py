"""Strings of the hardened edges (issue 10): Teams invoke answers."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "teams_invoke_done": {"sv": "Klart.", "en": "Done."},
    "teams_invoke_unknown": {
        "sv": "Den här knappen känner jag inte igen. Skriv till mig i chatten i stället.",
        "en": "I don't recognise this button. Write to me in the chat instead.",
    },
}
