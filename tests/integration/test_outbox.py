"""The outbox on PostgreSQL: several dispatchers, FOR UPDATE SKIP LOCKED, crash recovery."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from bot.dispatcher import Dispatcher
from bot.messages import Reply
from core import outbox
from core.domain.outbox import OutboxStatus
from core.metrics import Metrics
from core.models import OutboxMessage, utcnow
from core.ratelimit import LocalRateLimiter
from core.uow import UnitOfWork
from tests.conftest import make_settings
from tests.integration.fakes import RecordingAdapter

ROWS, PEOPLE = 300, 30


def _fill_outbox(engine: Engine) -> dict[str, list[str]]:
    """Enqueues ROWS messages for PEOPLE identities, interleaved; returns each one's texts."""
    expected: dict[str, list[str]] = {}
    now = utcnow()
    with UnitOfWork(engine) as uow:
        for n in range(ROWS):
            identity = f"whatsapp:+2126000{n % PEOPLE:05d}"
            body = f"{identity} #{n // PEOPLE}"
            expected.setdefault(identity, []).append(body)
            outbox.enqueue(uow, identity, Reply(body).to_json(), person_id=None, now=now)
        uow.commit()
    return expected


def _waiting(engine: Engine) -> int:
    with UnitOfWork(engine) as uow:
        return outbox.queue_depth(uow)


async def _drain(dispatcher: Dispatcher, engine: Engine, deadline: float) -> None:
    while await asyncio.to_thread(_waiting, engine):
        assert time.monotonic() < deadline, "the outbox did not drain in time"
        if not await dispatcher.run_once():
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("workers", [2, 4])
async def test_concurrent_dispatchers_never_send_one_row_twice_and_keep_each_persons_order(
        pg_engine: Engine, workers: int) -> None:
    expected = await asyncio.to_thread(_fill_outbox, pg_engine)
    fake = RecordingAdapter()
    settings = make_settings(WHATSAPP_RATE_PER_SECOND=100_000)
    dispatchers = [
        Dispatcher(lambda: UnitOfWork(pg_engine), {"whatsapp": fake}, LocalRateLimiter(),
                   settings, utcnow, Metrics(), batch=10)
        for _ in range(workers)]

    deadline = time.monotonic() + 60
    await asyncio.gather(*(_drain(d, pg_engine, deadline) for d in dispatchers))

    texts = [reply.text for _, reply in fake.sent]
    assert len(texts) == ROWS
    assert len(set(texts)) == ROWS  # every row once, none twice
    for identity, bodies in expected.items():
        assert fake.texts_to(identity) == bodies
    with UnitOfWork(pg_engine) as uow:
        statuses = dict(uow.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    assert statuses == {OutboxStatus.SENT: ROWS}


def test_a_row_left_sending_by_a_crashed_worker_is_claimed_again(pg_engine: Engine) -> None:
    now = utcnow()
    crashed_at = now - outbox.CLAIM_TIMEOUT - timedelta(seconds=1)
    with UnitOfWork(pg_engine) as uow:
        uow.session.add(OutboxMessage(
            identity="whatsapp:+212600000001", channel="whatsapp", payload=Reply("a").to_json(),
            status=OutboxStatus.SENDING, claimed_at=crashed_at, attempts=1,
            next_attempt_at=crashed_at, created_at=crashed_at))
        uow.session.add(OutboxMessage(
            identity="whatsapp:+212600000002", channel="whatsapp", payload=Reply("b").to_json(),
            status=OutboxStatus.SENDING, claimed_at=now - timedelta(seconds=5), attempts=1,
            next_attempt_at=crashed_at, created_at=crashed_at))
        uow.commit()

    with UnitOfWork(pg_engine) as uow:
        claimed = outbox.claim(uow, now)

    assert [row.identity for row in claimed] == ["whatsapp:+212600000001"]
    with UnitOfWork(pg_engine) as uow:
        rows = [(row.status, row.claimed_at == now, row.attempts) for row in uow.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id))]
    assert rows == [
        (OutboxStatus.SENDING, True, 2), (OutboxStatus.SENDING, False, 1)]


def test_a_claimed_row_carries_the_attempt_number_stored_in_the_database(
        pg_engine: Engine) -> None:
    """Guards the fix of a claim that counted one attempt more than it stored."""
    with UnitOfWork(pg_engine) as uow:
        outbox.enqueue(uow, "whatsapp:+212600000001", Reply("a").to_json(), person_id=None,
                       now=utcnow())
        uow.commit()

    with UnitOfWork(pg_engine) as uow:
        [claimed] = outbox.claim(uow, utcnow())
    with UnitOfWork(pg_engine) as uow:
        stored = uow.session.scalar(select(OutboxMessage.attempts)
                                    .where(OutboxMessage.id == claimed.id))

    assert stored == 1
    assert claimed.attempts == stored
