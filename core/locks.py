"""One conversation step at a time per person: a Redis lock, or an in-process one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis


class Locks(Protocol):
    def hold(self, key: str) -> AsyncIterator[None]: ...


class LocalLocks:
    """Per-key asyncio locks, for one process (embedded mode)."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # forget idle keys so memory does not grow
                del self._users[key], self._locks[key]


class RedisLocks:
    """Redis locks with a timeout, shared by every process (scaled mode)."""

    def __init__(self, redis: Redis, timeout: float = 30.0, wait: float = 60.0) -> None:
        self.redis, self.timeout, self.wait = redis, timeout, wait

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self.redis.lock(f"comdev:lock:{key}", timeout=self.timeout,
                               blocking_timeout=self.wait)
        if not await lock.acquire():
            raise TimeoutError(f"lock {key} busy")
        try:
            yield
        finally:
            try:
                await lock.release()
            except Exception:  # expired meanwhile: nothing of ours left to release
                pass
