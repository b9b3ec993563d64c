"""Builders shared by the unit tests: messages, people and contexts made by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.messages import Inbound, Location, Media
from core.domain.people import PersonSnapshot, Role

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
LANGUAGES = ("ar", "zgh", "fr", "en")


def inbound(text: str | None = None, *, identity: str = "telegram:42", **fields: Any) -> Inbound:
    """Builds an inbound message; only what a test names is set."""
    return Inbound(identity, "test:1", NOW, text=text, **fields)


def button(key: str, scope: str | None = None) -> Inbound:
    """Builds a Telegram button press."""
    return inbound(choice=key, choice_scope=scope, callback_id="cb-1")


def voice_note() -> Inbound:
    return inbound(media=(Media("voice", "file-1", "audio/ogg"),))


def sticker() -> Inbound:
    return inbound(media=(Media("sticker", "file-2", "image/webp"),))


def location() -> Inbound:
    return inbound(location=Location(31.63, -8.0))


def person(language: str = "en", *, consented: bool = False, role: Role | None = None,
           opted_out: bool = False, extra_roles: frozenset[Role] = frozenset()) -> PersonSnapshot:
    """Builds what a step knows about a person at some point of their onboarding."""
    roles = frozenset({role} if role else set()) | extra_roles
    return PersonSnapshot(id=7, language=language, roles=roles,
                          consent_at=NOW if consented else None, opted_out=opted_out,
                          created_at=NOW)


def newcomer(language: str = "en") -> PersonSnapshot:
    return person(language)


def member(language: str = "en", **kwargs: Any) -> PersonSnapshot:
    """Builds a person who finished onboarding as a supporter."""
    return person(language, consented=True, role=Role.SUPPORTER, **kwargs)


def context(who: PersonSnapshot | None = None, *, animators: int = 0,
            history: list[str] | None = None, state: str = "") -> Any:
    """Builds the Context the runner would build, by hand."""
    from bot.flows.engine import Context

    data: dict[str, Any] = {}
    if history is not None:
        data["history"] = history
    facts = {"identities": ["telegram:42"], "animators": animators}
    return Context(who or newcomer(), "telegram:42", NOW, data, facts, state)
