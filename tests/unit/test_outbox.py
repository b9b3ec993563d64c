"""The outbox: one row per person at a time, replies first, no bulk to who said STOP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import outbox, services
from core.domain.outbox import (
    MAX_ATTEMPTS,
    OutboxStatus,
    Priority,
    SendOutcome,
    SendResult,
    next_delay,
)
from core.models import ChannelIdentity, OutboxMessage
from core.uow import UnitOfWork
from tests.unit.support import NOW

Uow = Callable[[], UnitOfWork]
A, B, C = "whatsapp:+212600000001", "telegram:22", "telegram:33"


def person(uow_factory: Uow, identity: str, *, opted_out: bool = False) -> int:
    with uow_factory() as uow:
        found = services.register_contact(uow, identity, "fr", NOW)
        found.opted_out = opted_out
        uow.commit()
        assert found.id is not None
        return found.id


def enqueue(uow_factory: Uow, identity: str, payload: str,
            priority: Priority = Priority.REPLY, at: object = NOW) -> None:
    with uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, identity)
        outbox.enqueue(uow, identity, payload, person_id=link.person_id if link else None,
                       priority=priority, now=at)  # type: ignore[arg-type]
        uow.commit()


def claim(uow_factory: Uow, at: object = NOW, limit: int = 50) -> list[outbox.Claimed]:
    with uow_factory() as uow:
        return outbox.claim(uow, at, limit)  # type: ignore[arg-type]


def result(uow_factory: Uow, row: outbox.Claimed, outcome: SendResult,
           at: object = NOW) -> str:
    with uow_factory() as uow:
        return outbox.record_result(uow, row, outcome, at)  # type: ignore[arg-type]


def row_of(uow_factory: Uow, row_id: int) -> OutboxMessage:
    with uow_factory() as uow:
        found = uow.session.get(OutboxMessage, row_id)
        assert found is not None
        uow.session.expunge(found)  # readable after the unit of work rolls back
        return found


@pytest.fixture
def people(uow_factory: Uow) -> None:
    for identity in (A, B, C):
        person(uow_factory, identity)


@pytest.mark.usefixtures("people")
def test_only_the_oldest_row_of_each_identity_is_claimed(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    enqueue(uow_factory, A, "a2")
    enqueue(uow_factory, B, "b1")
    assert [r.payload for r in claim(uow_factory)] == ["a1", "b1"]
    assert claim(uow_factory) == []  # a2 waits while a1 is being sent


@pytest.mark.usefixtures("people")
def test_the_next_row_of_an_identity_is_claimed_once_the_first_is_sent(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    enqueue(uow_factory, A, "a2")
    (first,) = claim(uow_factory)
    assert result(uow_factory, first, SendResult(SendOutcome.SENT, "SM1")) == OutboxStatus.SENT
    assert [r.payload for r in claim(uow_factory)] == ["a2"]


@pytest.mark.usefixtures("people")
def test_a_claimed_row_is_marked_sending(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    assert (row.identity, row.channel, row.payload, row.priority) == (A, "whatsapp", "a1", 0)
    stored = row_of(uow_factory, row.id)
    assert (stored.status, stored.claimed_at, stored.attempts) == (OutboxStatus.SENDING, NOW, 1)


@pytest.mark.usefixtures("people")
def test_a_first_claim_counts_one_attempt(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    assert row.attempts == 1 == row_of(uow_factory, row.id).attempts


@pytest.mark.usefixtures("people")
def test_replies_are_claimed_before_bulk(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "news", Priority.BULK)
    enqueue(uow_factory, B, "reply")
    assert [r.payload for r in claim(uow_factory, limit=1)] == ["reply"]
    assert [r.payload for r in claim(uow_factory, limit=1)] == ["news"]


def test_bulk_to_an_opted_out_person_is_skipped(uow_factory: Uow) -> None:
    person(uow_factory, A, opted_out=True)
    person(uow_factory, B)
    enqueue(uow_factory, A, "news", Priority.BULK)
    enqueue(uow_factory, B, "news", Priority.BULK)
    assert [r.identity for r in claim(uow_factory)] == [B]
    with uow_factory() as uow:
        statuses = {m.identity: m.status for m in uow.session.scalars(select(OutboxMessage))}
    assert statuses == {A: OutboxStatus.SKIPPED, B: OutboxStatus.SENDING}


def test_a_reply_to_an_opted_out_person_is_still_sent(uow_factory: Uow) -> None:
    person(uow_factory, A, opted_out=True)
    enqueue(uow_factory, A, "reply")
    assert [r.payload for r in claim(uow_factory)] == ["reply"]


@pytest.mark.usefixtures("people")
def test_bulk_to_an_unreachable_identity_is_skipped(uow_factory: Uow) -> None:
    with uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, A)
        assert link is not None
        link.unreachable = True
        uow.commit()
    enqueue(uow_factory, A, "news", Priority.BULK)
    assert claim(uow_factory) == []


def test_bulk_to_nobody_known_is_skipped(uow_factory: Uow) -> None:
    enqueue(uow_factory, "telegram:404", "news", Priority.BULK)
    assert claim(uow_factory) == []


@pytest.mark.usefixtures("people")
def test_a_row_not_yet_due_is_not_claimed(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "later", at=NOW + timedelta(minutes=1))
    assert claim(uow_factory) == []
    assert [r.payload for r in claim(uow_factory, at=NOW + timedelta(minutes=1))] == ["later"]


@pytest.mark.usefixtures("people")
def test_a_row_left_sending_by_a_crashed_worker_is_claimed_again(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (first,) = claim(uow_factory)
    assert claim(uow_factory, at=NOW + timedelta(minutes=1)) == []
    (again,) = claim(uow_factory, at=NOW + outbox.CLAIM_TIMEOUT + timedelta(seconds=1))
    assert again.id == first.id
    assert row_of(uow_factory, again.id).attempts == 2


@pytest.mark.usefixtures("people")
def test_a_sent_row_keeps_the_provider_id(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    result(uow_factory, row, SendResult(SendOutcome.SENT, "SM42"))
    stored = row_of(uow_factory, row.id)
    assert (stored.status, stored.provider_id, stored.sent_at) == ("sent", "SM42", NOW)
    with uow_factory() as uow:
        assert outbox.queue_depth(uow) == 0


@pytest.mark.usefixtures("people")
def test_a_retry_waits_the_backoff_or_retry_after(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    status = result(uow_factory, row, SendResult(SendOutcome.RETRY, retry_after=30,
                                                 error="429 retry after"))
    assert status == OutboxStatus.PENDING
    stored = row_of(uow_factory, row.id)
    assert stored.next_attempt_at == NOW + timedelta(seconds=30)
    assert stored.last_error == "429 retry after"
    assert claim(uow_factory, at=NOW + timedelta(seconds=29)) == []
    assert len(claim(uow_factory, at=NOW + timedelta(seconds=30))) == 1


@pytest.mark.usefixtures("people")
def test_a_first_retry_without_retry_after_waits_the_first_backoff(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    result(uow_factory, row, SendResult(SendOutcome.RETRY, error="503"))
    delay = next_delay(1, None)
    assert delay is not None
    assert row_of(uow_factory, row.id).next_attempt_at == NOW + delay


@pytest.mark.usefixtures("people")
def test_the_last_retry_gives_up(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    last = outbox.Claimed(row.id, row.identity, row.channel, row.payload, row.priority,
                          MAX_ATTEMPTS)
    assert result(uow_factory, last, SendResult(SendOutcome.RETRY)) == OutboxStatus.FAILED


@pytest.mark.usefixtures("people")
def test_a_permanent_error_fails_for_good(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    status = result(uow_factory, row, SendResult(SendOutcome.PERMANENT, error="400 bad"))
    assert status == OutboxStatus.FAILED
    assert row_of(uow_factory, row.id).last_error == "400 bad"
    with uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, A)
        assert link is not None and not link.unreachable


@pytest.mark.usefixtures("people")
def test_a_blocked_bot_marks_the_identity_unreachable(uow_factory: Uow) -> None:
    enqueue(uow_factory, B, "b1")
    (row,) = claim(uow_factory)
    status = result(uow_factory, row, SendResult(SendOutcome.BLOCKED, error="403 blocked"))
    assert status == OutboxStatus.FAILED
    with uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, B)
        assert link is not None and link.unreachable
    enqueue(uow_factory, B, "news", Priority.BULK)
    assert claim(uow_factory) == []


@pytest.mark.usefixtures("people")
def test_a_result_for_a_vanished_row_is_a_failure(uow_factory: Uow) -> None:
    ghost = outbox.Claimed(999, A, "whatsapp", "{}", 0, 1)
    assert result(uow_factory, ghost, SendResult(SendOutcome.SENT)) == OutboxStatus.FAILED


@pytest.mark.usefixtures("people")
def test_a_delivery_status_is_stored_once(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    result(uow_factory, row, SendResult(SendOutcome.SENT, "SM7"))
    with uow_factory() as uow:
        assert outbox.record_delivery(uow, "SM7", "delivered", None) is True
    with uow_factory() as uow:
        assert outbox.record_delivery(uow, "SM7", "delivered", None) is False
    assert row_of(uow_factory, row.id).delivery_status == "delivered"


@pytest.mark.usefixtures("people")
def test_a_whatsapp_stop_reported_by_twilio_marks_the_identity_unreachable(
        uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    (row,) = claim(uow_factory)
    result(uow_factory, row, SendResult(SendOutcome.SENT, "SM8"))
    with uow_factory() as uow:
        outbox.record_delivery(uow, "SM8", "undelivered", "21610")
    with uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, A)
        assert link is not None and link.unreachable


@pytest.mark.usefixtures("people")
def test_the_queue_depth_counts_pending_and_sending_rows(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    enqueue(uow_factory, A, "a2")
    enqueue(uow_factory, B, "b1")
    claim(uow_factory, limit=1)
    with uow_factory() as uow:
        assert outbox.queue_depth(uow) == 3


@pytest.mark.usefixtures("people")
def test_a_row_is_tried_max_attempts_times_before_it_fails(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "a1")
    at, tries, status = NOW, 0, OutboxStatus.PENDING
    while status == OutboxStatus.PENDING and tries < 20:
        (row,) = claim(uow_factory, at=at)
        tries += 1
        status = result(uow_factory, row, SendResult(SendOutcome.RETRY, error="503"), at=at)
        at += timedelta(days=1)
    assert (status, tries) == (OutboxStatus.FAILED, MAX_ATTEMPTS)


@pytest.mark.usefixtures("people")
def test_a_process_claims_only_rows_of_the_channels_it_can_send(uow_factory: Uow) -> None:
    enqueue(uow_factory, A, "to whatsapp")
    enqueue(uow_factory, B, "to telegram")
    with uow_factory() as uow:
        taken = outbox.claim(uow, NOW, channels=["telegram"])
    assert [r.payload for r in taken] == ["to telegram"]
    with uow_factory() as uow:
        assert outbox.claim(uow, NOW, channels=[]) == []
