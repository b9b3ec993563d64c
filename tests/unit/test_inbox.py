"""The inbound log: recorded once, processed once, oldest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from core import inbox
from core.uow import UnitOfWork
from tests.unit.support import NOW

Uow = Callable[[], UnitOfWork]
BOB = "telegram:555"


def record(uow_factory: Uow, key: str, identity: str = BOB, at: object = NOW) -> bool:
    with uow_factory() as uow:
        done = inbox.record(uow, key, identity, identity.partition(":")[0], '{"text": "hi"}',
                            at)  # type: ignore[arg-type]
        uow.commit()
        return done


def test_a_message_is_recorded_once(uow_factory: Uow) -> None:
    assert record(uow_factory, "telegram:update:1") is True
    assert record(uow_factory, "telegram:update:1") is False
    with uow_factory() as uow:
        row = inbox.next_pending(uow, BOB)
        assert row is not None and row.provider_key == "telegram:update:1"
        assert row.received_at == NOW and row.attempts == 0


def test_a_duplicate_inside_one_transaction_is_also_refused(uow_factory: Uow) -> None:
    with uow_factory() as uow:
        assert inbox.record(uow, "twilio:SM1", BOB, "telegram", "{}")
        assert not inbox.record(uow, "twilio:SM1", BOB, "telegram", "{}")


def test_the_oldest_pending_message_comes_first(uow_factory: Uow) -> None:
    for key in ("a", "b", "c"):
        record(uow_factory, key)
    record(uow_factory, "other", "telegram:777")
    with uow_factory() as uow:
        first = inbox.next_pending(uow, BOB)
        assert first is not None and first.provider_key == "a"
        assert inbox.mark_processed(uow, first.id or 0, NOW)
        second = inbox.next_pending(uow, BOB)
        assert second is not None and second.provider_key == "b"


def test_a_message_is_marked_processed_once(uow_factory: Uow) -> None:
    record(uow_factory, "a")
    with uow_factory() as uow:
        row = inbox.next_pending(uow, BOB)
        assert row is not None
        assert inbox.mark_processed(uow, row.id or 0, NOW) is True
        assert inbox.mark_processed(uow, row.id or 0, NOW) is False
        uow.commit()
    with uow_factory() as uow:
        assert inbox.next_pending(uow, BOB) is None


def test_failures_are_counted(uow_factory: Uow) -> None:
    record(uow_factory, "a")
    with uow_factory() as uow:
        row = inbox.next_pending(uow, BOB)
        assert row is not None
        assert [inbox.count_failure(uow, row.id or 0) for _ in range(3)] == [1, 2, 3]


def test_messages_left_unprocessed_for_a_while_are_found(uow_factory: Uow) -> None:
    record(uow_factory, "old", BOB, NOW - timedelta(minutes=10))
    record(uow_factory, "fresh", "telegram:777", NOW)
    with uow_factory() as uow:
        assert inbox.stranded_identities(uow, timedelta(minutes=5), NOW) == [BOB]
