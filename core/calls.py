"""Calls for experts: a broadcast about one skill need, and the answers to it.

An expert who answers "interested" enters the matching flow as a proposal the expert has
already accepted: the organisation's representatives are asked at once, as for any
interested expert (core.proposals). "Not for me" is only recorded: a call is not a
proposal, so it weighs nothing on later matching.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from core import broadcasts, matching, proposals
from core import commands as c
from core.domain.audience import Audience, Kind
from core.domain.matching import Why
from core.domain.people import Role, parse_roles
from core.domain.projects import PUBLIC, NeedKind, NeedStatus
from core.domain.proposals import Answer, ProposalStatus
from core.models import Broadcast, BroadcastRecipient, Need, Person, Project, Proposal
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NeedToCall:
    """An open skill need an animator may call experts for."""

    id: int
    ref: str
    title: str
    skill_code: str | None
    label: str


@dataclass(frozen=True)
class Call:
    """A call an expert received and has not answered, with the need as they read it."""

    broadcast_id: int
    note: dict[str, str]  # the animator's words, per language
    offer: proposals.Offer


def answer(cmd: c.AnswerCall, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Records an expert's answer to a call; "interested" makes them a candidate for the
    need, which the organisation's representatives accept or decline."""
    row = uow.session.exec(select(BroadcastRecipient).where(
        BroadcastRecipient.broadcast_id == cmd.broadcast_id,
        BroadcastRecipient.person_id == person.id).with_for_update()).first()
    broadcast = uow.session.get(Broadcast, cmd.broadcast_id)
    if row is None or broadcast is None or broadcast.kind != Kind.CALL:
        raise c.Refused("no such call for this person")
    if row.answer is not None:
        raise c.Refused(f"call {cmd.broadcast_id} already answered")
    need = uow.session.get(Need, broadcast.need_id) if broadcast.need_id else None
    if need is None or not _still_open(uow, need):
        raise c.Refused(f"the need of call {cmd.broadcast_id} is no longer open")
    choice = Answer(cmd.answer)
    if choice is Answer.NOT_NOW:
        raise c.Refused("a call is answered interested or not for me")
    row.answer, row.answered_at = choice.value, now
    if choice is Answer.INTERESTED:
        _candidate(uow, need, person.id or 0, now)
    logger.info("call %s: person %s answered %s", cmd.broadcast_id, person.id, choice.value)


def send(cmd: c.SendCall, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """An animator's call, created and scheduled for now: the worker streams it."""
    if not {Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles):
        raise c.Refused("only an animator may call for experts")
    try:
        made = broadcasts.create(uow, kind=Kind.CALL, audience=Audience.from_json(cmd.audience),
                                 texts=dict(cmd.texts), created_by=person.id, now=now,
                                 need_id=cmd.need_id, templates=json.loads(cmd.templates))
    except ValueError as error:
        raise c.Refused(str(error)) from error
    broadcasts.schedule(uow, made.id or 0, None, now)


def announce(cmd: c.Announce, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """An animator's news, created and scheduled for now: the worker streams it."""
    if not {Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles):
        raise c.Refused("only an animator may send news to the community")
    try:
        made = broadcasts.create(uow, kind=Kind.NEWS, audience=Audience.from_json(cmd.audience),
                                 texts=dict(cmd.texts), created_by=person.id, now=now,
                                 templates=json.loads(cmd.templates))
    except ValueError as error:
        raise c.Refused(str(error)) from error
    broadcasts.schedule(uow, made.id or 0, None, now)


def open_skill_needs(uow: UnitOfWork, limit: int = 8) -> list[NeedToCall]:
    """The open skill needs of approved projects an animator may call for, newest first."""
    rows = uow.session.exec(
        select(Need, Project).join(Project, col(Project.id) == Need.project_id)
        .where(Need.kind == NeedKind.SKILL, Need.status == NeedStatus.OPEN,
               col(Project.status).in_(PUBLIC))
        .order_by(col(Need.id).desc()).limit(limit))
    return [NeedToCall(need.id or 0, project.ref, project.title, need.skill_code, need.label)
            for need, project in rows]


def proposal_of(uow: UnitOfWork, broadcast_id: int, person_id: int) -> int | None:
    """The proposal an interested answer to this call made, if any."""
    broadcast = uow.session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.need_id is None:
        return None
    return uow.session.exec(select(Proposal.id).where(
        Proposal.need_id == broadcast.need_id, Proposal.expert_id == person_id)).first()


def open_calls(uow: UnitOfWork, person_id: int, now: datetime, limit: int = 10
               ) -> list[Call]:
    """The calls the person received and has not answered whose need is still open,
    newest first."""
    rows = uow.session.exec(
        select(Broadcast).join(BroadcastRecipient,
                               col(BroadcastRecipient.broadcast_id) == Broadcast.id)
        .where(BroadcastRecipient.person_id == person_id, Broadcast.kind == Kind.CALL,
               col(BroadcastRecipient.outbox_id).is_not(None),
               col(BroadcastRecipient.answer).is_(None))
        .order_by(col(Broadcast.id).desc()).limit(limit))
    found = []
    for broadcast in rows:
        need = uow.session.get(Need, broadcast.need_id) if broadcast.need_id else None
        if need is None or not _still_open(uow, need):
            continue
        offer = call_offer(uow, need.id or 0, person_id, now)
        if offer is not None:
            found.append(Call(broadcast.id or 0, json.loads(broadcast.texts or "{}"), offer))
    return found


def call_offer(uow: UnitOfWork, need_id: int, person_id: int, now: datetime
               ) -> proposals.Offer | None:
    """The need as this expert reads it in a call, with matching's reasons."""
    _, reasons = matching.assess(uow, need_id, person_id, now)
    return proposals.preview_offer(uow, need_id, person_id, reasons, now)


def _candidate(uow: UnitOfWork, need: Need, expert_id: int, now: datetime) -> None:
    """The expert, interested, becomes a candidate the representatives are asked about."""
    proposal = uow.session.exec(select(Proposal).where(
        Proposal.need_id == need.id, Proposal.expert_id == expert_id)).first()
    if proposal is not None and proposal.status != ProposalStatus.WAITING:
        raise c.Refused(f"expert already {proposal.status} on need {need.id}")
    if proposal is None:
        score, reasons = matching.assess(uow, need.id or 0, expert_id, now)
        proposal = Proposal(need_id=need.id or 0, expert_id=expert_id, score=score,
                            reasons=",".join((*reasons, Why.CALL.value)), created_at=now,
                            send_after=now, sent_at=now)
        uow.session.add(proposal)
    proposal.status, proposal.answered_at = ProposalStatus.INTERESTED, now
    uow.session.flush()


def _still_open(uow: UnitOfWork, need: Need) -> bool:
    project = uow.session.get(Project, need.project_id)
    return need.status == NeedStatus.OPEN and project is not None and project.status in PUBLIC
