"""`comdev broadcast send --wait`: queues a broadcast from the terminal, as the server's
worker does, and shows its sending live until nothing of it waits; with --dispatch, sends the
outbox from here too, through the configured adapters (bot.bootstrap builds them as for the
server: no conversation steps, no sweeper)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from core.broadcasts import Progress as Sending
    from core.config import Settings
    from core.uow import UowFactory

POLL = 0.5  # seconds between two looks at the progress


def follow(settings: Settings, broadcast_id: int, dispatch: bool) -> None:
    """Queues the broadcast from this process and shows its progress until nothing waits."""
    console = Console()
    if not dispatch:
        console.print("The server's worker sends the messages (comdev serve or comdev worker);"
                      " Ctrl-C stops watching, not the sending.")
    columns = (TextColumn(f"broadcast {broadcast_id}"), BarColumn(),
               TextColumn("{task.completed:.0f}/{task.total:.0f}"),
               TextColumn("sent {task.fields[sent]} · failed {task.fields[failed]} · "
                          "deferred {task.fields[deferred]} · waiting {task.fields[waiting]}"),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("", total=0, sent=0, failed=0, deferred=0, waiting=0)

            def show(now: Sending) -> None:
                bar.update(task, total=now.recipients, sent=now.sent, failed=now.failed,
                           deferred=now.deferred, waiting=now.waiting,
                           completed=now.sent + now.failed + sum(now.skipped.values()))

            end = asyncio.run(_drive(settings, broadcast_id, dispatch, show))
    except KeyboardInterrupt:
        console.print("stopped watching; the sending goes on")
        raise typer.Exit(130) from None
    typer.echo(f"broadcast {broadcast_id} {end.status}: {end.sent} sent, {end.failed} failed, "
               f"{end.deferred} deferred (sent later by the server's worker), {end.waiting} "
               f"waiting, {sum(end.skipped.values())} skipped, of {end.recipients}")


async def _drive(settings: Settings, broadcast_id: int, dispatch: bool,
                 show: Callable[[Sending], None]) -> Sending:
    """Runs the broadcaster (and, with `dispatch`, the dispatcher with the configured
    adapters) until the broadcast is queued and nothing of it waits."""
    from bot.bootstrap import build, start
    from core.db import make_engine
    from core.uow import UnitOfWork

    if not dispatch:
        engine = make_engine(settings.DATABASE_URL)
        try:
            return await _queue_and_watch(lambda: UnitOfWork(engine), broadcast_id,
                                          lambda: None, show)
        finally:
            engine.dispose()
    container = build(settings)
    try:
        await start(container, worker=False)  # the adapters only: no steps, no sweeper
        container.spawn(container.dispatcher.run())
        return await _queue_and_watch(container.uow, broadcast_id, container.dispatcher.wake,
                                      show)
    finally:
        await container.close()


async def _queue_and_watch(uow: UowFactory, broadcast_id: int, wake: Callable[[], None],
                           show: Callable[[Sending], None]) -> Sending:
    from sqlalchemy.exc import DBAPIError

    from bot.broadcasts import Broadcaster
    from core import broadcasts
    from core.clock import system_clock

    broadcaster = Broadcaster(uow, system_clock, wake)
    while True:
        try:
            await asyncio.to_thread(broadcaster.run_once)
        except DBAPIError:  # the server's worker wrote the batch first: the next one
            pass
        with uow() as reading:
            now = broadcasts.progress(reading, broadcast_id, system_clock())
        assert now is not None
        show(now)
        if now.status in ("done", "cancelled") and not now.waiting:
            return now
        await asyncio.sleep(POLL)
