"""The whole message path on PostgreSQL and Redis: accept → runner → outbox → dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container, build
from bot.i18n import Translator
from bot.messages import Inbound
from core.models import Conversation, InboundMessage, Person, utcnow
from tests.conftest import make_settings
from tests.integration.fakes import RecordingAdapter

AMINA = "whatsapp:+212600000009"
WELCOME = ("Welcome to ComDev, the assistant that connects the projects of our villages "
           "with the people who can help them. Which language do you prefer?")


@pytest.fixture
def whatsapp() -> RecordingAdapter:
    return RecordingAdapter("whatsapp")


@pytest.fixture
async def container(pg_url: str, redis_url: str,
                    whatsapp: RecordingAdapter) -> AsyncIterator[Container]:
    """A scaled-mode container (Postgres + Redis) that is built but not started."""
    settings = make_settings(DATABASE_URL=pg_url, REDIS_URL=redis_url, DEFAULT_LANGUAGE="fr")
    built = build(settings, adapters={"whatsapp": whatsapp})
    try:
        yield built
    finally:
        await built.close()
    assert whatsapp.closed


def message(provider_id: str, text: str) -> Inbound:
    return Inbound(identity=AMINA, provider_id=provider_id, received_at=utcnow(), text=text)


async def settle(container: Container) -> None:
    """Waits for the background steps, then sends everything they queued."""
    while container.tasks:
        await asyncio.wait_for(asyncio.gather(*container.tasks), timeout=30)
    for _ in range(100):
        if not await container.dispatcher.run_once():
            return
    raise AssertionError("the outbox never emptied")


def scopes(adapter: RecordingAdapter) -> list[str | None]:
    return [reply.scope for _, reply in adapter.sent]


def count_inbound(container: Container, provider_id: str) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(InboundMessage).where(
            InboundMessage.provider_key == provider_id)) or 0)


async def test_a_first_bonjour_gets_the_language_menu_in_french(
        container: Container, whatsapp: RecordingAdapter) -> None:
    assert await container.accept("whatsapp", message("twilio:SM0001", "Bonjour"))
    await settle(container)

    [(to, reply)] = whatsapp.sent
    french = Translator("fr")
    assert to == AMINA
    assert reply.scope == "onboarding.language"
    assert reply.text == french.gettext(WELCOME)
    assert reply.hint == french.gettext("Reply with the number of your choice.")
    assert [c.label for c in reply.choices] == ["Français", "العربية", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "English"]
    with container.uow() as uow:
        languages = list(uow.session.scalars(select(Person.language)))
    assert languages == ["fr"]


async def test_the_same_message_delivered_again_is_not_processed_twice(
        container: Container, whatsapp: RecordingAdapter) -> None:
    await container.accept("whatsapp", message("twilio:SM0001", "Bonjour"))
    await settle(container)

    await container.accept("whatsapp", message("twilio:SM0001", "Bonjour"))
    await settle(container)

    assert scopes(whatsapp) == ["onboarding.language"]
    assert count_inbound(container, "twilio:SM0001") == 1


async def test_accept_reports_a_delivery_seen_before_as_a_duplicate(
        container: Container) -> None:
    assert await container.accept("whatsapp", message("twilio:SM0001", "Bonjour"))
    await settle(container)

    assert not await container.accept("whatsapp", message("twilio:SM0001", "Bonjour"))
    await settle(container)


async def test_three_messages_accepted_at_once_are_processed_one_after_the_other_in_order(
        container: Container, whatsapp: RecordingAdapter) -> None:
    await container.accept("whatsapp", message("twilio:SM0001", "Bonjour"))
    await settle(container)

    # "1" answers each of the three questions (French, I agree, association); the main menu
    # is reached only if every step saw the state the step before it left.
    accepted = await asyncio.gather(*(
        container.accept("whatsapp", message(f"twilio:SM000{n}", "1")) for n in (2, 3, 4)))
    await settle(container)

    assert accepted == [True, True, True]
    assert scopes(whatsapp) == [
        "onboarding.language", "onboarding.consent", "onboarding.role", "menu.main"]
    assert {to for to, _ in whatsapp.sent} == {AMINA}
    with container.uow() as uow:
        inbound = uow.session.execute(select(InboundMessage.id, InboundMessage.processed_at)
                                      .order_by(InboundMessage.id)).all()
        state = uow.session.scalar(select(Conversation.state))
        person = uow.session.scalars(select(Person)).one()
        consented, roles = person.consent_at is not None, person.roles
    assert all(processed is not None for _, processed in inbound)
    assert [i for i, _ in sorted(inbound, key=lambda row: row[1])] == [i for i, _ in inbound]
    assert state == "menu.main"
    assert consented
    assert "representative" in roles



async def test_a_web_only_process_hands_steps_to_a_worker_through_redis(
        pg_url: str, redis_url: str, whatsapp: RecordingAdapter) -> None:
    from bot.bootstrap import start

    settings = make_settings(DATABASE_URL=pg_url, REDIS_URL=redis_url, DEFAULT_LANGUAGE="fr")
    web = build(settings, adapters={})
    worker = build(settings, adapters={"whatsapp": whatsapp})
    try:
        await start(web, worker=False)
        await start(worker, worker=True)
        assert await web.accept("whatsapp", message("twilio:SM0100", "Bonjour"))
        assert not web.tasks  # the web process ran no step
        for _ in range(500):
            if whatsapp.sent:
                break
            await asyncio.sleep(0.02)
        assert scopes(whatsapp) == ["onboarding.language"]
    finally:
        await web.close()
        await worker.close()
