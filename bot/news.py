"""Progress updates, delivered to the people who follow a project: bulk messages through the
outbox, in each follower's language, never to someone who sent STOP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import select

from bot.i18n import LANGUAGES, Translator
from bot.messages import Media, Reply
from core import experts, outbox, projects, services
from core.commands import Command, PostUpdate
from core.domain.outbox import Priority
from core.models import Person, ProjectMedia, ProjectUpdate
from core.uow import UnitOfWork

MediaUrl = Callable[[int], str]


def deliver(uow: UnitOfWork, commands: list[Command], person: Person, now: datetime,
            media_url: MediaUrl | None = None) -> int:
    """Queues each update the commands posted to the project's followers; returns how many
    messages were queued."""
    queued = 0
    for cmd in commands:
        if isinstance(cmd, PostUpdate):
            queued += _update(uow, cmd.ref, person, now, media_url)
    return queued


def _update(uow: UnitOfWork, ref: str, author: Person, now: datetime,
            media_url: MediaUrl | None) -> int:
    card = projects.card(uow, ref)
    if card is None:
        return 0
    update = uow.session.exec(select(ProjectUpdate).where(ProjectUpdate.project_id == card.id)
                              .order_by(ProjectUpdate.id.desc())).first()
    if update is None:
        return 0
    media = list(uow.session.exec(select(ProjectMedia).where(
        ProjectMedia.update_id == update.id).order_by(ProjectMedia.id)))
    queued = 0
    for follower in experts.followers(uow, ref):
        reader = uow.session.get(Person, follower)
        identities = services.identities_of(uow, follower)
        if follower == author.id or reader is None or not identities:
            continue
        identity = identities[0]
        t = Translator(reader.language if reader.language in LANGUAGES else "fr")
        text = t.gettext("News from “{title}”: {update}").format(
            title=t.iso(card.title), update=t.iso(update.text)) if update.text else \
            t.gettext("News from “{title}”.").format(title=t.iso(card.title))
        shown = tuple(_shown(item, identity, media_url) for item in media)
        reply = Reply(text, media=tuple(m for m in shown if m is not None))
        outbox.enqueue(uow, identity, reply.to_json(), person_id=follower,
                       priority=Priority.BULK, now=now)
        queued += 1
    return queued


def _shown(item: ProjectMedia, identity: str, media_url: MediaUrl | None) -> Media | None:
    """A photo as the follower's channel can receive it: its own reference, or our link."""
    if item.channel == identity.partition(":")[0]:
        return Media(item.kind, item.ref, item.mime)
    return Media(item.kind, media_url(item.id or 0), item.mime) if media_url else None
