"""The double opt-in: an expert answers a proposal, the organisation accepts or declines the
interested expert; what each side sees of the other until then (first name, skills,
languages, country, reasons; never a number, a chat id or a handle)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import col, select

from core import commands as c
from core import matching, teams
from core.domain.people import Role, parse_roles
from core.domain.proposals import (
    PENDING,
    Answer,
    ProposalStatus,
    TeamRole,
    after_answer,
    after_decision,
)
from core.models import (
    ExpertProfile,
    ExpertSkill,
    Need,
    OrganisationMember,
    Person,
    Project,
    ProjectEvent,
    Proposal,
    Territory,
    VisitPeriod,
)
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Offer:
    """A proposal as the expert sees it: the need, the project, the place, the reasons."""

    id: int
    status: str
    need_id: int
    skill_code: str | None
    label: str
    mode: str | None
    requested: int
    unit: str
    wanted_by: date | None
    ref: str
    title: str
    commune_fr: str
    commune_ar: str
    reasons: tuple[str, ...]
    facts: Facts


@dataclass(frozen=True)
class Facts:
    """What the reasons of a proposal say in detail."""

    shared: tuple[str, ...] = ()  # languages the expert shares with the representatives
    visit: date | None = None  # the start of a stay in Morocco before the need's date
    hours: int | None = None  # hours a month the expert offers
    mode: str | None = None  # how the expert works: remote | on_site | both


@dataclass(frozen=True)
class Candidate:
    """An interested expert as the organisation sees them: anonymised."""

    id: int
    status: str
    ref: str
    title: str
    skill_code: str | None
    label: str
    first_name: str
    skills: tuple[tuple[str | None, str, str], ...]  # (code, own words, level)
    languages: tuple[str, ...]
    country: str | None
    reasons: tuple[str, ...]
    facts: Facts


# --- what the steps change -----------------------------------------------------------------

def answer(cmd: c.AnswerProposal, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Records an expert's answer; the next candidate is asked when they do not take it."""
    proposal = _locked(uow, cmd.proposal_id)
    if proposal is None or proposal.expert_id != person.id:
        raise c.Refused("not their proposal")
    status = after_answer(ProposalStatus(proposal.status), Answer(cmd.answer))
    if status is None:
        raise c.Refused(f"proposal {proposal.id} is {proposal.status}")
    proposal.status, proposal.answered_at = status, now
    logger.info("proposal %s: expert answered %s", proposal.id, status)
    if status is not ProposalStatus.INTERESTED:
        uow.session.flush()
        matching.propose(uow, proposal.need_id, now)


def decide(cmd: c.DecideProposal, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Records the organisation's decision; on yes, the expert is committed to the need and
    joins the project's team with its representatives."""
    proposal = _locked(uow, cmd.proposal_id)
    if proposal is None:
        raise c.Refused("no such proposal")
    need = uow.session.get(Need, proposal.need_id)
    project = uow.session.get(Project, need.project_id) if need else None
    if need is None or project is None or not _represents(uow, person, project):
        raise c.Refused("not their project")
    status = after_decision(ProposalStatus(proposal.status), cmd.accept)
    if status is None:
        raise c.Refused(f"proposal {proposal.id} is {proposal.status}")
    proposal.status, proposal.decided_at, proposal.decided_by = status, now, person.id
    uow.session.add(ProjectEvent(project_id=project.id or 0, person_id=person.id,
                                 action=f"expert_{status}", note=f"proposal {proposal.id}",
                                 at=now))
    if status is ProposalStatus.ACCEPTED:
        need.committed = max(need.committed, need.requested)
        _withdraw_waiting(uow, need.id or 0, now)
        teams.add_member(uow, project.id or 0, proposal.expert_id, TeamRole.EXPERT, now)
        for representative in _representatives(uow, project.organisation_id):
            teams.add_member(uow, project.id or 0, representative, TeamRole.REPRESENTATIVE, now)
    else:
        uow.session.flush()
        matching.propose(uow, proposal.need_id, now)
    logger.info("proposal %s: organisation %s", proposal.id, status)


# --- what the steps read -------------------------------------------------------------------

def offers(uow: UnitOfWork, person_id: int) -> list[Offer]:
    """Lists the proposals sent to an expert that wait for their answer, newest first."""
    rows = uow.session.exec(
        select(Proposal, Need, Project).join(Need, col(Need.id) == Proposal.need_id)
        .join(Project, col(Project.id) == Need.project_id)
        .where(Proposal.expert_id == person_id, Proposal.status == ProposalStatus.WAITING,
               col(Proposal.sent_at).is_not(None))
        .order_by(col(Proposal.id).desc()))
    return [_offer(uow, p, n, pr) for p, n, pr in rows]


def offer(uow: UnitOfWork, proposal_id: int) -> Offer | None:
    """One proposal as its expert sees it, whatever its status."""
    row = uow.session.exec(
        select(Proposal, Need, Project).join(Need, col(Need.id) == Proposal.need_id)
        .join(Project, col(Project.id) == Need.project_id)
        .where(Proposal.id == proposal_id)).first()
    return _offer(uow, *row) if row else None


def preview_offer(uow: UnitOfWork, need_id: int, expert_id: int, reasons: tuple[str, ...],
                  now: datetime) -> Offer | None:
    """A need as an expert would read it in a proposal, before any proposal exists (a call
    for experts)."""
    need = uow.session.get(Need, need_id)
    project = uow.session.get(Project, need.project_id) if need else None
    if need is None or project is None:
        return None
    unsaved = Proposal(id=0, need_id=need_id, expert_id=expert_id, reasons=",".join(reasons),
                       created_at=now)
    return _offer(uow, unsaved, need, project)


def candidates(uow: UnitOfWork, person_id: int) -> list[Candidate]:
    """Lists the interested experts waiting for a decision of the person's organisations."""
    organisations = _organisations(uow, person_id)
    if not organisations:
        return []
    rows = uow.session.exec(
        select(Proposal, Need, Project).join(Need, col(Need.id) == Proposal.need_id)
        .join(Project, col(Project.id) == Need.project_id)
        .where(col(Project.organisation_id).in_(organisations),
               Proposal.status == ProposalStatus.INTERESTED)
        .order_by(col(Proposal.answered_at), col(Proposal.id)))
    return [_candidate(uow, p, n, pr) for p, n, pr in rows]


def candidate(uow: UnitOfWork, proposal_id: int) -> Candidate | None:
    row = uow.session.exec(
        select(Proposal, Need, Project).join(Need, col(Need.id) == Proposal.need_id)
        .join(Project, col(Project.id) == Need.project_id)
        .where(Proposal.id == proposal_id)).first()
    return _candidate(uow, *row) if row else None


def representatives_of_proposal(uow: UnitOfWork, proposal_id: int) -> list[int]:
    """The people to ask about an interested expert."""
    row = uow.session.exec(
        select(Project.organisation_id).join(Need, col(Need.project_id) == Project.id)
        .join(Proposal, col(Proposal.need_id) == Need.id)
        .where(Proposal.id == proposal_id)).first()
    return _representatives(uow, row) if row is not None else []


def expert_of(uow: UnitOfWork, proposal_id: int) -> int:
    proposal = uow.session.get(Proposal, proposal_id)
    return proposal.expert_id if proposal else 0


def pending_count(uow: UnitOfWork, need_id: int) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.need_id == need_id, col(Proposal.status).in_(PENDING))) or 0)


@dataclass(frozen=True)
class Figures:
    """The numbers of matching: proposals by status, sent, and how long needs waited for
    their first accepted expert (seconds, one per need that has one)."""

    by_status: dict[str, int]
    sent: int
    first_acceptance: tuple[float, ...]

    def quantile(self, q: float) -> float | None:
        if not self.first_acceptance:
            return None
        ranked = sorted(self.first_acceptance)
        return ranked[min(len(ranked) - 1, int(q * len(ranked)))]


def figures(uow: UnitOfWork) -> Figures:
    """Counts proposals by status and measures the time from a need opened to its first
    accepted expert."""
    by_status = {str(status): int(count) for status, count in uow.session.execute(
        select(Proposal.status, func.count()).group_by(Proposal.status)).all()}
    sent = int(uow.session.scalar(select(func.count()).select_from(Proposal).where(
        col(Proposal.sent_at).is_not(None))) or 0)
    first = uow.session.execute(
        select(Need.created_at, func.min(Proposal.decided_at))
        .join(Proposal, col(Proposal.need_id) == Need.id)
        .where(Proposal.status == ProposalStatus.ACCEPTED).group_by(Need.id)).all()
    waits = tuple(max(0.0, (_utc(decided) - _utc(opened)).total_seconds())
                  for opened, decided in first if decided is not None)
    return Figures(by_status, sent, waits)


# --- helpers -------------------------------------------------------------------------------

def _utc(moment: datetime) -> datetime:
    """Aggregates come back without their time zone on SQLite: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

def _withdraw_waiting(uow: UnitOfWork, need_id: int, now: datetime) -> None:
    """The need is covered: experts not asked yet, or not answered yet, are not kept
    waiting (those already interested stay for the organisation to answer)."""
    for proposal in uow.session.exec(select(Proposal).where(
            Proposal.need_id == need_id, Proposal.status == ProposalStatus.WAITING)):
        proposal.status, proposal.answered_at = ProposalStatus.WITHDRAWN, now


def _locked(uow: UnitOfWork, proposal_id: int) -> Proposal | None:
    stmt = (select(Proposal).where(Proposal.id == proposal_id).with_for_update()
            .execution_options(populate_existing=True))
    return uow.session.exec(stmt).first()


def _offer(uow: UnitOfWork, proposal: Proposal, need: Need, project: Project) -> Offer:
    commune = uow.session.get(Territory, project.commune_code)
    return Offer(proposal.id or 0, proposal.status, need.id or 0, need.skill_code, need.label,
                 need.mode, need.requested, need.unit, need.wanted_by, project.ref,
                 project.title, commune.name_fr if commune else project.commune_code,
                 commune.name_ar if commune else "", _reasons(proposal),
                 _facts(uow, proposal, need, project))


def _candidate(uow: UnitOfWork, proposal: Proposal, need: Need, project: Project) -> Candidate:
    person = uow.session.get(Person, proposal.expert_id)
    profile = uow.session.get(ExpertProfile, proposal.expert_id)
    skills = tuple((s.skill_code, s.label, s.level) for s in uow.session.exec(
        select(ExpertSkill).where(ExpertSkill.person_id == proposal.expert_id)
        .order_by(col(ExpertSkill.id))))
    return Candidate(proposal.id or 0, proposal.status, project.ref, project.title,
                     need.skill_code, need.label, (person.first_name or "") if person else "",
                     skills, tuple(filter(None, (profile.languages if profile else "")
                                          .split(","))),
                     profile.country if profile else None, _reasons(proposal),
                     _facts(uow, proposal, need, project))


def _facts(uow: UnitOfWork, proposal: Proposal, need: Need, project: Project) -> Facts:
    profile = uow.session.get(ExpertProfile, proposal.expert_id)
    if profile is None:
        return Facts()
    spoken = {code for language in uow.session.scalars(
        select(Person.language).join(OrganisationMember,
                                     col(OrganisationMember.person_id) == Person.id)
        .where(OrganisationMember.organisation_id == project.organisation_id,
               OrganisationMember.status == "active"))
        for code in matching.SPEAKS.get(language, ())}
    shared = tuple(code for code in profile.languages.split(",") if code in spoken)
    visit = None
    if need.wanted_by is not None:
        visit = uow.session.scalars(select(VisitPeriod.starts).where(
            VisitPeriod.person_id == proposal.expert_id,
            VisitPeriod.starts <= need.wanted_by,
            VisitPeriod.ends >= proposal.created_at.date()).order_by(
                col(VisitPeriod.starts))).first()
    return Facts(shared, visit, profile.hours_per_month, profile.mode)


def _reasons(proposal: Proposal) -> tuple[str, ...]:
    return tuple(filter(None, proposal.reasons.split(",")))


def _organisations(uow: UnitOfWork, person_id: int) -> list[int]:
    return list(uow.session.scalars(select(OrganisationMember.organisation_id).where(
        OrganisationMember.person_id == person_id, OrganisationMember.status == "active")))


def _representatives(uow: UnitOfWork, organisation_id: int) -> list[int]:
    return list(uow.session.scalars(select(OrganisationMember.person_id).where(
        OrganisationMember.organisation_id == organisation_id,
        OrganisationMember.status == "active").order_by(col(OrganisationMember.id))))


def _represents(uow: UnitOfWork, person: Person, project: Project) -> bool:
    if {Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles):
        return True
    return project.organisation_id in _organisations(uow, person.id or 0)
