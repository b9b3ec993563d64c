"""`comdev broadcast create|preview|send|status|list|cancel`: news and calls for experts from
the terminal, through core.broadcasts as the chat's animators use it; `send --wait` follows
the sending with a live progress bar."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from admin_cli.acting import AsOption, staff_member
from admin_cli.broadcast_draft import Options, draft, when
from admin_cli.broadcast_follow import follow
from admin_cli.invite import _unit_of_work

if TYPE_CHECKING:
    from core.broadcasts import Preview

app = typer.Typer(name="broadcast", no_args_is_help=True,
                  help="News and calls for experts: create, preview, send, follow.")

Id = Annotated[int, typer.Argument(help="The broadcast's number (create and list print it).")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON, as core counts it.")]

#: core.domain.audience.Exclusion, for the operator.
EXCLUDED = {"opted_out": "sent STOP", "unreachable": "no identity we can write to",
            "no_consent": "never agreed to our terms", "paused": "paused, or not taking "
            "proposals", "cap": "monthly number of proposals reached",
            "already": "already asked, or on the project's side",
            "no_template": "WhatsApp beyond 24 h, no approved template"}


@app.command("create")
def create(
    as_: AsOption = "",
    kind: Annotated[str, typer.Option(
        help="news (news, events, training) or call (a call for experts).")] = "news",
    need: Annotated[int | None, typer.Option(
        help="A call's open skill need (comdev needs list).")] = None,
    text: Annotated[list[str] | None, typer.Option(
        "--text", help="LANG=TEXT in ar, zgh, fr or en; repeat per language.")] = None,
    text_file: Annotated[list[str] | None, typer.Option(
        "--text-file", help="LANG=PATH: a language's text from a UTF-8 file.")] = None,
    image: Annotated[str | None, typer.Option(help="An image's URL.")] = None,
    skill: Annotated[list[str] | None, typer.Option(
        help="A skill code or category (a call: the need's skill by default).")] = None,
    language: Annotated[list[str] | None, typer.Option(help="A spoken language.")] = None,
    country: Annotated[list[str] | None, typer.Option(help="A country, FR, MA...")] = None,
    origin: Annotated[list[str] | None, typer.Option(
        help="An origin territory's HCP code (region, province or commune).")] = None,
    theme: Annotated[list[str] | None, typer.Option(help="A followed theme.")] = None,
    role: Annotated[list[str] | None, typer.Option(help="expert, supporter...")] = None,
    channel: Annotated[str | None, typer.Option(help="telegram or whatsapp only.")] = None,
    followers: Annotated[str | None, typer.Option(
        help="The followers of this project (its reference) only.")] = None,
    template: Annotated[list[str] | None, typer.Option(
        help="LANG=HX...: the approved WhatsApp template beyond 24 h (default: the "
             "templates file's).")] = None,
    template_var: Annotated[list[str] | None, typer.Option(
        "--template-var", help="LANG:N=VALUE: a template variable.")] = None,
    at: Annotated[str | None, typer.Option(
        help="Schedule it: \"2026-12-01 09:00\" (UTC) or with an offset.")] = None,
) -> None:
    """Write a broadcast: a draft, or scheduled with --at; prints its number."""
    from core import broadcasts, templates

    options = Options(
        kind=kind, need=need, texts=tuple(text or ()), text_files=tuple(text_file or ()),
        image=image, skills=tuple(skill or ()), languages=tuple(language or ()),
        countries=tuple(country or ()), origins=tuple(origin or ()), themes=tuple(theme or ()),
        roles=tuple(role or ()), channel=channel, followers=followers,
        templates=tuple(template or ()), template_vars=tuple(template_var or ()))
    now, moment = datetime.now(UTC), None
    with _unit_of_work() as (settings, uow):
        animator = staff_member(uow, as_)
        try:
            wanted = draft(uow, options, templates.load(settings.WHATSAPP_TEMPLATES_FILE))
            moment = when(at) if at is not None else None
            made = broadcasts.create(
                uow, kind=wanted.kind, audience=wanted.audience, texts=wanted.texts,
                created_by=animator.id, now=now, need_id=wanted.need_id, image=wanted.image,
                templates=wanted.templates)
            if moment is not None:
                broadcasts.schedule(uow, made.id or 0, moment, now)
        except ValueError as error:
            _usage(str(error))
        uow.commit()
        made_id = made.id
    state = f"scheduled for {moment:%Y-%m-%d %H:%M} UTC" if moment else "a draft"
    typer.echo(f"broadcast {made_id} created, {state}")
    typer.echo(f"  see who it reaches: comdev broadcast preview {made_id}; send it: "
               f"comdev broadcast send {made_id}")


@app.command("preview")
def preview(broadcast_id: Id, as_: AsOption = "", json_: JsonOption = False) -> None:
    """Count who the broadcast reaches now, by channel and language, and who not and why."""
    from core import broadcasts
    from core.domain.audience import Kind
    from core.models import Broadcast

    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        found = uow.session.get(Broadcast, broadcast_id)
        if found is None:
            _fail(f"no broadcast has the number {broadcast_id}")
        seen = broadcasts.preview(uow, Kind(found.kind), broadcasts.audience_of(found),
                                  datetime.now(UTC), need_id=found.need_id,
                                  texts=broadcasts.texts_of(found),
                                  templates=json.loads(found.templates or "{}"))
    if json_:
        typer.echo(json.dumps(seen.to_dict(), sort_keys=True))
        return
    _show_preview(broadcast_id, seen)


@app.command("send")
def send(
    broadcast_id: Id,
    as_: AsOption = "",
    at: Annotated[str | None, typer.Option(
        help="Later: \"2026-12-01 09:00\" (UTC) or with an offset; default now.")] = None,
    wait: Annotated[bool, typer.Option(
        "--wait", help="Queue it from here and follow the sending live.")] = False,
    dispatch: Annotated[bool, typer.Option(
        "--dispatch", help="--wait, and send the outbox (all of it) from here through the "
                           "configured Telegram and Twilio, for when no worker runs (rate "
                           "limits are shared with a running worker through Redis only).")
    ] = False,
) -> None:
    """Send a draft now (or at --at); the server's worker sends it unless --dispatch."""
    from core import broadcasts
    from core.models import Broadcast

    now = datetime.now(UTC)
    wait = wait or dispatch
    try:
        moment = when(at) if at is not None else now
    except ValueError as error:
        _usage(str(error))
    if wait and moment > now:
        _usage("--wait follows a broadcast sent now: leave out --at, or --wait")
    with _unit_of_work() as (settings, uow):
        staff_member(uow, as_)
        if uow.session.get(Broadcast, broadcast_id) is None:
            _fail(f"no broadcast has the number {broadcast_id}")
        if dispatch and not (settings.telegram_enabled or settings.whatsapp_enabled):
            _usage("--dispatch sends through TELEGRAM_BOT_TOKEN or the Twilio settings: "
                   "none is set")
        try:
            broadcasts.schedule(uow, broadcast_id, moment, now)
        except ValueError as error:
            _fail(f"broadcast {broadcast_id} not sent: {error}")
        uow.commit()
    if not wait:
        from bot.bootstrap import BROADCAST_EVERY

        typer.echo(f"broadcast {broadcast_id} scheduled for {moment:%Y-%m-%d %H:%M} UTC: the "
                   f"server's worker (comdev serve, or comdev worker) queues it within "
                   f"{BROADCAST_EVERY:.0f} s of that time and sends it at each channel's rate; "
                   f"follow it with comdev broadcast status {broadcast_id}")
        return
    follow(settings, broadcast_id, dispatch)


@app.command("status")
def status(broadcast_id: Id, as_: AsOption = "", json_: JsonOption = False) -> None:
    """Count the broadcast's recipients by what became of their message."""
    from core import broadcasts
    from core.models import Broadcast

    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        found = uow.session.get(Broadcast, broadcast_id)
        sending = broadcasts.progress(uow, broadcast_id, datetime.now(UTC))
        if found is None or sending is None:
            _fail(f"no broadcast has the number {broadcast_id}")
        kind, times = found.kind, (found.created_at, found.scheduled_at, found.started_at,
                                   found.finished_at)
    if json_:
        typer.echo(json.dumps(sending.to_dict(), sort_keys=True))
        return
    table = Table("", "", title=f"Broadcast {broadcast_id} ({kind})", title_justify="left",
                  show_header=False)
    rows: list[tuple[str, object]] = [("status", sending.status)]
    rows += [(label, _time(moment)) for label, moment in zip(
        ("created", "scheduled for", "started", "all queued"), times, strict=True)]
    rows += [("recipients", sending.recipients), ("sent", sending.sent),
             ("delivered / read (WhatsApp)", f"{sending.delivered} / {sending.read}"),
             ("failed", sending.failed), ("deferred (quiet hours, retries)", sending.deferred),
             ("waiting", sending.waiting), ("through the WhatsApp template", sending.templates)]
    rows += [(f"skipped: {EXCLUDED.get(k, k)}", n) for k, n in sorted(sending.skipped.items())]
    for label, value in rows:
        table.add_row(label, str(value))
    Console().print(table)


@app.command("list")
def list_(
    as_: AsOption = "",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 30,
) -> None:
    """Print the broadcasts, newest first, with their counts."""
    from sqlmodel import col, select

    from core import broadcasts
    from core.models import Broadcast

    now = datetime.now(UTC)
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        rows = []
        for b in uow.session.exec(select(Broadcast).order_by(col(Broadcast.id).desc())
                                  .limit(limit)):
            n = broadcasts.progress(uow, b.id or 0, now)
            assert n is not None
            rows.append((str(b.id), b.kind, b.status, _time(b.created_at),
                         _time(b.scheduled_at), *(str(count) for count in (
                             n.recipients, n.sent, n.failed, n.deferred, n.waiting))))
    if not rows:
        typer.echo("no broadcast yet")
        return
    table = Table("id", "kind", "status", "created", "scheduled", "recipients", "sent",
                  "failed", "deferred", "waiting")
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@app.command("cancel")
def cancel(broadcast_id: Id, as_: AsOption = "") -> None:
    """Stop a broadcast that is not fully queued; what is queued still goes."""
    from core import broadcasts
    from core.models import Broadcast

    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        if uow.session.get(Broadcast, broadcast_id) is None:
            _fail(f"no broadcast has the number {broadcast_id}")
        try:
            broadcasts.cancel(uow, broadcast_id)
        except ValueError as error:
            _fail(f"broadcast {broadcast_id} not cancelled: {error}")
        uow.commit()
        queued = broadcasts.progress(uow, broadcast_id, datetime.now(UTC))
    typer.echo(f"broadcast {broadcast_id} cancelled; "
               f"{queued.recipients if queued else 0} recipients already queued still "
               f"receive it")


# --- rendering ---------------------------------------------------------------------------------

def _show_preview(broadcast_id: int, seen: Preview) -> None:
    console = Console()
    summary = Table("", "", title=f"Broadcast {broadcast_id}: who it reaches now",
                    title_justify="left", show_header=False)
    summary.add_row("reached", str(seen.reached))
    summary.add_row("of whom deferred to 08:00 (quiet hours)", str(seen.deferred))
    summary.add_row("of whom through the WhatsApp template", str(seen.templates))
    summary.add_row("left out", str(sum(seen.excluded.values())))
    console.print(summary)
    for title, counts, names in (("By channel", seen.by_channel, {}),
                                 ("By language", seen.by_language, {}),
                                 ("Left out, by reason", seen.excluded, EXCLUDED)):
        table = Table(title.split()[-1], "people", title=title, title_justify="left")
        for key, n in counts.most_common():
            table.add_row(names.get(key, key), str(n))
        console.print(table if counts else f"{title}: none")


def _time(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


def _usage(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)
