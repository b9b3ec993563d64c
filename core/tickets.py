"""Requests to talk to a person: a ticket per request, what the person and the animators
said on it, answered through the assistant and closed by an animator."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from core import commands as c
from core.domain.people import Role, parse_roles
from core.domain.projects import MAX_TEXT
from core.models import ChannelIdentity, HandoffMessage, HandoffRequest, Person
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

SHOWN = 10  # messages of a ticket shown to the animator


@dataclass(frozen=True)
class Said:
    from_staff: bool
    text: str
    at: datetime


@dataclass(frozen=True)
class Ticket:
    """A request as the animators see it: the person by number only, never their address."""

    id: int
    person_id: int
    language: str
    channel: str
    state: str
    created_at: datetime
    closed: bool
    messages: tuple[Said, ...]


def request(uow: UnitOfWork, person: Person, state: str, now: datetime) -> HandoffRequest:
    """Opens a request for the person, or keeps the one already open."""
    found = open_request(uow, person.id or 0)
    if found is None:
        found = HandoffRequest(person_id=person.id or 0, state=state[:64], created_at=now)
        uow.session.add(found)
        uow.session.flush()
        logger.info("person %s asked for a human (request %s)", person.id, found.id)
    return found


def say(cmd: c.SayToTicket, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Adds what the person wrote to their open request."""
    found = open_request(uow, person.id or 0)
    if found is None:
        raise c.Refused("no open request")
    uow.session.add(HandoffMessage(request_id=found.id or 0, person_id=person.id,
                                   text=cmd.text.strip()[:MAX_TEXT], created_at=now))


def answer(cmd: c.AnswerTicket, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Records an animator's answer (the relay sends it to the person)."""
    found = _staff_ticket(uow, cmd.ticket_id, person)
    found.answered_by = person.id
    uow.session.add(HandoffMessage(request_id=found.id or 0, person_id=person.id,
                                   from_staff=True, text=cmd.text.strip()[:MAX_TEXT],
                                   created_at=now))


def close(cmd: c.CloseTicket, uow: UnitOfWork, person: Person, now: datetime) -> None:
    found = _staff_ticket(uow, cmd.ticket_id, person)
    found.closed_at, found.closed_by = now, person.id
    logger.info("request %s closed by person %s", found.id, person.id)


def open_request(uow: UnitOfWork, person_id: int) -> HandoffRequest | None:
    return uow.session.exec(select(HandoffRequest).where(
        HandoffRequest.person_id == person_id, col(HandoffRequest.closed_at).is_(None))
        .order_by(col(HandoffRequest.id).desc())).first()


def open_tickets(uow: UnitOfWork, limit: int = 20) -> list[Ticket]:
    """The requests still open, the oldest first."""
    rows = uow.session.exec(select(HandoffRequest).where(
        col(HandoffRequest.closed_at).is_(None)).order_by(col(HandoffRequest.id)).limit(limit))
    return [t for t in (_ticket(uow, row) for row in rows) if t is not None]


def ticket(uow: UnitOfWork, ticket_id: int) -> Ticket | None:
    row = uow.session.get(HandoffRequest, ticket_id)
    return _ticket(uow, row) if row is not None else None


def _ticket(uow: UnitOfWork, row: HandoffRequest) -> Ticket | None:
    person = uow.session.get(Person, row.person_id)
    if person is None:
        return None
    channel = uow.session.scalars(select(ChannelIdentity.channel).where(
        ChannelIdentity.person_id == row.person_id)
        .order_by(col(ChannelIdentity.last_inbound_at).desc())).first() or ""
    said = list(uow.session.exec(select(HandoffMessage).where(
        HandoffMessage.request_id == row.id).order_by(col(HandoffMessage.id).desc())
        .limit(SHOWN)))
    return Ticket(row.id or 0, row.person_id, person.language, channel, row.state,
                  row.created_at, row.closed_at is not None,
                  tuple(Said(m.from_staff, m.text, m.created_at) for m in reversed(said)))


def _staff_ticket(uow: UnitOfWork, ticket_id: int, person: Person) -> HandoffRequest:
    if not {Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles):
        raise c.Refused("only animators answer requests")
    found = uow.session.exec(select(HandoffRequest).where(HandoffRequest.id == ticket_id)
                             .with_for_update()).first()
    if found is None or found.closed_at is not None:
        raise c.Refused("request closed or unknown")
    return found
