"""Use cases on people and conversations, each a plain function over a unit of work."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update

from core import calls, experts, invitations, proposals, staff, teams, tickets
from core import commands as c
from core.domain.identity import Identity
from core.domain.people import PersonSnapshot, Role, format_roles, parse_roles
from core.domain.proposals import first_name
from core.models import (
    ChannelIdentity,
    Conversation,
    HandoffMessage,
    HandoffRequest,
    InboundMessage,
    OutboxMessage,
    Person,
    Proposal,
    TeamMember,
    TeamMessage,
)
from core.organisations import decide_membership, register_organisation, request_to_join
from core.outbox import FINAL
from core.projects import (
    add_need,
    answer_question,
    create_project,
    edit_project,
    move_project,
    post_update,
    review_project,
    save_diagnosis,
    set_need_status,
    submit_project,
)
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass
class ConversationState:
    state: str | None
    data: dict[str, Any]
    updated_at: datetime | None


def snapshot(person: Person) -> PersonSnapshot:
    return PersonSnapshot(
        id=person.id or 0, language=person.language, roles=parse_roles(person.roles),
        consent_at=person.consent_at, opted_out=person.opted_out, referral=person.referral,
        created_at=person.created_at)


def find_person(uow: UnitOfWork, identity: str) -> Person | None:
    link = uow.session.get(ChannelIdentity, identity)
    return uow.session.get(Person, link.person_id) if link else None


def register_contact(uow: UnitOfWork, identity: str, language: str, now: datetime,
                     name: str | None = None, handle: str | None = None) -> Person:
    """Finds the person behind an identity, creating them on first contact; notes the time,
    the first name of their profile and their Telegram username."""
    link = uow.session.get(ChannelIdentity, identity)
    if link is None:
        person = Person(language=language, created_at=now)
        uow.session.add(person)
        uow.session.flush()
        assert person.id is not None
        link = ChannelIdentity(id=identity, person_id=person.id,
                               channel=identity.partition(":")[0], created_at=now)
        uow.session.add(link)
        logger.info("person %s created", person.id)
    link.last_inbound_at = now
    link.unreachable = False  # they wrote to us, so they can be reached again
    if handle is not None:
        link.handle = handle[:64] or None
    person_found = uow.session.get(Person, link.person_id)
    assert person_found is not None
    if first_name(name):
        person_found.first_name = first_name(name)
    return person_found


def identities_of(uow: UnitOfWork, person_id: int) -> list[str]:
    stmt = select(ChannelIdentity.id).where(ChannelIdentity.person_id == person_id)
    return list(uow.session.scalars(stmt.order_by(ChannelIdentity.id)))


def handle_of(uow: UnitOfWork, person_id: int) -> str | None:
    """The person's Telegram username, if they have one."""
    return uow.session.scalars(select(ChannelIdentity.handle).where(
        ChannelIdentity.person_id == person_id, ChannelIdentity.handle.is_not(None))).first()


def animator_identities(uow: UnitOfWork) -> list[tuple[str, int]]:
    """Lists (identity, person id) of everyone who may answer people."""
    staff = or_(Person.roles.contains(Role.ANIMATOR.value), Person.roles.contains(Role.ADMIN.value))
    stmt = (select(ChannelIdentity.id, Person.id, Person.roles)
            .join(Person, ChannelIdentity.person_id == Person.id).where(staff))
    return [(identity, pid) for identity, pid, roles in uow.session.execute(stmt)
            if {Role.ANIMATOR, Role.ADMIN} & parse_roles(roles)]


def is_staff(person: Person) -> bool:
    """Tells whether a person is an animator or an administrator."""
    return bool({Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles))


def load_conversation(uow: UnitOfWork, person_id: int) -> ConversationState:
    row = uow.session.get(Conversation, person_id)
    if row is None:
        return ConversationState(None, {}, None)
    return ConversationState(row.state, json.loads(row.data or "{}"), row.updated_at)


def save_conversation(uow: UnitOfWork, person_id: int, state: str, data: dict[str, Any],
                      now: datetime) -> None:
    row = uow.session.get(Conversation, person_id)
    if row is None:
        row = Conversation(person_id=person_id, state=state)
        uow.session.add(row)
    row.state, row.data, row.updated_at = state, json.dumps(data, ensure_ascii=False), now


def execute(cmd: c.Command, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Carries out one command of a conversation step."""
    HANDLERS[type(cmd)](cmd, uow, person, now)


def set_language(cmd: c.SetLanguage, uow: UnitOfWork, person: Person, now: datetime) -> None:
    person.language = cmd.language


def give_consent(cmd: c.GiveConsent, uow: UnitOfWork, person: Person, now: datetime) -> None:
    if person.consent_at is None:
        invitations.registered(uow, person)
    person.consent_at = person.consent_at or now


def choose_role(cmd: c.ChooseRole, uow: UnitOfWork, person: Person, now: datetime) -> None:
    roles = {r for r in parse_roles(person.roles) if r in (Role.ANIMATOR, Role.ADMIN)}
    person.roles = format_roles(roles | {cmd.role})


def keep_referral(cmd: c.KeepReferral, uow: UnitOfWork, person: Person, now: datetime) -> None:
    invitations.opened(uow, cmd.code)
    person.referral = person.referral or cmd.code


def opt_out(cmd: c.OptOut, uow: UnitOfWork, person: Person, now: datetime) -> None:
    person.opted_out = True
    logger.info("person %s opted out", person.id)


def opt_in(cmd: c.OptIn, uow: UnitOfWork, person: Person, now: datetime) -> None:
    person.opted_out = False


def request_human(cmd: c.RequestHuman, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Opens a request to talk to a person (or keeps the one open)."""
    assert person.id is not None
    tickets.request(uow, person, cmd.state, now)


def erase_person(cmd: c.ErasePerson, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Erases a person and all they told us; their processed messages go too."""
    pid = person.id
    identities = identities_of(uow, pid or 0)
    uow.session.execute(delete(InboundMessage).where(InboundMessage.identity.in_(identities),
                                                     InboundMessage.processed_at.is_not(None)))
    uow.session.execute(delete(TeamMessage).where(TeamMessage.person_id == pid))
    uow.session.execute(delete(HandoffMessage).where(HandoffMessage.person_id == pid))
    uow.session.execute(delete(Proposal).where(Proposal.expert_id == pid))
    for table in (Conversation, HandoffRequest, ChannelIdentity, TeamMember):
        uow.session.execute(delete(table).where(table.person_id == pid))  # type: ignore[attr-defined]
    # What was sent goes; what is still to send keeps its address, and nothing else.
    uow.session.execute(delete(OutboxMessage).where(
        OutboxMessage.identity.in_(identities),
        OutboxMessage.status.in_(FINAL)))
    uow.session.execute(update(OutboxMessage).where(OutboxMessage.person_id == pid)
                        .values(person_id=None, ephemeral=True))
    uow.session.delete(person)
    logger.info("person %s erased", pid)


HANDLERS: dict[type, Callable[..., None]] = {
    c.SetLanguage: set_language, c.GiveConsent: give_consent, c.ChooseRole: choose_role,
    c.KeepReferral: keep_referral, c.OptOut: opt_out, c.OptIn: opt_in,
    c.RequestHuman: request_human, c.ErasePerson: erase_person,
    c.RegisterOrganisation: register_organisation,
    c.RequestToJoin: request_to_join, c.DecideMembership: decide_membership,
    c.CreateProject: create_project, c.SaveDiagnosis: save_diagnosis, c.AddNeed: add_need,
    c.SetNeedStatus: set_need_status, c.EditProject: edit_project,
    c.SubmitProject: submit_project, c.ReviewProject: review_project,
    c.AnswerQuestion: answer_question, c.MoveProject: move_project, c.PostUpdate: post_update,
    c.SaveExpertProfile: experts.save_profile, c.PauseProposals: experts.pause,
    c.FollowThing: experts.follow, c.UnfollowThing: experts.unfollow,
    c.CreateInvitation: invitations.invite,
    c.AnswerProposal: proposals.answer, c.DecideProposal: proposals.decide,
    c.AnswerCall: calls.answer, c.SendCall: calls.send, c.Announce: calls.announce,
    c.ChooseContact: teams.choose_contact, c.SayToTeam: teams.say, c.JoinTeam: teams.join,
    c.LeaveTeam: teams.leave, c.ReadTeam: teams.read,
    c.SayToTicket: tickets.say, c.AnswerTicket: tickets.answer, c.CloseTicket: tickets.close,
}


def seed_animators(uow: UnitOfWork, identities: Iterable[Identity], language: str,
                   now: datetime) -> int:
    """Makes the configured identities animators, creating them if needed; returns how many."""
    count = sum(staff.grant(uow, identity, Role.ANIMATOR, language, now)
                for identity in identities)
    uow.commit()
    return count


def idle_too_long(state: ConversationState, now: datetime, days: int) -> bool:
    return state.updated_at is not None and now - state.updated_at > timedelta(days=days)
