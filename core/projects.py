"""Projects and their needs: declared by representatives, reviewed by animators.

Every change is recorded as a ProjectEvent with who made it and when.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from core import commands as c
from core.domain.people import Role, parse_roles
from core.domain.projects import (
    EDITABLE,
    KINDS,
    MAX_MEDIA,
    MAX_NEEDS,
    MAX_TEXT,
    MAX_TITLE,
    MISSING,
    PEERS,
    REVIEWED,
    THEMES,
    Actor,
    Mode,
    NeedKind,
    NeedStatus,
    Progress,
    Status,
    after_review,
    may_move,
)
from core.models import (
    Need,
    Organisation,
    OrganisationMember,
    Person,
    Project,
    ProjectEvent,
    ProjectMedia,
    ProjectUpdate,
    Territory,
)
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

MEDIA_KINDS = ("photo", "voice", "audio", "video", "document")


class NotAllowed(c.Refused):
    """The person may not make this change to this project."""


# --- what flows and the CLI read -------------------------------------------------------------

@dataclass(frozen=True)
class Represented:
    """An organisation a person represents, with its commune, as a flow offers it."""

    id: int
    name: str
    commune_code: str
    commune_fr: str
    commune_ar: str
    province_fr: str
    province_ar: str


@dataclass(frozen=True)
class NeedView:
    id: int
    kind: str
    label: str
    skill_code: str | None
    mode: str | None
    unit: str
    requested: int
    committed: int
    fulfilled: int
    wanted_by: date | None
    status: str

    @property
    def progress(self) -> Progress:
        return Progress(self.requested, self.committed, self.fulfilled)


@dataclass(frozen=True)
class MediaView:
    id: int
    kind: str
    channel: str
    ref: str
    mime: str | None


@dataclass(frozen=True)
class ProjectCard:
    """A project as it is shown: to its representatives, to animators, in the CLI."""

    id: int
    ref: str
    title: str
    description: str
    theme: str
    kind: str
    peer: str | None
    pcd: str
    pcd_reference: str | None
    status: str
    organisation_id: int
    organisation: str
    commune_code: str
    commune_fr: str
    commune_ar: str
    province_fr: str
    province_ar: str
    reject_reason: str | None
    question: str | None
    submitted_at: datetime | None
    updated_at: datetime
    diagnosis: dict[str, Any] = field(default_factory=dict)
    needs: tuple[NeedView, ...] = ()
    media: tuple[MediaView, ...] = ()
    updates: int = 0

    @property
    def open_needs(self) -> tuple[NeedView, ...]:
        return tuple(n for n in self.needs if n.status == NeedStatus.OPEN)


def represented(uow: UnitOfWork, person_id: int) -> list[Represented]:
    """Lists the organisations a person actively represents, oldest membership first."""
    province = Territory.__table__.alias("province")
    stmt = (select(Organisation.id, Organisation.name, Territory.code, Territory.name_fr,
                   Territory.name_ar, province.c.name_fr, province.c.name_ar)
            .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
            .join(Territory, Territory.code == Organisation.commune_code)
            .outerjoin(province, province.c.code == Territory.province_code)
            .where(OrganisationMember.person_id == person_id,
                   OrganisationMember.status == "active")
            .order_by(OrganisationMember.id))
    return [Represented(oid, name, code, fr, ar, pfr or "", par or "")
            for oid, name, code, fr, ar, pfr, par in uow.session.execute(stmt)]


def cards(uow: UnitOfWork, projects: list[Project], *, with_details: bool = True
          ) -> list[ProjectCard]:
    """Builds the cards of projects, with their needs and media when asked, in few queries."""
    if not projects:
        return []
    ids = [p.id for p in projects]
    organisations = {o.id: o for o in uow.session.exec(
        select(Organisation).where(Organisation.id.in_({p.organisation_id for p in projects})))}
    communes = {t.code: t for t in uow.session.exec(
        select(Territory).where(Territory.code.in_({p.commune_code for p in projects})))}
    provinces = {t.code: t for t in uow.session.exec(select(Territory).where(
        Territory.code.in_({t.province_code for t in communes.values() if t.province_code})))}
    needs: dict[int, list[NeedView]] = {}
    media: dict[int, list[MediaView]] = {}
    updates: dict[int, int] = {}
    if with_details:
        for need in uow.session.exec(select(Need).where(Need.project_id.in_(ids))
                                     .order_by(Need.id)):
            needs.setdefault(need.project_id, []).append(NeedView(
                need.id or 0, need.kind, need.label, need.skill_code, need.mode, need.unit,
                need.requested, need.committed, need.fulfilled, need.wanted_by, need.status))
        for item in uow.session.exec(select(ProjectMedia).where(
                ProjectMedia.project_id.in_(ids), ProjectMedia.update_id.is_(None),
                ProjectMedia.team_message_id.is_(None))
                .order_by(ProjectMedia.id)):
            media.setdefault(item.project_id, []).append(
                MediaView(item.id or 0, item.kind, item.channel, item.ref, item.mime))
        updates = dict(uow.session.execute(  # type: ignore[arg-type]
            select(ProjectUpdate.project_id, func.count()).where(
                ProjectUpdate.project_id.in_(ids)).group_by(ProjectUpdate.project_id)).all())
    found = []
    for p in projects:
        commune = communes.get(p.commune_code)
        province = provinces.get(commune.province_code or "") if commune else None
        organisation = organisations.get(p.organisation_id)
        found.append(ProjectCard(
            id=p.id or 0, ref=p.ref, title=p.title, description=p.description, theme=p.theme,
            kind=p.kind, peer=p.peer, pcd=p.pcd, pcd_reference=p.pcd_reference,
            status=p.status, organisation_id=p.organisation_id,
            organisation=organisation.name if organisation else "",
            commune_code=p.commune_code, commune_fr=commune.name_fr if commune else "",
            commune_ar=commune.name_ar if commune else "",
            province_fr=province.name_fr if province else "",
            province_ar=province.name_ar if province else "",
            reject_reason=p.reject_reason, question=p.question, submitted_at=p.submitted_at,
            updated_at=p.updated_at, diagnosis=json.loads(p.diagnosis or "{}"),
            needs=tuple(needs.get(p.id or 0, ())), media=tuple(media.get(p.id or 0, ())),
            updates=updates.get(p.id or 0, 0)))
    return found


def card(uow: UnitOfWork, ref: str) -> ProjectCard | None:
    """Returns one project's card by its reference."""
    project = _by_ref(uow, ref)
    return cards(uow, [project])[0] if project else None


def projects_of(uow: UnitOfWork, person_id: int) -> list[ProjectCard]:
    """Lists the projects of the organisations a person represents, newest first."""
    organisations = select(OrganisationMember.organisation_id).where(
        OrganisationMember.person_id == person_id, OrganisationMember.status == "active")
    projects = list(uow.session.exec(select(Project).where(
        Project.organisation_id.in_(organisations)).order_by(Project.id.desc())))
    return cards(uow, projects)


def review_queue(uow: UnitOfWork, limit: int = 20) -> list[ProjectCard]:
    """Lists the projects waiting for an animator, the longest waiting first."""
    projects = list(uow.session.exec(select(Project).where(
        Project.status == Status.AWAITING_REVIEW).order_by(
        Project.submitted_at, Project.id).limit(limit)))
    return cards(uow, projects)


def count_waiting(uow: UnitOfWork) -> int:
    """Counts the projects waiting for review (an animator's menu shows it)."""
    return uow.session.execute(select(func.count()).select_from(Project).where(
        Project.status == Status.AWAITING_REVIEW)).scalar_one()


def history(uow: UnitOfWork, ref: str) -> list[ProjectEvent]:
    """Returns a project's audit trail, oldest first."""
    project = _by_ref(uow, ref)
    if project is None:
        return []
    return list(uow.session.exec(select(ProjectEvent).where(
        ProjectEvent.project_id == project.id).order_by(ProjectEvent.id)))


def representatives(uow: UnitOfWork, ref: str) -> list[int]:
    """Lists the people who represent a project's organisation."""
    project = _by_ref(uow, ref)
    if project is None:
        return []
    return list(uow.session.scalars(select(OrganisationMember.person_id).where(
        OrganisationMember.organisation_id == project.organisation_id,
        OrganisationMember.status == "active").order_by(OrganisationMember.id)))


# --- what conversation steps change ----------------------------------------------------------

def create_project(cmd: c.CreateProject, uow: UnitOfWork, person: Person, now: datetime
                   ) -> None:
    """Records a new project as a draft of one of the person's organisations."""
    assert person.id is not None
    if _by_ref(uow, cmd.ref) is not None:
        return  # the same step ran again: the draft exists
    if cmd.organisation_id not in _organisations_of(uow, person.id):
        raise NotAllowed("only a representative may declare a project for an organisation")
    commune = uow.session.get(Territory, cmd.commune_code)
    title = _clip(cmd.title, MAX_TITLE)
    if (commune is None or commune.kind != "commune" or not title or cmd.theme not in THEMES
            or cmd.kind not in KINDS or (cmd.peer is not None and cmd.peer not in PEERS)
            or cmd.pcd not in ("yes", "no", "unknown")):
        raise ValueError("not a project that can be declared")
    project = Project(ref=cmd.ref, organisation_id=cmd.organisation_id,
                      commune_code=cmd.commune_code, title=title,
                      description=_clip(cmd.description, MAX_TEXT), theme=cmd.theme,
                      kind=cmd.kind, peer=cmd.peer if cmd.kind == "exchange" else None,
                      pcd=cmd.pcd, pcd_reference=_clip(cmd.pcd_reference or "", 120) or None,
                      status=Status.DRAFT, created_by=person.id, created_at=now,
                      updated_at=now)
    uow.session.add(project)
    uow.session.flush()
    _attach(uow, project, cmd.media, now)
    _record(uow, project, person, "created", None, Status.DRAFT, None, now)
    logger.info("project %s created by person %s", project.id, person.id)


def save_diagnosis(cmd: c.SaveDiagnosis, uow: UnitOfWork, person: Person, now: datetime
                   ) -> None:
    """Keeps the answers to the pre-diagnosis questionnaire."""
    project = _editable(uow, cmd.ref, person)
    answers = {"problem": _clip(cmd.problem, MAX_TEXT),
               "beneficiaries": _clip(cmd.beneficiaries, MAX_TEXT),
               "existing": _clip(cmd.existing, MAX_TEXT),
               "missing": [m for m in cmd.missing if m in MISSING],
               "maintenance": _clip(cmd.maintenance, MAX_TEXT)}
    project.diagnosis = json.dumps(answers, ensure_ascii=False)
    project.updated_at = now
    _record(uow, project, person, "diagnosis", None, None, None, now)


def add_need(cmd: c.AddNeed, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Adds a need to a project the person represents."""
    project = _editable(uow, cmd.ref, person)
    kind = NeedKind(cmd.kind)
    count = uow.session.execute(select(func.count()).select_from(Need).where(
        Need.project_id == project.id, Need.status == NeedStatus.OPEN)).scalar_one()
    if count >= MAX_NEEDS:
        raise c.Refused("too many needs")
    if kind is NeedKind.SKILL and not (cmd.skill_code or cmd.label.strip()):
        raise ValueError("a skill need names a skill")
    if cmd.mode is not None and cmd.mode not in set(Mode):
        raise ValueError("unknown mode")
    requested = 1 if kind is NeedKind.PARTNER else cmd.requested
    if not 0 < requested <= 1_000_000_000:
        raise ValueError("a need asks for a positive amount")
    need = Need(project_id=project.id or 0, kind=kind, skill_code=cmd.skill_code,
                label=_clip(cmd.label, 300), mode=cmd.mode if kind is NeedKind.SKILL else None,
                unit=cmd.unit[:16], requested=requested, wanted_by=cmd.wanted_by,
                status=NeedStatus.OPEN, created_at=now)
    uow.session.add(need)
    uow.session.flush()
    project.updated_at = now
    _record(uow, project, person, "need_added", None, None, f"need {need.id} {kind}", now)


def set_need_status(cmd: c.SetNeedStatus, uow: UnitOfWork, person: Person, now: datetime
                    ) -> None:
    """Closes a need, marks it fulfilled (counting it received), or opens it again."""
    need = uow.session.get(Need, cmd.need_id)
    if need is None:
        raise c.Refused("no such need")
    project = uow.session.get(Project, need.project_id)
    assert project is not None
    _check_representative(uow, project, person)
    status = NeedStatus(cmd.status)
    if need.status == status:
        return
    need.status = status
    if status is NeedStatus.FULFILLED:
        need.fulfilled = max(need.fulfilled, need.requested)
    project.updated_at = now
    _record(uow, project, person, f"need_{status}", None, None, f"need {need.id}", now)


def edit_project(cmd: c.EditProject, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Changes a project's text; an approved project is reviewed again before it is shown."""
    project = _editable(uow, cmd.ref, person)
    changes = []
    if cmd.title is not None and _clip(cmd.title, MAX_TITLE):
        project.title = _clip(cmd.title, MAX_TITLE)
        changes.append("title")
    if cmd.description is not None:
        project.description = _clip(cmd.description, MAX_TEXT)
        changes.append("description")
    if cmd.media:
        _attach(uow, project, cmd.media, now)
        changes.append("media")
    if not changes:
        return
    project.updated_at = now
    _record(uow, project, person, "edited", None, None, ",".join(changes), now)
    if project.status in REVIEWED:
        project.resume_status = project.status
        _move(uow, project, person, Status.AWAITING_REVIEW, "submitted", None, now)
        project.submitted_at = now


def submit_project(cmd: c.SubmitProject, uow: UnitOfWork, person: Person, now: datetime
                   ) -> None:
    """Sends a draft (or a rejected project, changed) to the animators."""
    project = _project(uow, cmd.ref)
    _check_representative(uow, project, person)
    if project.status == Status.AWAITING_REVIEW:
        return  # already waiting
    if not may_move(Status(project.status), Status.AWAITING_REVIEW, Actor.REPRESENTATIVE):
        raise NotAllowed(f"cannot submit a project that is {project.status}")
    project.submitted_at = now
    project.reject_reason = None
    _move(uow, project, person, Status.AWAITING_REVIEW, "submitted", None, now)


def review_project(cmd: c.ReviewProject, uow: UnitOfWork, person: Person, now: datetime
                   ) -> None:
    """An animator approves, rejects with a reason, or asks the representatives a question."""
    project = _project(uow, cmd.ref)
    if not _is_staff(person):
        raise NotAllowed("only an animator may review a project")
    text = _clip(cmd.text, MAX_TEXT)
    if project.status != Status.AWAITING_REVIEW:
        return  # decided meanwhile by another animator
    if cmd.decision == "approve":
        target = after_review(Status(project.status), _status(project.resume_status))
        project.resume_status = None
        project.question = project.question_by = None
        _move(uow, project, person, target, "approved", text or None, now)
    elif cmd.decision == "reject":
        if not text:
            raise ValueError("a rejection gives its reason")
        project.reject_reason, project.resume_status = text, None
        project.question = project.question_by = None
        _move(uow, project, person, Status.REJECTED, "rejected", text, now)
    elif cmd.decision == "question":
        if not text:
            raise ValueError("a question has words")
        project.question, project.question_by = text, person.id
        _record(uow, project, person, "question", None, None, text, now)
    else:
        raise ValueError(f"unknown decision {cmd.decision}")
    logger.info("project %s %s by person %s", project.id, cmd.decision, person.id)


def answer_question(cmd: c.AnswerQuestion, uow: UnitOfWork, person: Person, now: datetime
                    ) -> None:
    """Records the representatives' answer to the animator's question."""
    project = _project(uow, cmd.ref)
    _check_representative(uow, project, person)
    if project.question is None:
        return
    project.question = None
    _record(uow, project, person, "answered", None, None, _clip(cmd.text, MAX_TEXT), now)


def move_project(cmd: c.MoveProject, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """A representative marks a project in progress, completed or closed."""
    project = _project(uow, cmd.ref)
    _check_representative(uow, project, person)
    target = Status(cmd.status)
    if project.status == target:
        return
    actor = Actor.ANIMATOR if _is_staff(person) else Actor.REPRESENTATIVE
    if not may_move(Status(project.status), target, actor):
        raise NotAllowed(f"cannot move a project from {project.status} to {target}")
    _move(uow, project, person, target, "status", None, now)


def post_update(cmd: c.PostUpdate, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Stores a progress update (text, photos) for the project's followers."""
    project = _project(uow, cmd.ref)
    _check_representative(uow, project, person)
    text = _clip(cmd.text, MAX_TEXT)
    if not text and not cmd.media:
        raise ValueError("an update says or shows something")
    update = ProjectUpdate(project_id=project.id or 0, person_id=person.id, text=text,
                           created_at=now)
    uow.session.add(update)
    uow.session.flush()
    _attach(uow, project, cmd.media, now, update_id=update.id)
    project.updated_at = now
    _record(uow, project, person, "update", None, None, f"update {update.id}", now)


# --- helpers ---------------------------------------------------------------------------------

def _by_ref(uow: UnitOfWork, ref: str, *, lock: bool = False) -> Project | None:
    stmt = select(Project).where(Project.ref == ref)
    if lock:  # FOR UPDATE on PostgreSQL (SQLite writes one at a time anyway), read afresh
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return uow.session.exec(stmt).first()


def lock(uow: UnitOfWork, ref: str) -> tuple[str, int | None] | None:
    """Locks a project until the end of the unit of work, before changing it, and returns
    (status, animator whose question waits): so that two animators deciding at once, or a
    decision racing a change, are applied one after the other and told once."""
    project = _by_ref(uow, ref, lock=True)
    if project is None:
        return None
    return project.status, project.question_by if project.question is not None else None


def _project(uow: UnitOfWork, ref: str) -> Project:
    project = _by_ref(uow, ref, lock=True)
    if project is None:
        raise c.Refused("no such project")
    return project


def _editable(uow: UnitOfWork, ref: str, person: Person) -> Project:
    project = _project(uow, ref)
    _check_representative(uow, project, person)
    if Status(project.status) not in EDITABLE:
        raise NotAllowed(f"a project that is {project.status} cannot be changed")
    return project


def _organisations_of(uow: UnitOfWork, person_id: int) -> set[int]:
    return set(uow.session.scalars(select(OrganisationMember.organisation_id).where(
        OrganisationMember.person_id == person_id, OrganisationMember.status == "active")))


def _check_representative(uow: UnitOfWork, project: Project, person: Person) -> None:
    if _is_staff(person):
        return
    if project.organisation_id not in _organisations_of(uow, person.id or 0):
        raise NotAllowed("only the organisation's representatives may change its project")


def _is_staff(person: Person) -> bool:
    return bool({Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles))


def _status(value: str | None) -> Status | None:
    return Status(value) if value in set(Status) else None


def _move(uow: UnitOfWork, project: Project, person: Person, target: Status, action: str,
          note: str | None, now: datetime) -> None:
    source = project.status
    project.status, project.updated_at = target, now
    _record(uow, project, person, action, source, target, note, now)


def _record(uow: UnitOfWork, project: Project, person: Person, action: str,
            source: str | None, target: str | None, note: str | None, now: datetime) -> None:
    uow.session.add(ProjectEvent(project_id=project.id or 0, person_id=person.id,
                                 action=action, from_status=source, to_status=target,
                                 note=note, at=now))


def _attach(uow: UnitOfWork, project: Project, media: tuple[c.Attachment, ...],
            now: datetime, update_id: int | None = None) -> None:
    kept = uow.session.execute(select(func.count()).select_from(ProjectMedia).where(
        ProjectMedia.project_id == project.id,
        ProjectMedia.team_message_id.is_(None))).scalar_one()
    for item in media:
        if item.kind not in MEDIA_KINDS or not item.ref or kept >= MAX_MEDIA * 5:
            continue
        uow.session.add(ProjectMedia(project_id=project.id or 0, update_id=update_id,
                                     kind=item.kind, channel=item.channel, ref=item.ref[:500],
                                     mime=(item.mime or None) and item.mime[:100],
                                     created_at=now))
        kept += 1


def _clip(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit] if "\n" not in text else text.strip()[:limit]
