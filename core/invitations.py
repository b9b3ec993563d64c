"""Invitations: a link and a QR code that bring people to a commune or a project."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import select

from core import commands as c
from core import projects
from core.domain.people import Role, parse_roles
from core.domain.projects import PUBLIC
from core.models import Invitation, Person, Project, Territory
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

KINDS = ("commune", "project")
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l/1, o/0: read from a poster


def new_code(seed: str | None = None) -> str:
    """A short code for a link: random, or derived from a unique seed (a message id)."""
    if seed is None:
        return "i" + "".join(secrets.choice(_ALPHABET) for _ in range(9))
    number = int.from_bytes(hashlib.blake2b(seed.encode(), digest_size=8).digest(), "big")
    letters = []
    for _ in range(9):
        number, index = divmod(number, len(_ALPHABET))
        letters.append(_ALPHABET[index])
    return "i" + "".join(letters)


def invite(cmd: c.CreateInvitation, uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Creates an invitation to a project the person represents (animators: any)."""
    if uow.session.get(Invitation, cmd.code) is not None:
        return  # the same step ran again
    if cmd.kind != "project":
        raise ValueError("representatives invite to their projects")
    staff = bool({Role.ANIMATOR, Role.ADMIN} & parse_roles(person.roles))
    if not staff and person.id not in projects.representatives(uow, cmd.target):
        raise c.Refused("only the project's representatives invite to it")
    create(uow, cmd.kind, cmd.target, person.id, now, cmd.code)


@dataclass(frozen=True)
class Links:
    code: str
    telegram: str | None  # https://t.me/<bot>?start=<code>
    whatsapp: str | None  # https://wa.me/<number>?text=START%20<code>
    qr: str | None = None  # where this server draws the QR code of the first link

    @property
    def first(self) -> str | None:
        """The link a QR code carries: Telegram's when there is one."""
        return self.telegram or self.whatsapp


def create(uow: UnitOfWork, kind: str, target: str, created_by: int | None,
           now: datetime, code: str | None = None) -> Invitation:
    """Creates an invitation to a commune (HCP code) or an approved project (reference)."""
    if kind == "commune":
        place = uow.session.get(Territory, target)
        if place is None or place.kind != "commune":
            raise ValueError("no such commune")
    elif kind == "project":
        project = uow.session.exec(select(Project).where(Project.ref == target)).first()
        if project is None or project.status not in PUBLIC:
            raise ValueError("no such approved project")
    else:
        raise ValueError("unknown kind of invitation")
    code = code or new_code()
    invitation = Invitation(code=code, kind=kind, target=target, created_by=created_by,
                            created_at=now)
    uow.session.add(invitation)
    logger.info("invitation %s to %s %s created", code, kind, target)
    return invitation


def links(code: str, telegram_bot: str | None, whatsapp_number: str | None,
          qr: str | None = None) -> Links:
    """The deep links of an invitation: Telegram /start <code>, WhatsApp click-to-chat."""
    telegram = f"https://t.me/{telegram_bot}?start={code}" if telegram_bot else None
    number = (whatsapp_number or "").removeprefix("whatsapp:").lstrip("+")
    whatsapp = f"https://wa.me/{number}?text=START%20{code}" if number else None
    return Links(code, telegram, whatsapp, qr)


def opened(uow: UnitOfWork, code: str) -> Invitation | None:
    """Counts a person arriving through an invitation; returns it when the code is one."""
    invitation = uow.session.get(Invitation, code)
    if invitation is not None:
        uow.session.execute(update(Invitation).where(Invitation.code == code)
                            .values(opened=Invitation.opened + 1))
    return invitation


def registered(uow: UnitOfWork, person: Person) -> None:
    """Counts a person who came through an invitation and agreed to take part."""
    if person.referral:
        uow.session.execute(update(Invitation).where(Invitation.code == person.referral)
                            .values(registered=Invitation.registered + 1))


def of(uow: UnitOfWork, code: str | None) -> Invitation | None:
    return uow.session.get(Invitation, code) if code else None
