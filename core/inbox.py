"""The inbound message log: recorded before the webhook answers, processed once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.models import InboundMessage, utcnow
from core.uow import UnitOfWork


def record(uow: UnitOfWork, provider_key: str, identity: str, channel: str, body: str,
           received_at: datetime | None = None) -> bool:
    """Stores an inbound message once; returns False when it was already recorded."""
    values = dict(provider_key=provider_key, identity=identity, channel=channel, body=body,
                  received_at=received_at or utcnow(), attempts=0)
    dialect = postgresql if uow.is_postgres else sqlite
    stmt = dialect.insert(InboundMessage).values(**values).on_conflict_do_nothing(
        index_elements=["provider_key"]).returning(InboundMessage.id)
    # rowcount is -1 on PostgreSQL with RETURNING: a returned id is what tells a new row.
    return uow.session.execute(stmt).first() is not None


def next_pending(uow: UnitOfWork, identity: str) -> InboundMessage | None:
    """Returns the oldest unprocessed message of an identity."""
    stmt = (select(InboundMessage)
            .where(InboundMessage.identity == identity, InboundMessage.processed_at.is_(None))
            .order_by(InboundMessage.id).limit(1))
    return uow.session.scalars(stmt).first()


def mark_processed(uow: UnitOfWork, message_id: int, now: datetime) -> bool:
    """Marks a message processed; False if another worker got there first."""
    stmt = (update(InboundMessage)
            .where(InboundMessage.id == message_id, InboundMessage.processed_at.is_(None))
            .values(processed_at=now))
    return bool(uow.session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def forget(uow: UnitOfWork, message_id: int) -> None:
    """Blanks a processed message's sender and body, keeping its key against redelivery."""
    uow.session.execute(update(InboundMessage).where(InboundMessage.id == message_id)
                        .values(identity="", body="{}"))


def count_failure(uow: UnitOfWork, message_id: int) -> int:
    """Counts one failed attempt at processing a message; returns the attempts so far."""
    uow.session.execute(update(InboundMessage).where(InboundMessage.id == message_id)
                        .values(attempts=InboundMessage.attempts + 1))
    row = uow.session.get(InboundMessage, message_id)
    return row.attempts if row else 0


def stranded_identities(uow: UnitOfWork, older_than: timedelta, now: datetime,
                        limit: int = 500) -> list[str]:
    """Lists identities with messages left unprocessed (a crash, a lost task)."""
    stmt = (select(InboundMessage.identity)
            .where(InboundMessage.processed_at.is_(None),
                   InboundMessage.received_at <= now - older_than)
            .group_by(InboundMessage.identity).order_by(func.min(InboundMessage.id))
            .limit(limit))
    return list(uow.session.scalars(stmt))
