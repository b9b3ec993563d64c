"""The console: shows exactly what a WhatsApp user would see (numbered text menus)."""

from __future__ import annotations

from collections.abc import Callable

from bot.adapters.base import numbered
from bot.messages import Reply
from core.domain.outbox import SendOutcome, SendResult


class ConsoleAdapter:
    channel = "console"

    def __init__(self, write: Callable[[str], None] = print, me: str | None = None) -> None:
        self.write, self.me = write, me
        self.sent = 0

    async def send(self, identity: str, reply: Reply) -> SendResult:
        """Shows a reply; one meant for someone else than `me` says whom it is for."""
        self.sent += 1
        text = numbered(reply)
        if self.me is not None and identity != self.me:
            text = f"[to {identity}]\n{text}"
        self.write(text)
        return SendResult(SendOutcome.SENT, f"console-{self.sent}")

    async def close(self) -> None:
        return None
