"""Who receives an administration's reminder, and who is told when nobody can be reached.

A configured channel reaches the whole administration; otherwise each contact gets a DM
on Slack if possible, else on Teams (never both: one nudge is enough). A contact the bot
cannot reach (no Slack or Teams id, or no platform configured) is reported to the
strategists instead: to the escalation channel(s), or else each strategist directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat.outbox import Recipient
from chat.replies import Platform
from reminders.organisation import Administration, OrgConfig, Person


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


def why_unreachable(person: Person) -> str:
    if person.slack or person.teams:
        return "reporting.unreachable.no_platform"
    return "reporting.unreachable.no_id"


def contact_key(person: Person) -> str:
    return (person.email or person.slack or person.teams or person.name)[:180]
