"""Strings of the answering dialog added for issue 9: small talk and cross-language answers."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "small_talk_greeting": {
        "sv": (
            "Hej! Jag är Jämbot. Fråga mig gärna om jämställdhetsintegrering, till exempel "
            "”Vad är en jämställdhetsanalys?” eller ”När är deadline för kvartalsrapporten?”."
        ),
        "en": (
            "Hi! I'm Jämbot. Ask me about gender mainstreaming, for example "
            "“What is a gender analysis?” or “When is the quarterly report due?”."
        ),
    },
    "small_talk_thanks": {
        "sv": "Varsågod! Hör av dig om du undrar något mer om jämställdhetsarbetet.",
        "en": "You're welcome! Just ask if you have more questions about gender equality work.",
    },
    "answer_runner_up": {
        "sv": "Eller menade du: {title}?",
        "en": "Or did you mean: {title}?",
    },
    "answer_only_in_swedish": {
        "sv": "",
        "en": "This answer is only available in Swedish:",
    },
}
