"""The NGO's staff: who is an animator or an administrator, given and taken back by the
operator (`comdev animators`) or seeded from ANIMATORS."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from core.domain.identity import Identity
from core.domain.people import Role, format_roles, parse_roles
from core.models import ChannelIdentity, Person
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

#: The roles that are given, never chosen: the only ones this module grants or revokes.
STAFF_ROLES = frozenset({Role.ANIMATOR, Role.ADMIN})


@dataclass(frozen=True)
class StaffMember:
    """One animator or administrator, with every identity they are known by."""

    person_id: int
    identities: tuple[str, ...]
    roles: frozenset[Role]  # animator and/or admin only
    language: str
    created_at: datetime


def grant(uow: UnitOfWork, identity: Identity, role: Role, language: str,
          now: datetime) -> bool:
    """Gives a staff role, creating the person when unknown; tells whether anything changed."""
    _check(role)
    person = _person(uow, identity) or _create(uow, identity, language, now)
    roles = parse_roles(person.roles)
    if role in roles:
        return False
    person.roles = format_roles(roles | {role})
    logger.info("person %s granted %s", person.id, role.value)
    return True


def revoke(uow: UnitOfWork, identity: Identity, role: Role) -> bool:
    """Takes a staff role back; tells whether anything changed. Raises ValueError rather
    than leave no administrator."""
    _check(role)
    person = _person(uow, identity)
    if person is None or role not in parse_roles(person.roles):
        return False
    if role is Role.ADMIN and [m.person_id for m in staff(uow) if Role.ADMIN in m.roles] == [
            person.id]:
        raise ValueError("this is the last administrator: make someone else admin first")
    person.roles = format_roles(parse_roles(person.roles) - {role})
    logger.info("person %s lost %s", person.id, role.value)
    return True


def staff(uow: UnitOfWork) -> list[StaffMember]:
    """Lists the animators and administrators, oldest person first."""
    # LIKE narrows the rows; parse_roles decides (a role name could be part of another one).
    like = or_(*(Person.roles.contains(r.value) for r in STAFF_ROLES))
    stmt = (select(Person, ChannelIdentity.id)
            .join(ChannelIdentity, ChannelIdentity.person_id == Person.id)
            .where(like).order_by(Person.id, ChannelIdentity.id))
    found: dict[int, StaffMember] = {}
    for person, identity in uow.session.execute(stmt):
        roles = parse_roles(person.roles) & STAFF_ROLES
        if not roles or person.id is None:
            continue
        known = found.get(person.id)
        found[person.id] = StaffMember(
            person.id, (known.identities if known else ()) + (identity,), roles,
            person.language, person.created_at)
    return list(found.values())


def _check(role: Role) -> None:
    if role not in STAFF_ROLES:
        raise ValueError(f"{role.value} is chosen by the person, not given by the staff")


def _person(uow: UnitOfWork, identity: Identity) -> Person | None:
    link = uow.session.get(ChannelIdentity, str(identity))
    return uow.session.get(Person, link.person_id) if link else None


def _create(uow: UnitOfWork, identity: Identity, language: str, now: datetime) -> Person:
    """Creates a person we will write to first: they have not written to us yet."""
    person = Person(language=language, created_at=now)
    uow.session.add(person)
    uow.session.flush()
    assert person.id is not None
    uow.session.add(ChannelIdentity(id=str(identity), person_id=person.id,
                                    channel=identity.channel.value, created_at=now,
                                    last_inbound_at=None))
    logger.info("person %s created", person.id)
    return person
