"""Proposals of a need to an expert, with the double opt-in; project teams; quiet hours.

Standard library only.

A proposal goes: waiting (sent to the expert) → interested (the expert said yes; the
organisation's representatives are asked) → accepted (they said yes: the two are introduced
and the expert joins the project's team) or refused. The expert may also say "not for me"
(declined, which weighs on later matching) or "not now" (later, which does not); a waiting
proposal nobody answered expires after a week, and the next candidate is asked.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ProposalStatus(StrEnum):
    WAITING = "waiting"
    INTERESTED = "interested"
    ACCEPTED = "accepted"
    REFUSED = "refused"  # by the organisation
    DECLINED = "declined"  # by the expert: not for me
    LATER = "later"  # by the expert: not now
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # the need closed or was fulfilled meanwhile


class Answer(StrEnum):
    """What an expert answers to a proposal."""

    INTERESTED = "interested"
    NOT_FOR_ME = "not_for_me"
    NOT_NOW = "not_now"


class Contact(StrEnum):
    """How a team member wants to be reached by the others."""

    RELAY = "relay"  # through the assistant: identities masked
    NUMBER = "number"  # their own WhatsApp number, shown to the team
    HANDLE = "handle"  # their own Telegram username, shown to the team


#: The choices that show something of the member to their team.
SHARED = frozenset({Contact.NUMBER, Contact.HANDLE})


class TeamRole(StrEnum):
    EXPERT = "expert"
    REPRESENTATIVE = "representative"
    ANIMATOR = "animator"


#: Statuses in which an expert is still waiting on the need (an answer, or the organisation).
PENDING = frozenset({ProposalStatus.WAITING, ProposalStatus.INTERESTED})
#: Statuses that close a proposal.
CLOSED = frozenset(set(ProposalStatus) - PENDING)

EXPIRY = timedelta(days=7)
MAX_WAITING = 3  # experts waiting on one need at a time
CAP_WINDOW = timedelta(days=30)  # the monthly cap counts proposals received in this window
REFUSAL_MEMORY = timedelta(days=90)  # declines weigh on matching this long
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)

_ANSWERS = {Answer.INTERESTED: ProposalStatus.INTERESTED,
            Answer.NOT_FOR_ME: ProposalStatus.DECLINED,
            Answer.NOT_NOW: ProposalStatus.LATER}

#: Time zones of the countries the diaspora lives in most, for people who gave none.
COUNTRY_ZONES = {
    "MA": "Africa/Casablanca", "FR": "Europe/Paris", "BE": "Europe/Brussels",
    "NL": "Europe/Amsterdam", "ES": "Europe/Madrid", "IT": "Europe/Rome",
    "DE": "Europe/Berlin", "GB": "Europe/London", "CA": "America/Toronto",
    "US": "America/New_York", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "QA": "Asia/Qatar",
    "CH": "Europe/Zurich",
}
DEFAULT_ZONE = "Africa/Casablanca"


def after_answer(status: ProposalStatus, answer: Answer) -> ProposalStatus | None:
    """Returns the status an expert's answer leads to; None when it no longer applies."""
    return _ANSWERS[answer] if status is ProposalStatus.WAITING else None


def after_decision(status: ProposalStatus, accept: bool) -> ProposalStatus | None:
    """Returns the status the organisation's decision leads to; None when too late."""
    if status is not ProposalStatus.INTERESTED:
        return None
    return ProposalStatus.ACCEPTED if accept else ProposalStatus.REFUSED


def expired(status: ProposalStatus, sent_at: datetime | None, now: datetime) -> bool:
    """Tells whether a proposal waited a week without an answer."""
    return status is ProposalStatus.WAITING and sent_at is not None and now - sent_at >= EXPIRY


def zone(timezone: str | None, country: str | None) -> ZoneInfo:
    """The person's time zone: theirs, else their country's, else Morocco's."""
    for name in (timezone, COUNTRY_ZONES.get((country or "").upper())):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo(DEFAULT_ZONE)


def allowed_at(now: datetime, tz: ZoneInfo) -> datetime:
    """Returns the first moment from `now` when a message that is not a reply may reach a
    person: now, unless it is between 21:00 and 08:00 where they are; then 08:00."""
    local = now.astimezone(tz)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return now
    day: date = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tz).astimezone(now.tzinfo)


def first_name(name: str | None) -> str:
    """The first word of a profile name, cut short; empty when there is none."""
    words = (name or "").split()
    return words[0][:30] if words else ""
