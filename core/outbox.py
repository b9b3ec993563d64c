"""The outbox: messages written with the change that caused them, claimed and sent later."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import aliased
from sqlmodel import col

from core.domain.outbox import OutboxStatus, Priority, SendOutcome, SendResult, next_delay
from core.domain.people import may_receive_bulk
from core.models import ChannelIdentity, DeliveryEvent, OutboxMessage, Person
from core.uow import UnitOfWork

CLAIM_TIMEOUT = timedelta(minutes=2)  # a row left 'sending' by a crashed worker goes back


@dataclass(frozen=True)
class Claimed:
    """A row taken by one dispatcher for sending."""

    id: int
    identity: str
    channel: str
    payload: str
    priority: int
    attempts: int


def enqueue(uow: UnitOfWork, identity: str, payload: str, *, person_id: int | None,
            priority: Priority = Priority.REPLY, now: datetime, ephemeral: bool = False) -> None:
    """Adds a message to send, in the caller's transaction."""
    uow.session.add(OutboxMessage(
        identity=identity, channel=identity.partition(":")[0], person_id=person_id,
        priority=int(priority), payload=payload, next_attempt_at=now, created_at=now,
        ephemeral=ephemeral))


def claim(uow: UnitOfWork, now: datetime, limit: int = 50,
          channels: Sequence[str] | None = None) -> list[Claimed]:
    """Claims due rows, at most one per identity (the oldest), so each person's order holds.

    With `channels`, only rows of those channels are claimed: a process never takes a row
    it has no adapter to send."""
    _release_stale(uow, now)
    earlier = aliased(OutboxMessage)
    blocked = exists().where(
        earlier.identity == OutboxMessage.identity, earlier.id < OutboxMessage.id,
        earlier.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
    stmt = (select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at <= now, ~blocked)
            .order_by(OutboxMessage.priority, OutboxMessage.id).limit(limit)
            .with_for_update(skip_locked=True, of=OutboxMessage))
    if channels is not None:
        stmt = stmt.where(OutboxMessage.channel.in_(channels))
    rows = list(uow.session.scalars(stmt))
    refused = _bulk_refused(uow, [row.identity for row in rows if row.priority >= Priority.BULK])
    taken: dict[int, OutboxMessage] = {}
    for row in rows:
        assert row.id is not None
        if row.priority >= Priority.BULK and row.identity in refused:
            row.status = OutboxStatus.SKIPPED
        else:
            taken[row.id] = row
    won: set[int] = set()
    if taken:  # one statement; RETURNING tells which rows no other claimer took meanwhile
        won = set(uow.session.scalars(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(list(taken)),
                   OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, claimed_at=now,
                    attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)))
    claimed = [Claimed(row_id, row.identity, row.channel, row.payload, row.priority,
                       row.attempts + 1) for row_id, row in taken.items() if row_id in won]
    uow.commit()
    return claimed


def record_result(uow: UnitOfWork, row: Claimed, result: SendResult, now: datetime) -> str:
    """Stores what sending gave; returns the row's new status."""
    return record_results(uow, [(row, result)], now)[0]


def record_results(uow: UnitOfWork, results: Sequence[tuple[Claimed, SendResult]],
                   now: datetime) -> list[str]:
    """Stores what sending gave for several rows in one transaction; returns each row's new
    status, in order."""
    ids = [row.id for row, _ in results]
    messages = {m.id: m for m in uow.session.scalars(
        select(OutboxMessage).where(col(OutboxMessage.id).in_(ids)))}
    statuses = []
    for row, result in results:
        message = messages.get(row.id)
        if message is None:
            statuses.append(OutboxStatus.FAILED)
            continue
        message.last_error = (result.error or "")[:200] or None
        if result.outcome is SendOutcome.SENT:
            message.status, message.sent_at = OutboxStatus.SENT, now
            message.provider_id = result.provider_id
        elif result.outcome is SendOutcome.RETRY and (delay := next_delay(
                row.attempts, result.retry_after)):
            message.status, message.next_attempt_at = OutboxStatus.PENDING, now + delay
        else:
            message.status = OutboxStatus.FAILED
            if result.outcome is SendOutcome.BLOCKED:
                _mark_unreachable(uow, row.identity)
        statuses.append(message.status)
        if message.ephemeral and message.status != OutboxStatus.PENDING:
            uow.session.delete(message)
    uow.commit()
    return statuses


def record_delivery(uow: UnitOfWork, provider_id: str, status: str,
                    error_code: str | None) -> bool:
    """Stores a provider's delivery status once; returns False for a repeat."""
    seen = uow.session.scalars(select(DeliveryEvent).where(
        DeliveryEvent.provider_id == provider_id, DeliveryEvent.status == status)).first()
    if seen:
        return False
    uow.session.add(DeliveryEvent(provider_id=provider_id, status=status, error_code=error_code))
    uow.session.execute(update(OutboxMessage).where(OutboxMessage.provider_id == provider_id)
                        .values(delivery_status=status))
    if error_code == "21610":  # the person sent STOP to the WhatsApp sender
        identity = uow.session.scalars(select(OutboxMessage.identity)
                                       .where(OutboxMessage.provider_id == provider_id)).first()
        if identity:
            _mark_unreachable(uow, identity)
    uow.commit()
    return True


FINAL = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SKIPPED)


def queue_depth(uow: UnitOfWork) -> int:
    """Counts the rows waiting to be sent."""
    stmt = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
    return int(uow.session.scalar(stmt) or 0)


def _bulk_refused(uow: UnitOfWork, identities: Sequence[str]) -> set[str]:
    """The identities a bulk message may not go to (STOP, unreachable, or unknown)."""
    if not identities:
        return set()
    stmt = (select(ChannelIdentity.id, Person.opted_out, ChannelIdentity.unreachable)
            .join(Person, Person.id == ChannelIdentity.person_id)
            .where(col(ChannelIdentity.id).in_(set(identities))))
    allowed = {identity for identity, opted_out, unreachable in uow.session.execute(stmt)
               if may_receive_bulk(opted_out, unreachable)}
    return set(identities) - allowed


def _mark_unreachable(uow: UnitOfWork, identity: str) -> None:
    uow.session.execute(update(ChannelIdentity).where(ChannelIdentity.id == identity)
                        .values(unreachable=True))


def _release_stale(uow: UnitOfWork, now: datetime) -> None:
    uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING,
               OutboxMessage.claimed_at < now - CLAIM_TIMEOUT)
        .values(status=OutboxStatus.PENDING))
