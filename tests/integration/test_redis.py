"""Redis locks and rate limits, shared by several clients as several workers would."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from core.locks import RedisLocks
from core.ratelimit import RedisRateLimiter


@pytest.fixture
async def two_clients(redis_url: str) -> AsyncIterator[tuple[Redis, Redis]]:
    """Two separate connections to Redis, as two processes would have."""
    first, second = Redis.from_url(redis_url), Redis.from_url(redis_url)
    try:
        yield first, second
    finally:
        await first.aclose()
        await second.aclose()


async def test_two_holders_of_the_same_key_run_one_after_the_other(
        two_clients: tuple[Redis, Redis]) -> None:
    first, second = RedisLocks(two_clients[0]), RedisLocks(two_clients[1])
    events: list[str] = []
    first_in, let_first_go = asyncio.Event(), asyncio.Event()

    async def hold_first() -> None:
        async with first.hold("identity:whatsapp:+212600000001"):
            events.append("first in")
            first_in.set()
            await let_first_go.wait()
            events.append("first out")

    async def hold_second() -> None:
        await first_in.wait()
        async with second.hold("identity:whatsapp:+212600000001"):
            events.append("second in")

    tasks = [asyncio.create_task(hold_first()), asyncio.create_task(hold_second())]
    await first_in.wait()
    await asyncio.sleep(0.5)  # time for a broken lock to let the second holder in
    assert events == ["first in"]
    let_first_go.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)
    assert events == ["first in", "first out", "second in"]


async def test_holders_of_different_keys_run_at_the_same_time(
        two_clients: tuple[Redis, Redis]) -> None:
    first, second = RedisLocks(two_clients[0]), RedisLocks(two_clients[1])
    first_in, second_in = asyncio.Event(), asyncio.Event()

    async def hold(locks: RedisLocks, key: str, mine: asyncio.Event,
                   theirs: asyncio.Event) -> None:
        async with locks.hold(key):
            mine.set()
            await theirs.wait()  # returns only if the other key is held at the same time

    await asyncio.wait_for(asyncio.gather(
        hold(first, "identity:telegram:1", first_in, second_in),
        hold(second, "identity:telegram:2", second_in, first_in)), timeout=10)


async def test_two_limiters_let_at_most_n_acquisitions_per_second_through_together(
        two_clients: tuple[Redis, Redis]) -> None:
    limiters = [RedisRateLimiter(two_clients[0]), RedisRateLimiter(two_clients[1])]
    per_second, total = 10, 25
    # Start just after a second boundary: grants then come in bursts right after each
    # boundary, far from the next one, so the second a grant is counted in is unambiguous.
    await asyncio.sleep(1.05 - time.time() % 1)
    granted: list[int] = []

    async def acquire(limiter: RedisRateLimiter) -> None:
        await limiter.acquire("whatsapp", per_second)
        granted.append(int(time.time()))

    await asyncio.wait_for(asyncio.gather(
        *(acquire(limiters[n % 2]) for n in range(total))), timeout=15)

    per_window = Counter(granted)
    assert len(granted) == total
    assert max(per_window.values()) <= per_second, per_window
    assert len(per_window) >= 3, per_window  # 25 at 10/s span at least two boundaries
