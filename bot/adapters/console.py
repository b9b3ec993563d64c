"""The console: shows exactly what a WhatsApp user would see (numbered text menus)."""

from __future__ import annotations

from collections.abc import Callable

from bot.adapters.base import numbered
from bot.messages import Reply
from core.domain.outbox import SendOutcome, SendResult


class ConsoleAdapter:
    channel = "console"

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.write = write
        self.sent = 0

    async def send(self, identity: str, reply: Reply) -> SendResult:
        self.sent += 1
        self.write(numbered(reply))
        return SendResult(SendOutcome.SENT, f"console-{self.sent}")

    async def close(self) -> None:
        return None
