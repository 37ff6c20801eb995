"""``jambot chat``: the conversation core in a terminal, for trying the bot without a platform.

Buttons are numbered; typing the number presses it. A form asks for each field
in turn. EOF (Ctrl-D) or ``exit`` quits.
"""

from __future__ import annotations

import asyncio
import getpass
from typing import TextIO

from bot.conversation import Conversation
from bot.replies import Action, Button, Form, Message, Reply
from bot.texts import t

EXIT_WORDS = frozenset({"exit", "quit", "avsluta"})


class TerminalChat:
    def __init__(self, conversation: Conversation, stdin: TextIO, stdout: TextIO, user_id: str | None = None) -> None:
        self.conversation = conversation
        self.stdin = stdin
        self.stdout = stdout
        self.user_id = user_id or getpass.getuser()
        self.buttons: list[Button] = []

    async def run(self) -> int:
        self._print(t("terminal_intro"))
        while True:
            line = await self._read("> ")
            if line is None or line.strip().lower() in EXIT_WORDS:
                return 0
            text = line.strip()
            if not text:
                continue
            if text.isdigit() and 1 <= int(text) <= len(self.buttons):
                button = self.buttons[int(text) - 1]
                replies = await self.conversation.handle_action(self._action(button.action, button.value))
            else:
                message = Message(platform="terminal", user_id=self.user_id, text=text, channel_id="terminal")
                replies = await self.conversation.handle_message(message)
            await self._show_all(replies)

    async def _show_all(self, replies: list[Reply]) -> None:
        if any(reply.buttons for reply in replies):
            self.buttons = []  # new choices; otherwise the earlier ones stay pressable ("thanks!")
        for reply in replies:
            self._show(reply)
            if reply.form is not None:
                follow_up = await self._fill(reply.form)
                if follow_up is not None:
                    await self._show_all(follow_up)
                    return

    def _show(self, reply: Reply) -> None:
        lines = [""]
        if reply.title:
            lines += [reply.title, "=" * len(reply.title)]
        lines.append(reply.text)
        if reply.sources:
            lines.append("")
            lines.append(t("answer_sources", reply.lang) + ":")
            lines += [f"  - {s.title}: {s.url}" for s in reply.sources]
        for name, message in reply.field_errors:
            lines.append(f"  ! {name}: {message}")
        if reply.file is not None:
            lines.append(f"  [{reply.file.filename}, {len(reply.file.content)} bytes]")
        for button in reply.buttons:
            self.buttons.append(button)
            lines.append(f"  [{len(self.buttons)}] {button.label}")
        self._print("\n".join(lines))

    async def _fill(self, form: Form) -> list[Reply] | None:
        self._print(f"\n{form.title}\n{form.intro}".rstrip())
        fields: dict[str, str] = {}
        for field in form.fields:
            options = ", ".join(f"{value}={label}" for value, label in field.options)
            prompt = f"{field.label}{' (' + options + ')' if options else ''}: "
            answer = await self._read(prompt)
            if answer is None:
                return None
            fields[field.name] = answer.strip() or field.initial
        return await self.conversation.handle_action(self._action(form.action, form.value, fields))

    def _action(self, name: str, value: str, fields: dict[str, str] | None = None) -> Action:
        return Action(
            platform="terminal", user_id=self.user_id, action=name, value=value,
            channel_id="terminal", fields=fields or {},
        )

    async def _read(self, prompt: str) -> str | None:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = await asyncio.to_thread(self.stdin.readline)
        return line if line else None

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()
