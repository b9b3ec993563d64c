"""`comdev animators add|remove|list`: who may act as the NGO's staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from admin_cli.invite import _unit_of_work
from core.config import LANGUAGES
from core.domain.identity import Identity
from core.domain.people import Role

app = typer.Typer(name="animators", help="Animators and administrators.", no_args_is_help=True)

AdminOption = Annotated[bool, typer.Option(
    "--admin", help="The administrator role, not the animator role.")]


def _identity(text: str) -> Identity:
    """Parses the identity argument, or stops with exit code 2."""
    try:
        return Identity.parse(text)
    except ValueError as error:
        typer.echo(f"not an identity: {text!r}; give telegram:<chat id> or "
                   f"whatsapp:+<number>", err=True)
        raise typer.Exit(2) from error


def _role(admin: bool) -> Role:
    return Role.ADMIN if admin else Role.ANIMATOR


@app.command("add")
def add(
    identity: Annotated[str, typer.Argument(help="telegram:<chat id> or whatsapp:+<number>")],
    admin: AdminOption = False,
    lang: Annotated[str | None, typer.Option(
        help="Language of someone not known yet: ar, zgh, fr or en "
             "(default: DEFAULT_LANGUAGE).")] = None,
) -> None:
    """Make someone an animator (or, with --admin, an administrator)."""
    from core import staff

    who, role = _identity(identity), _role(admin)
    if lang is not None and lang not in LANGUAGES:
        typer.echo(f"--lang must be one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(2)
    with _unit_of_work() as (settings, uow):
        changed = staff.grant(uow, who, role, lang or settings.DEFAULT_LANGUAGE,
                              datetime.now(UTC))
        uow.commit()
    typer.echo(f"{who} is now {role.value}" if changed else
               f"{who} is already {role.value}; nothing changed")


@app.command("remove")
def remove(
    identity: Annotated[str, typer.Argument(help="telegram:<chat id> or whatsapp:+<number>")],
    admin: AdminOption = False,
) -> None:
    """Take the animator role (or, with --admin, the administrator role) back."""
    from core import services, staff

    who, role = _identity(identity), _role(admin)
    with _unit_of_work() as (_settings, uow):
        if services.find_person(uow, str(who)) is None:
            typer.echo(f"no one is known as {who}; nothing changed", err=True)
            raise typer.Exit(1)
        try:
            changed = staff.revoke(uow, who, role)
        except ValueError as error:
            typer.echo(f"{who} stays {role.value}: {error}", err=True)
            raise typer.Exit(1) from error
        uow.commit()
    typer.echo(f"{who} is no longer {role.value}" if changed else
               f"{who} was not {role.value}; nothing changed")


@app.command("list")
def list_() -> None:
    """Print the animators and administrators with their identities."""
    from rich.console import Console
    from rich.table import Table

    from core import staff

    with _unit_of_work() as (_settings, uow):
        members = staff.staff(uow)
    if not members:
        typer.echo("no animators yet (comdev animators add IDENTITY)")
        return
    table = Table("identity", "person id", "roles", "language", "since")
    for m in members:
        roles = ", ".join(r.value for r in Role if r in m.roles)
        table.add_row("\n".join(m.identities), str(m.person_id), roles, m.language,
                      f"{m.created_at:%Y-%m-%d}")
    Console(width=100).print(table)
