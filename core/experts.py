"""The expert pool and the supporters: profiles, pauses, follows, browsing projects."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, or_
from sqlmodel import select

from core import commands as c
from core.domain.experts import (
    MAX_HOURS_PER_MONTH,
    MAX_PROPOSALS_PER_MONTH,
    MAX_SKILLS,
    MAX_VISITS,
    SPOKEN,
    FollowKind,
    Level,
    Mode,
    Period,
    may_receive_proposals,
)
from core.domain.people import Role, format_roles, parse_roles
from core.domain.projects import PUBLIC, THEMES
from core.domain.text import fold
from core.models import (
    ExpertProfile,
    ExpertSkill,
    Follow,
    Need,
    Person,
    Project,
    ProjectUpdate,
    Territory,
    VisitPeriod,
)
from core.projects import ProjectCard, cards
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

PAGE = 5


@dataclass(frozen=True)
class SkillView:
    code: str | None
    label: str
    level: str


@dataclass(frozen=True)
class ProfileView:
    """An expert's profile as they see and edit it."""

    skills: tuple[SkillView, ...]
    languages: tuple[str, ...]
    country: str | None
    city: str | None
    timezone: str | None
    origin_code: str | None
    themes: tuple[str, ...]
    hours_per_month: int | None
    mode: str | None
    visits: tuple[Period, ...]
    proposals_per_month: int
    accepts_proposals: bool
    paused_until: date | None

    def receives_proposals(self, opted_out: bool, today: date) -> bool:
        return may_receive_proposals(self.accepts_proposals, self.paused_until, opted_out,
                                     today)


@dataclass(frozen=True)
class Filters:
    """What a person browses: every field optional."""

    theme: str | None = None
    territory: str | None = None  # a region or province code (or a commune's)
    skill: str | None = None
    kind: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Page:
    projects: list[ProjectCard]
    total: int
    latest: dict[str, str]  # project ref → text of its latest update


# --- profiles ----------------------------------------------------------------------------------

def profile(uow: UnitOfWork, person_id: int) -> ProfileView | None:
    """Returns a person's expert profile, or None when they have none."""
    row = uow.session.get(ExpertProfile, person_id)
    if row is None:
        return None
    skills = tuple(SkillView(s.skill_code, s.label, s.level) for s in uow.session.exec(
        select(ExpertSkill).where(ExpertSkill.person_id == person_id).order_by(ExpertSkill.id)))
    visits = tuple(Period(v.starts, v.ends) for v in uow.session.exec(
        select(VisitPeriod).where(VisitPeriod.person_id == person_id)
        .order_by(VisitPeriod.starts)))
    return ProfileView(skills, tuple(filter(None, row.languages.split(","))), row.country,
                       row.city, row.timezone, row.origin_code,
                       tuple(f.key for f in follows(uow, person_id, FollowKind.THEME)),
                       row.hours_per_month, row.mode, visits, row.proposals_per_month,
                       row.accepts_proposals, row.paused_until)


def save_profile(cmd: c.SaveExpertProfile, uow: UnitOfWork, person: Person, now: datetime
                 ) -> None:
    """Registers or replaces the person's expert profile, and makes them an expert."""
    assert person.id is not None
    _check(cmd)
    row = uow.session.get(ExpertProfile, person.id)
    if row is None:
        row = ExpertProfile(person_id=person.id, created_at=now)
        uow.session.add(row)
    row.country, row.city, row.timezone = cmd.country, (cmd.city or None), cmd.timezone
    row.origin_code, row.languages = cmd.origin_code, ",".join(dict.fromkeys(cmd.languages))
    row.hours_per_month, row.mode = cmd.hours_per_month, cmd.mode
    row.proposals_per_month, row.accepts_proposals = (cmd.proposals_per_month,
                                                      cmd.accepts_proposals)
    row.updated_at = now
    uow.session.execute(delete(ExpertSkill).where(ExpertSkill.person_id == person.id))
    uow.session.execute(delete(VisitPeriod).where(VisitPeriod.person_id == person.id))
    for skill in cmd.skills:
        uow.session.add(ExpertSkill(person_id=person.id, skill_code=skill.code,
                                    label=skill.label[:200], level=skill.level))
    for starts, ends in cmd.visits:
        uow.session.add(VisitPeriod(person_id=person.id, starts=starts, ends=ends))
    uow.session.execute(delete(Follow).where(Follow.person_id == person.id,
                                             Follow.kind == FollowKind.THEME))
    for theme in dict.fromkeys(cmd.themes):
        uow.session.add(Follow(person_id=person.id, kind=FollowKind.THEME, key=theme,
                               created_at=now))
    roles = parse_roles(person.roles)
    if Role.EXPERT not in roles:
        person.roles = format_roles(roles | {Role.EXPERT})
    logger.info("expert profile of person %s saved", person.id)


def _check(cmd: c.SaveExpertProfile) -> None:
    problems = []
    if not cmd.skills or len(cmd.skills) > MAX_SKILLS:
        problems.append("skills")
    if any(s.level not in set(Level) or not (s.code or s.label.strip()) for s in cmd.skills):
        problems.append("skill")
    if any(language not in SPOKEN for language in cmd.languages):
        problems.append("languages")
    if cmd.country is not None and (len(cmd.country) != 2 or not cmd.country.isupper()):
        problems.append("country")
    if cmd.mode is not None and cmd.mode not in set(Mode):
        problems.append("mode")
    if cmd.hours_per_month is not None and not 0 < cmd.hours_per_month <= MAX_HOURS_PER_MONTH:
        problems.append("hours")
    if len(cmd.visits) > MAX_VISITS or any(s > e for s, e in cmd.visits):
        problems.append("visits")
    if not 0 <= cmd.proposals_per_month <= MAX_PROPOSALS_PER_MONTH:
        problems.append("proposals")
    if any(theme not in THEMES for theme in cmd.themes):
        problems.append("themes")
    if problems:
        raise ValueError("not a profile: " + ", ".join(problems))


def pause(cmd: c.PauseProposals, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Pauses proposals until a date, or resumes them."""
    row = uow.session.get(ExpertProfile, person.id)
    if row is None:
        raise c.Refused("no expert profile")
    row.paused_until, row.updated_at = cmd.until, now
    logger.info("person %s paused until %s", person.id, cmd.until)


# --- follows -----------------------------------------------------------------------------------

def follows(uow: UnitOfWork, person_id: int, kind: str | None = None) -> list[Follow]:
    stmt = select(Follow).where(Follow.person_id == person_id)
    if kind is not None:
        stmt = stmt.where(Follow.kind == kind)
    return list(uow.session.exec(stmt.order_by(Follow.id)))


def follow(cmd: c.FollowThing, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Follows a theme, a territory or a project (following twice changes nothing)."""
    kind = FollowKind(cmd.kind)
    if kind is FollowKind.THEME and cmd.key not in THEMES:
        raise ValueError("unknown theme")
    if kind is FollowKind.TERRITORY and uow.session.get(Territory, cmd.key) is None:
        raise ValueError("unknown territory")
    if kind is FollowKind.PROJECT and not _public(uow, cmd.key):
        raise c.Refused("not a project that can be followed")
    exists = uow.session.exec(select(Follow).where(
        Follow.person_id == person.id, Follow.kind == kind, Follow.key == cmd.key)).first()
    if exists is None:
        uow.session.add(Follow(person_id=person.id or 0, kind=kind, key=cmd.key,
                               created_at=now))
    roles = parse_roles(person.roles)
    if not roles & {Role.EXPERT, Role.SUPPORTER, Role.REPRESENTATIVE}:
        person.roles = format_roles(roles | {Role.SUPPORTER})


def unfollow(cmd: c.UnfollowThing, uow: UnitOfWork, person: Person, now: datetime) -> None:
    uow.session.execute(delete(Follow).where(Follow.person_id == person.id,
                                             Follow.kind == cmd.kind, Follow.key == cmd.key))


def followers(uow: UnitOfWork, ref: str) -> list[int]:
    """Lists the people who follow a project and still want news (opt-out respected)."""
    stmt = (select(Follow.person_id).join(Person, Person.id == Follow.person_id)
            .where(Follow.kind == FollowKind.PROJECT, Follow.key == ref,
                   Person.opted_out.is_(False)).order_by(Follow.person_id))
    return list(uow.session.scalars(stmt))


def _public(uow: UnitOfWork, ref: str) -> bool:
    return uow.session.exec(select(Project.id).where(
        Project.ref == ref, Project.status.in_(PUBLIC))).first() is not None


# --- browsing ----------------------------------------------------------------------------------

def browse(uow: UnitOfWork, filters: Filters, page: int = 0, size: int = PAGE) -> Page:
    """Lists the approved projects that match, newest first, one page at a time."""
    stmt = select(Project).where(Project.status.in_(PUBLIC))
    if filters.theme:
        stmt = stmt.where(Project.theme == filters.theme)
    if filters.kind:
        stmt = stmt.where(Project.kind == filters.kind)
    if filters.territory:
        within = select(Territory.code).where(or_(
            Territory.code == filters.territory, Territory.province_code == filters.territory,
            Territory.region_code == filters.territory))
        stmt = stmt.where(Project.commune_code.in_(within))
    if filters.skill:
        stmt = stmt.where(Project.id.in_(select(Need.project_id).where(
            Need.skill_code == filters.skill, Need.status == "open")))
    candidates = list(uow.session.exec(stmt.order_by(Project.id.desc())))
    if filters.text:
        wanted = fold(filters.text)
        candidates = [p for p in candidates
                      if wanted in fold(p.title) or wanted in fold(p.description)]
    total = len(candidates)
    shown = cards(uow, candidates[page * size:(page + 1) * size])
    return Page(shown, total, latest_updates(uow, [p.ref for p in shown]))


def latest_updates(uow: UnitOfWork, refs: list[str]) -> dict[str, str]:
    """Returns the text of each project's latest progress update."""
    if not refs:
        return {}
    newest = (select(ProjectUpdate.project_id, func.max(ProjectUpdate.id).label("id"))
              .group_by(ProjectUpdate.project_id).subquery())
    rows = uow.session.execute(
        select(Project.ref, ProjectUpdate.text)
        .join(newest, newest.c.project_id == Project.id)
        .join(ProjectUpdate, ProjectUpdate.id == newest.c.id)
        .where(Project.ref.in_(refs)))
    return {ref: text for ref, text in rows}


def whats_new(uow: UnitOfWork, person_id: int, since: datetime, limit: int = PAGE
              ) -> list[ProjectCard]:
    """Lists the approved projects, among the themes, territories and projects the person
    follows, that opened or moved since a date, newest first."""
    followed = follows(uow, person_id)
    themes = [f.key for f in followed if f.kind == FollowKind.THEME]
    places = [f.key for f in followed if f.kind == FollowKind.TERRITORY]
    refs = [f.key for f in followed if f.kind == FollowKind.PROJECT]
    if not (themes or places or refs):
        return []
    within = select(Territory.code).where(or_(
        Territory.code.in_(places), Territory.province_code.in_(places),
        Territory.region_code.in_(places)))
    stmt = (select(Project).where(Project.status.in_(PUBLIC), Project.updated_at >= since,
                                  or_(Project.theme.in_(themes), Project.ref.in_(refs),
                                      Project.commune_code.in_(within)))
            .order_by(Project.updated_at.desc()).limit(limit))
    return cards(uow, list(uow.session.exec(stmt)))
