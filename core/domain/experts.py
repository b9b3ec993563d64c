"""The expert pool and supporters: levels, availability, visits home, pauses, follows.

Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Level(StrEnum):
    LEARNING = "learning"
    PRACTISED = "practised"
    EXPERT = "expert"


class Mode(StrEnum):
    REMOTE = "remote"
    ON_SITE = "on_site"
    BOTH = "both"


class FollowKind(StrEnum):
    THEME = "theme"
    TERRITORY = "territory"  # a region, province or commune, by its HCP code
    PROJECT = "project"  # by its reference


#: Languages an expert may speak: the four of the assistant, Darija, and the languages of
#: the diaspora's countries.
SPOKEN = ("ar", "darija", "zgh", "fr", "en", "es", "de", "nl", "it")
DEFAULT_PROPOSALS_PER_MONTH = 2
MAX_PROPOSALS_PER_MONTH = 20
MAX_HOURS_PER_MONTH = 200
MAX_SKILLS = 10
MAX_VISITS = 6


@dataclass(frozen=True)
class Period:
    """A stay in Morocco, first and last day included."""

    starts: date
    ends: date

    def overlaps(self, starts: date, ends: date) -> bool:
        return self.starts <= ends and starts <= self.ends


def may_receive_proposals(accepts: bool, paused_until: date | None, opted_out: bool,
                          today: date) -> bool:
    """Tells whether a proposal may be sent: consented, not stopped, not on a pause.

    A pause ends by itself: from its date on, proposals come again."""
    if not accepts or opted_out:
        return False
    return paused_until is None or today >= paused_until


def in_morocco(visits: list[Period], starts: date, ends: date) -> bool:
    """Tells whether one of the visits overlaps the dates of an on-site need."""
    return any(visit.overlaps(starts, ends) for visit in visits)
