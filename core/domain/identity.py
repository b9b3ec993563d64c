"""Channel identities: `telegram:<chat id>` and `whatsapp:+<E.164 number>`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"


_TELEGRAM_ID = re.compile(r"-?[0-9]{1,20}")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


@dataclass(frozen=True, order=True)
class Identity:
    """One address of a person on one channel."""

    channel: Channel
    address: str

    @classmethod
    def parse(cls, text: str) -> Identity:
        """Parses `telegram:123` or `whatsapp:+212600000000`; raises ValueError otherwise."""
        channel, _, address = text.strip().partition(":")
        if channel == Channel.TELEGRAM and _TELEGRAM_ID.fullmatch(address):
            return cls(Channel.TELEGRAM, address)
        if channel == Channel.WHATSAPP and _E164.fullmatch(address):
            return cls(Channel.WHATSAPP, address)
        raise ValueError(f"not an identity: {channel or '?'}:…")

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}"
