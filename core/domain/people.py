"""People, their roles and the rules about what may be sent to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    REPRESENTATIVE = "representative"
    EXPERT = "expert"
    SUPPORTER = "supporter"
    VISITOR = "visitor"
    ANIMATOR = "animator"
    ADMIN = "admin"


#: The roles a person can pick for themselves in onboarding.
SELF_CHOSEN_ROLES = (Role.REPRESENTATIVE, Role.EXPERT, Role.SUPPORTER, Role.VISITOR)



@dataclass
class PersonSnapshot:
    """What a conversation step may know about the person it talks to."""

    id: int
    language: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    consent_at: datetime | None = None
    opted_out: bool = False
    referral: str | None = None
    created_at: datetime | None = None

    @property
    def has_consented(self) -> bool:
        return self.consent_at is not None

    @property
    def chosen_role(self) -> Role | None:
        """The self-chosen role, if any (animator/admin are given, not chosen)."""
        return next((r for r in SELF_CHOSEN_ROLES if r in self.roles), None)

    @property
    def is_animator(self) -> bool:
        return Role.ANIMATOR in self.roles or Role.ADMIN in self.roles


def may_receive_bulk(opted_out: bool, unreachable: bool) -> bool:
    """Tells whether a non-reply message (news, reminder, broadcast) may go to a person."""
    return not opted_out and not unreachable



def parse_roles(text: str) -> frozenset[Role]:
    """Reads the stored comma-separated roles, ignoring unknown ones."""
    known = {r.value for r in Role}
    return frozenset(Role(r) for r in text.split(",") if r in known)


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    """Writes roles in a stable order for storage."""
    return ",".join(r.value for r in Role if r in roles)
