"""``jambot chat``: the conversation core in a terminal, for trying the bot without a platform.

Buttons are numbered; typing the number presses it. A form asks for each field
in turn. EOF (Ctrl-D) or ``exit`` quits. Replies are Markdown: on a terminal, bold and
headings become bold text and links show their address; piped, the marks are dropped.
"""

from __future__ import annotations

import asyncio
import getpass
import re
from pathlib import Path
from typing import TextIO

from bot.conversation import Conversation
from bot.texts import t
from chat.replies import Action, Button, Form, Message, Reply

EXIT_WORDS = frozenset({"exit", "quit", "avsluta"})
BOLD, PLAIN = "\033[1m", "\033[0m"
_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_EMPHASIS = re.compile(r"(?<![*\w])\*([^*\n]+?)\*(?![*\w])")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[*+]\s+", re.MULTILINE)


def render_markdown(text: str, ansi: bool) -> str:
    """Markdown for a terminal: **bold** and headings in bold (or plain), links as "label (url)"."""
    def bold(inner: str) -> str:
        return f"{BOLD}{inner}{PLAIN}" if ansi else inner

    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", text)
    text = _CODE.sub(lambda m: m.group(1), text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}- ", text)
    text = _STRONG.sub(lambda m: bold(m.group(1) or m.group(2)), text)
    text = _EMPHASIS.sub(lambda m: m.group(1), text)
    return _HEADING.sub(lambda m: bold(m.group(1)), text)


class TerminalChat:
    def __init__(self, conversation: Conversation, stdin: TextIO, stdout: TextIO, user_id: str | None = None) -> None:
        self.conversation = conversation
        self.stdin = stdin
        self.stdout = stdout
        self.user_id = user_id or getpass.getuser()
        self.buttons: list[Button] = []
        self.ansi = stdout.isatty()

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
                await self._show_all(replies)
            else:
                message = Message(platform="terminal", user_id=self.user_id, text=text, channel_id="terminal")
                self.buttons = []  # a new question: an earlier answer's buttons no longer apply
                await self._show_all(await self.conversation.handle_message(message))

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
        lines.append(render_markdown(reply.text, self.ansi))
        if reply.sources:
            lines.append("")
            lines.append(t("answer_sources", reply.lang) + ":")
            lines += [f"  - {s.title}: {s.url}" if s.url else f"  - {s.title}" for s in reply.sources]
        for name, message in reply.field_errors:
            lines.append(f"  ! {name}: {message}")
        if reply.file is not None:
            lines.append("  " + self._save(reply))
        for button in reply.buttons:
            self.buttons.append(button)
            lines.append(f"  [{len(self.buttons)}] {button.label}")
        self._print("\n".join(lines))

    def _save(self, reply: Reply) -> str:
        """An export in the terminal is a file in the current directory, like ``jambot export``."""
        assert reply.file is not None
        path = Path(Path(reply.file.filename).name)  # never a path the server chose
        try:
            path.write_bytes(reply.file.content)
        except OSError as exc:
            return t("terminal_file_failed", reply.lang, filename=path, reason=exc.strerror)
        return t("terminal_file_saved", reply.lang, path=path.resolve(), size=len(reply.file.content))

    async def _fill(self, form: Form) -> list[Reply] | None:
        self._print(f"\n{form.title}\n{render_markdown(form.intro, self.ansi)}".rstrip())
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
