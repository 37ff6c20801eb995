"""Claim-then-send: every reminder goes out at most once, however many runs race for it.

Before a reminder is sent, a ReminderSend row is inserted under the unique key
(org, administration, period, step, recipient). Whoever inserts it owns the send;
everyone else gets an IntegrityError and moves on. That holds across restarts, a
cron ``jambot remind`` next to the server, and two replicas at once, on SQLite
(WAL, one writer at a time) and PostgreSQL (the unique index waits for the first
transaction). Failures are recorded and re-claimed by an atomic UPDATE that only
one process can win; a claim left behind by a crashed process is taken over
after ``stale_after``. A crash between the platform accepting a message and the
row being marked sent would then send the reminder twice, so every reminder is
tagged with its send key, and before a stale claim is re-sent the outbox is asked
whether the tagged message is already there (``FindsSent``; Slack looks in the
conversation's history): if so the row is marked sent with that message and
nothing is posted. Teams cannot be asked, so there that window remains
(documented in docs/reporting.md).

A contact the bot cannot reach (no Slack or Teams id, no platform configured, or
a delivery that failed for good) is reported to the strategists once per period.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from chat.outbox import Delivery, FindsSent, Outbox, Recipient
from chat.replies import Button, Platform, Reply
from reminders.organisation import Administration, OrgConfig, Person
from reminders.ports import Database, NoMetrics, ReminderMetrics
from reminders.ratelimit import RateLimiter
from reminders.retry import retry_operational
from reminders.schedule import DueReminder
from reminders.tables import ReminderSend, utcnow
from reminders.texts import t

log = logging.getLogger(__name__)

NOTICE_STEP = "unreachable"
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=10)
CONCURRENCY = 16


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# -- who receives what ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str  # stored as ReminderSend.recipient, e.g. "slack:U0HSF1" or "slack:C0RSF"
    recipient: Recipient
    who: str  # for people: the contact's name, or the channel


def _channels(adm: Administration) -> tuple[tuple[Platform, str, str | None], ...]:
    """The administration's configured channels, Slack first (the order reminders go out)."""
    return (("slack", "Slack", adm.slack_channel), ("teams", "Teams", adm.teams_channel))


def reminder_targets(
    adm: Administration, platforms: frozenset[str]
) -> tuple[list[Target], list[Person]]:
    """Where an administration's reminder goes, and the contacts it cannot reach.

    A configured channel reaches the whole administration; otherwise each contact
    gets a DM on Slack if possible, else on Teams (never both: one nudge is enough).
    """
    channels = [
        Target(f"{platform}:{channel}", Recipient(platform, channel_id=channel), f"{label} {channel}")
        for platform, label, channel in _channels(adm)
        if channel and platform in platforms
    ]
    if channels:
        return channels, []
    targets: list[Target] = []
    unreachable: list[Person] = []
    for contact in adm.contacts:
        if contact.slack and "slack" in platforms:
            targets.append(
                Target(
                    f"slack:{contact.slack}",
                    Recipient("slack", user_id=contact.slack),
                    contact.name,
                )
            )
        elif contact.teams and "teams" in platforms:
            targets.append(
                Target(
                    f"teams:{contact.teams}",
                    Recipient("teams", user_id=contact.teams),
                    contact.name,
                )
            )
        else:
            unreachable.append(contact)
    return targets, unreachable


def notice_targets(org: OrgConfig, platforms: frozenset[str]) -> list[Recipient]:
    """The escalation channel(s), or else each strategist directly."""
    channels = []
    if org.escalation.slack_channel and "slack" in platforms:
        channels.append(Recipient("slack", channel_id=org.escalation.slack_channel))
    if org.escalation.teams_channel and "teams" in platforms:
        channels.append(Recipient("teams", channel_id=org.escalation.teams_channel))
    if channels:
        return channels
    direct = []
    for strategist in org.strategists:
        if strategist.slack and "slack" in platforms:
            direct.append(Recipient("slack", user_id=strategist.slack))
        elif strategist.teams and "teams" in platforms:
            direct.append(Recipient("teams", user_id=strategist.teams))
    return direct


def _why_unreachable(person: Person) -> str:
    if person.slack or person.teams:
        return "reporting.unreachable.no_platform"
    return "reporting.unreachable.no_id"


def contact_key(person: Person) -> str:
    return (person.email or person.slack or person.teams or person.name)[:180]


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
                "report_status",
                f"{adm.id}|{due.reminder.period}",
                style="primary",
            ),
        ),
        lang="en" if lang == "en" else "sv",
    )


# -- the claim ---------------------------------------------------------------------


@dataclass(frozen=True)
class SendKey:
    org_id: str
    administration_id: str
    period: str
    step: str
    recipient: str

    def where(self) -> list[ColumnElement[bool]]:
        return [
            ReminderSend.org_id == self.org_id,
            ReminderSend.administration_id == self.administration_id,
            ReminderSend.period == self.period,
            ReminderSend.step == self.step,
            ReminderSend.recipient == self.recipient,
        ]

    def tag(self) -> str:
        """The identity the sent message carries, to find it again after a crash."""
        return "|".join(
            (self.org_id, self.administration_id, self.period, self.step, self.recipient)
        )


@dataclass(frozen=True)
class Claim:
    send_id: int
    # When the claim was taken over from a process that died mid-send: since when that
    # process may have delivered the message. None for a first send or a failed-send retry.
    stale_since: datetime | None = None


def claim(
    db: Database,
    key: SendKey,
    platform: str,
    worker: str,
    max_attempts: int = MAX_ATTEMPTS,
    stale_after: timedelta = STALE_AFTER,
) -> Claim | None:
    """Take the send for this process; None when it is sent, in flight elsewhere, or given up."""
    now = utcnow()
    try:
        with db.session() as session:
            row = ReminderSend(
                org_id=key.org_id,
                administration_id=key.administration_id,
                period=key.period,
                step=key.step,
                recipient=key.recipient,
                platform=platform,
                status="claimed",
                attempts=1,
                claimed_by=worker,
                claimed_at=now,
            )
            session.add(row)
            session.flush()
            return Claim(row.id)
    except IntegrityError:
        pass  # the row exists: re-claim it only if it failed or its claimer died
    with db.session() as session:
        before = session.execute(
            select(ReminderSend.status, ReminderSend.claimed_at).where(*key.where())
        ).one_or_none()
        result = session.execute(
            update(ReminderSend)
            .where(
                *key.where(),
                or_(
                    and_(ReminderSend.status == "failed", ReminderSend.attempts < max_attempts),
                    and_(
                        ReminderSend.status == "claimed",
                        ReminderSend.claimed_at < now - stale_after,
                    ),
                ),
            )
            .values(
                status="claimed",
                attempts=ReminderSend.attempts + 1,
                claimed_by=worker,
                claimed_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        send_id = session.scalar(select(ReminderSend.id).where(*key.where()))
        assert send_id is not None
        # The UPDATE only matched a "claimed" row if it was stale; what was read just before it
        # is that claim (had another process taken it over in between, the UPDATE would miss).
        stale = before is not None and before.status == "claimed"
        return Claim(send_id, before.claimed_at if stale and before is not None else None)


# The message is out once delivered: losing the record of it to a brief database outage would
# leave the claim to go stale and the reminder to be sent again, so recording waits it out.
RECORD_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)


def record_outcome(
    db: Database, send_id: int, delivery: Delivery, max_attempts: int = MAX_ATTEMPTS
) -> str:
    """Store how a send went; return the new status (sent, failed or undeliverable)."""
    return retry_operational(
        lambda: _record_outcome(db, send_id, delivery, max_attempts),
        RECORD_RETRY_DELAYS,
        f"recording send {send_id}",
    )


def _record_outcome(db: Database, send_id: int, delivery: Delivery, max_attempts: int) -> str:
    with db.session() as session:
        row = session.get_one(ReminderSend, send_id)
        if delivery.ok:
            row.status = "sent"
            row.sent_at = utcnow()
            row.error = None
            row.message_ref = delivery.ref.as_json() if delivery.ref else None
            row.thread_key = delivery.ref.thread_key() if delivery.ref else None
        else:
            permanent = not delivery.retryable or row.attempts >= max_attempts
            row.status = "undeliverable" if permanent else "failed"
            row.error = (delivery.error or "unknown error")[:2000]
    return row.status


def send_status(db: Database, key: SendKey) -> str | None:
    with db.session() as session:
        return session.scalar(select(ReminderSend.status).where(*key.where()))


# -- a run ---------------------------------------------------------------------------


@dataclass
class RunReport:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # retried on the next run
    undeliverable: list[str] = field(default_factory=list)  # given up; strategists told
    skipped: list[str] = field(default_factory=list)  # already sent or in flight elsewhere
    would_send: list[str] = field(default_factory=list)  # dry run
    unreachable: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Job:
    due: DueReminder
    target: Target

    def key(self, org_id: str) -> SendKey:
        r = self.due.reminder
        return SendKey(org_id, self.due.administration.id, r.period, r.step, self.target.key)

    def label(self) -> str:
        r = self.due.reminder
        return f"{r.period} {r.step} {self.due.administration.id} -> {self.target.key}"


@dataclass(frozen=True)
class _Unreachable:
    adm: Administration
    period: str
    step: str
    who: str  # contact name (and why)
    key: str  # contact key


class Dispatcher:
    def __init__(
        self,
        db: Database,
        org: OrgConfig,
        outboxes: Mapping[str, Outbox],
        worker: str | None = None,
        limiter: RateLimiter | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        stale_after: timedelta = STALE_AFTER,
        concurrency: int = CONCURRENCY,
        metrics: ReminderMetrics | None = None,
    ) -> None:
        self.db = db
        self.org = org
        self.outboxes = outboxes
        self.worker = worker or worker_id()
        self.limiter = limiter
        self.max_attempts = max_attempts
        self.stale_after = stale_after
        self._slots = asyncio.Semaphore(concurrency)
        self.metrics = metrics or NoMetrics()

    @property
    def org_id(self) -> str:
        return self.org.organisation.id

    async def run(self, due: Sequence[DueReminder], dry_run: bool = False) -> RunReport:
        report = RunReport()
        platforms = frozenset(self.outboxes)
        jobs: list[_Job] = []
        unreachable: list[_Unreachable] = []
        for item in due:
            targets, lost = reminder_targets(item.administration, platforms)
            jobs.extend(_Job(item, target) for target in targets)
            unreachable.extend(
                _Unreachable(
                    item.administration,
                    item.reminder.period,
                    item.reminder.step,
                    f"{p.name} ({t(_why_unreachable(p))})",
                    contact_key(p),
                )
                for p in lost
            )
        if dry_run:
            for job in jobs:
                status = await asyncio.to_thread(send_status, self.db, job.key(self.org_id))
                (
                    report.skipped
                    if status in ("sent", "claimed", "undeliverable")
                    else report.would_send
                ).append(job.label())
            report.unreachable = sorted({f"{u.period} {u.adm.id}: {u.who}" for u in unreachable})
            return report
        outcomes = await asyncio.gather(*(self._send(job, report) for job in jobs))
        for job, (status, error) in zip(jobs, outcomes, strict=True):
            if status == "undeliverable":
                unreachable.append(
                    _Unreachable(
                        job.due.administration,
                        job.due.reminder.period,
                        job.due.reminder.step,
                        f"{job.target.who} ({job.target.recipient.platform}: {error})",
                        job.target.key,
                    )
                )
        await self._report_unreachable(unreachable, report)
        return report

    async def _send(self, job: _Job, report: RunReport) -> tuple[str | None, str | None]:
        """Claim, deliver and record one reminder; (new status, delivery error)."""
        key = job.key(self.org_id)
        async with self._slots:
            # Wait for the rate limit *before* claiming: a claim then lives only as long as the
            # send itself, so a replica killed mid-run strands at most the sends in flight
            # (a claim is only taken over after ``stale_after``), not every one queued.
            if await asyncio.to_thread(send_status, self.db, key) in ("sent", "undeliverable"):
                report.skipped.append(job.label())
                return None, None
            if self.limiter is not None:
                await self.limiter.before_send(job.target.recipient)
            taken = await asyncio.to_thread(
                claim,
                self.db,
                key,
                job.target.recipient.platform,
                self.worker,
                self.max_attempts,
                self.stale_after,
            )
            if taken is None:
                report.skipped.append(job.label())
                return None, None
            delivery = await self._already_sent(job.target.recipient, key, taken)
            if delivery is None:
                reply = replace(reminder_reply(job.due.administration, job.due), tag=key.tag())
                delivery = await self._deliver(job.target.recipient, reply)
            status = await asyncio.to_thread(
                record_outcome, self.db, taken.send_id, delivery, self.max_attempts
            )
            self.metrics.reminder_outcome(job.target.recipient.platform, delivery.ok)
        outcome = {"sent": report.sent, "failed": report.failed}.get(status, report.undeliverable)
        outcome.append(job.label() + ("" if delivery.ok else f" ({delivery.error})"))
        return status, delivery.error

    async def _already_sent(
        self, recipient: Recipient, key: SendKey, taken: Claim
    ) -> Delivery | None:
        """After a crashed send, the message the platform already accepted, if it can tell."""
        outbox = self.outboxes[recipient.platform]
        if taken.stale_since is None or not isinstance(outbox, FindsSent):
            return None
        found = await outbox.find_sent(recipient, key.tag(), taken.stale_since)
        if found is not None:
            log.info("reminder %s was already delivered before a crash; not sent again", key.tag())
        return found

    async def _paced_deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        if self.limiter is not None:
            await self.limiter.before_send(recipient)
        return await self._deliver(recipient, reply)

    async def _deliver(self, recipient: Recipient, reply: Reply) -> Delivery:
        outbox = self.outboxes[recipient.platform]
        try:
            return await outbox.deliver(recipient, reply)
        except Exception as exc:  # an outbox must not raise, but one bad send must not stop the run
            log.exception("outbox %s raised", recipient.platform)
            return Delivery(ok=False, error=f"{type(exc).__name__}: {exc}", retryable=True)

    async def _report_unreachable(self, unreachable: list[_Unreachable], report: RunReport) -> None:
        """Tell the strategists, once per contact and period, whom the reminders did not reach."""
        claimed: list[tuple[Claim, _Unreachable]] = []
        for item in unreachable:
            key = SendKey(self.org_id, item.adm.id, item.period, NOTICE_STEP, f"contact:{item.key}")
            taken = await asyncio.to_thread(
                claim, self.db, key, "notice", self.worker, self.max_attempts, self.stale_after
            )
            if taken is not None:
                claimed.append((taken, item))
        if not claimed:
            return
        by_period: dict[tuple[str, str], list[str]] = {}
        for _, item in claimed:
            by_period.setdefault((item.period, item.step), []).append(
                f"• {item.adm.name}: {item.who}"
            )
        text = "\n\n".join(
            t("reporting.unreachable", period=period, step=step, people="\n".join(lines))
            for (period, step), lines in sorted(by_period.items())
        )
        reply = Reply(kind="escalation", text=text)
        recipients = notice_targets(self.org, frozenset(self.outboxes))
        deliveries = [await self._paced_deliver(r, reply) for r in recipients]
        ok = any(d.ok for d in deliveries)
        outcome = (
            Delivery(ok=True)
            if ok
            else Delivery(
                ok=False,
                error="; ".join(d.error or "" for d in deliveries)
                or "no way to reach the strategists",
                retryable=bool(deliveries),
            )
        )
        if not ok:
            log.error(
                "could not tell the strategists about unreachable contacts: %s", outcome.error
            )
        note = "" if ok else f" (NOT delivered to the strategists: {outcome.error})"
        for taken, item in claimed:
            await asyncio.to_thread(
                record_outcome, self.db, taken.send_id, outcome, self.max_attempts
            )
            self.metrics.reminder_outcome("notice", outcome.ok)
            report.unreachable.append(f"{item.period} {item.adm.id}: {item.who}{note}")
