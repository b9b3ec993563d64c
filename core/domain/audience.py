"""Who a broadcast or a call for experts reaches, and why someone is left out.

Standard library only. An audience is a conjunction of filters, each a set of accepted
values (empty: no filter); a person is reached when every filter accepts them and nothing
excludes them. Quiet hours do not exclude anyone: the message waits for the morning where
the person lives, and the preview counts them as deferred.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    NEWS = "news"  # news, events, training sessions: anyone the filters select
    CALL = "call"  # a call for experts about one need: experts only, with their consent


class Exclusion(StrEnum):
    """Why someone the filters select receives nothing."""

    OPTED_OUT = "opted_out"  # sent STOP
    UNREACHABLE = "unreachable"  # no identity we can write to (on the channel asked)
    NO_CONSENT = "no_consent"  # never agreed to our terms (e.g. invited, not registered)
    PAUSED = "paused"  # calls: proposals paused, or not accepted at all
    CAP = "cap"  # calls: their monthly number of proposals is reached
    ALREADY = "already"  # calls: already asked about this need, or on the project's side
    NO_TEMPLATE = "no_template"  # WhatsApp, beyond 24 hours, and no approved template


@dataclass(frozen=True)
class Audience:
    """The filters. Skills are taxonomy codes (`water.irrigation`) or categories (`water`);
    languages are the spoken codes of expert profiles (core.domain.experts.SPOKEN), or a
    person's chat language for people without a profile; origins are territory codes (a
    region, province or commune contains the communes below it)."""

    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    channel: str | None = None  # telegram | whatsapp
    project: str | None = None  # the followers of this project (its reference)

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Audience:
        data: dict[str, Any] = json.loads(text or "{}")
        return cls(**{key: tuple(value) if isinstance(value, list) else value
                      for key, value in data.items()})


@dataclass(frozen=True)
class Someone:
    """What the filters and exclusions read of one person."""

    person_id: int
    language: str
    roles: frozenset[str]
    consented: bool
    opted_out: bool
    skills: frozenset[str] = frozenset()  # skill codes of their profile
    spoken: frozenset[str] = frozenset()
    country: str | None = None
    timezone: str | None = None
    origin: str | None = None
    themes: frozenset[str] = frozenset()
    follows_project: bool = False
    has_profile: bool = False
    accepts_proposals: bool = False
    paused_until: date | None = None
    received_this_month: int = 0
    proposals_per_month: int = 0
    already_asked: bool = False
    channels: frozenset[str] = field(default_factory=frozenset)  # reachable ones


def selects(audience: Audience, kind: Kind, who: Someone) -> bool:
    """Tells whether the filters select the person (before exclusions)."""
    if kind is Kind.CALL and not who.has_profile:
        return False
    if audience.project and not who.follows_project:
        return False
    if audience.roles and not who.roles & set(audience.roles):
        return False
    if audience.skills and not any(_skill_fits(wanted, own)
                                   for wanted in audience.skills for own in who.skills):
        return False
    if audience.languages and not (who.spoken or {who.language}) & set(audience.languages):
        return False
    if audience.countries and (who.country or "").upper() not in {
            c.upper() for c in audience.countries}:
        return False
    if audience.origins and not any(_within(who.origin, code) for code in audience.origins):
        return False
    return not (audience.themes and not who.themes & set(audience.themes))


def exclusion(audience: Audience, kind: Kind, who: Someone, today: date) -> Exclusion | None:
    """Why the person, selected by the filters, must receive nothing; None to reach them.
    Checked in this order, so each person counts under one reason."""
    if who.opted_out:
        return Exclusion.OPTED_OUT
    if not who.consented:
        return Exclusion.NO_CONSENT
    if not (who.channels & {audience.channel} if audience.channel else who.channels):
        return Exclusion.UNREACHABLE
    if kind is Kind.CALL:
        if not who.accepts_proposals or (who.paused_until is not None
                                         and today < who.paused_until):
            return Exclusion.PAUSED
        if who.already_asked:
            return Exclusion.ALREADY
        if who.received_this_month >= who.proposals_per_month:
            return Exclusion.CAP
    return None


def pick_text(texts: dict[str, str], language: str) -> tuple[str, str] | None:
    """The text of a multilingual message for a reader: in their language, else French,
    else Arabic, else any; returns (language, text), or None when there is no text."""
    for code in (language, "fr", "ar", *sorted(texts)):
        if texts.get(code, "").strip():
            return code, texts[code]
    return None


def _skill_fits(wanted: str, own: str) -> bool:
    return own == wanted or ("." not in wanted and own.startswith(f"{wanted}."))


def _within(origin: str | None, code: str) -> bool:
    return bool(origin) and (origin == code or str(origin).startswith(f"{code}."))
