"""`comdev invite` (links and QR codes that bring people to a commune or a project) and
`comdev experts import` (a network's members each asked once whether they want to join)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import select

from admin_cli.acting import AsOption, staff_member
from core.config import Settings
from core.uow import UnitOfWork

invite_app = typer.Typer(name="invite", help="Invitations to a commune or a project.",
                         invoke_without_command=True)
experts_app = typer.Typer(name="experts", help="The expert pool.", no_args_is_help=True)

QR_SCALE = 10  # pixels a module: a poster is read from a metre away
QR_BORDER = 4  # the quiet zone the QR standard asks for
LANGUAGES = ("ar", "zgh", "fr", "en")
COLUMNS = ("name", "identity", "language", "skills", "country")
REQUIRED = ("name", "identity", "language")
MAX_NAME, MAX_SKILLS = 120, 500  # core.models.ExpertInvite


@contextmanager
def _unit_of_work() -> Iterator[tuple[Settings, UnitOfWork]]:
    """Opens a unit of work on DATABASE_URL, migrated to the latest schema, without the
    bot's container."""
    from admin_cli.main import _settings  # main registers these commands: imported late
    from core.db import make_engine, upgrade

    settings = _settings()
    upgrade(settings.DATABASE_URL)
    engine = make_engine(settings.DATABASE_URL)
    try:
        with UnitOfWork(engine) as uow:
            yield settings, uow
    finally:
        engine.dispose()


# --- comdev invite ----------------------------------------------------------------------------

@invite_app.callback()
def invite(
    ctx: typer.Context,
    commune: Annotated[str | None, typer.Option(help="The commune's HCP code.")] = None,
    project: Annotated[str | None, typer.Option(help="An approved project's reference.")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the QR code PNG "
                                                  "(default: invite-<code>.png).")] = None,
    telegram_bot: Annotated[str | None, typer.Option(
        envvar="TELEGRAM_BOT_USERNAME", help="The bot's Telegram username, for the link.")] = None,
) -> None:
    """Create an invitation to a commune or a project: its links and a QR code for posters."""
    if ctx.invoked_subcommand is not None:
        return
    if (commune is None) == (project is None):
        typer.echo("give either --commune CODE or --project REF", err=True)
        raise typer.Exit(2)
    from core import invitations

    kind, target = ("commune", commune) if commune is not None else ("project", project)
    assert target is not None
    with _unit_of_work() as (settings, uow):
        try:
            code = invitations.create(uow, kind, target.strip(), None, datetime.now(UTC)).code
        except ValueError as error:
            typer.echo(f"no invitation created: {error}", err=True)
            raise typer.Exit(1) from error
        uow.commit()
    bot = (telegram_bot or "").strip().removeprefix("@") or None
    links = invitations.links(code, bot, settings.TWILIO_WHATSAPP_FROM)
    typer.echo(f"invitation: {code} ({kind} {target})")
    typer.echo(f"Telegram: {links.telegram}" if links.telegram else
               f"Telegram: send /start {code} to the bot (give --telegram-bot or set "
               f"TELEGRAM_BOT_USERNAME for a link)")
    typer.echo(f"WhatsApp: {links.whatsapp}" if links.whatsapp else
               "WhatsApp: no link (TWILIO_WHATSAPP_FROM is not set)")
    link = links.telegram or links.whatsapp
    if link is None:
        typer.echo("QR code: none, there is no link to put in it")
        return
    path = out or Path(f"invite-{code}.png")
    write_qr(link, path)
    typer.echo(f"QR code: {path} ({'Telegram' if links.telegram else 'WhatsApp'} link)")


def write_qr(link: str, path: Path) -> None:
    """Writes the QR code of a link as a PNG big enough for a poster."""
    import segno

    segno.make(link, micro=False).save(str(path), kind="png", scale=QR_SCALE, border=QR_BORDER)


@invite_app.command("stats")
def stats() -> None:
    """Print every invitation with how many people opened it and registered through it."""
    from rich.console import Console
    from rich.table import Table

    from core.models import Invitation

    with _unit_of_work() as (_settings, uow):
        rows = [(i.code, i.kind, i.target, str(i.opened), str(i.registered)) for i in
                uow.session.exec(select(Invitation).order_by(Invitation.created_at))]
    if not rows:
        typer.echo("no invitations yet")
        return
    table = Table("code", "kind", "target", "opened", "registered")
    for row in rows:
        table.add_row(*row)
    Console(width=100).print(table)


# --- comdev experts import --------------------------------------------------------------------

@dataclass(frozen=True)
class Invitee:
    """A valid row of the file: someone to ask whether they want to join."""

    name: str
    identity: str
    language: str
    skills: str
    country: str | None


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Reads the CSV file's rows with their line numbers; raises ValueError when it cannot."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            header = [(name or "").strip().lower() for name in reader.fieldnames or []]
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise ValueError(f"missing columns: {', '.join(missing)}")
            reader.fieldnames = header
            return [(reader.line_num, {k: (v or "").strip() for k, v in row.items()
                                       if k in COLUMNS and isinstance(v, str)})
                    for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValueError(str(error)) from error


def check_row(row: dict[str, str]) -> tuple[Invitee | None, list[str]]:
    """Validates one row: the invitee, or the reasons it is refused."""
    from babel import Locale

    from core.domain.identity import Identity

    reasons = []
    name = " ".join(row.get("name", "").split())
    if not name or len(name) > MAX_NAME:
        reasons.append(f"name: missing or longer than {MAX_NAME} characters")
    try:
        identity = str(Identity.parse(row.get("identity", "")))
    except ValueError:
        identity = ""
        reasons.append("identity: not telegram:<chat id> or whatsapp:+<number>")
    language = row.get("language", "").lower()
    if language not in LANGUAGES:
        reasons.append(f"language: not one of {', '.join(LANGUAGES)}")
    country = row.get("country", "").upper() or None
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()
                                    and country in Locale.parse("en").territories):
        reasons.append("country: not an ISO 3166 two-letter code")
    skills = ";".join(s.strip() for s in row.get("skills", "").split(";") if s.strip())
    if len(skills) > MAX_SKILLS:
        reasons.append(f"skills: longer than {MAX_SKILLS} characters")
    if reasons:
        return None, reasons
    return Invitee(name, identity, language, skills, country), []


def known(uow: UnitOfWork, identity: str) -> bool:
    """Tells whether someone is already with us, or was already invited."""
    from core.models import ChannelIdentity, ExpertInvite

    if uow.session.get(ChannelIdentity, identity) is not None:
        return True
    stmt = select(ExpertInvite.id).where(ExpertInvite.identity == identity)
    return uow.session.exec(stmt).first() is not None


def invite_expert(uow: UnitOfWork, who: Invitee, now: datetime) -> None:
    """Invites one person: they exist without consent, waiting at the consent question,
    and one message asks them, in their language, whether they want to join."""
    from bot.flows.engine import Context
    from bot.flows.onboarding import S as Onboarding
    from bot.flows.onboarding import invitation
    from core import outbox, services
    from core.domain.outbox import Priority
    from core.models import ChannelIdentity, ExpertInvite

    uow.session.add(ExpertInvite(identity=who.identity, name=who.name, language=who.language,
                                 skills=who.skills, country=who.country, created_at=now,
                                 sent_at=now))
    person = services.register_contact(uow, who.identity, who.language, now)
    link = uow.session.get(ChannelIdentity, who.identity)
    assert link is not None and person.id is not None
    link.last_inbound_at = None  # created by us, not by a message of theirs
    services.save_conversation(uow, person.id, Onboarding.CONSENT, {}, now)
    ctx = Context(services.snapshot(person), who.identity, now)
    outbox.enqueue(uow, who.identity, invitation(ctx, who.name).to_json(),
                   person_id=person.id, priority=Priority.BULK, now=now)


@experts_app.command("import")
def import_experts(
    file: Annotated[Path, typer.Argument(help="CSV: name, identity, language, skills, country.")],
    as_: AsOption = "",
) -> None:
    """Invite the people of an existing network: each is asked once whether to join."""
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)  # it writes to people who never wrote to us: staff only
    try:
        rows = read_rows(file)
    except ValueError as error:
        typer.echo(f"cannot read {file}: {error}; nothing imported", err=True)
        raise typer.Exit(1) from error
    invited = skipped = rejected = 0
    now = datetime.now(UTC)
    with _unit_of_work() as (_settings, uow):
        seen: set[str] = set()
        for line, row in rows:
            who, reasons = check_row(row)
            if who is None:
                rejected += 1
                typer.echo(f"line {line}: rejected: {'; '.join(reasons)}")
            elif who.identity in seen or known(uow, who.identity):
                skipped += 1
            else:
                invite_expert(uow, who, now)
                invited += 1
            if who is not None:
                seen.add(who.identity)
        uow.commit()
    typer.echo(f"invited: {invited}, skipped (already known): {skipped}, rejected: {rejected}")
