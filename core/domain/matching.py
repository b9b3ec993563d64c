"""Matching a skill need with experts: a score with its reasons, and an exact top-k.

The score is made of tiers so that skill fit always dominates:
same skill > same category > shared words of a skill in the expert's own words; within a
tier, level, shared languages, availability, mode, a visit during the need's dates and
affinity with the territory add up, open proposals and recent refusals take away, and the
whole stays within the tier. Ties are broken by the expert's id, so the top-k is
deterministic, and the index's top-k is the brute-force top-k.

Standard library only. `score` and `brute_force` are the reference, in plain Python;
`core.index.Index` computes the same scores for a whole bucket at once, on numpy columns.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from core.domain.experts import Period

TIER = 1000  # no bonus inside a tier reaches the next one
LEVELS = {"learning": 1, "practised": 2, "expert": 3}
_WORD = re.compile(r"[^\W\d_]{4,}")


class Fit(StrEnum):
    SKILL = "skill"
    CATEGORY = "category"
    WORDS = "words"


class Why(StrEnum):
    """A reason a proposal gives, in plain words once translated."""

    SKILL = "skill"  # the very skill
    CATEGORY = "category"  # a skill of the same field
    WORDS = "words"  # their own words say it
    LANGUAGE = "language"  # speaks a language of the representatives
    AVAILABLE = "available"  # enough hours a month
    MODE = "mode"  # can work the way the need asks (remote / on site)
    VISIT = "visit"  # in Morocco during the need's dates
    ORIGIN = "origin"  # comes from the commune or province
    FOLLOWS = "follows"  # follows the territory
    CALL = "call"  # answered the animator's call for experts


@dataclass(frozen=True)
class Expert:
    """What matching knows of an expert."""

    id: int
    skills: dict[str, str]  # skill code → level
    categories: frozenset[str]
    words: frozenset[str]  # folded words of skills given in their own words
    languages: frozenset[str]
    hours_per_month: int = 0
    mode: str = "remote"  # remote | on_site | both
    visits: tuple[Period, ...] = ()
    origin: str | None = None  # a commune code ("09.581.01.05") or a province code
    follows: frozenset[str] = frozenset()  # territory codes
    open_proposals: int = 0
    cap: int = 2
    refusals: int = 0  # proposals declined in the last months
    available: bool = True  # consented, not paused, not stopped


@dataclass(frozen=True)
class Need:
    id: int
    skill: str | None
    category: str | None
    words: frozenset[str]
    languages: frozenset[str]  # spoken by the representatives
    hours: int = 0  # hours a month it asks, if known
    mode: str = "either"  # remote | on_site | either
    starts: date | None = None
    ends: date | None = None
    commune: str = ""  # HCP code


@dataclass(frozen=True)
class Match:
    expert: int
    score: int
    reasons: tuple[Why, ...] = field(compare=False)

    def key(self) -> tuple[int, int]:
        """Orders matches: best score first, then the smaller id."""
        return (-self.score, self.expert)


def words(text: str) -> frozenset[str]:
    """The words of four letters or more in an already folded text."""
    return frozenset(_WORD.findall(text))


def fit(need: Need, expert: Expert) -> tuple[Fit, int] | None:
    """How the expert's skills fit the need, with the level of the best fitting skill."""
    if need.skill and need.skill in expert.skills:
        return Fit.SKILL, LEVELS.get(expert.skills[need.skill], 1)
    if need.category and need.category in expert.categories:
        return Fit.CATEGORY, 1
    if need.words & expert.words:
        return Fit.WORDS, 1
    return None


def score(need: Need, expert: Expert) -> Match | None:
    """Scores an expert for a need, with the reasons; None when they are not to be asked."""
    if not expert.available or expert.open_proposals >= expert.cap:
        return None
    found = fit(need, expert)
    if found is None:
        return None
    kind, level = found
    tier = {Fit.SKILL: 3, Fit.CATEGORY: 2, Fit.WORDS: 1}[kind]
    reasons = [Why(kind.value)]
    bonus = level * 100
    if need.languages & expert.languages:
        bonus += 30 * min(2, len(need.languages & expert.languages))
        reasons.append(Why.LANGUAGE)
    if expert.hours_per_month and expert.hours_per_month >= max(need.hours, 1):
        bonus += 40
        reasons.append(Why.AVAILABLE)
    if mode_fits(need.mode, expert.mode):
        bonus += 30
        reasons.append(Why.MODE)
    if (need.mode != "remote" and need.starts and need.ends
            and any(v.overlaps(need.starts, need.ends) for v in expert.visits)):
        bonus += 50
        reasons.append(Why.VISIT)
    if expert.origin and need.commune.startswith(expert.origin):
        bonus += 40 if expert.origin == need.commune else 25
        reasons.append(Why.ORIGIN)
    elif any(need.commune.startswith(code) for code in expert.follows):
        bonus += 15
        reasons.append(Why.FOLLOWS)
    bonus -= penalty(expert)
    return Match(expert.id, tier * TIER + max(0, min(TIER - 1, bonus)), tuple(reasons))


def penalty(expert: Expert) -> int:
    """What open proposals and recent refusals take away, whatever the need."""
    return 20 * expert.open_proposals + 30 * min(3, expert.refusals)


def mode_fits(need: str, expert: str) -> bool:
    if need == "either":
        return True
    return expert in (need, "both")


def brute_force(need: Need, experts: Iterable[Expert], k: int = 20) -> list[Match]:
    """Scores every expert: the reference the index must equal."""
    found = (m for m in (score(need, e) for e in experts) if m is not None)
    return heapq.nsmallest(k, found, key=Match.key)
