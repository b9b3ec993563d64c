"""Broadcasts and calls in core: the audience, its preview, sending streamed in batches that
resume after a crash with no duplicate, quiet hours, WhatsApp templates, progress, and the
answers to a call entering the matching flow; on a real SQLite database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from core import broadcasts, calls
from core import commands as c
from core.broadcasts import Recipient
from core.domain.audience import Audience, Exclusion, Kind, Someone, exclusion, pick_text, selects
from core.domain.proposals import ProposalStatus
from core.models import (
    Broadcast,
    BroadcastRecipient,
    ChannelIdentity,
    ExpertProfile,
    OutboxMessage,
    Person,
    Proposal,
)
from tests.unit.test_proposals_core import NOW, SKILL, World

LATER = NOW + timedelta(hours=1)


@pytest.fixture
def world(uow_factory: Any) -> World:
    built = World(uow_factory)
    with built.uow_factory() as uow:  # everyone built by World agreed to our terms
        for person in uow.session.exec(select(Person)):
            person.consent_at = NOW
        uow.commit()
    return built


def expert(world: World, name: str, *, languages: str = "fr", identity: str | None = None,
           consent: bool = True, **kwargs: Any) -> int:
    pid = world.expert(name, identity=identity, **kwargs)
    with world.uow_factory() as uow:
        profile = uow.session.get(ExpertProfile, pid)
        person = uow.session.get(Person, pid)
        assert profile is not None and person is not None
        profile.languages = languages
        person.consent_at = NOW if consent else None
        link = uow.session.exec(select(ChannelIdentity).where(
            ChannelIdentity.person_id == pid)).one()
        link.last_inbound_at = NOW - timedelta(hours=1)
        uow.commit()
    return pid


def call(world: World, audience: Audience, **kwargs: Any) -> int:
    with world.uow_factory() as uow:
        made = broadcasts.create(uow, kind=Kind.CALL, audience=audience, texts={},
                                 created_by=world.animator, now=NOW, need_id=world.need,
                                 **kwargs)
        broadcasts.schedule(uow, made.id or 0, None, NOW)
        uow.commit()
        return made.id or 0


def plain(broadcast: Broadcast, recipient: Recipient) -> str:
    return json.dumps({"to": recipient.person_id, "text": recipient.text,
                       "template": recipient.template, "language": recipient.text_language})


def send_all(world: World, broadcast_id: int, size: int = 2, now: datetime = NOW) -> int:
    batches = 0
    while True:
        batches += 1
        with world.uow_factory() as uow:
            if broadcasts.send_batch(uow, broadcast_id, plain, now, size).finished:
                return batches


def outbox(world: World) -> list[OutboxMessage]:
    with world.uow_factory() as uow:
        rows = list(uow.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))
        for row in rows:
            uow.session.expunge(row)
        return rows


def test_the_filters_select_and_the_exclusions_say_why_in_order() -> None:
    who = Someone(1, "fr", frozenset({"expert"}), True, False, skills=frozenset({SKILL}),
                  spoken=frozenset({"zgh", "fr"}), country="FR", origin="09.581.01.05",
                  has_profile=True, accepts_proposals=True, proposals_per_month=2,
                  channels=frozenset({"telegram"}))
    assert selects(Audience(skills=("water",), languages=("zgh",), countries=("fr",),
                            origins=("09.581",)), Kind.CALL, who)
    assert not selects(Audience(skills=("water.other",)), Kind.NEWS, who)
    assert not selects(Audience(origins=("09.58",)), Kind.NEWS, who)  # not a parent code
    assert not selects(Audience(), Kind.CALL, Someone(2, "fr", frozenset(), True, False))
    assert exclusion(Audience(), Kind.CALL, who, NOW.date()) is None
    assert exclusion(Audience(channel="whatsapp"), Kind.CALL, who,
                     NOW.date()) is Exclusion.UNREACHABLE
    from dataclasses import replace
    assert exclusion(Audience(), Kind.CALL, replace(who, opted_out=True, consented=False),
                     NOW.date()) is Exclusion.OPTED_OUT
    assert exclusion(Audience(), Kind.CALL, replace(who, received_this_month=2),
                     NOW.date()) is Exclusion.CAP
    assert exclusion(Audience(), Kind.NEWS, replace(who, received_this_month=2),
                     NOW.date()) is None  # news have no monthly cap
    assert pick_text({"fr": "Bonjour", "ar": "مرحبا"}, "zgh") == ("fr", "Bonjour")
    assert pick_text({"ar": "مرحبا", "en": "Hi"}, "zgh") == ("ar", "مرحبا")
    assert pick_text({"en": "Hi"}, "zgh") == ("en", "Hi")
    assert pick_text({}, "fr") is None


def test_the_preview_counts_who_is_reached_by_channel_and_language_and_who_not_and_why(
        world: World) -> None:
    reached = [expert(world, "Amina", languages="zgh,fr"),
               expert(world, "Brahim", languages="zgh", identity="whatsapp:+33600000001")]
    expert(world, "Chloé", languages="fr")  # does not speak Tamazight: not selected
    expert(world, "Driss", languages="zgh", opted_out=True)
    expert(world, "Fadma", languages="zgh", paused_until=NOW.date() + timedelta(days=3))
    expert(world, "Hassan", languages="zgh", consent=False)
    expert(world, "Ito", languages="zgh", skill="health.nursing")
    with world.uow_factory() as uow:
        seen = broadcasts.preview(uow, Kind.CALL, Audience(skills=(SKILL,),
                                                           languages=("zgh",)),
                                  NOW, need_id=world.need)
    assert seen.reached == len(reached) == 2
    assert seen.by_channel == {"telegram": 1, "whatsapp": 1}
    assert seen.by_language == {"fr": 2}  # the language they read the bot in
    assert seen.excluded == {"opted_out": 1, "paused": 1, "no_consent": 1}
    assert seen.deferred == 0  # 10:30 in Paris


def test_sending_streams_in_batches_resumes_after_a_crash_and_never_repeats(
        world: World) -> None:
    people = [expert(world, f"E{i}", languages="zgh") for i in range(7)]
    broadcast_id = call(world, Audience(languages=("zgh",)))

    def crash(broadcast: Broadcast, recipient: Recipient) -> str:
        if recipient.person_id == people[3]:
            raise RuntimeError("killed")
        return plain(broadcast, recipient)

    with world.uow_factory() as uow:
        assert broadcasts.send_batch(uow, broadcast_id, plain, NOW, 3).queued == 3
    with world.uow_factory() as uow, pytest.raises(RuntimeError):
        broadcasts.send_batch(uow, broadcast_id, crash, NOW, 3)  # nothing of it stays
    assert len(outbox(world)) == 3
    assert send_all(world, broadcast_id, size=3) == 2  # the next 3, then the last 1
    sent_to = [json.loads(row.payload)["to"] for row in outbox(world)]
    assert sent_to == people  # each once, in id order
    with world.uow_factory() as uow:
        again = broadcasts.send_batch(uow, broadcast_id, plain, NOW, 3)
        done = uow.session.get(Broadcast, broadcast_id)
        assert again.queued == 0 and done is not None and done.status == "done"
        assert len(list(uow.session.exec(select(BroadcastRecipient)))) == 7


def test_quiet_hours_defer_to_the_morning_where_the_person_lives(world: World) -> None:
    paris = expert(world, "Paris", languages="zgh")
    montreal = expert(world, "Montreal", languages="zgh", timezone="America/Montreal")
    broadcast_id = call(world, Audience(languages=("zgh",)))
    with world.uow_factory() as uow:
        seen = broadcasts.preview(uow, Kind.CALL, Audience(languages=("zgh",)), NOW,
                                  need_id=world.need)
    assert (seen.reached, seen.deferred) == (2, 1)
    send_all(world, broadcast_id)
    due = {json.loads(row.payload)["to"]: row.next_attempt_at for row in outbox(world)}
    assert due[paris] == NOW
    assert due[montreal] == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 08:00 in Montréal
    with world.uow_factory() as uow:
        now = broadcasts.progress(uow, broadcast_id, NOW)
    assert now is not None and (now.waiting, now.deferred, now.recipients) == (1, 1, 2)


def test_whatsapp_beyond_24_hours_gets_the_template_or_nothing(world: World) -> None:
    fresh = expert(world, "Fresh", identity="whatsapp:+212600000101", languages="zgh")
    old = expert(world, "Old", identity="whatsapp:+212600000102", languages="zgh")
    with world.uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, "whatsapp:+212600000102")
        assert link is not None
        link.last_inbound_at = NOW - timedelta(days=3)
        uow.commit()
    without = call(world, Audience(languages=("zgh",)))
    send_all(world, without)
    with world.uow_factory() as uow:
        now = broadcasts.progress(uow, without, NOW)
    assert now is not None and now.skipped == {"no_template": 1}
    assert [json.loads(r.payload)["to"] for r in outbox(world)] == [fresh]
    with world.uow_factory() as uow:  # a second call, with the approved template
        made = broadcasts.create(
            uow, kind=Kind.NEWS, audience=Audience(languages=("zgh",)),
            texts={"fr": "Formation samedi"}, created_by=world.animator, now=NOW,
            templates={"fr": {"sid": "HX" + "1" * 32, "variables": {"1": "Formation"}}})
        broadcasts.schedule(uow, made.id or 0, None, NOW)
        uow.commit()
    send_all(world, made.id or 0)
    payloads = {json.loads(r.payload)["to"]: json.loads(r.payload) for r in outbox(world)}
    assert payloads[old]["template"] == {"content_sid": "HX" + "1" * 32,
                                         "variables": {"1": "Formation"}}
    assert payloads[old]["language"] == "fr"  # no zgh text: French


def test_progress_counts_sent_failed_and_the_providers_delivery_statuses(
        world: World) -> None:
    people = [expert(world, f"E{i}", languages="zgh") for i in range(4)]
    broadcast_id = call(world, Audience(languages=("zgh",)))
    send_all(world, broadcast_id)
    rows = outbox(world)
    with world.uow_factory() as uow:
        for row, (status, delivery) in zip(rows, [("sent", "delivered"), ("sent", "read"),
                                                  ("failed", None), ("sent", "undelivered")],
                                           strict=True):
            saved = uow.session.get(OutboxMessage, row.id)
            assert saved is not None
            saved.status, saved.delivery_status = status, delivery
        uow.commit()
        now = broadcasts.progress(uow, broadcast_id, LATER)
    assert now is not None and len(people) == now.recipients == 4
    assert (now.sent, now.failed, now.delivered, now.read, now.waiting) == (2, 2, 2, 1, 0)


def test_an_interested_answer_to_a_call_makes_a_candidate_for_the_organisation(
        world: World) -> None:
    amina = expert(world, "Amina", languages="zgh,fr")
    brahim = expert(world, "Brahim", languages="zgh")
    broadcast_id = call(world, Audience(languages=("zgh",)))
    send_all(world, broadcast_id)
    with world.uow_factory() as uow:
        assert [x.broadcast_id for x in calls.open_calls(uow, amina, NOW)] == [broadcast_id]
        person = uow.session.get(Person, amina)
        assert person is not None
        calls.answer(c.AnswerCall(broadcast_id, "interested"), uow, person, LATER)
        with pytest.raises(c.Refused):
            calls.answer(c.AnswerCall(broadcast_id, "not_for_me"), uow, person, LATER)
        other = uow.session.get(Person, brahim)
        assert other is not None
        calls.answer(c.AnswerCall(broadcast_id, "not_for_me"), uow, other, LATER)
        uow.commit()
        made = uow.session.exec(select(Proposal).where(Proposal.expert_id == amina)).one()
        assert made.status == ProposalStatus.INTERESTED and made.need_id == world.need
        assert made.reasons.split(",")[0] == "skill" and made.reasons.endswith("call")
        assert uow.session.exec(select(Proposal).where(Proposal.expert_id == brahim)).first() \
            is None  # "not for me" to a call weighs nothing on matching
        assert calls.open_calls(uow, amina, NOW) == []
        assert calls.proposal_of(uow, broadcast_id, amina) == made.id
        stranger = uow.session.get(Person, world.stranger)
        assert stranger is not None
        with pytest.raises(c.Refused):  # never received it
            calls.answer(c.AnswerCall(broadcast_id, "interested"), uow, stranger, LATER)


def test_a_call_is_about_an_open_skill_need_and_a_news_needs_a_text(world: World) -> None:
    with world.uow_factory() as uow:
        with pytest.raises(ValueError, match="open skill need"):
            broadcasts.create(uow, kind=Kind.CALL, audience=Audience(), texts={},
                              created_by=None, now=NOW, need_id=None)
        with pytest.raises(ValueError, match="a text"):
            broadcasts.create(uow, kind=Kind.NEWS, audience=Audience(), texts={"fr": "  "},
                              created_by=None, now=NOW)
        with pytest.raises(ValueError, match="Content SID"):
            broadcasts.create(uow, kind=Kind.NEWS, audience=Audience(), texts={"fr": "x"},
                              created_by=None, now=NOW, templates={"fr": {"sid": "nope"}})
