"""The organisation YAML: who reports (administrations and their contacts), who is told
(strategists, the escalation channel) and the reporting cycle's rules.

It is the reporting cycle's configuration, so it lives with the cycle; ``bot.config`` reads
the file once at start-up and hands the validated ``OrgConfig`` to everything else. A typo
surfaces as a clear ``path: message`` error instead of a surprise at 09:00 on a reminder day.
"""

from __future__ import annotations

import os
import re
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class ConfigError(Exception):
    """A configuration problem, already phrased for a human (one problem per line)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """Someone the bot can reach on one or more platforms."""

    name: str = Field(min_length=1, max_length=200)
    slack: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,}$")
    teams: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @model_validator(mode="after")
    def _reachable(self) -> Person:
        if not (self.slack or self.teams or self.email):
            raise ValueError("needs at least one of slack, teams or email")
        return self


class Organisation(_Strict):
    id: Slug
    name: str = Field(min_length=1, max_length=200)
    timezone: str = "Europe/Stockholm"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class Escalation(_Strict):
    slack_channel: str | None = Field(default=None, pattern=r"^[CGD][A-Z0-9]{2,}$")
    teams_channel: str | None = Field(default=None, min_length=1)


class Administration(_Strict):
    """A förvaltning with its chosen development area (utvecklingsområde)."""

    id: Slug
    name: str = Field(min_length=1, max_length=200)
    development_area: str = Field(min_length=1, max_length=500)
    slack_channel: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,}$")
    teams_channel: str | None = Field(default=None, min_length=1)
    contacts: list[Person] = Field(min_length=1)


QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")


class DeadlineRule(_Strict):
    working_days_after_quarter_end: int = Field(default=10, ge=0, le=60)
    dates: dict[str, date] = Field(default_factory=dict)

    @field_validator("dates")
    @classmethod
    def _quarter_keys(cls, value: dict[str, date]) -> dict[str, date]:
        for key in value:
            if not QUARTER_KEY.match(str(key)):
                raise ValueError(f"{key!r} is not a quarter like 2025-Q1")
        return value


class ReminderRule(_Strict):
    working_days_before_deadline: list[Annotated[int, Field(ge=1, le=60)]] = Field(
        default_factory=lambda: [10, 3]
    )
    on_deadline: bool = True
    overdue_every_working_days: int = Field(default=3, ge=1, le=60)
    overdue_max: int = Field(default=3, ge=0, le=20)


class QuietPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: date = Field(alias="from")
    to: date

    @model_validator(mode="after")
    def _ordered(self) -> QuietPeriod:
        if self.to < self.from_:
            raise ValueError("'to' is before 'from'")
        return self


class Reporting(_Strict):
    deadline: DeadlineRule = Field(default_factory=DeadlineRule)
    reminders: ReminderRule = Field(default_factory=ReminderRule)
    send_time: time = time(9, 0)
    quiet_periods: list[QuietPeriod] = Field(default_factory=list)
    # The board paper (docx export): its case number (diarienummer) and who it is sent to.
    case_number: str = Field(default="", max_length=100)
    send_to: str = Field(default="", max_length=500)

    @field_validator("send_time", mode="before")
    @classmethod
    def _hh_mm(cls, value: Any) -> Any:
        if isinstance(value, int):  # YAML 1.1 reads 09:00 unquoted as sexagesimal 540
            return time(value // 60, value % 60)
        if isinstance(value, str) and not re.fullmatch(r"\d{1,2}:\d{2}", value):
            raise ValueError('must be HH:MM, e.g. "09:00"')
        return value


class OrgConfig(_Strict):
    organisation: Organisation
    strategists: list[Person] = Field(min_length=1)
    escalation: Escalation = Field(default_factory=Escalation)
    administrations: list[Administration] = Field(default_factory=list)
    reporting: Reporting = Field(default_factory=Reporting)

    @model_validator(mode="after")
    def _unique_administrations(self) -> OrgConfig:
        seen: set[str] = set()
        for adm in self.administrations:
            if adm.id in seen:
                raise ValueError(f"duplicate administration id {adm.id!r}")
            seen.add(adm.id)
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.organisation.timezone)

    def administration(self, administration_id: str) -> Administration | None:
        return next((a for a in self.administrations if a.id == administration_id), None)

    def is_strategist(self, platform: str, user_id: str) -> bool:
        return any(getattr(p, platform, None) == user_id for p in self.strategists)

    def administrations_of(self, platform: str, user_id: str) -> list[Administration]:
        """The administrations this user is a contact of (may report for)."""
        return [
            a
            for a in self.administrations
            if any(getattr(c, platform, None) == user_id for c in a.contacts)
        ]

    def teams_addresses(self) -> frozenset[str]:
        """Every Teams id and channel this config names: references the bot must keep."""
        people = [*self.strategists, *(c for a in self.administrations for c in a.contacts)]
        channels = [self.escalation.teams_channel, *(a.teams_channel for a in self.administrations)]
        return frozenset(x for x in [*(p.teams for p in people), *channels] if x)

    def person(self, platform: str, user_id: str) -> Person | None:
        for p in [*self.strategists, *(c for a in self.administrations for c in a.contacts)]:
            if getattr(p, platform, None) == user_id:
                return p
        return None


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + ("from" if part == "from_" else str(part))
    return out or "(top level)"


def _format_validation_error(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = _format_loc(tuple(err["loc"]))
        if err["type"] == "missing":
            message = "required"
        elif err["type"] == "extra_forbidden":
            message = "unknown key"
        else:
            message = str(err["msg"]).removeprefix("Value error, ")
        problems.append(f"{loc}: {message}")
    return problems


def parse_org_config(data: Any, source: str = "<config>") -> OrgConfig:
    """Validate an already-parsed YAML document; raise ConfigError with path: message lines."""
    if not isinstance(data, dict):
        raise ConfigError([f"{source}: the file must be a YAML mapping (key: value)"])
    try:
        return OrgConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc)) from None


def load_org_config(path: str | os.PathLike[str]) -> OrgConfig:
    """Read and validate the organisation YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{p}: file not found"]) from None
    except OSError as exc:
        raise ConfigError([f"{p}: cannot read ({exc.strerror})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}" if mark is not None else str(p)
        raise ConfigError([f"{where}: YAML error: {getattr(exc, 'problem', exc)}"]) from None
    return parse_org_config(data, str(p))
