"""The numbers an animator follows (`comdev stats`): people, projects, needs, proposals,
time to a first match, tickets. Every figure is a SQL aggregate: nothing loads every row.

What is counted, precisely:

- People: every person the database holds. An erased person is deleted with their channel
  identities, proposals and tickets (core.services.erase_person), so they count nowhere;
  every count of people (and of tickets) goes through the `person` table, so that a row
  an erasure left behind could not count either. A person counts once under each of
  their roles (a person may have several; "none" is someone who has not chosen one yet),
  once under their language, once under each channel they have an identity on, and under
  the country of their expert profile ("unknown" for people without a profile or without
  a country). "consented" counts those who agreed at onboarding; "opted_out", STOP.
- Projects: every project, whatever its status (drafts included), by status, theme and
  province (the province of the project's commune; "unknown" when the commune has none).
- Needs: the needs of every project but drafts (the representatives are still writing
  them; `comdev needs list` leaves them out too), counted by status (open, fulfilled,
  closed), and per unit (days, MAD, items...; "none" when a need has no unit) the number
  of needs and the sums of what was requested, committed and fulfilled.
- Proposals: by status, how many were sent; the acceptance rate is accepted / decided,
  where *decided* counts the proposals the organisation answered (accepted + refused,
  the ones with a decision time). An expert's own "not for me", "not now", an expiry or
  a withdrawal is not a decision and does not weigh on it. None when nothing was decided.
- Time to first match: for each need that has an accepted proposal, the seconds from the
  need's creation to the earliest decision accepting an expert (core.proposals.figures);
  the median and the 90th percentile by nearest rank, as core.proposals.Figures.quantile
  computes them (the wait at 0-based rank min(n - 1, floor(q * n)) of the sorted waits).
- Tickets: requests to talk to a person, open (not closed) and closed.
- Pledges do not exist yet (issue 7): they are left out until they do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from core import proposals
from core.domain.people import Role
from core.domain.projects import THEMES, NeedStatus, Status
from core.domain.proposals import ProposalStatus
from core.models import (
    ChannelIdentity,
    ExpertProfile,
    HandoffRequest,
    Need,
    Person,
    Project,
    Territory,
)
from core.uow import UnitOfWork

UNKNOWN = "unknown"  # a country or province nobody gave
NO_ROLE = "none"  # people who have not chosen a role yet
NO_UNIT = "none"  # needs without a unit


@dataclass(frozen=True)
class People:
    total: int
    consented: int
    opted_out: int
    by_role: Mapping[str, int]
    by_language: Mapping[str, int]
    by_channel: Mapping[str, int]
    by_country: Mapping[str, int]


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    projects: int


@dataclass(frozen=True)
class Projects:
    total: int
    by_status: Mapping[str, int]
    by_theme: Mapping[str, int]
    by_province: tuple[Province, ...]


@dataclass(frozen=True)
class Amounts:
    """The needs of one unit: how many, and what they asked, were promised and received."""

    needs: int
    requested: int
    committed: int
    fulfilled: int


@dataclass(frozen=True)
class Needs:
    total: int
    by_status: Mapping[str, int]
    by_unit: Mapping[str, Amounts]


@dataclass(frozen=True)
class Proposals:
    total: int
    sent: int
    by_status: Mapping[str, int]

    @property
    def decided(self) -> int:
        """Proposals the organisation answered: accepted or refused."""
        return (self.by_status.get(ProposalStatus.ACCEPTED, 0)
                + self.by_status.get(ProposalStatus.REFUSED, 0))

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted / decided; None while nothing was decided."""
        if not self.decided:
            return None
        return self.by_status.get(ProposalStatus.ACCEPTED, 0) / self.decided


@dataclass(frozen=True)
class FirstMatch:
    """Seconds from a need's creation to its first accepted expert."""

    needs: int  # needs that have one
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Tickets:
    open: int
    closed: int


@dataclass(frozen=True)
class Stats:
    at: datetime
    people: People
    projects: Projects
    needs: Needs
    proposals: Proposals
    first_match: FirstMatch
    tickets: Tickets

    def to_json(self) -> dict[str, Any]:
        """The figures as plain data with stable keys (`comdev stats --json`)."""
        p, pr, n, pp = self.people, self.projects, self.needs, self.proposals
        return {
            "at": self.at.isoformat(),
            "people": {"total": p.total, "consented": p.consented, "opted_out": p.opted_out,
                       "by_role": dict(p.by_role), "by_language": dict(p.by_language),
                       "by_channel": dict(p.by_channel), "by_country": dict(p.by_country)},
            "projects": {"total": pr.total, "by_status": dict(pr.by_status),
                         "by_theme": dict(pr.by_theme),
                         "by_province": {v.code: {"name": v.name, "projects": v.projects}
                                         for v in pr.by_province}},
            "needs": {"total": n.total, "by_status": dict(n.by_status),
                      "by_unit": {unit: asdict(a) for unit, a in n.by_unit.items()}},
            "proposals": {"total": pp.total, "sent": pp.sent, "by_status": dict(pp.by_status),
                          "decided": pp.decided, "acceptance_rate": pp.acceptance_rate},
            "first_match": {"needs": self.first_match.needs,
                            "median_seconds": self.first_match.median,
                            "p90_seconds": self.first_match.p90},
            "tickets": {"open": self.tickets.open, "closed": self.tickets.closed},
        }


def figures(uow: UnitOfWork, now: datetime) -> Stats:
    """Computes every figure of `comdev stats` at `now`."""
    matching = proposals.figures(uow)
    return Stats(now, people(uow), projects(uow), needs(uow),
                 Proposals(sum(matching.by_status.values()), matching.sent,
                           _ordered(matching.by_status.items(), ProposalStatus)),
                 FirstMatch(len(matching.first_acceptance), matching.quantile(0.5),
                            matching.quantile(0.9)),
                 tickets(uow))


def people(uow: UnitOfWork) -> People:
    """Counts people by role, language, channel and country."""
    total, consented, opted_out, *roles = uow.session.execute(select(
        func.count(Person.id),
        _count(col(Person.consent_at).is_not(None)),
        _count(col(Person.opted_out).is_(True)),
        *(_count(_has_role(role.value)) for role in Role),
        _count(Person.roles == ""))).one()
    by_role = dict(zip([*(r.value for r in Role), NO_ROLE], roles, strict=True))
    languages = uow.session.execute(
        select(Person.language, func.count()).group_by(Person.language)).all()
    channels = uow.session.execute(
        select(ChannelIdentity.channel, func.count(func.distinct(ChannelIdentity.person_id)))
        .join(Person, Person.id == ChannelIdentity.person_id)
        .group_by(ChannelIdentity.channel)).all()
    # Grouped on the plain column: PostgreSQL does not see that coalesce(country, $1) and
    # coalesce(country, $2) are one expression, so "unknown" is given here.
    countries: dict[str, int] = {}
    for country, count in uow.session.execute(
            select(ExpertProfile.country, func.count(Person.id))
            .outerjoin(ExpertProfile, col(ExpertProfile.person_id) == Person.id)
            .group_by(ExpertProfile.country)).all():
        countries[country or UNKNOWN] = countries.get(country or UNKNOWN, 0) + int(count)
    return People(int(total), int(consented or 0), int(opted_out or 0),
                  {k: int(v or 0) for k, v in by_role.items()},
                  _ordered(languages, ("ar", "zgh", "fr", "en")),
                  _ordered(channels, ("telegram", "whatsapp")),
                  _ordered(countries.items(), ()))


def projects(uow: UnitOfWork) -> Projects:
    """Counts projects by status, theme and province."""
    statuses = uow.session.execute(
        select(Project.status, func.count()).group_by(Project.status)).all()
    themes = uow.session.execute(
        select(Project.theme, func.count()).group_by(Project.theme)).all()
    commune, province = aliased(Territory), aliased(Territory)
    rows = uow.session.execute(
        select(province.code, province.name_fr, func.count(Project.id))
        .select_from(Project)
        .outerjoin(commune, commune.code == Project.commune_code)
        .outerjoin(province, province.code == commune.province_code)
        .group_by(province.code, province.name_fr)).all()
    # Sorted here, not in SQL: databases disagree on where NULL and capitals sort.
    by_province = tuple(sorted((Province(code or UNKNOWN, name or UNKNOWN, int(count))
                                for code, name, count in rows),
                               key=lambda p: (p.code == UNKNOWN, p.code)))
    by_status = _ordered(statuses, Status)
    return Projects(sum(by_status.values()), by_status, _ordered(themes, THEMES),
                    by_province)


def needs(uow: UnitOfWork) -> Needs:
    """Counts the needs of every project but drafts, by status and per unit."""
    counted = Project.status != Status.DRAFT
    statuses = uow.session.execute(
        select(Need.status, func.count()).join(Project, Project.id == Need.project_id)
        .where(counted).group_by(Need.status)).all()
    rows = uow.session.execute(
        select(Need.unit, func.count(), func.sum(Need.requested), func.sum(Need.committed),
               func.sum(Need.fulfilled))
        .join(Project, col(Project.id) == Need.project_id).where(counted)
        .group_by(Need.unit)).all()
    by_status = _ordered(statuses, NeedStatus)
    by_unit: dict[str, Amounts] = {}
    # Sorted here, not in SQL: databases disagree on where capitals sort.
    for unit, *sums in sorted(rows, key=lambda row: row[0] or NO_UNIT):
        was = by_unit.get(unit or NO_UNIT, Amounts(0, 0, 0, 0))
        by_unit[unit or NO_UNIT] = Amounts(*(a + int(b or 0) for a, b in zip(
            (was.needs, was.requested, was.committed, was.fulfilled), sums, strict=True)))
    return Needs(sum(by_status.values()), by_status, by_unit)


def tickets(uow: UnitOfWork) -> Tickets:
    """Counts requests to talk to a person, open and closed."""
    still, closed = uow.session.execute(select(
        _count(col(HandoffRequest.closed_at).is_(None)),
        _count(col(HandoffRequest.closed_at).is_not(None)))
        .join(Person, Person.id == HandoffRequest.person_id)).one()
    return Tickets(int(still or 0), int(closed or 0))


# --- helpers -------------------------------------------------------------------------------

def _count(condition: Any) -> Any:
    """Counts the rows for which a condition holds, in the same pass as the others."""
    return func.sum(case((condition, 1), else_=0))


def _has_role(role: str) -> Any:
    """Tells whether a person's comma-separated roles name this one (whole words only)."""
    return (literal(",") + Person.roles + literal(",")).like(f"%,{role},%")


def _ordered(rows: Iterable[Any], known: Iterable[str]) -> dict[str, int]:
    """Counts keyed by value: the known values first in their order (zeros included), then
    any other value met, alphabetically, so that the keys are stable from run to run."""
    found = {str(key): int(count) for key, count in rows}
    keys = [str(k) for k in known]
    return {key: found.get(key, 0) for key in keys} | {
        key: found[key] for key in sorted(found) if key not in keys}
