"""The channel-neutral message model. No SDK type crosses this line."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Media:
    """A photo, voice note, document, sticker... received or to send."""

    kind: str  # photo | voice | audio | video | document | sticker | other
    ref: str  # Telegram file_id or a URL
    mime: str | None = None


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Inbound:
    """One message from a person, whatever the channel."""

    identity: str
    provider_id: str
    received_at: datetime
    text: str | None = None
    choice: str | None = None  # a button's key (Telegram callback data)
    choice_scope: str | None = None  # the state whose button was pressed
    command: str | None = None  # "start" for /start
    payload: str | None = None  # the deep-link payload of /start
    media: tuple[Media, ...] = ()
    location: Location | None = None
    language_hint: str | None = None
    callback_id: str | None = None  # to acknowledge a Telegram button press
    name: str | None = None  # the sender's profile name (Telegram first name, WhatsApp's)
    handle: str | None = None  # their Telegram username, if they have one

    @property
    def is_empty(self) -> bool:
        """Tells whether there is nothing to read: no text, no button, no command."""
        return not (self.text or "").strip() and self.choice is None and self.command is None

    def to_json(self) -> str:
        data = asdict(self)
        data["received_at"] = self.received_at.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Inbound:
        data: dict[str, Any] = json.loads(text)
        data["received_at"] = datetime.fromisoformat(data["received_at"])
        data["media"] = tuple(Media(**m) for m in data.get("media") or ())
        loc = data.get("location")
        data["location"] = Location(**loc) if loc else None
        return cls(**data)


@dataclass(frozen=True)
class Choice:
    """One option of a menu: a stable key, a translated label, words that also pick it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """One message to a person: text, optional choices and media, already translated."""

    text: str
    choices: tuple[Choice, ...] = ()
    media: tuple[Media, ...] = ()
    hint: str | None = None  # how to answer a numbered menu, in the person's language
    scope: str | None = None  # the state that asked; scopes button presses
    ack: str | None = None  # Telegram callback query to acknowledge first
    extra: dict[str, Any] = field(default_factory=dict)  # channel specifics (templates)

    def to_json(self) -> str:
        data = asdict(self)
        for choice in data["choices"]:
            choice.pop("aliases", None)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Reply:
        data: dict[str, Any] = json.loads(text)
        data["choices"] = tuple(Choice(**c) for c in data.get("choices") or ())
        data["media"] = tuple(Media(**m) for m in data.get("media") or ())
        return cls(**data)
