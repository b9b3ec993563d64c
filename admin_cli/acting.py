"""Who acts from the terminal: every animator command names the staff member it acts as
(`--as IDENTITY`, or COMDEV_AS in the environment), and is refused to anyone else, exactly as
the chat refuses animator commands to people who are not staff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from core import services
from core.domain.identity import Identity
from core.models import Person
from core.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.relay import Relay
    from core.config import Settings

AsOption = Annotated[str, typer.Option(
    "--as", envvar="COMDEV_AS", show_envvar=True,
    help="The animator acting: telegram:<chat id> or whatsapp:+<number>.")]

#: Exit code of a command refused to someone who is not an animator.
REFUSED = 3


def staff_member(uow: UnitOfWork, identity: str) -> Person:
    """The animator or administrator known by this identity; otherwise stops the command
    with exit code 3 (2 for an identity that cannot be read)."""
    if not identity.strip():
        typer.echo("say who acts: --as IDENTITY (or COMDEV_AS), an animator's "
                   "telegram:<chat id> or whatsapp:+<number>", err=True)
        raise typer.Exit(2)
    try:
        parsed = Identity.parse(identity.strip())
    except ValueError as error:
        typer.echo(f"--as: not an identity: {identity!r}; give telegram:<chat id> or "
                   f"whatsapp:+<number>", err=True)
        raise typer.Exit(2) from error
    person = services.find_person(uow, str(parsed))
    if person is None or not services.is_staff(person):
        typer.echo(f"refused: {parsed} is not an animator (comdev animators add {parsed})",
                   err=True)
        raise typer.Exit(REFUSED)
    return person


def relay_for(settings: Settings) -> Relay:
    """The relay the server uses, for commands run from the terminal: the same templates
    and media links, so what people are told does not depend on where the animator sat."""
    from bot.relay import Relay
    from core import media, templates

    return Relay(templates.load(settings.WHATSAPP_TEMPLATES_FILE),
                 lambda media_id: media.url(settings, media_id))
