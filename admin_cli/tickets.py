"""`comdev tickets list|show|reply|close`: requests to talk to a person, answered from the
terminal through the same commands as in the chat, so the person reads the answer and the
closing in their app and language. People are shown by their person id only, never by a
phone number or a chat id."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from admin_cli.acting import AsOption, relay_for, staff_member
from admin_cli.invite import _unit_of_work

if TYPE_CHECKING:
    from core.commands import Command
    from core.models import HandoffRequest
    from core.uow import UnitOfWork

app = typer.Typer(name="tickets", help="Requests to talk to a person.", no_args_is_help=True)

TicketId = Annotated[int, typer.Argument(help="The ticket's number (comdev tickets list).")]


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Closed tickets too.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    as_: AsOption = "",
) -> None:
    """Print the open tickets, the oldest first (with --all, every ticket, newest first)."""
    from sqlmodel import col, select

    from core import tickets
    from core.models import HandoffRequest

    stmt = select(HandoffRequest)
    if all_:
        stmt = stmt.order_by(col(HandoffRequest.id).desc())
    else:
        stmt = stmt.where(col(HandoffRequest.closed_at).is_(None)).order_by(
            col(HandoffRequest.id))
    columns = ["ticket", "person", "language", "channel", "opened", "answered by",
               "last message"]
    table = Table(*columns, *(["closed"] if all_ else []))
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        for row in uow.session.exec(stmt.limit(limit)):
            ticket = tickets.ticket(uow, row.id or 0)
            last = ticket.messages[-1].at if ticket and ticket.messages else None
            cells = [str(row.id), f"#{row.person_id}", ticket.language if ticket else "-",
                     ticket.channel if ticket else "-", _when(row.created_at),
                     f"#{row.answered_by}" if row.answered_by else "-", _when(last)]
            table.add_row(*cells, *([_closed(row)] if all_ else []))
    if not table.row_count:
        typer.echo("no ticket" if all_ else "no open ticket")
        return
    Console().print(table)


@app.command("show")
def show(ticket_id: TicketId, as_: AsOption = "") -> None:
    """Print a ticket and everything said on it, oldest first."""
    from sqlmodel import col, select

    from core import tickets
    from core.models import HandoffMessage, HandoffRequest

    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        row = uow.session.get(HandoffRequest, ticket_id)
        ticket = tickets.ticket(uow, ticket_id) if row else None
        if row is None or ticket is None:
            _refuse(f"no ticket {ticket_id}")
        header = (f"ticket {ticket_id}: person #{row.person_id}, {ticket.language}, "
                  f"{ticket.channel or 'no channel'}; asked from {row.state}; opened "
                  f"{_when(row.created_at)}; {_closed(row)}")
        table = Table("at", "from", "message")
        for message in uow.session.exec(select(HandoffMessage).where(
                HandoffMessage.request_id == ticket_id).order_by(col(HandoffMessage.id))):
            who = (f"team #{message.person_id or '-'}" if message.from_staff
                   else f"person #{message.person_id or '-'}")
            table.add_row(_when(message.created_at), who, message.text)
    typer.echo(header)
    if not table.row_count:
        typer.echo("nothing said yet")
        return
    Console().print(table)


@app.command("reply")
def reply(
    ticket_id: TicketId,
    text: Annotated[str, typer.Argument(help="The answer, as the person will read it.")],
    as_: AsOption,
) -> None:
    """Answer a ticket: the person reads it in their app, in a message from the team."""
    from core.commands import AnswerTicket

    if not text.strip():
        typer.echo("the answer is empty", err=True)
        raise typer.Exit(2)
    sent = _run(ticket_id, AnswerTicket(ticket_id, text.strip()), as_)
    typer.echo(f"ticket {ticket_id} answered; " + _delivery(sent))


@app.command("close")
def close(ticket_id: TicketId, as_: AsOption) -> None:
    """Close a ticket: the person is told, and can ask for a person again with HUMAN."""
    from core.commands import CloseTicket

    sent = _run(ticket_id, CloseTicket(ticket_id), as_)
    typer.echo(f"ticket {ticket_id} closed; " + _delivery(sent))


def _run(ticket_id: int, command: Command, as_: str) -> tuple[int, bool]:
    """Runs the command as the animator, as the chat does; returns (the person, whether a
    message to them was queued). Stops with exit code 1 on a closed or unknown ticket."""
    from bot.effects import perform
    from core import media
    from core.commands import Refused

    now = datetime.now(UTC)
    with _unit_of_work() as (settings, uow):
        animator = staff_member(uow, as_)
        person_id = _open(uow, ticket_id).person_id
        before = _queued(uow, person_id)
        try:
            perform(uow, animator, [command], now, relay_for(settings),
                    lambda media_id: media.url(settings, media_id))
        except (Refused, ValueError) as error:
            _refuse(f"refused: {error}")
        uow.session.flush()
        queued = _queued(uow, person_id) > before
        uow.commit()
    return person_id, queued


def _open(uow: UnitOfWork, ticket_id: int) -> HandoffRequest:
    from core.models import HandoffRequest

    row = uow.session.get(HandoffRequest, ticket_id)
    if row is None:
        _refuse(f"no ticket {ticket_id}")
    if row.closed_at is not None:
        _refuse(f"ticket {ticket_id} is closed ({_closed(row)}): the person can ask again "
                f"with HUMAN")
    return row


def _queued(uow: UnitOfWork, person_id: int) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from core.models import OutboxMessage

    return int(uow.session.execute(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.person_id == person_id)).scalar_one())


def _delivery(sent: tuple[int, bool]) -> str:
    person_id, queued = sent
    if queued:
        return f"person #{person_id} is told in their app"
    return (f"person #{person_id} cannot be reached now (unreachable, or beyond WhatsApp's 24 "
            f"hours with no template): it stays on the ticket")


def _closed(row: HandoffRequest) -> str:
    if row.closed_at is None:
        return "open"
    return f"closed {_when(row.closed_at)} by #{row.closed_by or '-'}"


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


def _refuse(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)
