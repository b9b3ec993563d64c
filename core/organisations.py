"""Organisations: registered by chat by one of their representatives."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz
from sqlmodel import select

from core import commands as c
from core.domain.people import Role, format_roles, parse_roles
from core.domain.text import fold
from core.models import Organisation, OrganisationMember, Person, Territory
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

#: The kinds of organisation a representative may register, in the order they are offered.
KINDS = ("association", "commune", "cooperative", "economic_interest_group", "federation",
         "enterprise", "migrants_association", "other")
MAX_NAME = 120


@dataclass(frozen=True)
class Membership:
    """An organisation a person belongs to, as the person sees it."""

    name: str
    commune_fr: str
    commune_ar: str
    role: str
    status: str


def memberships_of(uow: UnitOfWork, person_id: int) -> list[Membership]:
    """Lists the organisations a person belongs to, oldest first."""
    stmt = (select(Organisation.name, Territory.name_fr, Territory.name_ar,
                   OrganisationMember.role, OrganisationMember.status)
            .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
            .join(Territory, Territory.code == Organisation.commune_code)
            .where(OrganisationMember.person_id == person_id)
            .order_by(OrganisationMember.id))
    return [Membership(*row) for row in uow.session.execute(stmt)]


def register_organisation(cmd: c.RegisterOrganisation, uow: UnitOfWork, person: Person,
                          now: datetime) -> None:
    """Registers an organisation and makes the person its first representative."""
    assert person.id is not None
    name = " ".join(cmd.name.split())[:MAX_NAME]
    commune = uow.session.get(Territory, cmd.commune_code)
    if not name or cmd.kind not in KINDS or commune is None or commune.kind != "commune":
        raise ValueError("not an organisation that can be registered")
    organisation = Organisation(name=name, kind=cmd.kind, commune_code=cmd.commune_code,
                                created_at=now, created_by=person.id)
    uow.session.add(organisation)
    uow.session.flush()
    assert organisation.id is not None
    uow.session.add(OrganisationMember(organisation_id=organisation.id, person_id=person.id,
                                       role="representative", status="active", created_at=now))
    roles = parse_roles(person.roles)
    if Role.REPRESENTATIVE not in roles:
        person.roles = format_roles(roles | {Role.REPRESENTATIVE})
    logger.info("organisation %s registered by person %s", organisation.id, person.id)


@dataclass(frozen=True)
class Found:
    """An organisation a person may ask to join."""

    id: int
    name: str
    commune_fr: str
    commune_ar: str


@dataclass(frozen=True)
class JoinRequest:
    """A pending request to join, as the people who decide see it."""

    member_id: int
    organisation_id: int
    organisation: str
    note: str


def find_organisations(uow: UnitOfWork, text: str, limit: int = 5) -> list[Found]:
    """Finds organisations by a name as typed: whole-name matches first, then near ones."""
    wanted = fold(text or "")[:200]
    if len(wanted) < 2:
        return []
    stmt = (select(Organisation.id, Organisation.name, Territory.name_fr, Territory.name_ar)
            .join(Territory, Territory.code == Organisation.commune_code))
    scored: list[tuple[float, int, Found]] = []
    for oid, name, commune_fr, commune_ar in uow.session.execute(stmt):
        folded = fold(name)
        score = 200.0 if folded == wanted else 150.0 if wanted in folded else fuzz.WRatio(
            wanted, folded)
        if score >= 80:
            scored.append((-score, oid, Found(oid, name, commune_fr, commune_ar)))
    return [found for *_, found in sorted(scored, key=lambda item: item[:2])[:limit]]


def request_to_join(cmd: c.RequestToJoin, uow: UnitOfWork, person: Person,
                    now: datetime) -> None:
    """Asks to join an organisation; a request already made (or a membership) stands."""
    assert person.id is not None
    if uow.session.get(Organisation, cmd.organisation_id) is None:
        raise ValueError("no such organisation")
    existing = uow.session.exec(select(OrganisationMember).where(
        OrganisationMember.organisation_id == cmd.organisation_id,
        OrganisationMember.person_id == person.id)).first()
    if existing is not None and existing.status != "declined":
        return
    if existing is None:
        existing = OrganisationMember(organisation_id=cmd.organisation_id, person_id=person.id,
                                      role="representative", created_at=now)
        uow.session.add(existing)
    existing.status, existing.note, existing.created_at = "pending", cmd.note[:200], now
    logger.info("person %s asks to join organisation %s", person.id, cmd.organisation_id)


def pending_requests(uow: UnitOfWork, person: Person) -> list[JoinRequest]:
    """Lists the requests a person may decide: their organisations', or all for animators."""
    staff = _is_staff(person)
    if not staff and Role.REPRESENTATIVE not in parse_roles(person.roles):
        return []  # most people: no query at every menu
    stmt = (select(OrganisationMember.id, Organisation.id, Organisation.name,
                   OrganisationMember.note)
            .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
            .where(OrganisationMember.status == "pending")
            .order_by(OrganisationMember.id))
    if not staff:
        represented = select(OrganisationMember.organisation_id).where(
            OrganisationMember.person_id == (person.id or 0),
            OrganisationMember.status == "active")
        stmt = stmt.where(Organisation.id.in_(represented))
    return [JoinRequest(mid, oid, name, note or "") for mid, oid, name, note
            in uow.session.execute(stmt)]


def decide_membership(cmd: c.DecideMembership, uow: UnitOfWork, person: Person,
                      now: datetime) -> None:
    """Accepts or declines a request to join, if the person may decide it."""
    member = uow.session.get(OrganisationMember, cmd.member_id)
    if member is None or member.status != "pending":
        return  # decided meanwhile by someone else
    if not _is_staff(person) and member.organisation_id not in _represented(uow, person.id or 0):
        raise ValueError("not allowed to decide this request")
    member.status = "active" if cmd.accept else "declined"
    if cmd.accept:
        newcomer = uow.session.get(Person, member.person_id)
        if newcomer is not None:
            roles = parse_roles(newcomer.roles)
            newcomer.roles = format_roles(roles | {Role.REPRESENTATIVE})
    logger.info("membership %s %s by person %s", member.id,
                "accepted" if cmd.accept else "declined", person.id)


def representatives_of(uow: UnitOfWork, organisation_id: int) -> list[int]:
    """Lists the people who represent an organisation (active members)."""
    return list(uow.session.scalars(select(OrganisationMember.person_id).where(
        OrganisationMember.organisation_id == organisation_id,
        OrganisationMember.status == "active")))


def pending_request(uow: UnitOfWork, member_id: int) -> tuple[int, str] | None:
    """Returns (person id, organisation name) of a request still waiting for a decision."""
    found = uow.session.execute(
        select(OrganisationMember.person_id, Organisation.name)
        .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
        .where(OrganisationMember.id == member_id,
               OrganisationMember.status == "pending")).first()
    return (found[0], found[1]) if found else None


def _represented(uow: UnitOfWork, person_id: int) -> list[int]:
    return list(uow.session.scalars(select(OrganisationMember.organisation_id).where(
        OrganisationMember.person_id == person_id, OrganisationMember.status == "active")))


def _is_staff(person: Person) -> bool:
    return bool({Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles))
