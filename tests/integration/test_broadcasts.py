"""Broadcasts on PostgreSQL: two workers streaming one broadcast at once queue each
recipient exactly once; an answer to a call given twice at once makes one candidate."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, func, select

from bot.broadcasts import Broadcaster
from core import broadcasts, calls
from core import commands as c
from core.domain.audience import Audience, Kind
from core.models import BroadcastRecipient, ChannelIdentity, OutboxMessage, Person, Proposal
from core.uow import UnitOfWork
from tests.integration.test_matching import setup, together
from tests.unit.support import NOW


def consented(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        for person in uow.session.scalars(select(Person)):
            person.consent_at = NOW
        for link in uow.session.scalars(select(ChannelIdentity)):
            link.last_inbound_at = NOW - timedelta(hours=1)
        uow.commit()


def test_two_workers_streaming_one_broadcast_queue_each_recipient_once(
        pg_engine: Engine) -> None:
    setup(pg_engine, experts=40)
    consented(pg_engine)
    with UnitOfWork(pg_engine) as uow:
        made = broadcasts.create(uow, kind=Kind.NEWS, audience=Audience(roles=("expert",)),
                                 texts={"fr": "Formation samedi"}, created_by=None, now=NOW)
        broadcasts.schedule(uow, made.id or 0, None, NOW)
        uow.commit()

    def work(start: threading.Barrier) -> int:
        start.wait()
        return Broadcaster(lambda: UnitOfWork(pg_engine), lambda: NOW, lambda: None,
                           batch=3).run_once(max_batches=100)

    queued = together(work, work)
    with UnitOfWork(pg_engine) as uow:
        rows = uow.session.scalar(select(func.count()).select_from(OutboxMessage))
        people = uow.session.scalar(select(func.count(func.distinct(OutboxMessage.person_id))))
        recipients = uow.session.scalar(select(func.count()).select_from(BroadcastRecipient))
    assert sum(queued) == rows == people == recipients == 40


def test_an_interested_answer_given_twice_at_once_makes_one_candidate(
        pg_engine: Engine) -> None:
    need_id, _reps, experts = setup(pg_engine, experts=1)
    consented(pg_engine)
    with UnitOfWork(pg_engine) as uow:
        made = broadcasts.create(uow, kind=Kind.CALL, audience=Audience(), texts={},
                                 created_by=None, now=NOW, need_id=need_id)
        broadcasts.schedule(uow, made.id or 0, None, NOW)
        uow.commit()
    Broadcaster(lambda: UnitOfWork(pg_engine), lambda: NOW, lambda: None).run_once()

    def answer(start: threading.Barrier) -> str:
        with UnitOfWork(pg_engine) as uow:
            person = uow.session.get(Person, experts[0])
            assert person is not None
            start.wait()
            try:
                calls.answer(c.AnswerCall(made.id or 0, "interested"), uow, person, NOW)
                uow.commit()
                return "answered"
            except c.Refused:
                return "refused"

    assert sorted(together(answer, answer)) == ["answered", "refused"]
    with UnitOfWork(pg_engine) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Proposal)) == 1
