"""The worker the broadcast benchmark measures: `comdev worker` (bot.bootstrap's container
with its dispatcher, broadcaster, sweeper and matching loops, the real TelegramAdapter),
configured by the environment the bench sets, `.env` ignored, with one difference: a
clock shifted by BENCH_CLOCK_OFFSET seconds.

The shift is how the bench stays independent of the hour it runs at and of the outbox's
claim timeout, without touching core: it puts the worker at midday in Morocco (nobody is in
their quiet hours, which would defer the whole broadcast to 08:00), and the restarted worker
of the crash run a further CLAIM_TIMEOUT ahead, as if it had been restarted after that delay:
the rows the killed worker left 'sending' are released at once, exactly as they would be
two minutes later in production.

An experiment, off by default: BENCH_LIMITER=window paces Telegram with
bench/send_window.py instead of core.ratelimit's fixed one-second windows, the change the
benchmark proposes, to measure it before core adopts it.

    python -m bench.broadcast_worker
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from datetime import UTC, datetime, timedelta

from bench.send_window import SendWindow, Unlimited, Windowed
from bot.bootstrap import build, start
from core.clock import Clock
from core.config import Settings

CLOCK_OFFSET = "BENCH_CLOCK_OFFSET"
LIMITER = "BENCH_LIMITER"


def shifted_clock(seconds: float) -> Clock:
    """The system clock, `seconds` ahead."""
    offset = timedelta(seconds=seconds)
    return lambda: datetime.now(UTC) + offset


async def serve(settings: Settings, clock: Clock) -> None:
    """Runs the worker until SIGTERM (SIGKILL, in the crash run, ends it anyhow)."""
    container = build(settings, clock=clock)
    await start(container, worker=True)
    if os.environ.get(LIMITER) == "window":  # before the dispatcher's first round runs
        window = SendWindow(settings.TELEGRAM_RATE_PER_SECOND)
        adapters = container.dispatcher.adapters
        adapters["telegram"] = Windowed(adapters["telegram"], window)  # type: ignore[index]
        container.dispatcher.limiter = Unlimited()
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    print("worker running", flush=True)
    try:
        await stopping.wait()
    finally:
        await container.close()


def main() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    logging.basicConfig(level=settings.LOG_LEVEL,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(settings, shifted_clock(float(os.environ.get(CLOCK_OFFSET, "0")))))


if __name__ == "__main__":
    main()
