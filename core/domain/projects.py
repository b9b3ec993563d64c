"""Projects and their needs: what they can be, who may move them, how progress is counted.

Standard library only: the rules, not the storage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    AWAITING_REVIEW = "awaiting_review"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"
    REJECTED = "rejected"


class Actor(StrEnum):
    """Who asks for a change: one of the project's representatives, or an animator."""

    REPRESENTATIVE = "representative"
    ANIMATOR = "animator"


THEMES = ("water", "agriculture", "education", "health", "women", "youth", "culture",
          "tourism", "environment", "infrastructure", "digital", "social_economy")
#: local development project / economic investment opportunity / exchange with a peer.
KINDS = ("local", "investment", "exchange")
#: The peers an exchange looks for on the other side.
PEERS = ("officials", "cooperatives", "associations", "researchers", "young_people", "artists",
         "sport", "health")
#: What the pre-diagnosis may find missing, and the kind of need each one implies.
MISSING = {"study": "skill", "budget": "money", "skill": "skill", "equipment": "materials",
           "partner": "partner"}
#: The skill a missing study calls for, in the taxonomy (core/data/skills.json).
STUDY_SKILL = "planning.feasibility_study"

MAX_TITLE = 120
MAX_TEXT = 2000  # a description, a reason, a question, an update
MAX_MEDIA = 10  # voice notes and photos kept with a description
MAX_NEEDS = 20  # needs under one project
MAX_AMOUNT = 1_000_000_000  # one billion: more is a typo, not a village project


class NeedKind(StrEnum):
    SKILL = "skill"
    MONEY = "money"
    MATERIALS = "materials"
    PARTNER = "partner"


class NeedStatus(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


class Mode(StrEnum):
    REMOTE = "remote"
    ON_SITE = "on_site"
    EITHER = "either"


#: Which moves each actor may make, from each status.
_MOVES: dict[tuple[Status, Status], frozenset[Actor]] = {
    (Status.DRAFT, Status.AWAITING_REVIEW): frozenset({Actor.REPRESENTATIVE}),
    (Status.REJECTED, Status.AWAITING_REVIEW): frozenset({Actor.REPRESENTATIVE}),
    (Status.AWAITING_REVIEW, Status.OPEN): frozenset({Actor.ANIMATOR}),
    (Status.AWAITING_REVIEW, Status.IN_PROGRESS): frozenset({Actor.ANIMATOR}),
    (Status.AWAITING_REVIEW, Status.REJECTED): frozenset({Actor.ANIMATOR}),
    (Status.OPEN, Status.IN_PROGRESS): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
    (Status.IN_PROGRESS, Status.OPEN): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
    (Status.OPEN, Status.COMPLETED): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
    (Status.IN_PROGRESS, Status.COMPLETED): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
    (Status.OPEN, Status.CLOSED): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
    (Status.IN_PROGRESS, Status.CLOSED): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
    (Status.DRAFT, Status.CLOSED): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
    (Status.REJECTED, Status.CLOSED): frozenset({Actor.REPRESENTATIVE, Actor.ANIMATOR}),
}
#: Statuses in which the representatives may still change the project's text and needs.
EDITABLE = frozenset({Status.DRAFT, Status.REJECTED, Status.AWAITING_REVIEW, Status.OPEN,
                      Status.IN_PROGRESS})
#: Statuses whose text, once changed, must be reviewed again before it is shown.
REVIEWED = frozenset({Status.OPEN, Status.IN_PROGRESS})
#: Statuses the public sees (browsing, matching).
PUBLIC = frozenset({Status.OPEN, Status.IN_PROGRESS, Status.COMPLETED})


def may_move(current: Status, target: Status, actor: Actor) -> bool:
    """Tells whether `actor` may move a project from `current` to `target`."""
    return actor in _MOVES.get((current, target), frozenset())


def moves(current: Status, actor: Actor) -> tuple[Status, ...]:
    """Lists where `actor` may move a project from `current`, in a stable order."""
    return tuple(target for (source, target), actors in _MOVES.items()
                 if source == current and actor in actors)


def after_review(current: Status, resume: Status | None) -> Status:
    """Where an approved project goes: back to where it was before a change, or open."""
    return resume if resume in REVIEWED else Status.OPEN


def reference(seed: str) -> str:
    """Makes a short, stable reference for a project ("P-7K3QH2") from a unique seed."""
    digest = hashlib.blake2b(seed.encode(), digest_size=8).digest()
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I: read aloud on a phone
    number = int.from_bytes(digest, "big")
    letters = []
    for _ in range(6):
        number, index = divmod(number, len(alphabet))
        letters.append(alphabet[index])
    return "P-" + "".join(letters)


@dataclass(frozen=True)
class Progress:
    """A need's progress: how much was asked, promised and received, in the need's unit."""

    requested: int
    committed: int
    fulfilled: int

    @property
    def percent(self) -> int:
        """How much of the request is committed or received, in whole percents (0-100)."""
        if self.requested <= 0:
            return 0
        return min(100, (max(self.committed, self.fulfilled) * 100) // self.requested)

    @property
    def remaining(self) -> int:
        return max(0, self.requested - max(self.committed, self.fulfilled))


def needs_from_diagnosis(missing: list[str]) -> list[tuple[str, NeedKind]]:
    """Proposes a need for each thing found missing: (what is missing, kind of need), in a
    stable order, each once."""
    return [(item, NeedKind(kind)) for item, kind in MISSING.items() if item in missing]
