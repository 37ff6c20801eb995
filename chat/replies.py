"""The platform-neutral vocabulary between the core and the adapters.

Adapters turn a platform payload into a ``Message`` or ``Action``, hand it to the
core, and render the ``Reply`` they get back (Block Kit, Adaptive Card, HTML).
Nothing here knows about a platform, so one core serves Slack, Teams, the web
chat and the terminal alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Platform = Literal["slack", "teams", "web", "terminal"]
Lang = Literal["sv", "en"]


@dataclass(frozen=True)
class Message:
    """Something a person wrote to the bot."""

    platform: Platform
    user_id: str
    text: str
    channel_id: str = ""
    thread_id: str | None = None
    is_direct: bool = True
    user_name: str | None = None
    event_id: str | None = None
    # False for a channel message not addressed to the bot (no mention): it may only answer a
    # thread the bot owns (a reminder or an escalation), never start a Q&A in someone's thread.
    addressed: bool = True


@dataclass(frozen=True)
class Action:
    """A button press or form submission; ``action`` names what to do, ``value`` carries its data."""

    platform: Platform
    user_id: str
    action: str
    value: str = ""
    channel_id: str = ""
    thread_id: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    user_name: str | None = None


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str = ""
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: Literal["select", "text", "multiline"] = "text"
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    max_length: int = 1000
    required: bool = False
    initial: str = ""
    placeholder: str = ""


@dataclass(frozen=True)
class Form:
    """A short form: a Slack modal, a Teams Adaptive Card form, an HTML form."""

    action: str
    title: str
    submit_label: str
    fields: tuple[FormField, ...]
    value: str = ""  # opaque context returned with the submission (e.g. "hsf|2025-Q1")
    intro: str = ""


@dataclass(frozen=True)
class FileAttachment:
    filename: str
    content: bytes
    mimetype: str
    title: str = ""


ReplyKind = Literal[
    "answer", "clarify", "abstain", "help", "info", "error", "reminder", "receipt", "escalation"
]


@dataclass(frozen=True)
class Reply:
    """What the bot says: Markdown text, optional sources, buttons, a form or a file."""

    kind: ReplyKind
    text: str
    title: str | None = None
    sources: tuple[Source, ...] = ()
    buttons: tuple[Button, ...] = ()
    form: Form | None = None
    file: FileAttachment | None = None
    lang: Lang = "sv"
    ephemeral: bool = False
    footer: str | None = None
    # A rejected form submission: (field name, message) pairs, shown next to the fields.
    field_errors: tuple[tuple[str, str], ...] = ()
    # A proactive message's stable identity (e.g. a reminder's send key), carried with the message
    # so that after a crash the platform can be asked whether it already went out.
    tag: str | None = None
    # How sure the knowledge base was of an answer (0..1), for a quiet hint; None elsewhere.
    confidence: float | None = None
