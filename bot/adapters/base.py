"""The interface every channel adapter implements."""

from __future__ import annotations

from typing import Protocol

from bot.messages import Reply
from core.domain.outbox import SendResult

WHATSAPP_BODY_LIMIT = 1600
TELEGRAM_TEXT_LIMIT = 4096


class Adapter(Protocol):
    channel: str

    async def send(self, identity: str, reply: Reply) -> SendResult:
        """Sends one reply; reports the outcome instead of raising."""
        ...

    async def close(self) -> None: ...


def numbered(reply: Reply) -> str:
    """Renders a reply the way WhatsApp and the console show it: choices as numbered text."""
    if not reply.choices:
        return reply.text
    lines = [reply.text, ""] + [f"{i}. {c.label}" for i, c in enumerate(reply.choices, 1)]
    if reply.hint:
        lines += ["", reply.hint]
    return "\n".join(lines)


def chunks(text: str, limit: int) -> list[str]:
    """Splits a long text at line or word boundaries into pieces of at most `limit`."""
    pieces: list[str] = []
    text = text.strip()
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        piece = text[:cut].rstrip()
        if piece:
            pieces.append(piece)
        text = text[cut:].lstrip()
    return pieces + [text] if text or not pieces else pieces
