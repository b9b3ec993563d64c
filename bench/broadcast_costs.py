"""Where a broadcast's time goes: the CPU each stage of the worker spends per message, each
stage alone, in this one process (threads included), on a fresh SQLite file.

1. queue: the Broadcaster writes every recipient's outbox row (core.broadcasts.send_batch).
2. dispatch, null adapter: the Dispatcher claims, paces and records those rows; the adapter
   answers "sent" at once (outbox and asyncio cost only).
3. dispatch, Telegram: the same rows again (put back to pending) through the real
   TelegramAdapter to the fake Telegram (its own process; its CPU is given apart).
4. adapter alone: TelegramAdapter.send, 16 at once, no database (PTB + httpx).

    python -m bench.broadcast_costs [--recipients 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from bench.broadcast import midday_offset
from bench.broadcast_audience import Audience, create_broadcast, seed
from bench.broadcast_worker import shifted_clock
from bench.servers import Server
from bot.adapters.telegram import TelegramAdapter
from bot.broadcasts import Broadcaster
from bot.dispatcher import Dispatcher
from bot.messages import Reply
from core.config import Settings
from core.db import make_engine
from core.domain.outbox import SendOutcome, SendResult
from core.metrics import Metrics
from core.models import OutboxMessage
from core.ratelimit import LocalRateLimiter
from core.uow import UnitOfWork

UNLIMITED = 1_000_000


class NullAdapter:
    """Answers "sent" without sending."""

    channel = "telegram"

    async def send(self, identity: str, reply: Reply) -> SendResult:
        return SendResult(SendOutcome.SENT, "1")

    async def close(self) -> None:
        return None


def measured(work: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


async def drain(dispatcher: Dispatcher) -> None:
    while await dispatcher.run_once():
        pass


def settings_for(url: str) -> Settings:
    return Settings(_env_file=None, DATABASE_URL=url,  # type: ignore[call-arg]
                    TELEGRAM_RATE_PER_SECOND=UNLIMITED,
                    TELEGRAM_RATE_PER_CHAT_PER_SECOND=UNLIMITED)


def dispatch(url: str, adapter: Any, clock: Callable[[], datetime]) -> tuple[float, float]:
    engine = make_engine(url)
    dispatcher = Dispatcher(lambda: UnitOfWork(engine), {"telegram": adapter},
                            LocalRateLimiter(), settings_for(url), clock, Metrics())
    try:
        return measured(lambda: asyncio.run(drain(dispatcher)))
    finally:
        engine.dispose()


def back_to_pending(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(update(OutboxMessage).values(status="pending", attempts=0))
    engine.dispose()


def adapter_alone(base_url: str, count: int) -> tuple[float, float]:
    async def run() -> None:
        adapter = TelegramAdapter("123456:bench", base_url)
        slots = asyncio.Semaphore(16)
        reply = Reply("Formation à l'irrigation goutte-à-goutte samedi 10h.")

        async def one(i: int) -> None:
            async with slots:
                await adapter.send(f"telegram:{800_000_000 + i}", reply)

        await asyncio.gather(*(one(i) for i in range(count)))
        await adapter.close()

    return measured(lambda: asyncio.run(run()))


def line(stage: str, count: int, wall: float, cpu: float) -> str:
    return (f"| {stage} | {count} | {wall:.1f} | {count / wall:.0f} | "
            f"{cpu / count * 1000:.2f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast_costs",
                                     description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args(argv)
    n = args.recipients
    folder = Path(tempfile.mkdtemp(prefix="comdev-bench-costs-"))
    url = f"sqlite:///{folder / 'costs.db'}"
    clock = shifted_clock(midday_offset(datetime.now(UTC)))
    record = folder / "telegram.txt"
    telegram = Server("costs-telegram", "bench.fake_telegram:create", folder / "telegram.log",
                      factory=True, env={"FAKE_TELEGRAM_RATE": str(UNLIMITED),
                                         "FAKE_TELEGRAM_LOG": str(record)})
    rows = ["| stage | messages | wall s | messages/s | CPU ms per message |",
            "| --- | ---: | ---: | ---: | ---: |"]
    try:
        seed(url, Audience.mixed(n, 7))
        create_broadcast(url, clock() - timedelta(seconds=1))
        engine = make_engine(url)
        broadcaster = Broadcaster(lambda: UnitOfWork(engine), clock, lambda: None)
        rows.append(line("1. queue (Broadcaster)", n,
                         *measured(lambda: broadcaster.run_once(max_batches=10**9))))
        engine.dispose()
        rows.append(line("2. dispatch, null adapter", n, *dispatch(url, NullAdapter(), clock)))
        back_to_pending(url)
        telegram.start()
        telegram.wait_ready()
        base = telegram.url + "/bot"
        cpu_before = telegram.cpu_seconds()
        rows.append(line("3. dispatch, TelegramAdapter", n,
                         *dispatch(url, TelegramAdapter("123456:bench", base), clock)))
        server_cpu = telegram.cpu_seconds() - cpu_before
        rows.append(line("4. TelegramAdapter alone", n, *adapter_alone(base, n)))
        rows.append(f"\nfake Telegram (its own process): {server_cpu / n * 1000:.2f} ms CPU "
                    f"per message in stage 3")
    finally:
        telegram.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
