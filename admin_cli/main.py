"""The `comdev` command."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer
from rich.console import Console

from admin_cli.animators import app as animators_app
from admin_cli.broadcast import app as broadcast_app
from admin_cli.export import app as export_app
from admin_cli.imports import app as import_app
from admin_cli.invite import experts_app, invite_app
from admin_cli.needs import app as needs_app
from admin_cli.projects import app as projects_app
from admin_cli.skills import app as skills_app
from admin_cli.stats import app as stats_app
from admin_cli.territories import app as territories_app
from admin_cli.tickets import app as tickets_app
from core.config import Settings
from core.domain.identity import Identity

app = typer.Typer(help="ComDev: the development community assistant.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
telegram_app = typer.Typer(help="Telegram set-up.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(telegram_app, name="telegram")
app.add_typer(skills_app, name="skills")
app.add_typer(territories_app, name="territories")
app.add_typer(invite_app, name="invite")
app.add_typer(experts_app, name="experts")
app.add_typer(animators_app, name="animators")
app.add_typer(projects_app, name="projects")
app.add_typer(needs_app, name="needs")
app.add_typer(tickets_app, name="tickets")
app.add_typer(import_app, name="import")
app.add_typer(stats_app, name="stats")
app.add_typer(export_app, name="export")
app.add_typer(broadcast_app, name="broadcast")
console = Console()


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as error:
        console.print(f"[red]Settings refused:[/red] {error}")
        raise typer.Exit(2) from error


def _logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.LOG_LEVEL,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "twilio", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the database migrations."""
    from core.db import upgrade

    settings = _settings()
    upgrade(settings.DATABASE_URL, revision)
    console.print("database is up to date")


@app.command()
def seed() -> None:
    """Create the animators listed in ANIMATORS and load the official list of territories."""
    from bot.bootstrap import build
    from core import territories

    settings = _settings()
    container = build(settings, adapters={})
    added = container.seed()
    with container.uow() as uow:
        counts = territories.load(uow)
    container.engine.dispose()
    console.print(f"animators: {len(settings.animators)} configured, {added} added")
    console.print(f"territories: {counts.get('commune', 0)} communes, "
                  f"{counts['written']} rows written")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    no_worker: Annotated[bool, typer.Option(
        "--no-worker", help="Web only (scaled mode).")] = False,
    telegram_polling: Annotated[bool, typer.Option(
        "--telegram-polling", help="Read Telegram with getUpdates, not the webhook.")] = False,
) -> None:
    """Serve the webhooks (and, unless --no-worker, send the outbox)."""
    import uvicorn

    from bot.bootstrap import build
    from webhooks.app import create_app

    settings = _settings()
    _logging(settings)
    container = build(settings)
    container.seed()
    if telegram_polling and not settings.telegram_enabled:
        console.print("[red]--telegram-polling needs TELEGRAM_BOT_TOKEN[/red]")
        raise typer.Exit(2)
    app_ = create_app(container, worker=not no_worker, telegram_polling=telegram_polling)
    _print_how_to_chat(settings, host, port)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def _print_how_to_chat(settings: Settings, host: str, port: int) -> None:
    console.print(f"[bold]ComDev[/bold] listening on http://{host}:{port}  "
                  f"(health: http://{host}:{port}/healthz)")
    console.print("Chat with it from another terminal, as a WhatsApp user would see it:")
    console.print("  .venv/bin/comdev chat --as whatsapp:+212600000001")
    if settings.telegram_enabled:
        console.print("Telegram: run `comdev telegram set-webhook` once, or serve with "
                      "--telegram-polling.")
    if settings.whatsapp_enabled:
        console.print(f"WhatsApp: point the Twilio sender at "
                      f"{settings.public_url('/webhooks/twilio')}")


@app.command()
def worker() -> None:
    """Send the outbox and recover stranded messages (scaled mode)."""
    from bot.bootstrap import build, start

    settings = _settings()
    _logging(settings)

    async def main() -> None:
        container = build(settings)
        await start(container, worker=True)
        console.print("worker running; Ctrl-C to stop")
        try:
            await asyncio.Event().wait()
        finally:
            await container.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


@app.command()
def chat(
    as_: Annotated[str, typer.Option("--as", help="Identity, e.g. whatsapp:+212600000001")],
    lang: Annotated[str | None, typer.Option(help="Language hint: ar, zgh, fr or en")] = None,
) -> None:
    """Chat in the terminal, seeing exactly what a WhatsApp user would see."""
    from admin_cli.chat import run_chat
    from core.db import upgrade

    try:
        identity = Identity.parse(as_)
    except ValueError as error:
        console.print("[red]--as needs telegram:<chat id> or whatsapp:+<number>[/red]")
        raise typer.Exit(2) from error
    settings = _settings()
    upgrade(settings.DATABASE_URL)
    asyncio.run(run_chat(settings, str(identity), lang))


@telegram_app.command("set-webhook")
def set_webhook() -> None:
    """Register PUBLIC_BASE_URL/webhooks/telegram with Telegram, with the secret."""
    from bot.adapters.telegram import TelegramAdapter

    settings = _settings()
    if not settings.telegram_enabled:
        console.print("[red]TELEGRAM_BOT_TOKEN is not set[/red]")
        raise typer.Exit(2)

    async def main() -> bool:
        adapter = TelegramAdapter(settings.TELEGRAM_BOT_TOKEN.get_secret_value(),
                                  settings.TELEGRAM_API_BASE_URL)
        try:
            return await adapter.set_webhook(settings.public_url("/webhooks/telegram"),
                                             settings.TELEGRAM_WEBHOOK_SECRET.get_secret_value())
        finally:
            await adapter.close()

    ok = asyncio.run(main())
    console.print("webhook registered" if ok else "[red]Telegram refused the webhook[/red]")
    raise typer.Exit(0 if ok else 1)


