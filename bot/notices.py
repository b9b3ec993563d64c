"""Messages a step sends to other people than the one who wrote: animators asked for a
human or told of a project to review, representatives asked to let someone join or told of
their project's review, a person whose request was decided, an animator answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.i18n import LANGUAGES, Translator
from bot.messages import Reply
from core import organisations, outbox, projects, services
from core.commands import (
    AnswerQuestion,
    Command,
    DecideMembership,
    EditProject,
    RequestHuman,
    RequestToJoin,
    ReviewProject,
    SubmitProject,
)
from core.domain.outbox import Priority
from core.models import Organisation, Person
from core.projects import ProjectCard
from core.uow import UnitOfWork

Render = Callable[[Translator], str]


@dataclass
class Noted:
    """What was true before the commands ran: the requests about to be decided (request id →
    requester, organisation name) and the projects concerned (reference → status, animator
    whose question waits)."""

    requests: dict[int, tuple[int, str]] = field(default_factory=dict)
    projects: dict[str, tuple[str, int | None]] = field(default_factory=dict)


def before(uow: UnitOfWork, commands: list[Command]) -> Noted:
    """Notes, before the commands run, the requests about to be decided and whose they are,
    and where the projects concerned stand, so that what someone else decided meanwhile is
    not announced twice."""
    found = Noted()
    for cmd in commands:
        if isinstance(cmd, DecideMembership):
            info = organisations.pending_request(uow, cmd.member_id)
            if info is not None:
                found.requests[cmd.member_id] = info
        elif isinstance(cmd, (SubmitProject, EditProject, ReviewProject, AnswerQuestion)):
            if cmd.ref not in found.projects:
                noted = projects.lock(uow, cmd.ref)
                if noted is not None:
                    found.projects[cmd.ref] = noted
    return found


def send(uow: UnitOfWork, commands: list[Command], person: Person, noted: Noted,
         now: datetime) -> None:
    """Tells the other people concerned by what the person just did."""
    for cmd in commands:
        if isinstance(cmd, RequestHuman):
            for _identity, animator_id in services.animator_identities(uow):
                tell(uow, animator_id, lambda t: human_alert(t, person.id or 0), now)
        elif isinstance(cmd, RequestToJoin):
            _asked_to_join(uow, cmd, person, now)
        elif isinstance(cmd, DecideMembership) and cmd.member_id in noted.requests:
            requester, name = noted.requests[cmd.member_id]
            tell(uow, requester,
                 lambda t, name=name, accept=cmd.accept: _decision(t, name, accept), now)
    _projects(uow, commands, person, noted.projects, now)


def tell(uow: UnitOfWork, person_id: int, render: Render, now: datetime) -> None:
    """Queues a message to a person, in their language, on their first channel."""
    person = uow.session.get(Person, person_id)
    identities = services.identities_of(uow, person_id)
    if person is None or not identities:
        return
    language = person.language if person.language in LANGUAGES else "fr"
    outbox.enqueue(uow, identities[0], Reply(render(Translator(language))).to_json(),
                   person_id=person_id, priority=Priority.REPLY, now=now)


def human_alert(t: Translator, person_id: int) -> str:
    return t.gettext("Person #{id} asks to talk to a person.").format(id=t.iso(person_id))


def _asked_to_join(uow: UnitOfWork, cmd: RequestToJoin, person: Person, now: datetime) -> None:
    organisation = uow.session.get(Organisation, cmd.organisation_id)
    if organisation is None:
        return
    for representative in organisations.representatives_of(uow, cmd.organisation_id):
        if representative != person.id:
            tell(uow, representative, lambda t: t.gettext(  # noqa: B023 (called at once)
                "Someone asks to join {organisation}: “{note}”. Open the menu and choose "
                "“Requests to join” to answer.").format(
                    organisation=t.iso(organisation.name), note=cmd.note), now)


def _decision(t: Translator, organisation: str, accepted: bool) -> str:
    if accepted:
        return t.gettext("Good news: you are now a representative of {organisation}.").format(
            organisation=t.iso(organisation))
    return t.gettext("The representatives of {organisation} declined your request to "
                     "join.").format(organisation=t.iso(organisation))


# --- projects -------------------------------------------------------------------------------

WAITING = "awaiting_review"


def _projects(uow: UnitOfWork, commands: list[Command], person: Person,
              noted: dict[str, tuple[str, int | None]], now: datetime) -> None:
    """Tells animators of a project to review, representatives of the review, an animator of
    the answer to their question; only what the commands really changed."""
    announced: set[str] = set()
    for cmd in commands:
        if not isinstance(cmd, (SubmitProject, EditProject, ReviewProject, AnswerQuestion)):
            continue
        status, asker = noted.get(cmd.ref, ("", None))
        card = projects.card(uow, cmd.ref)
        if card is None:
            continue
        if isinstance(cmd, (SubmitProject, EditProject)):
            if status != WAITING and card.status == WAITING and cmd.ref not in announced:
                announced.add(cmd.ref)
                _to_review(uow, card, person, now)
        elif isinstance(cmd, ReviewProject):
            if status == WAITING:
                _reviewed(uow, cmd, card, person, now)
        elif asker is not None and asker != person.id:
            tell(uow, asker, lambda t, c=card, a=cmd.text: t.gettext(
                "Answer about “{title}”: “{answer}”").format(
                    title=t.iso(c.title), answer=t.iso(a.strip())), now)


def _to_review(uow: UnitOfWork, card: ProjectCard, person: Person, now: datetime) -> None:
    """Tells every animator but the person that a project waits for review."""
    staff = {pid for _identity, pid in services.animator_identities(uow)} - {person.id}
    for animator in sorted(staff):
        tell(uow, animator, lambda t: t.gettext(
            "New project to review: “{title}” ({commune}). Open the menu and choose "
            "“Projects to review”.").format(
                title=t.iso(card.title), commune=t.iso(commune(t, card))), now)


def _reviewed(uow: UnitOfWork, cmd: ReviewProject, card: ProjectCard, person: Person,
              now: datetime) -> None:
    """Tells the project's representatives what the animator decided."""
    if cmd.decision == "approve":
        def render(t: Translator) -> str:
            return t.gettext("Good news: your project “{title}” is approved. It is now visible "
                             "to the experts and supporters of the community.").format(
                title=t.iso(card.title))
    elif cmd.decision == "reject":
        reason = card.reject_reason or cmd.text.strip()

        def render(t: Translator) -> str:
            return t.gettext("Your project “{title}” was not approved. The reason: “{reason}”. "
                             "You can change it and send it again from “My projects”.").format(
                title=t.iso(card.title), reason=t.iso(reason))
    else:
        question = card.question or cmd.text.strip()

        def render(t: Translator) -> str:
            return t.gettext("The team has a question about your project “{title}”: "
                             "“{question}”. Open “My projects” to answer.").format(
                title=t.iso(card.title), question=t.iso(question))
    for representative in projects.representatives(uow, cmd.ref):
        if representative != person.id:
            tell(uow, representative, render, now)


def commune(t: Translator, card: ProjectCard) -> str:
    """Names a project's commune in the reader's script."""
    return card.commune_ar if t.language == "ar" and card.commune_ar else card.commune_fr
