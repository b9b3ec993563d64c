"""Use cases on people and conversations, against a real SQLite database."""

from __future__ import annotations

import typing
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core import commands as c
from core import inbox, outbox, services
from core.domain.identity import Identity
from core.domain.people import Role
from core.models import (
    ChannelIdentity,
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboxMessage,
    Person,
)
from core.uow import UnitOfWork
from tests.unit.support import NOW

Uow = Callable[[], UnitOfWork]
ALICE = "whatsapp:+212600000001"


def count(uow: UnitOfWork, table: type) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def create(uow_factory: Uow, identity: str = ALICE, language: str = "ar") -> int:
    with uow_factory() as uow:
        person = services.register_contact(uow, identity, language, NOW)
        uow.commit()
        assert person.id is not None
        return person.id


def run(uow_factory: Uow, cmd: c.Command, identity: str = ALICE,
        at: object = NOW) -> None:
    with uow_factory() as uow:
        person = services.find_person(uow, identity)
        assert person is not None
        services.execute(cmd, uow, person, at)  # type: ignore[arg-type]
        uow.commit()


def load(uow_factory: Uow, identity: str = ALICE) -> Person | None:
    with uow_factory() as uow:
        found = services.find_person(uow, identity)
        if found is not None:
            uow.session.expunge(found)  # readable after the unit of work rolls back
        return found


# --- contacts -------------------------------------------------------------------------------

def test_a_first_contact_creates_a_person_and_an_identity(uow_factory: Uow) -> None:
    person_id = create(uow_factory, language="fr")
    with uow_factory() as uow:
        person = uow.session.get(Person, person_id)
        link = uow.session.get(ChannelIdentity, ALICE)
        assert person is not None and link is not None
        assert person.language == "fr" and person.created_at == NOW
        assert (link.person_id, link.channel, link.last_inbound_at) == (person_id, "whatsapp", NOW)


def test_a_second_contact_finds_the_same_person_and_notes_the_time(uow_factory: Uow) -> None:
    first = create(uow_factory, language="fr")
    later = NOW + timedelta(hours=3)
    with uow_factory() as uow:
        person = services.register_contact(uow, ALICE, "en", later)
        uow.commit()
        assert person.id == first
        assert person.language == "fr"  # a guess never overwrites what is stored
    with uow_factory() as uow:
        assert count(uow, Person) == 1 and count(uow, ChannelIdentity) == 1
        link = uow.session.get(ChannelIdentity, ALICE)
        assert link is not None and link.last_inbound_at == later


def test_writing_again_makes_an_unreachable_identity_reachable(uow_factory: Uow) -> None:
    create(uow_factory)
    with uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, ALICE)
        assert link is not None
        link.unreachable = True
        uow.commit()
    create(uow_factory)
    with uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, ALICE)
        assert link is not None and not link.unreachable


def test_two_identities_are_two_people(uow_factory: Uow) -> None:
    assert create(uow_factory, ALICE) != create(uow_factory, "telegram:42")


def test_an_unknown_identity_finds_nobody(uow_factory: Uow) -> None:
    assert load(uow_factory, "telegram:404") is None


def test_a_snapshot_carries_what_a_step_may_know(uow_factory: Uow) -> None:
    create(uow_factory)
    run(uow_factory, c.GiveConsent())
    run(uow_factory, c.ChooseRole(Role.EXPERT))
    person = load(uow_factory)
    assert person is not None
    snap = services.snapshot(person)
    assert snap.has_consented and snap.chosen_role is Role.EXPERT and snap.language == "ar"
    assert snap.consent_at == NOW


# --- conversations --------------------------------------------------------------------------

def test_a_conversation_is_saved_and_loaded_with_its_data(uow_factory: Uow) -> None:
    person_id = create(uow_factory)
    with uow_factory() as uow:
        assert services.load_conversation(uow, person_id).state is None
        services.save_conversation(uow, person_id, "onboarding.role",
                                   {"history": ["onboarding.language"], "note": "ⵜⴰⵎⴰⵣⵉⵖⵜ"},
                                   NOW)
        uow.commit()
    with uow_factory() as uow:
        saved = services.load_conversation(uow, person_id)
        services.save_conversation(uow, person_id, "menu.main", {}, NOW)
        uow.commit()
    assert saved.state == "onboarding.role"
    assert saved.data == {"history": ["onboarding.language"], "note": "ⵜⴰⵎⴰⵣⵉⵖⵜ"}
    assert saved.updated_at == NOW
    with uow_factory() as uow:
        assert services.load_conversation(uow, person_id).state == "menu.main"


def test_a_conversation_is_idle_after_the_set_number_of_days() -> None:
    state = services.ConversationState("menu.main", {}, NOW)
    assert not services.idle_too_long(state, NOW + timedelta(days=7), 7)
    assert services.idle_too_long(state, NOW + timedelta(days=7, seconds=1), 7)
    assert not services.idle_too_long(services.ConversationState(None, {}, None), NOW, 7)


# --- commands -------------------------------------------------------------------------------

def test_set_language_changes_the_language(uow_factory: Uow) -> None:
    create(uow_factory)
    run(uow_factory, c.SetLanguage("zgh"))
    person = load(uow_factory)
    assert person is not None and person.language == "zgh"


def test_give_consent_keeps_the_first_time_of_consent(uow_factory: Uow) -> None:
    create(uow_factory)
    run(uow_factory, c.GiveConsent())
    run(uow_factory, c.GiveConsent(), at=NOW + timedelta(days=2))
    person = load(uow_factory)
    assert person is not None and person.consent_at == NOW


def test_choose_role_replaces_the_chosen_role(uow_factory: Uow) -> None:
    create(uow_factory)
    run(uow_factory, c.ChooseRole(Role.EXPERT))
    run(uow_factory, c.ChooseRole(Role.VISITOR))
    person = load(uow_factory)
    assert person is not None and person.roles == "visitor"


def test_choose_role_keeps_the_animator_role(uow_factory: Uow) -> None:
    with uow_factory() as uow:
        services.seed_animators(uow, [Identity.parse(ALICE)], "fr", NOW)
    run(uow_factory, c.ChooseRole(Role.SUPPORTER))
    person = load(uow_factory)
    assert person is not None and person.roles == "supporter,animator"


def test_keep_referral_keeps_the_first_code(uow_factory: Uow) -> None:
    create(uow_factory)
    run(uow_factory, c.KeepReferral("commune_tiznit"))
    run(uow_factory, c.KeepReferral("another-code"))
    person = load(uow_factory)
    assert person is not None and person.referral == "commune_tiznit"


def test_opt_out_then_opt_in(uow_factory: Uow) -> None:
    create(uow_factory)
    run(uow_factory, c.OptOut())
    person = load(uow_factory)
    assert person is not None and person.opted_out
    run(uow_factory, c.OptIn())
    person = load(uow_factory)
    assert person is not None and not person.opted_out


def test_request_human_records_where_the_person_was(uow_factory: Uow) -> None:
    person_id = create(uow_factory)
    run(uow_factory, c.RequestHuman("menu.main"))
    with uow_factory() as uow:
        request = uow.session.scalars(select(HandoffRequest)).one()
        assert (request.person_id, request.state, request.created_at) == (person_id, "menu.main",
                                                                         NOW)
        assert request.closed_at is None


def test_erase_person_removes_everything_about_them(uow_factory: Uow) -> None:
    person_id = create(uow_factory)
    other_id = create(uow_factory, "telegram:99")
    with uow_factory() as uow:
        uow.session.add(ChannelIdentity(id="telegram:42", person_id=person_id, channel="telegram",
                                        created_at=NOW))
        services.save_conversation(uow, person_id, "menu.main", {"a": 1}, NOW)
        services.save_conversation(uow, other_id, "menu.main", {}, NOW)
        for key, identity in (("k1", ALICE), ("k2", "telegram:42"), ("k3", "telegram:99")):
            inbox.record(uow, key, identity, identity.partition(":")[0], "{}", NOW)
        inbox.record(uow, "k4", ALICE, "whatsapp", "{}", NOW)  # not processed yet
        uow.session.flush()
        for row in uow.session.scalars(select(InboundMessage)):
            if row.provider_key != "k4":
                inbox.mark_processed(uow, row.id or 0, NOW)
        outbox.enqueue(uow, ALICE, "{}", person_id=person_id, now=NOW)
        uow.commit()
    run(uow_factory, c.RequestHuman("menu.main"))
    run(uow_factory, c.ErasePerson())
    with uow_factory() as uow:
        assert uow.session.get(Person, person_id) is None
        assert services.identities_of(uow, person_id) == []
        assert uow.session.get(Conversation, person_id) is None
        assert count(uow, HandoffRequest) == 0
        keys = set(uow.session.scalars(select(InboundMessage.provider_key)))
        assert keys == {"k3", "k4"}  # someone else's, and one still to process
        row = uow.session.scalars(select(OutboxMessage)).one()
        assert row.person_id is None
        assert uow.session.get(Person, other_id) is not None
        assert uow.session.get(Conversation, other_id) is not None


def test_every_command_has_a_handler() -> None:
    assert set(services.HANDLERS) == set(typing.get_args(c.Command))


# --- animators ------------------------------------------------------------------------------

def test_seeding_animators_creates_them_once(uow_factory: Uow) -> None:
    animators = [Identity.parse("telegram:12345"), Identity.parse("whatsapp:+212600000000")]
    with uow_factory() as uow:
        assert services.seed_animators(uow, animators, "fr", NOW) == 2
    with uow_factory() as uow:
        assert services.seed_animators(uow, animators, "fr", NOW) == 0
    with uow_factory() as uow:
        assert count(uow, Person) == 2
        assert sorted(i for i, _ in services.animator_identities(uow)) == [
            "telegram:12345", "whatsapp:+212600000000"]
        link = uow.session.get(ChannelIdentity, "telegram:12345")
        assert link is not None and link.last_inbound_at is None


def test_seeding_makes_an_existing_person_an_animator_keeping_their_role(uow_factory: Uow) -> None:
    create(uow_factory)
    run(uow_factory, c.ChooseRole(Role.EXPERT))
    with uow_factory() as uow:
        assert services.seed_animators(uow, [Identity.parse(ALICE)], "fr", NOW) == 1
    person = load(uow_factory)
    assert person is not None and person.roles == "expert,animator"
    assert person.language == "ar"


def test_people_without_the_role_are_not_animators(uow_factory: Uow) -> None:
    create(uow_factory)
    with uow_factory() as uow:
        assert services.animator_identities(uow) == []


@pytest.mark.parametrize("role", ["admin", "animator"])
def test_admins_and_animators_may_answer_people(uow_factory: Uow, role: str) -> None:
    person_id = create(uow_factory)
    with uow_factory() as uow:
        person = uow.session.get(Person, person_id)
        assert person is not None
        person.roles = role
        uow.commit()
    with uow_factory() as uow:
        assert services.animator_identities(uow) == [(ALICE, person_id)]


def test_messages_already_sent_to_an_erased_person_are_erased(uow_factory: Uow) -> None:
    person_id = create(uow_factory)
    with uow_factory() as uow:
        outbox.enqueue(uow, ALICE, '{"text": "Channels: whatsapp:+212600000001"}',
                       person_id=person_id, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        (row,) = outbox.claim(uow, NOW)
    with uow_factory() as uow:
        from core.domain.outbox import SendOutcome, SendResult

        outbox.record_result(uow, row, SendResult(SendOutcome.SENT, "SM1"), NOW)
    run(uow_factory, c.ErasePerson())
    with uow_factory() as uow:
        assert ALICE not in set(uow.session.scalars(select(OutboxMessage.identity)))
