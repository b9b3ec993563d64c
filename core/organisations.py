"""Organisations: registered by chat by one of their representatives."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core import commands as c
from core.domain.people import Role, format_roles, parse_roles
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
