"""A reminder run: claim-then-send every due reminder, at most once, however many runs race.

Who receives what is decided in recipients.py, the exactly-once claim lives in claims.py;
this module sends. A crash between the platform accepting a message and the claim being
marked sent would send the reminder twice, so every reminder is tagged with its send key,
and before a stale claim is re-sent the outbox is asked whether the tagged message is
already there (``FindsSent``; Slack looks in the conversation's history): if so the claim
is marked sent with that message and nothing is posted. Teams cannot be asked, so there
that window remains (documented in docs/reporting.md).

A contact the bot cannot reach (no Slack or Teams id, no platform configured, or a
delivery that failed for good) is reported to the strategists once per period.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from chat.outbox import Delivery, FindsSent, Outbox, Recipient
from chat.replies import Reply
from reminders.claims import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    Claim,
    SendKey,
    claim,
    record_outcome,
    send_status,
    worker_id,
)
from reminders.message import reminder_reply
from reminders.organisation import Administration, OrgConfig
from reminders.ports import Database, NoMetrics, ReminderMetrics
from reminders.ratelimit import RateLimiter
from reminders.recipients import (
    Target,
    contact_key,
    notice_targets,
    reminder_targets,
    why_unreachable,
)
from reminders.schedule import DueReminder
from reminders.texts import t

log = logging.getLogger(__name__)

NOTICE_STEP = "unreachable"
CONCURRENCY = 16


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
                    f"{p.name} ({t(why_unreachable(p))})",
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
