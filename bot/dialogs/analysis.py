"""The guided gender-equality analysis: from an empty section to a ready text for the paper.

Platform-neutral: each step of the guide (``knowledge/guides.py``) becomes a ``Form``,
which the Slack adapter shows as a modal (the next step replaces it), Teams as an
Adaptive Card, the web chat as a form and the terminal one question at a time. The
answers are kept as a draft per person after every step, so a walk can be left and
continued ("fortsätt analysen") and edited afterwards. Every action carries the draft
id, and every lookup checks that the draft is the asker's own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.db import Database
from bot.db.base import utcnow
from bot.dialogs.analysis_text import DOCX_MIMETYPE, MARKDOWN_MIMETYPE, compose
from bot.dialogs.registry import Registry
from bot.pseudonym import user_key
from bot.stores import analysis as store
from bot.stores.analysis import Draft
from bot.texts import t
from chat.replies import Action, Button, FileAttachment, Form, FormField, Lang, Message, Reply
from knowledge import BUNDLED_CONTENT, KnowledgeBase
from knowledge.entry import Entry
from knowledge.guides import Guide, Step, load_guides
from reminders.organisation import OrgConfig

BEGIN = "analysis_begin"  # value: lang; the offer under an answer, same as the command
START = "analysis_start"  # value: guide id|lang
OPEN = "analysis_open"  # value: draft id|step id
SUBMIT = "analysis_step"  # value: draft id|step id, with the step's fields
DOWNLOAD = "analysis_download"  # value: draft id|docx or md
ACTIONS = frozenset({BEGIN, START, OPEN, SUBMIT, DOWNLOAD})
START_WORDS: dict[str, Lang] = {"analys": "sv", "analysis": "en"}
CONTINUE_PHRASES: dict[tuple[str, ...], Lang] = {
    ("fortsätt", "analysen"): "sv",
    ("fortsätt", "analys"): "sv",
    ("continue", "analysis"): "en",
    ("continue", "the", "analysis"): "en",
}
_UTC = ZoneInfo("UTC")
FORMATS = {"docx": ("DOCX", DOCX_MIMETYPE), "md": ("Markdown", MARKDOWN_MIMETYPE)}


class AnalysisDialog:
    def __init__(
        self,
        guides: list[Guide],
        kb: KnowledgeBase,
        org: OrgConfig | None,
        org_id: str,
        db: Database,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.guides = guides
        self.kb = kb
        self.org = org
        self.org_id = org_id
        self.db = db
        self.secret = settings.pseudonym_secret
        self.retention_days = settings.log_retention_days
        self.clock = clock

    # -- the conversation's entry points -------------------------------------------------------

    def register(self, registry: Registry) -> None:
        continuing = (" ".join(phrase) for phrase in CONTINUE_PHRASES)
        registry.command("analysis", [*START_WORDS, *continuing], self.on_command)
        registry.action("analysis", ACTIONS, self.on_action)

    def command(self, words: list[str]) -> tuple[str, Lang] | None:
        """``("start" | "continue", lang)`` when the message asks for the analysis."""
        lowered = tuple(w.lower().strip("!.,") for w in words)
        if lowered in CONTINUE_PHRASES:
            return "continue", CONTINUE_PHRASES[lowered]
        if (
            lowered
            and lowered[0] in START_WORDS
            and (len(lowered) == 1 or (len(lowered) == 2 and self._guide(lowered[1], "sv")))
        ):
            return "start", START_WORDS[lowered[0]]
        return None

    async def on_command(self, msg: Message, words: list[str]) -> list[Reply] | None:
        recognised = self.command(words)
        if recognised is None:
            return None
        kind, lang = recognised
        if kind == "continue":
            return [await self._continue(msg.platform, msg.user_id, lang)]
        chosen = words[1].lower() if len(words) == 2 else None
        return [await self._offer(msg.platform, msg.user_id, lang, chosen)]

    async def on_action(self, action: Action) -> list[Reply]:
        if action.action == BEGIN:
            lang: Lang = "en" if action.value == "en" else "sv"
            return [await self._offer(action.platform, action.user_id, lang, None)]
        if action.action == START:
            return [await self._start(action)]
        head, _, tail = action.value.partition("|")
        draft = await self._own(action, head)
        if draft is None:
            return [Reply(kind="error", text=t("analysis.not_found"), ephemeral=True)]
        lang = _lang(draft.lang)
        guide = self._guide(draft.guide_id, lang)
        if guide is None:
            return [Reply(kind="error", text=t("analysis.guide_gone", lang), lang=lang)]
        if action.action == OPEN:
            step = guide.step(tail) or guide.steps[0]
            return [self._form_reply(guide, draft, step, draft.answers)]
        if action.action == SUBMIT:
            return [await self._submit(action, guide, draft, tail)]
        return [self._download(guide, draft, tail)]

    def offer_buttons(self, entry: Entry, lang: Lang) -> list[Button]:
        """The "do an analysis" button under answers the guides ask for (by entry id or tag)."""
        if any(g.offered_after(entry.id, entry.tags) for g in self.guides):
            return [Button(t("analysis.offer_button", lang), BEGIN, lang)]
        return []

    # -- steps ---------------------------------------------------------------------------------

    async def _offer(self, platform: str, user_id: str, lang: Lang, chosen: str | None) -> Reply:
        guides = self._guides(lang)
        if chosen is not None:
            guides = [g for g in guides if g.id == chosen] or guides
        if not guides:
            return Reply(kind="error", text=t("analysis.unavailable", lang), lang=lang)
        key = user_key(self.secret, platform, user_id)
        draft = await asyncio.to_thread(store.latest_draft, self.db, self.org_id, key)
        lines = [t("analysis.intro", lang, heading=guides[0].heading)]
        buttons: list[Button] = []
        if draft is not None and not draft.completed:
            draft_guide = self._guide(draft.guide_id, lang)
            if draft_guide is not None:
                date = draft.updated_at.date().isoformat()
                lines.append(t("analysis.has_draft", lang, date=date, guide=draft_guide.title))
                buttons.append(
                    Button(
                        t("analysis.continue", lang), OPEN, f"{draft.id}|{draft.step_id}", "primary"
                    )
                )
        if len(guides) == 1:
            label = t("analysis.start_new" if buttons else "analysis.start", lang)
            buttons.append(
                Button(label, START, f"{guides[0].id}|{lang}", None if buttons else "primary")
            )
        else:
            lines.append(t("analysis.choose_guide", lang))
            lines.append("\n".join(f"- **{g.title}**: {g.summary}" for g in guides))
            buttons += [Button(g.title, START, f"{g.id}|{lang}") for g in guides]
        return Reply(kind="info", text="\n\n".join(lines), buttons=tuple(buttons), lang=lang)

    async def _continue(self, platform: str, user_id: str, lang: Lang) -> Reply:
        key = user_key(self.secret, platform, user_id)
        draft = await asyncio.to_thread(store.latest_draft, self.db, self.org_id, key)
        guide = self._guide(draft.guide_id, _lang(draft.lang)) if draft else None
        if draft is None or guide is None:
            return Reply(kind="info", text=t("analysis.no_draft", lang), lang=lang)
        if draft.completed:
            return self._finished_reply(guide, draft)
        lang = _lang(draft.lang)
        text = t(
            "analysis.has_draft", lang, date=draft.updated_at.date().isoformat(), guide=guide.title
        )
        button = Button(
            t("analysis.continue", lang), OPEN, f"{draft.id}|{draft.step_id}", "primary"
        )
        return Reply(kind="info", text=text, buttons=(button,), lang=lang)

    async def _start(self, action: Action) -> Reply:
        guide_id, _, lang_code = action.value.partition("|")
        lang = _lang(lang_code)
        guide = self._guide(guide_id, lang)
        if guide is None:
            return Reply(kind="error", text=t("analysis.guide_gone", lang), lang=lang)
        key = user_key(self.secret, action.platform, action.user_id)
        draft = await asyncio.to_thread(
            store.create_draft,
            self.db,
            self.org_id,
            key,
            guide.id,
            guide.lang,
            guide.steps[0].id,
            self.clock(),
        )
        return self._form_reply(guide, draft, guide.steps[0], {})

    async def _submit(self, action: Action, guide: Guide, draft: Draft, step_id: str) -> Reply:
        step = guide.step(step_id)
        lang = _lang(draft.lang)
        if step is None:
            return Reply(kind="error", text=t("analysis.not_found", lang), lang=lang)
        values = {f.id: action.fields.get(f.id, "").strip() for f in step.fields}
        errors = _check(step, values, lang)
        answers = {**draft.answers, **values}
        if errors:
            reply = self._form_reply(guide, draft, step, answers)
            text = " ".join(message for _, message in errors)
            return Reply(kind="error", text=text, form=reply.form, field_errors=errors, lang=lang)
        walk = guide.walk(answers)
        position = next((i for i, s in enumerate(walk) if s.id == step.id), len(walk) - 1)
        following = walk[position + 1] if position + 1 < len(walk) else None
        key = user_key(self.secret, action.platform, action.user_id)
        saved = await asyncio.to_thread(
            store.save_answers,
            self.db,
            self.org_id,
            key,
            draft.id,
            values,
            following.id if following else step.id,
            self.clock(),
        )
        if saved is None:
            return Reply(kind="error", text=t("analysis.not_found", lang), lang=lang)
        if following is not None:
            return self._form_reply(guide, saved, following, saved.answers)
        finished = await asyncio.to_thread(
            store.complete,
            self.db,
            self.org_id,
            key,
            draft.id,
            self._administration(action.platform, action.user_id),
            self.org.tz if self.org else _UTC,
            self.clock(),
        )
        return self._finished_reply(guide, finished or saved)

    def _download(self, guide: Guide, draft: Draft, fmt: str) -> Reply:
        lang = _lang(draft.lang)
        name, mimetype = FORMATS.get(fmt, FORMATS["md"])
        section = compose(guide, draft.answers)
        content = section.docx() if fmt == "docx" else section.markdown().encode("utf-8")
        day = draft.updated_at.date().isoformat()
        return Reply(
            kind="info",
            text=t("analysis.download_ready", lang, format=name),
            file=FileAttachment(
                filename=f"{guide.id}-{day}.{'docx' if fmt == 'docx' else 'md'}",
                content=content,
                mimetype=mimetype,
                title=t("analysis.file_title", lang),
            ),
            lang=lang,
        )

    # -- replies -------------------------------------------------------------------------------

    def _form_reply(self, guide: Guide, draft: Draft, step: Step, answers: dict[str, str]) -> Reply:
        lang = _lang(draft.lang)
        walk = guide.walk(answers)
        number = next((i for i, s in enumerate(walk) if s.id == step.id), 0) + 1
        last = number == len(walk) and not any(f.kind == "choice" for f in step.fields)
        intro = f"**{step.title}**\n{step.help}"
        entry = self.kb.get(step.entry, lang) if step.entry else None
        if entry is not None:
            intro += "\n" + t("analysis.form.read_more", lang, title=entry.title)
        form = Form(
            action=SUBMIT,
            title=t("analysis.form.title", lang, n=number, total=len(walk)),
            submit_label=t("analysis.form.finish" if last else "analysis.form.next", lang),
            value=f"{draft.id}|{step.id}",
            intro=intro,
            fields=tuple(
                FormField(
                    name=f.id,
                    label=f.label,
                    kind="select" if f.kind == "choice" else f.kind,
                    options=tuple((c.value, c.label) for c in f.choices),
                    max_length=f.max_length,
                    required=f.required,
                    initial=answers.get(f.id, "")[: f.max_length],
                    placeholder=f.placeholder,
                )
                for f in step.fields
            ),
        )
        # The form carries the help text itself; repeating it as the message only doubles it.
        return Reply(kind="info", text="", form=form, lang=lang)

    def _finished_reply(self, guide: Guide, draft: Draft) -> Reply:
        lang = _lang(draft.lang)
        section = compose(guide, draft.answers)
        return Reply(
            kind="info",
            title=section.heading,
            text=t("analysis.done.intro", lang, heading=section.heading) + "\n\n" + section.body(),
            buttons=(
                Button(t("analysis.download_docx", lang), DOWNLOAD, f"{draft.id}|docx"),
                Button(t("analysis.download_md", lang), DOWNLOAD, f"{draft.id}|md"),
                Button(t("analysis.edit", lang), OPEN, f"{draft.id}|{guide.steps[0].id}"),
            ),
            footer=t("analysis.done.footer", lang, days=self.retention_days),
            lang=lang,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _guides(self, lang: Lang) -> list[Guide]:
        """The guides in ``lang``, a Swedish one standing in where no translation exists."""
        chosen = {g.id: g for g in self.guides if g.lang == "sv"}
        chosen.update({g.id: g for g in self.guides if g.lang == lang})
        return list(chosen.values())

    def _guide(self, guide_id: str, lang: Lang) -> Guide | None:
        return next((g for g in self._guides(lang) if g.id == guide_id), None) or next(
            (g for g in self.guides if g.id == guide_id), None
        )

    async def _own(self, action: Action, draft_id: str) -> Draft | None:
        if not draft_id.isdigit() or len(draft_id) > 18:
            return None
        key = user_key(self.secret, action.platform, action.user_id)
        return await asyncio.to_thread(store.own_draft, self.db, self.org_id, key, int(draft_id))

    def _administration(self, platform: str, user_id: str) -> str | None:
        """Whose analysis it is for the count: the person's (first) administration, if any."""
        if self.org is None:
            return None
        mine = self.org.administrations_of(platform, user_id)
        return mine[0].id if mine else None


def _check(step: Step, values: dict[str, str], lang: Lang) -> tuple[tuple[str, str], ...]:
    errors: list[tuple[str, str]] = []
    for f in step.fields:
        value = values[f.id]
        if f.required and not value:
            errors.append((f.id, t("analysis.form.required", lang)))
        elif len(value) > f.max_length:
            errors.append((f.id, t("analysis.form.too_long", lang, limit=f.max_length)))
        elif f.kind == "choice" and value and f.choice(value) is None:
            errors.append((f.id, t("analysis.form.bad_choice", lang)))
    return tuple(errors)


def _lang(code: str) -> Lang:
    return "en" if code == "en" else "sv"


def build_analysis(
    kb: KnowledgeBase, org: OrgConfig | None, org_id: str, db: Database, settings: Settings
) -> AnalysisDialog:
    """The dialog with the guides of the configured knowledge base (broken ones are logged
    and skipped, so a bad guide file never stops the bot)."""
    guides = load_guides(settings.kb_dir or BUNDLED_CONTENT).guides
    fixed = settings.now
    clock: Callable[[], datetime] = (lambda: fixed) if fixed is not None else utcnow
    return AnalysisDialog(guides, kb, org, org_id, db, settings, clock)
