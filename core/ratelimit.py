"""Per-channel and per-chat send rates: fixed one-second windows, in Redis or in memory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis


class RateLimiter(Protocol):
    async def acquire(self, bucket: str, per_second: int) -> None: ...


class LocalRateLimiter:
    """Counts sends per bucket and second in this process."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self.now = now
        self._windows: dict[str, tuple[int, int]] = {}

    async def acquire(self, bucket: str, per_second: int) -> None:
        while True:
            second = int(self.now())
            window, count = self._windows.get(bucket, (second, 0))
            if window != second:
                window, count = second, 0
            if count < per_second:
                self._windows[bucket] = (window, count + 1)
                if len(self._windows) > 10_000:  # per-chat buckets: forget the past seconds
                    self._windows = {k: v for k, v in self._windows.items() if v[0] >= second}
                return
            await asyncio.sleep(max(0.0, second + 1 - self.now()))


class RedisRateLimiter:
    """Counts sends per bucket and second in Redis, shared by every worker."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def acquire(self, bucket: str, per_second: int) -> None:
        while True:
            now = time.time()
            key = f"comdev:rate:{bucket}:{int(now)}"
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, 2)
                count, _ = await pipe.execute()
            if count <= per_second:
                return
            await asyncio.sleep(max(0.0, int(now) + 1 - time.time()))
