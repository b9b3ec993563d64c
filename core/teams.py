"""Project teams: the accepted experts, the organisation's representatives and, when they
join, an animator. Members talk through the assistant (each on their own channel) or share
their own contact with the team; members may leave; the history stays with the project."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from core import commands as c
from core.domain.people import Role, parse_roles
from core.domain.projects import MAX_TEXT
from core.domain.proposals import SHARED, Contact, TeamRole
from core.models import (
    ChannelIdentity,
    Person,
    Project,
    ProjectMedia,
    TeamMember,
    TeamMessage,
)
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

MEDIA_KINDS = frozenset({"photo", "voice", "audio", "video", "document"})
MAX_MEDIA = 5  # items relayed from one message
HISTORY = 20  # messages shown when opening a team


@dataclass(frozen=True)
class Member:
    person_id: int
    first_name: str
    role: str
    contact: str | None
    active: bool


@dataclass(frozen=True)
class Team:
    ref: str
    title: str
    project_id: int
    members: tuple[Member, ...]
    unread: int  # for the reader

    def member(self, person_id: int) -> Member | None:
        return next((m for m in self.members if m.person_id == person_id), None)


@dataclass(frozen=True)
class Said:
    """One message of a team's history."""

    id: int
    person_id: int | None
    first_name: str
    role: str
    text: str
    media: tuple[int, ...]  # ProjectMedia ids
    at: datetime


# --- what the steps change -----------------------------------------------------------------

def add_member(uow: UnitOfWork, project_id: int, person_id: int, role: TeamRole,
               now: datetime) -> TeamMember:
    """Adds a person to a team, or brings them back if they had left."""
    row = _membership(uow, project_id, person_id)
    if row is None:
        row = TeamMember(project_id=project_id, person_id=person_id, role=role, joined_at=now,
                         last_read_id=_last_id(uow, project_id))
        uow.session.add(row)
    elif row.left_at is not None:
        row.left_at, row.joined_at = None, now
    return row


def join(cmd: c.JoinTeam, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """An animator joins a project's team."""
    if not {Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles):
        raise c.Refused("only animators join a team uninvited")
    project = _project(uow, cmd.ref)
    add_member(uow, project.id or 0, person.id or 0, TeamRole.ANIMATOR, now)


def leave(cmd: c.LeaveTeam, uow: UnitOfWork, person: Person, now: datetime) -> None:
    row = _active(uow, cmd.ref, person)
    row.left_at = now
    logger.info("person %s left team of project %s", person.id, row.project_id)


def choose_contact(cmd: c.ChooseContact, uow: UnitOfWork, person: Person, now: datetime
                   ) -> None:
    """Records how a member wants to be reached; sharing is theirs to choose only."""
    row = _active(uow, cmd.ref, person)
    row.contact = Contact(cmd.contact)


def say(cmd: c.SayToTeam, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Keeps a member's message in the team's history (the relay sends it on)."""
    row = _active(uow, cmd.ref, person)
    text = cmd.text.strip()[:MAX_TEXT]
    if not text and not cmd.media:
        raise ValueError("an empty team message")
    message = TeamMessage(project_id=row.project_id, person_id=person.id, text=text,
                          created_at=now)
    uow.session.add(message)
    uow.session.flush()
    kept = []
    for item in [m for m in cmd.media if m.kind in MEDIA_KINDS and m.ref][:MAX_MEDIA]:
        media = ProjectMedia(project_id=row.project_id, team_message_id=message.id,
                             kind=item.kind, channel=item.channel, ref=item.ref[:500],
                             mime=(item.mime or None) and item.mime[:100], created_at=now)
        uow.session.add(media)
        kept.append(media)
    uow.session.flush()
    message.media = json.dumps([m.id for m in kept])
    row.last_read_id = message.id or row.last_read_id


def read(cmd: c.ReadTeam, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Counts everything said so far in the team as read by the member."""
    row = _active(uow, cmd.ref, person)
    row.last_read_id = max(row.last_read_id, _last_id(uow, row.project_id))


def mark_read(uow: UnitOfWork, project_id: int, person_id: int, upto: int) -> None:
    row = _membership(uow, project_id, person_id)
    if row is not None and upto > row.last_read_id:
        row.last_read_id = upto


def all_teams(uow: UnitOfWork, reader: int, limit: int = 50) -> list[Team]:
    """Lists every project that has a team, for animators, most recent first."""
    ids = list(dict.fromkeys(uow.session.scalars(
        select(TeamMember.project_id).order_by(col(TeamMember.joined_at).desc()))))[:limit]
    return [t for t in (team(uow, pid, reader) for pid in ids) if t is not None]


# --- what the steps read -------------------------------------------------------------------

def teams_of(uow: UnitOfWork, person_id: int) -> list[Team]:
    """Lists the teams a person belongs to, most recently joined first."""
    ids = list(uow.session.scalars(select(TeamMember.project_id).where(
        TeamMember.person_id == person_id, col(TeamMember.left_at).is_(None))
        .order_by(col(TeamMember.joined_at).desc())))
    return [t for t in (team(uow, pid, person_id) for pid in ids) if t is not None]


def team(uow: UnitOfWork, project_id: int, reader: int) -> Team | None:
    project = uow.session.get(Project, project_id)
    if project is None:
        return None
    rows = uow.session.exec(
        select(TeamMember, Person).join(Person, col(Person.id) == TeamMember.person_id)
        .where(TeamMember.project_id == project_id).order_by(col(TeamMember.id)))
    members, last_read = [], 0
    for row, person in rows:
        members.append(Member(row.person_id, person.first_name or "", row.role, row.contact,
                              row.left_at is None))
        if row.person_id == reader:
            last_read = row.last_read_id
    unread = len(list(uow.session.scalars(select(TeamMessage.id).where(
        TeamMessage.project_id == project_id, col(TeamMessage.id) > last_read,
        TeamMessage.person_id != reader))))
    return Team(project.ref, project.title, project_id, tuple(members), unread)


def team_by_ref(uow: UnitOfWork, ref: str, reader: int) -> Team | None:
    project = uow.session.exec(select(Project).where(Project.ref == ref)).first()
    return team(uow, project.id or 0, reader) if project else None


def history(uow: UnitOfWork, project_id: int, limit: int = HISTORY) -> list[Said]:
    """The team's last messages, oldest first, with who said them."""
    rows = list(uow.session.exec(
        select(TeamMessage, Person, TeamMember)
        .outerjoin(Person, col(Person.id) == TeamMessage.person_id)
        .outerjoin(TeamMember, (col(TeamMember.person_id) == TeamMessage.person_id)
                   & (col(TeamMember.project_id) == TeamMessage.project_id))
        .where(TeamMessage.project_id == project_id)
        .order_by(col(TeamMessage.id).desc()).limit(limit)))
    return [Said(m.id or 0, m.person_id, (p.first_name or "") if p else "",
                 tm.role if tm else "", m.text, tuple(json.loads(m.media or "[]")),
                 m.created_at) for m, p, tm in reversed(rows)]


def recipients(uow: UnitOfWork, project_id: int, sender: int) -> list[int]:
    """The members a message is relayed to: everyone active but its sender."""
    return list(uow.session.scalars(select(TeamMember.person_id).where(
        TeamMember.project_id == project_id, col(TeamMember.left_at).is_(None),
        TeamMember.person_id != sender).order_by(col(TeamMember.id))))


def contact_of(uow: UnitOfWork, person_id: int, kind: str | None) -> list[str]:
    """What a member chose to share with their team: their WhatsApp number, or their
    Telegram username; nothing else of theirs (not another channel's identity)."""
    if kind not in SHARED:
        return []
    channel = "whatsapp" if kind == Contact.NUMBER else "telegram"
    shown = []
    for link in uow.session.exec(select(ChannelIdentity).where(
            ChannelIdentity.person_id == person_id, ChannelIdentity.channel == channel)
            .order_by(col(ChannelIdentity.id))):
        if kind == Contact.NUMBER:
            shown.append(link.id.partition(":")[2])
        elif link.handle:
            shown.append(f"@{link.handle}")
    return shown



# --- helpers -------------------------------------------------------------------------------

def _project(uow: UnitOfWork, ref: str) -> Project:
    project = uow.session.exec(select(Project).where(Project.ref == ref)).first()
    if project is None:
        raise c.Refused("no such project")
    return project


def _membership(uow: UnitOfWork, project_id: int, person_id: int) -> TeamMember | None:
    return uow.session.exec(select(TeamMember).where(
        TeamMember.project_id == project_id, TeamMember.person_id == person_id)).first()


def _active(uow: UnitOfWork, ref: str, person: Person) -> TeamMember:
    project = _project(uow, ref)
    row = _membership(uow, project.id or 0, person.id or 0)
    if row is None or row.left_at is not None:
        raise c.Refused("not a member of this team")
    return row


def _last_id(uow: UnitOfWork, project_id: int) -> int:
    found = uow.session.scalars(select(TeamMessage.id).where(
        TeamMessage.project_id == project_id).order_by(col(TeamMessage.id).desc())).first()
    return found or 0
