"""Which dialog answers which command and which button: declared by the dialogs, in one table.

Each dialog registers its command phrases ("status", "fortsätt analysen") and the action
names its buttons and forms carry ("report_status") in its ``register`` method; the
conversation dispatches from this table and keeps no word lists of its own. So a word a
dialog declares always reaches it, and two dialogs claiming the same word or action stop
the bot at start-up instead of one of them silently never being asked. In the spirit of
bolt-python's listener registry (``app.action("id")``) and errbot's ``@botcmd``, kept small.

A command is found by its first words, case-insensitively and without a trailing ``!``,
``.`` or ``,``; the dialog then looks at the whole message and may decline (return None),
in which case the message goes on to the organisation facts and the knowledge base
("gaps in pay between women and men?" starts like ``gaps`` but is a question).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from chat.replies import Action, Message, Reply

CommandHandler = Callable[[Message, list[str]], Awaitable[list[Reply] | None]]
ActionHandler = Callable[[Action], Awaitable[list[Reply]]]


class DuplicateRegistration(RuntimeError):
    """Two dialogs (or one, twice) declared the same command phrase or action name."""


@dataclass(frozen=True)
class Command:
    phrase: tuple[str, ...]
    owner: str
    handle: CommandHandler


@dataclass(frozen=True)
class ActionRoute:
    name: str
    owner: str
    handle: ActionHandler


class Declares(Protocol):
    """A dialog: it puts its commands and actions in the registry."""

    def register(self, registry: Registry) -> None: ...


def command_key(word: str) -> str:
    """A word as commands are looked up: lower case, trailing punctuation of a chat line gone."""
    return word.lower().strip("!.,")


class Registry:
    def __init__(self) -> None:
        self._commands: dict[tuple[str, ...], Command] = {}
        self._actions: dict[str, ActionRoute] = {}
        self._longest = 0  # words in the longest phrase: a long message is not sliced further

    def command(self, owner: str, phrases: Iterable[str], handle: CommandHandler) -> None:
        """``handle`` answers messages starting with any of ``phrases`` (words split on spaces)."""
        for phrase in phrases:
            key = tuple(command_key(word) for word in phrase.split())
            if not key or " ".join(key) != phrase:
                raise ValueError(f"{owner}: command {phrase!r} is not written as it is looked up")
            if key in self._commands:
                raise DuplicateRegistration(
                    f"command {phrase!r} declared by {self._commands[key].owner} and {owner}"
                )
            self._commands[key] = Command(key, owner, handle)
            self._longest = max(self._longest, len(key))

    def action(self, owner: str, names: Iterable[str], handle: ActionHandler) -> None:
        """``handle`` answers presses and submissions of the actions called ``names``."""
        for name in names:
            if name in self._actions:
                raise DuplicateRegistration(
                    f"action {name!r} declared by {self._actions[name].owner} and {owner}"
                )
            self._actions[name] = ActionRoute(name, owner, handle)

    def find_command(self, words: Sequence[str]) -> Command | None:
        """The command whose phrase the message starts with; the longest phrase wins."""
        key = tuple(command_key(word) for word in words[: self._longest])
        for length in range(len(key), 0, -1):
            found = self._commands.get(key[:length])
            if found is not None:
                return found
        return None

    def find_action(self, name: str) -> ActionRoute | None:
        return self._actions.get(name)

    @property
    def commands(self) -> Mapping[tuple[str, ...], Command]:
        return self._commands

    @property
    def actions(self) -> Mapping[str, ActionRoute]:
        return self._actions
