"""The quarterly reporting dialog: the status form, receipts, thread replies, status and export.

Platform-neutral: it returns ``Reply`` objects with a ``Form`` that the Slack
adapter renders as a modal and the Teams adapter as an Adaptive Card. Every
entry point checks who is asking first, because a status update speaks for an
administration and an export holds every administration's answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from bot.analysis_overview import analyses_overview
from bot.config import Settings
from bot.db import Database
from bot.db.base import utcnow
from bot.dialogs.registry import Registry
from bot.observability.metrics import record_status_update
from bot.quarter_report import load_quarter_report
from bot.texts import t
from chat.refs import thread_key
from chat.replies import Action, Button, FileAttachment, Form, FormField, Lang, Message, Reply
from knowledge.text import detect_language
from reminders.assessment import (
    ASSESSMENT_LIMIT,
    clean_assessment,
    get_assessment,
    save_assessment,
)
from reminders.calendar import deadline
from reminders.export import FORMATS, export_filename
from reminders.organisation import Administration, OrgConfig
from reminders.overview import overview_text
from reminders.periods import PeriodError, Quarter
from reminders.threads import find_reminder_thread
from reminders.updates import (
    OPEN_FORM,
    STATUSES,
    TEXT_FIELDS,
    TEXT_LIMIT,
    InvalidStatus,
    StatusInput,
    Submitter,
    latest_update,
    record_update,
    status_label,
    validate,
)

SUBMIT_FORM = "submit_status"
EXPORT_WORDS = frozenset({"export", "exportera"})
STATUS_WORDS = frozenset({"status"})
REPORT_WORDS = frozenset({"rapportera", "report"})
ASSESSMENT_WORDS = frozenset({"bedomning", "bedömning"})


class ReportingDialog:
    def __init__(
        self,
        org: OrgConfig,
        db: Database,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.org = org
        self.db = db
        self.settings = settings
        self.clock = clock

    # -- the conversation's entry points -----------------------------------------

    def register(self, registry: Registry) -> None:
        registry.command(
            "reporting", REPORT_WORDS | EXPORT_WORDS | STATUS_WORDS | ASSESSMENT_WORDS, self.on_command
        )
        registry.action("reporting", (OPEN_FORM, SUBMIT_FORM), self.on_action)

    async def on_action(self, action: Action) -> list[Reply]:
        lang: Lang = "sv"
        target = self._target(action.value)
        if target is None:
            return [Reply(kind="error", text=t("reporting.form.bad_context", lang), ephemeral=True)]
        adm, quarter = target
        if not self._may_report(action.platform, action.user_id, adm):
            return [self._refusal(adm, lang)]
        if action.action == OPEN_FORM:
            latest = await asyncio.to_thread(
                latest_update, self.db, self.org.organisation.id, adm.id, quarter.key
            )
            prefill = (
                {"status": latest.status or "", **{f: getattr(latest, f) for f in TEXT_FIELDS}}
                if latest
                else {}
            )
            form = self._form(adm, quarter, prefill, lang)
            return [Reply(kind="info", text=form.intro, form=form, lang=lang)]
        return await self._submit(action, adm, quarter, lang)

    async def on_command(self, msg: Message, words: list[str]) -> list[Reply] | None:
        command = words[0].lower() if words else ""
        lang: Lang = "en" if command == "report" else detect_language(msg.text)
        if command in REPORT_WORDS:
            return self._open_from_chat(msg, words[1:], lang)
        if command not in EXPORT_WORDS | STATUS_WORDS | ASSESSMENT_WORDS:
            return None
        if not self.org.is_strategist(msg.platform, msg.user_id):
            return [
                Reply(kind="error", text=t("reporting.refused.strategists_only", lang), lang=lang)
            ]
        usage = (
            "reporting.command.usage_export"
            if command in EXPORT_WORDS
            else "board.command.usage_assessment"
            if command in ASSESSMENT_WORDS
            else "reporting.command.usage_status"
        )
        if len(words) < 2:
            return [Reply(kind="error", text=t(usage, lang), lang=lang)]
        try:
            quarter = Quarter.parse(words[1])
        except PeriodError as exc:
            return [Reply(kind="error", text=f"{exc.message(lang)} {t(usage, lang)}", lang=lang)]
        if command in ASSESSMENT_WORDS:
            return [await asyncio.to_thread(self._assessment, msg, words[1], quarter, lang)]
        if command in STATUS_WORDS:
            now = self.clock()
            report = await asyncio.to_thread(
                load_quarter_report, self.db, self.org, quarter, lang, now
            )
            return [
                Reply(
                    kind="info",
                    title=t("reporting.overview.title", lang, period=quarter.key),
                    text=overview_text(report, now) + analyses_overview(report, lang),
                    lang=lang,
                )
            ]
        fmt = words[2].lower().lstrip(".") if len(words) > 2 else "xlsx"
        if fmt not in FORMATS:
            return [Reply(kind="error", text=t(usage, lang), lang=lang)]
        return [await asyncio.to_thread(self._export, quarter, fmt, lang)]

    async def on_thread_reply(self, msg: Message) -> list[Reply] | None:
        key = thread_key(msg.platform, msg.channel_id, msg.thread_id)
        if key is None:
            return None
        found = await asyncio.to_thread(
            find_reminder_thread, self.db, self.org.organisation.id, key
        )
        if found is None:
            return None
        adm = self.org.administration(found.administration_id)
        text = msg.text.strip()
        if adm is None or not text:
            return None
        lang = detect_language(text)
        if not self._may_report(msg.platform, msg.user_id, adm):
            return [self._refusal(adm, lang)]
        quarter = Quarter.parse(found.period)
        try:
            data = validate({"done": text}, lang, require_status=False)
        except InvalidStatus as exc:
            return [Reply(kind="error", text=exc.errors[0][1], lang=lang)]
        return await self._save(adm, quarter, data, msg, "reporting.receipt.thread", lang)

    # -- helpers -----------------------------------------------------------------

    def _target(self, value: str) -> tuple[Administration, Quarter] | None:
        """The administration and quarter a button or form is about (``"hsf|2025-Q1"``)."""
        adm_id, _, period = value.partition("|")
        adm = self.org.administration(adm_id)
        try:
            quarter = Quarter.parse(period)
        except PeriodError:
            return None
        return (adm, quarter) if adm else None

    def _may_report(self, platform: str, user_id: str, adm: Administration) -> bool:
        return self.org.is_strategist(platform, user_id) or any(
            a.id == adm.id for a in self.org.administrations_of(platform, user_id)
        )

    def _refusal(self, adm: Administration, lang: Lang) -> Reply:
        return Reply(
            kind="error",
            text=t("reporting.refused.report", lang, administration=adm.name),
            ephemeral=True,
            lang=lang,
        )

    def _form(
        self, adm: Administration, quarter: Quarter, values: dict[str, str], lang: Lang
    ) -> Form:
        status_options = tuple((s, status_label(s, lang)) for s in STATUSES)
        return Form(
            action=SUBMIT_FORM,
            title=t("reporting.form.title", lang, period=quarter.key),
            submit_label=t("reporting.form.submit", lang),
            value=f"{adm.id}|{quarter.key}",
            intro=t(
                "reporting.form.intro",
                lang,
                administration=adm.name,
                area=adm.development_area,
                deadline=deadline(self.org.reporting, quarter).isoformat(),
            ),
            fields=(
                FormField(
                    name="status",
                    label=t("reporting.form.status", lang),
                    kind="select",
                    options=status_options,
                    required=True,
                    initial=values.get("status", "") if values.get("status") in STATUSES else "",
                ),
                *(
                    FormField(
                        name=name,
                        label=t(f"reporting.form.{name}", lang),
                        kind="multiline",
                        max_length=TEXT_LIMIT,
                        initial=(values.get(name) or "")[:TEXT_LIMIT],
                    )
                    for name in TEXT_FIELDS
                ),
            ),
        )

    def _edit_button(self, adm: Administration, quarter: Quarter, lang: Lang) -> Button:
        return Button(t("reporting.receipt.edit", lang), OPEN_FORM, f"{adm.id}|{quarter.key}")

    async def _submit(
        self, action: Action, adm: Administration, quarter: Quarter, lang: Lang
    ) -> list[Reply]:
        try:
            data = validate(action.fields, lang)
        except InvalidStatus as exc:
            form = self._form(adm, quarter, dict(action.fields), lang)
            return [
                Reply(
                    kind="error",
                    text=" ".join(msg for _, msg in exc.errors),
                    field_errors=tuple(exc.errors),
                    form=form,
                    lang=lang,
                )
            ]
        status = status_label(data.status, lang)
        return await self._save(
            adm, quarter, data, action, "reporting.receipt", lang, status=status
        )

    async def _save(
        self,
        adm: Administration,
        quarter: Quarter,
        data: StatusInput,
        sender: Message | Action,
        receipt_key: str,
        lang: Lang,
        **values: str,
    ) -> list[Reply]:
        """Store a revision and answer with its receipt, which always offers to edit it."""
        revision = await asyncio.to_thread(
            self._store, adm, quarter, data, sender.platform, sender.user_id, sender.user_name
        )
        text = t(
            receipt_key,
            lang,
            administration=adm.name,
            period=quarter.key,
            revision=revision,
            **values,
        )
        return [
            Reply(
                kind="receipt",
                text=text,
                buttons=(self._edit_button(adm, quarter, lang),),
                lang=lang,
            )
        ]

    def _store(
        self,
        adm: Administration,
        quarter: Quarter,
        data: StatusInput,
        platform: str,
        user_id: str,
        user_name: str | None,
    ) -> int:
        person = self.org.person(platform, user_id)
        name = person.name if person else (user_name or user_id)
        revision = record_update(
            self.db,
            self.org.organisation.id,
            adm.id,
            quarter.key,
            data,
            Submitter(user_id, name, platform),
            now=self.clock(),
        )
        record_status_update(platform)
        return revision

    def _open_from_chat(self, msg: Message, args: list[str], lang: Lang) -> list[Reply]:
        """``rapportera [förvaltning] [2025-Q1]``: the form without waiting for a reminder."""
        quarter = Quarter.containing(self.clock().astimezone(self.org.tz).date()).previous()
        mine = self.org.administrations_of(msg.platform, msg.user_id)
        adm = mine[0] if len(mine) == 1 else None
        for arg in args:
            try:
                quarter = Quarter.parse(arg)
                continue
            except PeriodError:
                pass
            adm = self.org.administration(arg.lower()) or adm
        if adm is None:
            choices = mine or (
                self.org.administrations
                if self.org.is_strategist(msg.platform, msg.user_id)
                else []
            )
            if not choices:
                return [
                    Reply(
                        kind="error", text=t("reporting.refused.no_administration", lang), lang=lang
                    )
                ]
            return [
                Reply(
                    kind="info",
                    text=t("reporting.choose_administration", lang, period=quarter.key),
                    buttons=tuple(
                        Button(a.name, OPEN_FORM, f"{a.id}|{quarter.key}") for a in choices
                    ),
                    lang=lang,
                )
            ]
        if not self._may_report(msg.platform, msg.user_id, adm):
            return [self._refusal(adm, lang)]
        return [
            Reply(
                kind="info",
                text=t("reporting.open_form", lang, administration=adm.name, period=quarter.key),
                buttons=(
                    Button(
                        t("reporting.reminder.button", lang),
                        OPEN_FORM,
                        f"{adm.id}|{quarter.key}",
                        style="primary",
                    ),
                ),
                lang=lang,
            )
        ]

    def _assessment(self, msg: Message, quarter_word: str, quarter: Quarter, lang: Lang) -> Reply:
        """``bedomning 2025-Q1 <text>`` stores the board paper's Bedömning; without text, shows it.

        The text is taken from the raw message after the quarter, so its line breaks and
        ``- `` lists survive (the command words were split on whitespace).
        """
        org_id = self.org.organisation.id
        _, _, rest = msg.text.partition(quarter_word)
        text = clean_assessment(rest)
        if not text:
            stored = get_assessment(self.db, org_id, quarter.key)
            if stored is None:
                none = t("board.command.assessment_none", lang, period=quarter.key)
                return Reply(
                    kind="info",
                    text=f"{none} {t('board.command.usage_assessment', lang)}",
                    lang=lang,
                )
            when = stored.updated_at.astimezone(self.org.tz).strftime("%Y-%m-%d %H:%M")
            return Reply(kind="info", text=t("board.command.assessment_show", lang, period=quarter.key,
                         who=stored.written_by, when=when, text=stored.text), lang=lang)  # fmt: skip
        if len(text) > ASSESSMENT_LIMIT:
            limit = t(
                "board.command.assessment_too_long", lang, limit=ASSESSMENT_LIMIT, length=len(text)
            )
            return Reply(kind="error", text=limit, lang=lang)
        person = self.org.person(msg.platform, msg.user_id)
        name = person.name if person else (msg.user_name or msg.user_id)
        save_assessment(self.db, org_id, quarter.key, text, name, msg.platform, now=self.clock())
        return Reply(
            kind="receipt",
            text=t("board.command.assessment_saved", lang, period=quarter.key),
            lang=lang,
        )

    def _export(self, quarter: Quarter, fmt: str, lang: Lang) -> Reply:
        report = load_quarter_report(self.db, self.org, quarter, lang, self.clock())
        spec = FORMATS[fmt]
        return Reply(
            kind="info",
            text=t("reporting.export.ready", lang, period=quarter.key, format=fmt),
            file=FileAttachment(
                filename=export_filename(report, fmt),
                content=spec.render(report),
                mimetype=spec.mimetype,
                title=t("reporting.export.title", lang, period=quarter.key),
            ),
            lang=lang,
        )
