"""Rules of the outbox: priorities, retries, permanent failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum, StrEnum


class Priority(IntEnum):
    REPLY = 0
    BULK = 1


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class SendOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    PERMANENT = "permanent"
    BLOCKED = "blocked"  # the person blocked the bot or opted out at the provider


@dataclass(frozen=True)
class SendResult:
    """What an adapter reports after trying to send one message."""

    outcome: SendOutcome
    provider_id: str | None = None
    retry_after: float | None = None
    error: str | None = None


MAX_ATTEMPTS = 8
BASE_BACKOFF = 2.0
MAX_BACKOFF = 15 * 60.0


def next_delay(attempts: int, retry_after: float | None) -> timedelta | None:
    """Returns how long to wait before the next try, or None when it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    backoff = min(MAX_BACKOFF, BASE_BACKOFF * 2 ** (attempts - 1))
    return timedelta(seconds=max(backoff, retry_after or 0.0))
