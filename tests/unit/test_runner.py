"""The runner over a real SQLite database: one recorded message → one step, committed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.messages import Inbound, Reply
from bot.runner import Runner
from core import inbox, services
from core.locks import LocalLocks
from core.metrics import Metrics
from core.models import ChannelIdentity, InboundMessage, OutboxMessage, Person
from core.uow import UnitOfWork
from tests.unit.support import NOW

Uow = Callable[[], UnitOfWork]
WA = "whatsapp:+212612345678"


class Chat:
    """Records messages from one person and runs them, the way the webhooks and worker do."""

    def __init__(self, uow_factory: Uow, identity: str = WA) -> None:
        self.uow_factory, self.identity, self.count = uow_factory, identity, 0
        self.runner = Runner(uow_factory, LocalLocks(), lambda: NOW, Metrics())

    async def say(self, text: str | None = None, **fields: object) -> list[Reply]:
        self.count += 1
        msg = Inbound(self.identity, f"twilio:SM{self.count}", NOW + timedelta(seconds=self.count),
                      text=text, **fields)  # type: ignore[arg-type]
        with self.uow_factory() as uow:
            inbox.record(uow, msg.provider_id, msg.identity, "whatsapp", msg.to_json(),
                         msg.received_at)
            uow.commit()
        before = self.sent_ids()
        assert await self.runner.process(self.identity) == 1
        with self.uow_factory() as uow:
            rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            return [Reply.from_json(r.payload) for r in rows if r.id not in before]

    def sent_ids(self) -> set[int | None]:
        with self.uow_factory() as uow:
            return set(uow.session.scalars(select(OutboxMessage.id)))

    def state(self) -> str | None:
        with self.uow_factory() as uow:
            person = services.find_person(uow, self.identity)
            return services.load_conversation(uow, person.id).state if person and person.id \
                else None


async def test_a_newcomer_is_asked_for_a_language(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    (reply,) = await chat.say("Salam")
    assert reply.scope == "onboarding.language" and len(reply.choices) == 4
    assert chat.state() == "onboarding.language"


async def test_onboarding_in_english_reaches_the_main_menu(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    replies = await chat.say("English")
    assert replies[-1].scope == "onboarding.consent"
    assert replies[0].text.startswith("Very well, I will speak English with you.")
    await chat.say("1")
    assert chat.state() == "onboarding.role"
    replies = await chat.say("٣")
    assert chat.state() == "menu.main"
    assert replies[-1].text.startswith("Main menu. You take part as: supporter of projects.")


async def test_a_voice_note_is_answered_with_a_hint_and_the_same_question(
        uow_factory: Uow) -> None:
    from bot.messages import Media

    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("en")
    (reply,) = await chat.say(media=(Media("voice", "https://x/1", "audio/ogg"),))
    assert reply.text.startswith("I cannot read voice notes")
    assert reply.scope == "onboarding.consent"


async def test_declining_consent_erases_the_person(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("en")
    (goodbye,) = await chat.say("no")
    assert "kept nothing" in goodbye.text
    with uow_factory() as uow:
        assert uow.session.scalars(select(Person)).first() is None
        assert uow.session.get(ChannelIdentity, WA) is None


async def test_earlier_messages_of_an_erased_person_are_erased(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("en")
    await chat.say("no")
    with uow_factory() as uow:
        left = set(uow.session.scalars(select(InboundMessage.provider_key)))
    assert not left & {"twilio:SM1", "twilio:SM2"}


async def test_nothing_recorded_from_an_erased_person_keeps_their_number(
        uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("en")
    await chat.say("no")
    with uow_factory() as uow:
        left = list(uow.session.scalars(select(InboundMessage.provider_key)
                                        .where(InboundMessage.identity == WA)))
    assert left == []


async def onboard(chat: Chat) -> None:
    for text in ("hello", "en", "yes", "4"):
        await chat.say(text)
    assert chat.state() == "menu.main"


async def test_stop_is_stored_and_answered_without_the_question(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await onboard(chat)
    (reply,) = await chat.say("STOP")
    assert "START" in reply.text and not reply.choices
    with uow_factory() as uow:
        person = services.find_person(uow, WA)
        assert person is not None and person.opted_out
    await chat.say("start")
    with uow_factory() as uow:
        person = services.find_person(uow, WA)
        assert person is not None and not person.opted_out


async def test_asking_for_a_human_alerts_every_animator(uow_factory: Uow) -> None:
    from core.domain.identity import Identity

    with uow_factory() as uow:
        services.seed_animators(uow, [Identity.parse("telegram:1")], "en", NOW)
    chat = Chat(uow_factory)
    await onboard(chat)
    await chat.say("human")
    with uow_factory() as uow:
        alerts = [Reply.from_json(r.payload).text for r in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.identity == "telegram:1"))]
    assert len(alerts) == 1 and alerts[0].endswith("asks to talk to a person.")
    assert WA not in alerts[0]  # the animator sees an id, not the number


async def test_the_first_reply_to_a_button_acknowledges_it(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    replies = await chat.say(choice="en", choice_scope="onboarding.language", callback_id="cb7")
    assert replies[0].ack == "cb7"
    assert all(r.ack is None for r in replies[1:])


async def test_a_stale_button_re_asks_the_current_question(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("en")
    replies = await chat.say(choice="fr", choice_scope="onboarding.language")
    assert chat.state() == "onboarding.consent"
    assert replies[-1].scope == "onboarding.consent"
    assert replies[0].text.startswith("That button belongs to an earlier question.")


async def test_erasing_from_the_menu_leaves_a_goodbye_addressed_to_nobody(
        uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await onboard(chat)
    await chat.say("6")  # a visitor's menu: browse, data, role, language, human, erase
    (goodbye,) = await chat.say("1")
    assert "erased" in goodbye.text
    with uow_factory() as uow:
        assert services.find_person(uow, WA) is None
        last = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert last is not None and last.person_id is None and last.identity == WA


async def test_back_walks_to_earlier_questions_and_says_when_there_is_none(
        uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    for text in ("hello", "en", "yes"):
        await chat.say(text)
    assert chat.state() == "onboarding.role"
    await chat.say("back")
    assert chat.state() == "onboarding.consent"
    await chat.say("back")
    assert chat.state() == "onboarding.language"
    replies = await chat.say("back")
    assert chat.state() == "onboarding.language"
    assert replies[0].text.startswith("There is no earlier step to go back to.")
    assert replies[-1].scope == "onboarding.language"


def send_everything(uow_factory: Uow) -> None:
    """Plays the dispatcher: claims and sends every due row until none is left."""
    from core import outbox
    from core.domain.outbox import SendOutcome, SendResult

    for _ in range(10):
        with uow_factory() as uow:
            claimed = outbox.claim(uow, NOW + timedelta(minutes=1))
        if not claimed:
            return
        for row in claimed:
            with uow_factory() as uow:
                outbox.record_result(uow, row, SendResult(SendOutcome.SENT, "SM"), NOW)


def rows_addressed_to(uow_factory: Uow, identity: str) -> list[int | None]:
    with uow_factory() as uow:
        return list(uow.session.scalars(select(OutboxMessage.id)
                                        .where(OutboxMessage.identity == identity)))


async def test_the_goodbye_after_an_erasure_is_deleted_once_sent(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    for text in ("hello", "en"):
        await chat.say(text)
        send_everything(uow_factory)
    await chat.say("no")
    assert len(rows_addressed_to(uow_factory, WA)) == 1  # the goodbye, still to send
    send_everything(uow_factory)
    assert rows_addressed_to(uow_factory, WA) == []


async def test_replies_still_pending_at_the_erasure_are_deleted_once_sent(
        uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("en")
    await chat.say("no")
    send_everything(uow_factory)
    assert rows_addressed_to(uow_factory, WA) == []


async def test_a_redelivered_erasing_message_is_not_processed_again(uow_factory: Uow) -> None:
    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("en")
    await chat.say("no")
    with uow_factory() as uow:
        assert not inbox.record(uow, "twilio:SM3", WA, "whatsapp", "{}", NOW)


async def test_a_command_core_refuses_is_told_once_and_not_retried(uow_factory: Uow) -> None:
    from core import commands as c
    from core.models import Organisation, OrganisationMember, Territory

    chat = Chat(uow_factory)
    await chat.say("hello")
    await chat.say("English")
    await chat.say("1")
    await chat.say("1")  # a representative
    with uow_factory() as uow:
        uow.session.add(Territory(code="09.581.01.05", kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت"))
        other = services.register_contact(uow, "telegram:5", "fr", NOW)
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="association",
                                    commune_code="09.581.01.05")
        uow.session.add(organisation)
        uow.session.flush()
        uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                           person_id=other.id or 0))
        uow.session.flush()
        services.execute(c.CreateProject("P-THEIRS", organisation.id or 0, "09.581.01.05",
                                         "Water", "", "water", "local", None, "no", None),
                         uow, other, NOW)
        person = services.find_person(uow, WA)
        assert person is not None and person.id is not None
        # The person is adding a need to a project that is not (or no longer) theirs.
        services.save_conversation(uow, person.id, "need.partner",
                                   {"project_ref": "P-THEIRS"}, NOW)
        uow.commit()
    replies = await chat.say("A cooperative that buys argan oil")
    assert [r.text for r in replies] == [
        "That can no longer be done: it changed meanwhile (someone else may have decided or "
        "changed it). Write MENU to see where things stand."]
    assert chat.state() == "need.partner"
    with uow_factory() as uow:
        row = uow.session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
        assert row is not None and row.processed_at is not None and row.attempts == 0
