"""Matching and proposals racing on PostgreSQL: two runs filling the same need, two workers
sending due proposals, two representatives deciding the same expert."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select

from bot.relay import Relay
from core import commands as c
from core import matching, services
from core.models import (
    ExpertProfile,
    ExpertSkill,
    Need,
    Organisation,
    OrganisationMember,
    OutboxMessage,
    Person,
    Project,
    Proposal,
    TeamMember,
    Territory,
)
from core.uow import UnitOfWork
from tests.unit.support import NOW  # 10:30 in Paris

TAFRAOUT = "09.581.01.05"
SKILL = "water.irrigation_engineering"


def setup(engine: Engine, experts: int = 6) -> tuple[int, list[int], list[int]]:
    """An open project with one skill need, two representatives, and experts who fit it."""
    with UnitOfWork(engine) as uow:
        uow.session.add(Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت"))
        reps = [services.register_contact(uow, f"whatsapp:+21260000080{i}", "ar", NOW)
                for i in (1, 2)]
        organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
        uow.session.add(organisation)
        uow.session.flush()
        for rep in reps:
            rep.roles = "representative"
            uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                               person_id=rep.id or 0))
        project = Project(ref="P-RACE55", organisation_id=organisation.id or 0,
                          commune_code=TAFRAOUT, title="Eau", theme="water", kind="local",
                          status="open")
        uow.session.add(project)
        uow.session.flush()
        need = Need(project_id=project.id or 0, kind="skill", skill_code=SKILL, unit="days",
                    requested=5, wanted_by=date(2027, 9, 30), created_at=NOW)
        uow.session.add(need)
        ids = []
        for i in range(experts):
            expert = services.register_contact(uow, f"telegram:{9100 + i}", "fr", NOW, "Amina")
            expert.roles = "expert"
            uow.session.flush()
            uow.session.add(ExpertProfile(person_id=expert.id or 0, country="FR",
                                          timezone="Europe/Paris", languages="fr",
                                          accepts_proposals=True))
            uow.session.add(ExpertSkill(person_id=expert.id or 0, skill_code=SKILL,
                                        level="expert"))
            ids.append(expert.id or 0)
        uow.commit()
        return need.id or 0, [r.id or 0 for r in reps], ids


def together(*jobs: Callable[[threading.Barrier], Any]) -> list[Any]:
    """Runs the jobs at the same moment, each in its own thread and transaction."""
    start = threading.Barrier(len(jobs))
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(job, start) for job in jobs]
        return [f.result(timeout=30) for f in futures]


def test_two_runs_filling_one_need_at_once_keep_three_experts_waiting(pg_engine: Engine) -> None:
    need_id, _reps, _experts = setup(pg_engine)

    def run(start: threading.Barrier) -> int:
        with UnitOfWork(pg_engine) as uow:
            start.wait(timeout=10)
            made = matching.propose(uow, need_id, NOW)
            uow.commit()
            return len(made)

    assert sorted(together(run, run)) == [0, 3]
    with UnitOfWork(pg_engine) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Proposal)) == 3


def test_two_workers_send_each_due_proposal_once(pg_engine: Engine) -> None:
    need_id, _reps, _experts = setup(pg_engine)
    with UnitOfWork(pg_engine) as uow:
        matching.propose(uow, need_id, NOW)
        uow.commit()

    def deliver(start: threading.Barrier) -> int:
        with UnitOfWork(pg_engine) as uow:
            start.wait(timeout=10)
            sent = Relay().deliver_due(uow, NOW)
            uow.commit()
            return sent

    assert sum(together(deliver, deliver)) == 3
    with UnitOfWork(pg_engine) as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_two_representatives_deciding_one_expert_at_once_make_one_decision(
        pg_engine: Engine) -> None:
    need_id, reps, _experts = setup(pg_engine)
    with UnitOfWork(pg_engine) as uow:
        (first, *_rest) = matching.propose(uow, need_id, NOW)
        first.sent_at = NOW
        expert = uow.session.get(Person, first.expert_id)
        assert expert is not None
        proposal_id = first.id or 0
        services.execute(c.AnswerProposal(proposal_id, "interested"), uow, expert, NOW)
        uow.commit()

    def decide(person_id: int, accept: bool) -> Callable[[threading.Barrier], str]:
        def job(start: threading.Barrier) -> str:
            with UnitOfWork(pg_engine) as uow:
                start.wait(timeout=10)
                who = uow.session.get(Person, person_id)
                assert who is not None
                try:
                    services.execute(c.DecideProposal(proposal_id, accept), uow, who, NOW)
                except c.Refused:
                    uow.rollback()
                    return "refused"
                uow.commit()
                return "decided"
        return job

    assert sorted(together(decide(reps[0], True), decide(reps[1], False))) == [
        "decided", "refused"]
    with UnitOfWork(pg_engine) as uow:
        status = uow.session.scalar(select(Proposal.status).where(Proposal.id == proposal_id))
        members = uow.session.scalar(select(func.count()).select_from(TeamMember))
    assert status in ("accepted", "refused")
    assert members == (3 if status == "accepted" else 0)
