"""The broadcast benchmark's recipients and broadcast: Telegram people who agreed to our
terms, in a language mix, written in bulk into a fresh migrated database; a NEWS broadcast
to all of them in three languages (Tamazight readers get the French, core's fallback)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from core.db import make_engine, upgrade
from core.models import ChannelIdentity, Person

MIX = {"ar": 35, "fr": 35, "zgh": 20, "en": 10}  # percent of the recipients
TEXTS = {"fr": "Formation à l'irrigation goutte-à-goutte samedi 10h à la commune de Tafraout.",
         "ar": "تكوين في الري بالتنقيط يوم السبت على الساعة العاشرة بجماعة تافراوت.",
         "en": "Drip irrigation training on Saturday at 10:00 at Tafraout commune hall."}
FIRST_CHAT = 700_000_001
CHUNK = 5000


@dataclass(frozen=True)
class Audience:
    """The recipients: each chat id and the language its person reads."""

    languages: dict[int, str]

    @classmethod
    def mixed(cls, size: int, seed: int) -> Audience:
        rng = random.Random(seed)
        codes, weights = list(MIX), list(MIX.values())
        return cls({FIRST_CHAT + i: rng.choices(codes, weights)[0] for i in range(size)})


def seed(url: str, audience: Audience) -> None:
    """Migrates a fresh database and writes the recipients, a few thousand rows a statement."""
    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        with engine.begin() as connection:
            items = list(audience.languages.items())
            for start in range(0, len(items), CHUNK):
                part = items[start:start + CHUNK]
                connection.execute(insert(Person.__table__), [  # type: ignore[attr-defined]
                    {"id": start + i + 1, "language": language, "roles": "",
                     "consent_at": now - timedelta(days=30), "opted_out": False,
                     "created_at": now - timedelta(days=30)}
                    for i, (_chat, language) in enumerate(part)])
                connection.execute(insert(ChannelIdentity.__table__), [  # type: ignore[attr-defined]
                    {"id": f"telegram:{chat}", "person_id": start + i + 1,
                     "channel": "telegram", "unreachable": False,
                     "last_inbound_at": now - timedelta(days=2),
                     "created_at": now - timedelta(days=30)}
                    for i, (chat, _language) in enumerate(part)])
    finally:
        engine.dispose()


def create_broadcast(url: str, now: datetime) -> int:
    """Writes the NEWS broadcast to everyone and schedules it for `now`; returns its id."""
    from core import broadcasts
    from core.domain.audience import Audience as Filters
    from core.domain.audience import Kind
    from core.uow import UnitOfWork

    engine = make_engine(url)
    try:
        with UnitOfWork(engine) as uow:
            made = broadcasts.create(uow, kind=Kind.NEWS, audience=Filters(), texts=TEXTS,
                                     created_by=None, now=now)
            broadcasts.schedule(uow, made.id or 0, None, now)
            uow.commit()
            return made.id or 0
    finally:
        engine.dispose()


def expected_texts() -> dict[str, str]:
    """The text each reader's language must receive, as bot.broadcasts.message writes it
    (a fallback text isolated inside a right-to-left reader's message)."""
    from bot.i18n import Translator
    from core.domain.audience import pick_text

    found = {}
    for reader in MIX:
        picked = pick_text(TEXTS, reader)
        assert picked is not None
        language, text = picked
        found[reader] = text if language == reader else Translator(reader).iso(text)
    return found
