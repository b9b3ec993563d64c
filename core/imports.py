"""Importing a commune's list of projects from its communal development plan (PCD).

Every row is checked first, against the rules (core/domain/imports.py) and the database
(the commune exists, the project is not there already); then every new project is written in
the caller's transaction, open at once since an animator imports it, each change recorded in
its audit trail, and matching runs on its skill needs as it does after a review.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select

from core import commands as c
from core import matching, projects, services, territories
from core.domain.imports import (
    NeedSpec,
    Problem,
    ProjectRow,
    check_row,
    read_table,
    same_text,
)
from core.domain.projects import Status, reference
from core.domain.territories import Tier
from core.models import Need, Organisation, Person, Project, ProjectEvent, Proposal, Territory
from core.skills import default_index
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

HCP_CODE = re.compile(r"\d{2}(?:\.\d{1,3}){0,3}")
ORGANISATION_KIND = "commune"  # a PCD is the commune council's plan
MAX_ORGANISATION = 120  # core.models.Organisation.name


@dataclass(frozen=True)
class Checked:
    """A row ready to import, with its commune found."""

    row: ProjectRow
    commune_code: str
    commune_name: str


@dataclass(frozen=True)
class Skipped:
    """A row left out because its project is there already: in the database (ref), or
    earlier in the file (line)."""

    line: int
    title: str
    ref: str | None = None
    same_as_line: int | None = None


@dataclass
class Plan:
    """What an import would do: the rows to write, those skipped, and the problems found
    (any problem, and nothing is written)."""

    rows: list[Checked] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    line: int
    ref: str
    title: str
    commune_code: str
    commune_name: str
    organisation: str
    needs: int


@dataclass
class Result:
    imported: list[Imported] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    proposals: int = 0  # experts matching asked at once


def read(path: Path) -> str:
    """Reads a file as UTF-8 text; raises ValueError when it cannot."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte {error.start}); save the file as UTF-8"
                         ) from error
    except OSError as error:
        raise ValueError(error.strerror or str(error)) from error


def check(uow: UnitOfWork, text: str) -> Plan:
    """Checks every row of a PCD file; raises ValueError when the table itself cannot be
    read (then no row is looked at)."""
    table = read_table(text)
    if not table:
        raise ValueError("no project below the header row")
    codes = frozenset(skill.code for skill in default_index().taxonomy.skills)
    communes: dict[str, tuple[Territory | None, str]] = {}
    plan = Plan()
    for line in table:
        row, problems = check_row(line, codes)
        written = " ".join(line.cells.get("commune", "").split())
        place = None
        if written:
            if written not in communes:
                communes[written] = resolve_commune(uow, written)
            place, reason = communes[written]
            if place is None:  # first: the other problems may follow from it
                problems.insert(0, Problem(line.line, "commune", reason))
        plan.problems += problems
        if row is not None and place is not None and not problems:
            plan.rows.append(Checked(row, place.code, place.name_fr))
    plan.rows = _new_only(uow, plan.rows, plan.skipped)
    return plan


def resolve_commune(uow: UnitOfWork, text: str) -> tuple[Territory | None, str]:
    """Finds the one commune an HCP code or a name means; otherwise says why not."""
    if HCP_CODE.fullmatch(text):
        place = uow.session.get(Territory, text)
        if place is None:
            return None, f"no territory has the HCP code {text}"
        if place.kind != "commune":
            return None, f"{text} is a {place.kind} ({place.name_fr}), not a commune"
        return place, ""
    found = territories.search(uow, text, limit=10)
    exact = [cand for cand in found if cand.tier == Tier.EXACT]
    best = [cand for cand in exact if cand.score == max(e.score for e in exact)] if exact else []
    if len(best) == 1:
        return uow.session.get(Territory, best[0].code), ""
    if best:
        named = ", ".join(f"{cand.code} {cand.name_fr} ({cand.province_fr})"
                          for cand in sorted(best, key=lambda cand: cand.code))
        return None, (f"{text!r} names {len(best)} communes: {named}; write the HCP code, or "
                      f"add the province to the name")
    hint = ", ".join(f"{cand.name_fr} ({cand.province_fr}) {cand.code}" for cand in found[:3])
    return None, f"no commune is called {text!r}" + (f"; did you mean {hint}?" if hint else "")


def organisation_of(uow: UnitOfWork, commune_code: str, name: str | None
                    ) -> Organisation | None:
    """The organisation the commune's projects go to: the one of that name in the commune,
    or without a name, the commune council's organisation there (the oldest)."""
    stmt = (select(Organisation).where(Organisation.commune_code == commune_code)
            .order_by(col(Organisation.id)))
    for organisation in uow.session.exec(stmt):
        if (same_text(organisation.name) == same_text(name) if name
                else organisation.kind == ORGANISATION_KIND):
            return organisation
    return None


def default_organisation_name(commune_name: str, name: str | None) -> str:
    """The name of the organisation created when the commune has none that fits."""
    return " ".join((name or f"Commune {commune_name}").split())[:MAX_ORGANISATION]


def apply(uow: UnitOfWork, plan: Plan, animator: Person, now: datetime, *,
          organisation: str | None = None, source: str = "") -> Result:
    """Writes the plan's projects in the caller's transaction, as imported by the animator,
    and runs matching on their skill needs; the caller commits (or nothing happened)."""
    if not services.is_staff(animator):
        raise projects.NotAllowed("only an animator imports projects")
    if plan.problems:
        raise ValueError("a plan with problems is not imported")
    result = Result()
    owners: dict[str, Organisation] = {}
    for checked in plan.rows:
        owner = owners.get(checked.commune_code)
        if owner is None:
            owner = organisation_of(uow, checked.commune_code, organisation)
            if owner is None:
                owner = _create_organisation(uow, checked, organisation, animator, now)
                result.organisations_created.append(owner.name)
            owners[checked.commune_code] = owner
        project = _create_project(uow, checked, owner, animator, now, source)
        for need in checked.row.needs:
            projects.add_need(_command(project.ref, need), uow, animator, now)
        result.imported.append(Imported(
            checked.row.line, project.ref, project.title, checked.commune_code,
            checked.commune_name, owner.name, len(checked.row.needs)))
    uow.session.flush()
    refs = [item.ref for item in result.imported]
    matching.after(uow, [c.ReviewProject(ref, "approve") for ref in refs], animator.id or 0, now)
    result.proposals = _proposals(uow, refs)
    logger.info("PCD import by person %s: %s projects, %s skipped, %s proposals", animator.id,
                len(refs), len(plan.skipped), result.proposals)
    return result


# --- helpers ---------------------------------------------------------------------------------

def _new_only(uow: UnitOfWork, rows: list[Checked], skipped: list[Skipped]) -> list[Checked]:
    """Keeps the rows whose project is neither in the database nor earlier in the file."""
    codes = {checked.commune_code for checked in rows}
    there: dict[tuple[str, tuple[str, str]], str] = {}
    stmt = select(Project).where(col(Project.commune_code).in_(codes)).order_by(col(Project.id))
    for project in uow.session.exec(stmt):
        key = (same_text(project.title), same_text(project.pcd_reference or ""))
        there.setdefault((project.commune_code, key), project.ref)
    seen: dict[tuple[str, tuple[str, str]], int] = {}
    kept = []
    for checked in rows:
        key = (checked.commune_code, checked.row.key)
        if key in there:
            skipped.append(Skipped(checked.row.line, checked.row.title, ref=there[key]))
        elif key in seen:
            skipped.append(Skipped(checked.row.line, checked.row.title, same_as_line=seen[key]))
        else:
            seen[key] = checked.row.line
            kept.append(checked)
    return kept


def _create_organisation(uow: UnitOfWork, checked: Checked, name: str | None,
                         animator: Person, now: datetime) -> Organisation:
    organisation = Organisation(name=default_organisation_name(checked.commune_name, name),
                                kind=ORGANISATION_KIND, commune_code=checked.commune_code,
                                created_at=now, created_by=animator.id)
    uow.session.add(organisation)
    uow.session.flush()
    logger.info("organisation %s created for a PCD import by person %s", organisation.id,
                animator.id)
    return organisation


def _create_project(uow: UnitOfWork, checked: Checked, owner: Organisation, animator: Person,
                    now: datetime, source: str) -> Project:
    row = checked.row
    project = Project(ref=_free_ref(uow, checked), organisation_id=owner.id or 0,
                      commune_code=checked.commune_code, title=row.title,
                      description=row.description, theme=row.theme, kind=row.kind,
                      peer=row.peer, pcd="yes", pcd_reference=row.pcd_reference,
                      status=Status.OPEN, created_by=animator.id, created_at=now,
                      updated_at=now)
    uow.session.add(project)
    uow.session.flush()
    note = f"PCD import{f' from {source}' if source else ''}, line {row.line}"
    uow.session.add(ProjectEvent(project_id=project.id or 0, person_id=animator.id,
                                 action="imported", from_status=None, to_status=Status.OPEN,
                                 note=note, at=now))
    return project


def _free_ref(uow: UnitOfWork, checked: Checked) -> str:
    """A reference no project has: stable for a row, so that a retry names it the same."""
    row = checked.row
    for attempt in range(100):
        ref = reference(f"pcd:{checked.commune_code}:{row.key}:{attempt}")
        if uow.session.exec(select(Project.id).where(Project.ref == ref)).first() is None:
            return ref
    raise RuntimeError("no free project reference")  # 100 collisions: not chance


def _command(ref: str, need: NeedSpec) -> c.AddNeed:
    return c.AddNeed(ref, need.kind, need.label, need.skill_code, need.mode, need.unit,
                     need.requested)


def _proposals(uow: UnitOfWork, refs: list[str]) -> int:
    if not refs:
        return 0
    stmt = (select(Proposal.id).join(Need, col(Need.id) == Proposal.need_id)
            .join(Project, col(Project.id) == Need.project_id)
            .where(col(Project.ref).in_(refs)))
    return len(list(uow.session.exec(stmt)))
