"""Two animators deciding the same project at the same moment, on PostgreSQL."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, select

from bot import notices
from core import commands as c
from core import projects, services
from core.models import Organisation, OrganisationMember, OutboxMessage, Person, Territory
from core.uow import UnitOfWork
from tests.unit.support import NOW

REF = "P-RACE22"
TAFRAOUT = "09.581.01.05"


def setup(engine: Engine) -> tuple[int, int, int]:
    """A submitted project of an association; its representative and two animators."""
    with UnitOfWork(engine) as uow:
        uow.session.add(Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت"))
        rep = services.register_contact(uow, "whatsapp:+212600000701", "ar", NOW)
        first = services.register_contact(uow, "telegram:7001", "fr", NOW)
        second = services.register_contact(uow, "telegram:7002", "en", NOW)
        first.roles = second.roles = "animator"
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
        uow.session.add(organisation)
        uow.session.flush()
        uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                           person_id=rep.id or 0))
        uow.session.flush()
        for command in (c.CreateProject(REF, organisation.id or 0, TAFRAOUT, "Water", "A well",
                                        "water", "local", None, "no", None),
                        c.SubmitProject(REF)):
            services.execute(command, uow, rep, NOW)
        uow.commit()
        return rep.id or 0, first.id or 0, second.id or 0


def decide(engine: Engine, person_id: int, command: c.ReviewProject,
           start: threading.Barrier) -> None:
    """Runs one animator's step the way the runner does, released with the other one."""
    with UnitOfWork(engine) as uow:
        start.wait(timeout=10)
        who = uow.session.get(Person, person_id)
        assert who is not None
        noted = notices.before(uow, [command])
        services.execute(command, uow, who, NOW)
        uow.session.flush()
        notices.send(uow, [command], who, noted, NOW)
        uow.commit()


def test_two_animators_deciding_at_once_make_one_decision_told_once(pg_engine: Engine) -> None:
    rep, first, second = setup(pg_engine)
    start = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(decide, pg_engine, first, c.ReviewProject(REF, "approve"), start),
                   pool.submit(decide, pg_engine, second,
                               c.ReviewProject(REF, "reject", "Not a project"), start)]
        for future in futures:
            future.result(timeout=30)
    with UnitOfWork(pg_engine) as uow:
        decisions = [e.action for e in projects.history(uow, REF)
                     if e.action in ("approved", "rejected")]
        card = projects.card(uow, REF)
        told = [json.loads(row.payload)["text"] for row in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.person_id == rep))]
    assert len(decisions) == 1
    assert card is not None
    assert card.status == ("open" if decisions == ["approved"] else "rejected")
    assert len(told) == 1
