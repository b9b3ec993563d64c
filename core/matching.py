"""Matching needs with experts, and the proposals that follow: who is asked, when, and what
happens when they answer (core.domain.matching scores; core.domain.proposals rules).

Matching runs when a need opens, when an expert's profile changes or a pause ends, and
nightly for what is still open; each run fills the need's free places (at most three
experts waiting on it) with the best candidates not asked before. A proposal is written at
once but sent only outside the expert's quiet hours: `due` lists what may go now.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, or_, update
from sqlmodel import col, select

from core import commands as c
from core.domain.experts import FollowKind, Period, may_receive_proposals
from core.domain.matching import Expert, score
from core.domain.matching import Need as Wanted
from core.domain.matching import words as words_of
from core.domain.projects import REVIEWED, NeedKind, NeedStatus
from core.domain.proposals import (
    CAP_WINDOW,
    EXPIRY,
    MAX_WAITING,
    PENDING,
    REFUSAL_MEMORY,
    ProposalStatus,
    allowed_at,
    expired,
    zone,
)
from core.domain.text import fold
from core.index import Index
from core.models import (
    ExpertProfile,
    ExpertSkill,
    Follow,
    Need,
    OrganisationMember,
    Person,
    Project,
    Proposal,
    VisitPeriod,
)
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

TOP = 20  # candidates ranked per run; the free places take the best of them
#: Languages a representative who chose one of the assistant's languages is taken to speak.
SPEAKS = {"ar": ("ar", "darija"), "zgh": ("zgh", "darija"), "fr": ("fr",), "en": ("en",)}
HOURS_A_DAY = 6  # a need asked in days, weighed against hours a month


@dataclass(frozen=True)
class Sweep:
    """What a sweep did: proposals expired, withdrawn and created."""

    expired: int = 0
    withdrawn: int = 0
    proposed: int = 0


# --- when matching runs -----------------------------------------------------------------------

def propose(uow: UnitOfWork, need_id: int, now: datetime) -> list[Proposal]:
    """Fills a need's free places with the best experts not asked yet; returns the new
    proposals (not yet sent: see `due`)."""
    need = _lock_need(uow, need_id)
    if need is None or not _matchable(uow, need):
        return []
    pending = uow.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.need_id == need_id, col(Proposal.status).in_(PENDING))) or 0
    free = MAX_WAITING - pending
    if free <= 0:
        return []
    project = uow.session.get(Project, need.project_id)
    assert project is not None
    wanted = _wanted(uow, need, project, now.date())
    experts = candidates(uow, need, project, now)
    created = []
    for match in Index(experts).top(wanted, TOP)[:free]:
        expert = uow.session.get(ExpertProfile, match.expert)
        assert expert is not None
        tz = zone(expert.timezone, expert.country)
        proposal = Proposal(need_id=need_id, expert_id=match.expert, score=match.score,
                            reasons=",".join(match.reasons), created_at=now,
                            send_after=allowed_at(now, tz))
        uow.session.add(proposal)
        created.append(proposal)
    if created:
        uow.session.flush()
        logger.info("need %s: %s proposals", need_id, len(created))
    return created


def rematch_expert(uow: UnitOfWork, person_id: int, now: datetime) -> list[Proposal]:
    """After a profile changed or a pause ended: runs matching for the open needs that fit
    the expert and have a free place."""
    codes = [code for code in uow.session.scalars(
        select(ExpertSkill.skill_code).where(ExpertSkill.person_id == person_id)) if code]
    own_words = uow.session.scalars(select(ExpertSkill.id).where(
        ExpertSkill.person_id == person_id, col(ExpertSkill.label) != "")).first()
    if not codes and own_words is None:
        return []
    categories = {code.partition(".")[0] for code in codes}
    fits = or_(col(Need.skill_code).in_(codes),
               *(col(Need.skill_code).startswith(f"{cat}.") for cat in sorted(categories)),
               col(Need.skill_code).is_(None))
    created: list[Proposal] = []
    for need_id in _open_needs(uow, fits):
        created += propose(uow, need_id, now)
    return created


def sweep(uow: UnitOfWork, now: datetime, *, nightly: bool = False) -> Sweep:
    """Expires proposals unanswered for a week, withdraws those whose need closed, and
    asks the next candidates; nightly, runs matching for every open need."""
    stale = list(uow.session.exec(select(Proposal).where(
        Proposal.status == ProposalStatus.WAITING, col(Proposal.sent_at).is_not(None),
        col(Proposal.sent_at) <= now - EXPIRY)))
    touched: set[int] = set()
    for proposal in stale:
        if expired(ProposalStatus(proposal.status), proposal.sent_at, now):
            proposal.status, proposal.answered_at = ProposalStatus.EXPIRED, now
            touched.add(proposal.need_id)
    withdrawn = _withdraw_closed(uow, now)
    needs = _open_needs(uow) if nightly else sorted(touched)
    proposed = sum(len(propose(uow, need_id, now)) for need_id in needs)
    return Sweep(len(stale), withdrawn, proposed)


def due(uow: UnitOfWork, now: datetime, limit: int = 100) -> list[Proposal]:
    """Lists proposals written but not sent whose quiet hours are over."""
    return list(uow.session.exec(select(Proposal).where(
        Proposal.status == ProposalStatus.WAITING, col(Proposal.sent_at).is_(None),
        Proposal.send_after <= now).order_by(col(Proposal.id)).limit(limit)
        .with_for_update(skip_locked=True)))


def assess(uow: UnitOfWork, need_id: int, expert_id: int, now: datetime
           ) -> tuple[int, tuple[str, ...]]:
    """Scores one expert for a need as matching would, whatever their cap or pause (they
    came forward themselves, answering a call): the score and its reasons, or (0, ())
    when nothing in their profile fits."""
    need = uow.session.get(Need, need_id)
    project = uow.session.get(Project, need.project_id) if need else None
    if need is None or project is None:
        return 0, ()
    for expert in experts(uow, [expert_id], now):
        found = score(_wanted(uow, need, project, now.date()),
                      replace(expert, available=True, open_proposals=0, cap=max(1, expert.cap)))
        if found is not None:
            return found.score, tuple(found.reasons)
    return 0, ()


# --- who may be asked, as matching sees them --------------------------------------------------

def candidates(uow: UnitOfWork, need: Need, project: Project, now: datetime) -> list[Expert]:
    """Loads the experts whose skills may fit the need (same skill, same category, or own
    words), as matching sees them; those already asked about it are not available."""
    code = need.skill_code or ""
    category = code.partition(".")[0]
    clauses = [col(ExpertSkill.label) != ""]
    if code:
        clauses += [ExpertSkill.skill_code == code,
                    col(ExpertSkill.skill_code).startswith(f"{category}.")]
    people = set(uow.session.scalars(select(ExpertSkill.person_id).where(or_(*clauses))))
    asked = set(uow.session.scalars(select(Proposal.expert_id).where(
        Proposal.need_id == need.id)))
    representatives = set(uow.session.scalars(select(OrganisationMember.person_id).where(
        OrganisationMember.organisation_id == project.organisation_id)))
    return list(experts(uow, sorted(people), now, exclude=asked | representatives))


def experts(uow: UnitOfWork, ids: list[int], now: datetime, exclude: Iterable[int] = ()
            ) -> Iterable[Expert]:
    """Builds matching's view of these experts, reading each table once."""
    if not ids:
        return
    excluded, today = set(exclude), now.date()
    profiles = {p.person_id: p for p in uow.session.exec(
        select(ExpertProfile).where(col(ExpertProfile.person_id).in_(ids)))}
    opted_out = dict(uow.session.execute(
        select(Person.id, Person.opted_out).where(col(Person.id).in_(ids))).all())
    skills: dict[int, list[ExpertSkill]] = {}
    for skill in uow.session.exec(select(ExpertSkill).where(col(ExpertSkill.person_id).in_(ids))):
        skills.setdefault(skill.person_id, []).append(skill)
    visits: dict[int, list[Period]] = {}
    for visit in uow.session.exec(select(VisitPeriod).where(col(VisitPeriod.person_id).in_(ids))):
        visits.setdefault(visit.person_id, []).append(Period(visit.starts, visit.ends))
    follows: dict[int, set[str]] = {}
    for row in uow.session.exec(select(Follow).where(
            col(Follow.person_id).in_(ids), Follow.kind == FollowKind.TERRITORY)):
        follows.setdefault(row.person_id, set()).add(row.key)
    recent = _recent(uow, ids, now)
    for person_id in ids:
        profile = profiles.get(person_id)
        if profile is None:
            continue
        received, refusals = recent.get(person_id, (0, 0))
        own = skills.get(person_id, [])
        yield Expert(
            person_id, {s.skill_code: s.level for s in own if s.skill_code},
            frozenset(s.skill_code.partition(".")[0] for s in own if s.skill_code),
            frozenset(w for s in own if s.label for w in words_of(fold(s.label))),
            frozenset(filter(None, profile.languages.split(","))),
            profile.hours_per_month or 0, profile.mode or "remote",
            tuple(visits.get(person_id, ())), profile.origin_code,
            frozenset(follows.get(person_id, ())), received,
            profile.proposals_per_month, refusals,
            person_id not in excluded and may_receive_proposals(
                profile.accepts_proposals, profile.paused_until,
                bool(opted_out.get(person_id)), today))


def _recent(uow: UnitOfWork, ids: list[int], now: datetime) -> dict[int, tuple[int, int]]:
    """Counts, per expert, proposals received this month and declined lately."""
    found: dict[int, tuple[int, int]] = {}
    rows = uow.session.execute(
        select(Proposal.expert_id, Proposal.status, Proposal.created_at)
        .where(col(Proposal.expert_id).in_(ids),
               Proposal.created_at >= now - max(CAP_WINDOW, REFUSAL_MEMORY))).all()
    for expert_id, status, created in rows:
        received, refusals = found.get(expert_id, (0, 0))
        if created >= now - CAP_WINDOW:
            received += 1
        if status == ProposalStatus.DECLINED:
            refusals += 1
        found[expert_id] = (received, refusals)
    return found


def _wanted(uow: UnitOfWork, need: Need, project: Project, today: date) -> Wanted:
    """Matching's view of a need: its skill, words, dates (from today to the day it is
    wanted by: a visit home before then helps), place, and the languages its organisation's
    representatives speak."""
    languages = uow.session.scalars(
        select(Person.language).join(OrganisationMember,
                                     col(OrganisationMember.person_id) == Person.id)
        .where(OrganisationMember.organisation_id == project.organisation_id,
               OrganisationMember.status == "active"))
    spoken = frozenset(code for language in languages for code in SPEAKS.get(language, ()))
    hours = need.requested * (HOURS_A_DAY if need.unit == "days" else 1) if need.unit in (
        "days", "hours") else 0
    return Wanted(need.id or 0, need.skill_code, (need.skill_code or "").partition(".")[0]
                  or None, words_of(fold(need.label)), spoken, hours,
                  need.mode or "either", today if need.wanted_by else None, need.wanted_by,
                  project.commune_code)


# --- helpers ------------------------------------------------------------------------------

def _lock_need(uow: UnitOfWork, need_id: int) -> Need | None:
    stmt = (select(Need).where(Need.id == need_id).with_for_update()
            .execution_options(populate_existing=True))
    return uow.session.exec(stmt).first()


def _matchable(uow: UnitOfWork, need: Need) -> bool:
    """Tells whether a need is a skill need still open on a published project."""
    if need.kind != NeedKind.SKILL or need.status != NeedStatus.OPEN:
        return False
    if need.requested and need.committed >= need.requested:
        return False
    project = uow.session.get(Project, need.project_id)
    return project is not None and project.status in REVIEWED


def _open_needs(uow: UnitOfWork, *clauses: object) -> list[int]:
    stmt = (select(Need.id).join(Project, col(Project.id) == Need.project_id)
            .where(Need.kind == NeedKind.SKILL, Need.status == NeedStatus.OPEN,
                   col(Project.status).in_([str(s) for s in REVIEWED]), *clauses)
            .order_by(col(Need.id)))
    return [i for i in uow.session.scalars(stmt) if i is not None]


def _withdraw_closed(uow: UnitOfWork, now: datetime) -> int:
    """Withdraws waiting proposals whose need is no longer open (closed, fulfilled, or
    committed in full by an accepted expert) or whose project closed."""
    still = select(Need.id).join(Project, col(Project.id) == Need.project_id).where(
        Need.status == NeedStatus.OPEN, col(Project.status).in_([str(s) for s in REVIEWED]),
        or_(Need.requested == 0, Need.committed < Need.requested))
    result = uow.session.execute(
        update(Proposal).where(Proposal.status == ProposalStatus.WAITING,
                               col(Proposal.need_id).not_in(still))
        .values(status=ProposalStatus.WITHDRAWN, answered_at=now)
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def after(uow: UnitOfWork, commands: Iterable[object], person_id: int, now: datetime) -> None:
    """Runs matching where a step's commands may have opened a place: a need added or
    opened again, a project approved, a profile saved, a pause ended."""
    needs: set[int] = set()
    expert = False
    for cmd in commands:
        if isinstance(cmd, (c.AddNeed, c.ReviewProject, c.MoveProject)):
            needs.update(_open_needs(uow, Project.ref == cmd.ref))
        elif isinstance(cmd, c.SetNeedStatus) and cmd.status == NeedStatus.OPEN:
            needs.add(cmd.need_id)
        elif isinstance(cmd, (c.SaveExpertProfile, c.PauseProposals)):
            expert = True
    for need_id in sorted(needs):
        propose(uow, need_id, now)
    if expert:
        rematch_expert(uow, person_id, now)
