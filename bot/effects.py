"""What a command does beyond its own change, wherever it comes from (a chat step or the
`comdev` command): matching reacts, and the people concerned are told (notices, followers'
news, the relay of proposals, teams and tickets). Shared, so that the terminal and the chat
never drift apart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot import news, notices
from bot.relay import Relay
from core import matching, services
from core.commands import Command, ErasePerson
from core.models import Person
from core.uow import UnitOfWork

MediaUrl = Callable[[int], str]


def execute(uow: UnitOfWork, person: Person, commands: Sequence[Command],
            now: datetime) -> notices.Noted:
    """Runs the commands as the person, in the caller's transaction, and lets matching react.
    Returns what `tell` needs. Raises what a service raises (NotAllowed, ValueError...)."""
    noted = notices.before(uow, list(commands))
    for command in commands:
        services.execute(command, uow, person, now)
    if commands and not erased(commands):
        matching.after(uow, list(commands), person.id or 0, now)
    return noted


def tell(uow: UnitOfWork, person: Person, commands: Sequence[Command], noted: notices.Noted,
         now: datetime, relay: Relay, media_url: MediaUrl | None = None) -> None:
    """Queues what the other people concerned must be told of what the person did."""
    if erased(commands):
        return
    notices.send(uow, list(commands), person, noted, now)
    news.deliver(uow, list(commands), person, now, media_url)
    relay.after(uow, commands, person, now)


def perform(uow: UnitOfWork, person: Person, commands: Sequence[Command], now: datetime,
            relay: Relay, media_url: MediaUrl | None = None) -> None:
    """Both at once, for a caller with no reply of its own to queue in between (the CLI)."""
    noted = execute(uow, person, commands, now)
    uow.session.flush()
    tell(uow, person, commands, noted, now, relay, media_url)


def erased(commands: Sequence[Command]) -> bool:
    """Tells whether the person asked to be forgotten: nothing more is done in their name."""
    return any(isinstance(cmd, ErasePerson) for cmd in commands)
