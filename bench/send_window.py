"""An experiment for the broadcast benchmark, off by default (BENCH_LIMITER=window): pacing
that a sliding-window provider never refuses, whatever the delay between our count and the
provider's, for core to adopt if the numbers convince.

core.ratelimit counts sends in fixed one-second windows when they are allowed: a burst at the
end of one window and one at the start of the next meet in one sliding second, and the
provider answers 429. Counting in a sliding second when a send is allowed is not enough
either: the request reaches the provider some milliseconds later, a varying delay on a busy
event loop. SendWindow counts each send from the moment it is allowed until one second after
its answer came back, so a send's arrival, which lies between those two moments, is always
inside what was counted.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.messages import Reply
from core.domain.outbox import SendResult


class SendWindow:
    """At most `per_second` sends in flight or answered in the last second."""

    def __init__(self, per_second: int, now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.per_second, self.now, self.sleep = per_second, now, sleep
        self.in_flight = 0
        self.answered: deque[float] = deque()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        while True:
            now = self.now()
            while self.answered and self.answered[0] <= now - 1.0:
                self.answered.popleft()
            if self.in_flight + len(self.answered) < self.per_second:
                break
            await self.sleep(self.answered[0] + 1.0 - now if self.answered else 0.001)
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1
            self.answered.append(self.now())


class Windowed:
    """An adapter whose sends go through a SendWindow."""

    def __init__(self, inner: Any, window: SendWindow) -> None:
        self.inner, self.window, self.channel = inner, window, inner.channel

    async def send(self, identity: str, reply: Reply) -> SendResult:
        async with self.window.slot():
            result: SendResult = await self.inner.send(identity, reply)
            return result

    async def close(self) -> None:
        await self.inner.close()


class Unlimited:
    """The dispatcher's limiter when the window paces instead."""

    async def acquire(self, bucket: str, per_second: int) -> None:
        return None
