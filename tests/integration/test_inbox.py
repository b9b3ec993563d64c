"""The inbound message log on PostgreSQL, under concurrent webhook deliveries."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select

from core import inbox
from core.models import InboundMessage
from core.uow import UnitOfWork


def test_three_concurrent_deliveries_of_one_provider_key_store_exactly_one_row(
        pg_engine: Engine) -> None:
    _deliver_three_times_at_once(pg_engine)

    assert _rows(pg_engine, "twilio:SM-same") == 1


def test_three_concurrent_deliveries_of_one_provider_key_give_exactly_one_true(
        pg_engine: Engine) -> None:
    answers = _deliver_three_times_at_once(pg_engine)

    assert sorted(answers) == [False, False, True]


def test_a_provider_key_recorded_again_later_is_not_stored_twice(pg_engine: Engine) -> None:
    for _ in range(2):
        with UnitOfWork(pg_engine) as uow:
            inbox.record(uow, "telegram:update:7", "telegram:42", "telegram", "{}")
            uow.commit()

    assert _rows(pg_engine, "telegram:update:7") == 1


def _rows(engine: Engine, key: str) -> int:
    with UnitOfWork(engine) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(InboundMessage)
                                      .where(InboundMessage.provider_key == key)) or 0)


def _deliver_three_times_at_once(pg_engine: Engine) -> list[bool]:
    """Records one provider key from three threads released together; returns their answers."""
    start = threading.Barrier(3)

    def deliver(_: int) -> bool:
        with UnitOfWork(pg_engine) as uow:
            start.wait(timeout=10)
            new = inbox.record(uow, "twilio:SM-same", "whatsapp:+212600000001", "whatsapp",
                               "{}")
            uow.commit()
            return new

    with ThreadPoolExecutor(3) as pool:
        return list(pool.map(deliver, range(3)))
