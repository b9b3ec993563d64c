"""Messages a step sends to other people than the one who wrote: animators asked for a
human, representatives asked to let someone join, a person whose request was decided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.i18n import LANGUAGES, Translator
from bot.messages import Reply
from core import organisations, outbox, services
from core.commands import Command, DecideMembership, RequestHuman, RequestToJoin
from core.domain.outbox import Priority
from core.models import Organisation, Person
from core.uow import UnitOfWork

Render = Callable[[Translator], str]


def before(uow: UnitOfWork, commands: list[Command]) -> dict[int, tuple[int, str]]:
    """Notes, before the commands run, the requests about to be decided and whose they are,
    so that a request someone else decided meanwhile is not announced twice."""
    found: dict[int, tuple[int, str]] = {}
    for cmd in commands:
        if isinstance(cmd, DecideMembership):
            info = organisations.pending_request(uow, cmd.member_id)
            if info is not None:
                found[cmd.member_id] = info
    return found


def send(uow: UnitOfWork, commands: list[Command], person: Person,
         decided: dict[int, tuple[int, str]], now: datetime) -> None:
    """Tells the other people concerned by what the person just did."""
    for cmd in commands:
        if isinstance(cmd, RequestHuman):
            for _identity, animator_id in services.animator_identities(uow):
                tell(uow, animator_id, lambda t: human_alert(t, person.id or 0), now)
        elif isinstance(cmd, RequestToJoin):
            _asked_to_join(uow, cmd, person, now)
        elif isinstance(cmd, DecideMembership) and cmd.member_id in decided:
            requester, name = decided[cmd.member_id]
            tell(uow, requester,
                 lambda t, name=name, accept=cmd.accept: _decision(t, name, accept), now)


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
