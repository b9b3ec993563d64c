"""Hand-written fakes for integration tests."""

from __future__ import annotations

import asyncio
import itertools

from bot.messages import Reply
from core.domain.outbox import SendOutcome, SendResult


class RecordingAdapter:
    """A channel adapter that sends nothing and records every call, in order."""

    def __init__(self, channel: str = "whatsapp") -> None:
        self.channel = channel
        self.sent: list[tuple[str, Reply]] = []
        self.closed = False
        self._ids = itertools.count(1)

    async def send(self, identity: str, reply: Reply) -> SendResult:
        """Records one reply; yields once so that concurrent sends interleave."""
        await asyncio.sleep(0)
        self.sent.append((identity, reply))
        return SendResult(SendOutcome.SENT, provider_id=f"fake-{next(self._ids)}")

    async def close(self) -> None:
        self.closed = True

    def texts_to(self, identity: str) -> list[str]:
        return [reply.text for who, reply in self.sent if who == identity]
