"""What a reminder says: the neutral ``Reply`` every platform renders the same way."""

from __future__ import annotations

from datetime import date

from chat.replies import Button, Reply
from reminders.organisation import Administration
from reminders.schedule import DueReminder
from reminders.texts import t
from reminders.updates import OPEN_FORM


def format_day(day: date, lang: str = "sv") -> str:
    months = t("reporting.months", lang).split(",")
    return f"{day.day} {months[day.month - 1]} {day.year}"


def reminder_reply(adm: Administration, due: DueReminder, lang: str = "sv") -> Reply:
    step = due.reminder.step
    body_key = (
        "reporting.reminder.overdue"
        if due.reminder.is_overdue
        else "reporting.reminder.deadline"
        if step == "deadline"
        else "reporting.reminder.before"
    )
    values = {
        "administration": adm.name,
        "area": adm.development_area,
        "period": due.reminder.period,
        "deadline": format_day(due.reminder.deadline, lang),
    }
    return Reply(
        kind="reminder",
        title=t("reporting.reminder.title", lang, **values),
        text=t(body_key, lang, **values) + "\n\n" + t("reporting.reminder.how", lang),
        buttons=(
            Button(
                t("reporting.reminder.button", lang),
                OPEN_FORM,
                f"{adm.id}|{due.reminder.period}",
                style="primary",
            ),
        ),
        lang="en" if lang == "en" else "sv",
    )
