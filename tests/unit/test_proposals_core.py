"""Proposals in core: who is asked about a need and when (core.matching), the double opt-in
(core.proposals), project teams (core.teams), WhatsApp templates (core.templates) and the
rules of core.domain.proposals; on a real SQLite database, with rows built by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from core import commands as c
from core import matching, proposals, services, teams
from core.domain.proposals import (
    Answer,
    ProposalStatus,
    after_answer,
    after_decision,
    allowed_at,
    expired,
    zone,
)
from core.models import (
    ChannelIdentity,
    ExpertProfile,
    ExpertSkill,
    Need,
    Organisation,
    OrganisationMember,
    Person,
    Project,
    ProjectEvent,
    ProjectMedia,
    Proposal,
    TeamMember,
    TeamMessage,
    Territory,
)
from core.templates import PURPOSES, Templates, load, window_closed
from core.uow import UnitOfWork

Uow = Callable[[], UnitOfWork]
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # 10:30 in Paris, 04:30 in Montréal
TAFRAOUT = "09.581.01.05"
SKILL = "water.irrigation_engineering"
REF = "P-WATER5"
PARIS, MONTREAL = ZoneInfo("Europe/Paris"), ZoneInfo("America/Montreal")


class World:
    """An approved project in Tafraout with one open skill need; its organisation has two
    active representatives and one whose membership is pending; an animator; and a
    representative of another organisation."""

    def __init__(self, uow_factory: Uow) -> None:
        self.uow_factory, self.ids = uow_factory, count(9001)
        with uow_factory() as uow:
            uow.session.add(Territory(code="09.581", kind="province", name_fr="Tiznit",
                                      name_ar="تيزنيت"))
            uow.session.add(Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout",
                                      name_ar="تافراوت", province_code="09.581"))
            self.rep = self._person(uow, "telegram:5001", "fr", "representative", "Fatima")
            self.rep2 = self._person(uow, "whatsapp:+212600000002", "ar", "representative",
                                     "Omar")
            self.pending = self._person(uow, "telegram:5003", "fr", "representative", "Saïd")
            self.animator = self._person(uow, "telegram:5004", "fr", "animator", "Nadia")
            self.stranger = self._person(uow, "telegram:5005", "fr", "representative", "Karim")
            own = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
            other = Organisation(name="Autre", kind="association", commune_code=TAFRAOUT)
            uow.session.add_all([own, other])
            uow.session.flush()
            self.organisation = own.id or 0
            uow.session.add_all([
                OrganisationMember(organisation_id=own.id or 0, person_id=self.rep),
                OrganisationMember(organisation_id=own.id or 0, person_id=self.rep2),
                OrganisationMember(organisation_id=own.id or 0, person_id=self.pending,
                                   status="pending"),
                OrganisationMember(organisation_id=other.id or 0, person_id=self.stranger)])
            project = Project(ref=REF, organisation_id=own.id or 0, commune_code=TAFRAOUT,
                              title="Eau de Tazka", theme="water", kind="local", status="open")
            uow.session.add(project)
            uow.session.flush()
            self.project = project.id or 0
            uow.commit()
        self.need = self.add_need()

    @staticmethod
    def _person(uow: UnitOfWork, identity: str, language: str, roles: str, name: str) -> int:
        who = services.register_contact(uow, identity, language, NOW, name)
        who.roles = roles
        uow.session.flush()
        return who.id or 0

    def add_need(self, skill: str | None = SKILL, label: str = "", requested: int = 10) -> int:
        with self.uow_factory() as uow:
            need = Need(project_id=self.project, kind="skill", skill_code=skill, label=label,
                        unit="days", requested=requested, mode="either", created_at=NOW)
            uow.session.add(need)
            uow.commit()
            return need.id or 0

    def expert(self, name: str, level: str = "practised", *, skill: str | None = SKILL,
               label: str = "", timezone: str | None = "Europe/Paris", accepts: bool = True,
               paused_until: date | None = None, opted_out: bool = False, per_month: int = 2,
               identity: str | None = None) -> int:
        """An expert offering one skill, consenting to proposals unless told otherwise."""
        with self.uow_factory() as uow:
            person_id = self._person(uow, identity or f"telegram:{next(self.ids)}",
                                     "fr", "expert", name)
            uow.session.add(ExpertProfile(
                person_id=person_id, country="FR", timezone=timezone, languages="fr",
                proposals_per_month=per_month, accepts_proposals=accepts,
                paused_until=paused_until))
            uow.session.add(ExpertSkill(person_id=person_id, skill_code=skill, label=label,
                                        level=level))
            person = uow.session.get(Person, person_id)
            assert person is not None
            person.opted_out = opted_out
            uow.commit()
            return person_id


Answers = dict[int, str]


@pytest.fixture
def world(uow_factory: Uow) -> World:
    return World(uow_factory)


def propose(world: World, need_id: int | None = None, now: datetime = NOW) -> list[int]:
    """Runs matching for a need; returns the experts it proposed it to, in order."""
    with world.uow_factory() as uow:
        made = matching.propose(uow, need_id or world.need, now)
        uow.commit()
        return [p.expert_id for p in made]


def statuses(world: World, need_id: int | None = None) -> Answers:
    """Each expert asked about the need, with the status of their proposal."""
    with world.uow_factory() as uow:
        return {p.expert_id: p.status for p in uow.session.exec(
            select(Proposal).where(Proposal.need_id == (need_id or world.need)))}


def proposal_of(world: World, expert_id: int, need_id: int | None = None) -> int:
    with world.uow_factory() as uow:
        found = uow.session.exec(select(Proposal.id).where(
            Proposal.expert_id == expert_id, Proposal.need_id == (need_id or world.need))).one()
        return found or 0


def send_due(world: World, now: datetime = NOW) -> list[int]:
    """Marks as sent what may be sent now, as the relay does; returns to whom."""
    with world.uow_factory() as uow:
        sent = matching.due(uow, now)
        for proposal in sent:
            proposal.sent_at = now
        uow.commit()
        return [p.expert_id for p in sent]


def run(world: World, person_id: int, command: c.Command, now: datetime = NOW) -> None:
    with world.uow_factory() as uow:
        who = uow.session.get(Person, person_id)
        assert who is not None
        services.execute(command, uow, who, now)
        uow.commit()


def answer(world: World, expert_id: int, said: Answer, now: datetime = NOW) -> None:
    run(world, expert_id, c.AnswerProposal(proposal_of(world, expert_id), said), now)


def team_of(world: World) -> dict[int, str]:
    """The active members of the project's team, with their role."""
    with world.uow_factory() as uow:
        found = teams.team(uow, world.project, world.rep)
        return {m.person_id: m.role for m in found.members if m.active} if found else {}


def interested(world: World, *names: str) -> list[int]:
    """Experts proposed the need, sent it, who said they are interested."""
    experts = [world.expert(name, "expert") for name in names]
    propose(world)
    send_due(world)
    for expert in experts:
        answer(world, expert, Answer.INTERESTED)
    return experts


# --- the rules ------------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "status"), [
    (Answer.INTERESTED, ProposalStatus.INTERESTED), (Answer.NOT_FOR_ME, ProposalStatus.DECLINED),
    (Answer.NOT_NOW, ProposalStatus.LATER)])
def test_an_expert_answers_only_a_waiting_proposal(said: Answer, status: ProposalStatus) -> None:
    assert after_answer(ProposalStatus.WAITING, said) is status
    for closed in set(ProposalStatus) - {ProposalStatus.WAITING}:
        assert after_answer(closed, said) is None


def test_the_organisation_decides_only_on_an_interested_expert() -> None:
    assert after_decision(ProposalStatus.INTERESTED, True) is ProposalStatus.ACCEPTED
    assert after_decision(ProposalStatus.INTERESTED, False) is ProposalStatus.REFUSED
    for other in set(ProposalStatus) - {ProposalStatus.INTERESTED}:
        assert after_decision(other, True) is None and after_decision(other, False) is None


def test_a_sent_proposal_expires_after_exactly_a_week_without_an_answer() -> None:
    sent = NOW
    assert not expired(ProposalStatus.WAITING, sent, sent + timedelta(days=7, seconds=-1))
    assert expired(ProposalStatus.WAITING, sent, sent + timedelta(days=7))
    assert not expired(ProposalStatus.WAITING, None, sent + timedelta(days=30))
    assert not expired(ProposalStatus.INTERESTED, sent, sent + timedelta(days=30))


@pytest.mark.parametrize(("now", "tz", "expected"), [
    # Paris, winter (UTC+1): 22:00 there waits for 08:00 the next morning
    (datetime(2026, 1, 10, 21, 0, tzinfo=UTC), PARIS, datetime(2026, 1, 11, 7, 0, tzinfo=UTC)),
    # Paris, 03:00 there: 08:00 the same day
    (datetime(2026, 1, 10, 2, 0, tzinfo=UTC), PARIS, datetime(2026, 1, 10, 7, 0, tzinfo=UTC)),
    # Paris, 20:59 and 08:00 there are not quiet; 21:00 is
    (datetime(2026, 1, 10, 19, 59, tzinfo=UTC), PARIS, datetime(2026, 1, 10, 19, 59, tzinfo=UTC)),
    (datetime(2026, 1, 10, 7, 0, tzinfo=UTC), PARIS, datetime(2026, 1, 10, 7, 0, tzinfo=UTC)),
    (datetime(2026, 1, 10, 20, 0, tzinfo=UTC), PARIS, datetime(2026, 1, 11, 7, 0, tzinfo=UTC)),
    # Paris the night clocks go forward (29 March 2026): 08:00 CEST is 06:00 UTC
    (datetime(2026, 3, 28, 21, 30, tzinfo=UTC), PARIS, datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
    # Montréal, winter (UTC-5): 23:00 there (04:00 UTC next day) waits for 08:00 there
    (datetime(2026, 1, 11, 4, 0, tzinfo=UTC), MONTREAL, datetime(2026, 1, 11, 13, 0, tzinfo=UTC)),
    # Montréal, 21:30 there is still the evening before: 08:00 the next day there
    (datetime(2026, 7, 11, 1, 30, tzinfo=UTC), MONTREAL,
     datetime(2026, 7, 11, 12, 0, tzinfo=UTC)),
    # Montréal, noon there: now
    (datetime(2026, 7, 11, 16, 0, tzinfo=UTC), MONTREAL, datetime(2026, 7, 11, 16, 0, tzinfo=UTC)),
])
def test_a_message_that_is_not_a_reply_waits_for_8_am_during_quiet_hours_where_the_person_is(
        now: datetime, tz: ZoneInfo, expected: datetime) -> None:
    assert allowed_at(now, tz) == expected


def test_the_time_zone_is_the_persons_else_their_countrys_else_moroccos() -> None:
    assert zone("America/Montreal", "FR") == MONTREAL
    assert zone(None, "fr") == PARIS
    assert zone("Not/AZone", "CA") == ZoneInfo("America/Toronto")
    assert zone(None, None) == ZoneInfo("Africa/Casablanca")
    assert zone("", "ZZ") == ZoneInfo("Africa/Casablanca")


# --- who is proposed ------------------------------------------------------------------------

def test_at_most_three_experts_wait_on_a_need_the_best_scored_first(world: World) -> None:
    learning = world.expert("Ali", "learning")
    best = world.expert("Amina", "expert")
    practised = world.expert("Youssef", "practised")
    second_best = world.expert("Hind", "expert", identity="whatsapp:+33600000001")
    fifth = world.expert("Rachid", "learning")
    proposed = propose(world)
    assert proposed[:2] == sorted([best, second_best])  # equal scores: the smaller id first
    assert proposed == [*sorted([best, second_best]), practised]
    assert learning not in proposed and fifth not in proposed
    assert propose(world) == []  # the three places are taken
    with world.uow_factory() as uow:
        assert proposals.pending_count(uow, world.need) == 3
        scores = list(uow.session.scalars(select(Proposal.score).order_by(col(Proposal.id))))
    assert scores[0] == scores[1] > scores[2]


def test_a_proposal_keeps_its_reasons_and_score(world: World) -> None:
    amina = world.expert("Amina", "expert")
    propose(world)
    with world.uow_factory() as uow:
        row = uow.session.exec(select(Proposal).where(Proposal.expert_id == amina)).one()
        reasons, score, status, sent_at = row.reasons, row.score, row.status, row.sent_at
    assert reasons.split(",")[0] == "skill"
    assert score >= 3000  # the very skill: the top tier
    assert (status, sent_at) == ("waiting", None)


def test_the_organisations_own_representatives_are_never_proposed_its_need(
        world: World) -> None:
    with world.uow_factory() as uow:
        uow.session.add(ExpertProfile(person_id=world.rep, languages="fr", country="FR",
                                      accepts_proposals=True))
        uow.session.add(ExpertSkill(person_id=world.rep, skill_code=SKILL, level="expert"))
        uow.commit()
    other = world.expert("Youssef", "learning")
    assert propose(world) == [other]


@pytest.mark.parametrize("why", ["opted out", "paused", "unconsented", "capped"])
def test_an_expert_who_may_not_be_asked_is_never_proposed(world: World, why: str) -> None:
    kept_out = world.expert(
        "Amina", "expert", opted_out=why == "opted out", accepts=why != "unconsented",
        paused_until=NOW.date() + timedelta(days=1) if why == "paused" else None,
        per_month=1 if why == "capped" else 2)
    if why == "capped":  # one proposal received 29 days ago, about another need
        earlier = world.add_need(skill="water.hydrology")
        with world.uow_factory() as uow:
            uow.session.add(Proposal(need_id=earlier, expert_id=kept_out, status="expired",
                                     created_at=NOW - timedelta(days=29)))
            uow.commit()
    allowed = world.expert("Youssef", "learning")
    assert propose(world) == [allowed]


def test_an_expert_who_accepts_no_proposal_a_month_is_never_proposed(world: World) -> None:
    world.expert("Amina", "expert", per_month=0)
    allowed = world.expert("Youssef", "learning")
    assert propose(world) == [allowed]


def test_a_pause_ending_today_and_a_cap_reached_more_than_30_days_ago_let_proposals_come(
        world: World) -> None:
    back = world.expert("Amina", "expert", paused_until=NOW.date())
    capped_long_ago = world.expert("Hind", "expert", per_month=1)
    earlier = world.add_need(skill="water.hydrology")
    with world.uow_factory() as uow:
        uow.session.add(Proposal(need_id=earlier, expert_id=capped_long_ago, status="expired",
                                 created_at=NOW - timedelta(days=31)))
        uow.commit()
    assert sorted(propose(world)) == sorted([back, capped_long_ago])


def test_an_expert_is_never_proposed_the_same_need_twice(world: World) -> None:
    amina = world.expert("Amina", "expert")
    assert propose(world) == [amina]
    send_due(world)
    answer(world, amina, Answer.NOT_NOW)
    assert statuses(world) == {amina: "later"}
    assert propose(world, now=NOW + timedelta(days=40)) == []
    with world.uow_factory() as uow:
        swept = matching.sweep(uow, NOW + timedelta(days=40), nightly=True)
        uow.commit()
    assert swept.proposed == 0 and statuses(world) == {amina: "later"}


def test_a_skill_of_the_same_field_or_the_experts_own_words_also_fit(world: World) -> None:
    words = world.expert("Ali", "expert", skill=None, label="irrigation goutte à goutte")
    close = world.expert("Amina", "learning", skill="water.hydrology")
    need = world.add_need(skill=None, label="Irrigation du palmier")
    assert propose(world, need) == [words]
    assert propose(world) == [close]  # the water need: a skill of the same field


def test_a_need_that_is_not_open_or_whose_project_is_not_approved_proposes_nobody(
        world: World) -> None:
    world.expert("Amina", "expert")
    with world.uow_factory() as uow:
        project = uow.session.get(Project, world.project)
        assert project is not None
        project.status = "awaiting_review"
        uow.commit()
    assert propose(world) == []
    with world.uow_factory() as uow:
        project, need = uow.session.get(Project, world.project), uow.session.get(Need, world.need)
        assert project is not None and need is not None
        project.status, need.status = "open", "closed"
        uow.commit()
    assert propose(world) == []


# --- when it is sent ------------------------------------------------------------------------

def test_a_proposal_written_during_the_experts_quiet_hours_is_due_at_8_am_where_they_are(
        world: World) -> None:
    montreal = world.expert("Amina", "expert", timezone="America/Montreal")
    paris = world.expert("Youssef", "expert")
    by_country = world.expert("Hind", "expert", timezone=None)  # FR: Paris, awake
    propose(world)
    with world.uow_factory() as uow:
        after = {p.expert_id: p.send_after.replace(tzinfo=UTC) for p in uow.session.exec(
            select(Proposal))}
    assert after[montreal] == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 08:00 EST
    assert after[paris] == after[by_country] == NOW
    assert sorted(send_due(world, NOW)) == sorted([paris, by_country])
    assert send_due(world, datetime(2026, 3, 2, 12, 59, tzinfo=UTC)) == []
    assert send_due(world, datetime(2026, 3, 2, 13, 0, tzinfo=UTC)) == [montreal]
    assert send_due(world, datetime(2026, 3, 2, 14, 0, tzinfo=UTC)) == []  # sent once


def test_a_proposal_written_in_the_evening_in_paris_waits_for_the_next_morning(
        world: World) -> None:
    paris = world.expert("Youssef", "expert")
    evening = datetime(2026, 3, 2, 21, 15, tzinfo=UTC)  # 22:15 in Paris
    propose(world, now=evening)
    assert send_due(world, evening) == []
    assert send_due(world, datetime(2026, 3, 3, 6, 59, tzinfo=UTC)) == []
    assert send_due(world, datetime(2026, 3, 3, 7, 0, tzinfo=UTC)) == [paris]


# --- expiry, withdrawal ---------------------------------------------------------------------

def test_unanswered_for_a_week_a_proposal_expires_and_the_next_candidate_is_asked(
        world: World) -> None:
    first = [world.expert(n, "expert") for n in ("Amina", "Hind", "Youssef")]
    fourth = world.expert("Ali", "learning")
    assert propose(world) == first
    send_due(world)
    with world.uow_factory() as uow:
        early = matching.sweep(uow, NOW + timedelta(days=6, hours=23))
        uow.commit()
    assert early == matching.Sweep(0, 0, 0)
    with world.uow_factory() as uow:
        swept = matching.sweep(uow, NOW + timedelta(days=7))
        uow.commit()
    assert (swept.expired, swept.proposed) == (3, 1)
    assert statuses(world) == {**dict.fromkeys(first, "expired"), fourth: "waiting"}


def test_a_proposal_never_sent_does_not_expire(world: World) -> None:
    amina = world.expert("Amina", "expert")
    propose(world)
    with world.uow_factory() as uow:
        matching.sweep(uow, NOW + timedelta(days=30))
        uow.commit()
    assert statuses(world) == {amina: "waiting"}


@pytest.mark.parametrize("closed", ["need", "project"])
def test_when_the_need_or_project_closes_waiting_proposals_are_withdrawn(
        world: World, closed: str) -> None:
    keen, waiting = interested(world, "Amina")[0], world.expert("Hind", "learning")
    assert propose(world) == [waiting]
    with world.uow_factory() as uow:
        need, project = uow.session.get(Need, world.need), uow.session.get(Project, world.project)
        assert need is not None and project is not None
        if closed == "need":
            need.status = "closed"
        else:
            project.status = "closed"
        uow.commit()
    with world.uow_factory() as uow:
        swept = matching.sweep(uow, NOW + timedelta(hours=1))
        uow.commit()
    assert swept.withdrawn == 1
    assert statuses(world) == {keen: "interested", waiting: "withdrawn"}


# --- the expert answers ---------------------------------------------------------------------

def test_not_for_me_declines_and_the_next_candidate_is_asked(world: World) -> None:
    first = [world.expert(n, "expert") for n in ("Amina", "Hind", "Youssef")]
    fourth = world.expert("Ali", "learning")
    propose(world)
    send_due(world)
    declined = proposal_of(world, first[0])
    answer(world, first[0], Answer.NOT_FOR_ME, NOW + timedelta(hours=1))
    found = statuses(world)
    assert found[first[0]] == "declined" and found[fourth] == "waiting"
    with world.uow_factory() as uow:
        row = uow.session.get(Proposal, declined)
        assert row is not None and row.answered_at is not None


def test_not_now_is_later_and_the_next_candidate_is_asked(world: World) -> None:
    amina = world.expert("Amina", "expert")
    ali = world.expert("Ali", "learning")
    with world.uow_factory() as uow:  # two places taken: one left on the need
        for other in (world.animator, world.stranger):
            uow.session.add(Proposal(need_id=world.need, expert_id=other, status="interested"))
        uow.commit()
    assert propose(world) == [amina]
    send_due(world)
    answer(world, amina, Answer.NOT_NOW)
    assert statuses(world)[amina] == "later" and statuses(world)[ali] == "waiting"


def test_a_decline_weighs_on_later_matching_and_not_now_does_not(world: World) -> None:
    decliner = world.expert("Amina", "expert")
    postponer = world.expert("Hind", "expert")
    propose(world)
    send_due(world)
    answer(world, decliner, Answer.NOT_FOR_ME)
    answer(world, postponer, Answer.NOT_NOW)
    later = world.add_need(skill=SKILL)
    # Both received one proposal this month; only the decline takes points away, so the
    # later id comes first although equal scores would put the smaller id first.
    assert decliner < postponer
    assert propose(world, later, NOW + timedelta(days=1)) == [postponer, decliner]
    with world.uow_factory() as uow:
        scores = {p.expert_id: p.score for p in uow.session.exec(
            select(Proposal).where(Proposal.need_id == later))}
    assert scores[postponer] - scores[decliner] == 30


@pytest.mark.parametrize("how", ["someone else's", "twice", "expired"])
def test_answering_someone_elses_or_a_closed_proposal_is_refused(world: World, how: str) -> None:
    amina, hind = world.expert("Amina", "expert"), world.expert("Hind", "expert")
    propose(world)
    send_due(world)
    mine = proposal_of(world, amina)
    if how == "twice":
        answer(world, amina, Answer.INTERESTED)
    if how == "expired":
        with world.uow_factory() as uow:
            matching.sweep(uow, NOW + timedelta(days=8))
            uow.commit()
    who = hind if how == "someone else's" else amina
    before = statuses(world)
    with pytest.raises(c.Refused):
        run(world, who, c.AnswerProposal(mine, Answer.NOT_FOR_ME))
    assert statuses(world) == before


# --- the organisation decides ---------------------------------------------------------------

@pytest.mark.parametrize("who", ["stranger", "pending", "expert"])
def test_only_the_organisations_representatives_or_an_animator_decide(
        world: World, who: str) -> None:
    (amina,) = interested(world, "Amina")
    person = {"stranger": world.stranger, "pending": world.pending, "expert": amina}[who]
    with pytest.raises(c.Refused):
        run(world, person, c.DecideProposal(proposal_of(world, amina), True))
    assert statuses(world) == {amina: "interested"}
    assert team_of(world) == {}


def test_an_animator_may_decide_for_the_organisation(world: World) -> None:
    (amina,) = interested(world, "Amina")
    run(world, world.animator, c.DecideProposal(proposal_of(world, amina), True))
    assert statuses(world) == {amina: "accepted"}
    assert team_of(world) == {amina: "expert", world.rep: "representative",
                              world.rep2: "representative"}


def test_accepting_commits_the_need_and_forms_the_team_with_every_active_representative(
        world: World) -> None:
    amina, hind = interested(world, "Amina", "Hind")
    chosen = proposal_of(world, amina)
    run(world, world.rep2, c.DecideProposal(chosen, True))
    with world.uow_factory() as uow:
        need = uow.session.get(Need, world.need)
        assert need is not None and need.committed == need.requested == 10
        row = uow.session.get(Proposal, chosen)
        assert row is not None and (row.status, row.decided_by) == ("accepted", world.rep2)
        events = [(e.action, e.person_id) for e in uow.session.exec(select(ProjectEvent))]
    assert events == [("expert_accepted", world.rep2)]
    assert team_of(world) == {amina: "expert", world.rep: "representative",
                              world.rep2: "representative"}  # not the pending member
    assert statuses(world)[hind] == "interested"  # still the organisation's to decide
    assert propose(world) == []  # the need is covered: nobody else is asked
    with pytest.raises(c.Refused):  # deciding again
        run(world, world.rep, c.DecideProposal(proposal_of(world, amina), False))


def test_once_an_expert_is_accepted_those_not_yet_answering_are_no_longer_kept_waiting(
        world: World) -> None:
    amina, hind = interested(world, "Amina", "Hind")
    youssef = world.expert("Youssef", "learning")
    assert propose(world) == [youssef]  # a third place was free
    send_due(world)
    run(world, world.rep, c.DecideProposal(proposal_of(world, amina), True))
    assert statuses(world) == {amina: "accepted", hind: "interested", youssef: "withdrawn"}
    with world.uow_factory() as uow:
        assert proposals.offers(uow, youssef) == []


def test_declining_an_interested_expert_asks_the_next_candidate(world: World) -> None:
    amina, hind, youssef = interested(world, "Amina", "Hind", "Youssef")
    ali = world.expert("Ali", "learning")
    run(world, world.rep, c.DecideProposal(proposal_of(world, amina), False))
    assert statuses(world) == {amina: "refused", hind: "interested", youssef: "interested",
                               ali: "waiting"}
    assert team_of(world) == {}
    with world.uow_factory() as uow:
        need = uow.session.get(Need, world.need)
        assert need is not None and need.committed == 0


def test_deciding_on_an_expert_who_has_not_said_yes_is_refused(world: World) -> None:
    amina = world.expert("Amina", "expert")
    propose(world)
    send_due(world)
    with pytest.raises(c.Refused):
        run(world, world.rep, c.DecideProposal(proposal_of(world, amina), True))
    with pytest.raises(c.Refused):
        run(world, world.rep, c.DecideProposal(999_999, True))


# --- what each side reads -------------------------------------------------------------------

def test_an_expert_sees_only_sent_proposals_waiting_for_their_answer(world: World) -> None:
    amina = world.expert("Amina", "expert", timezone="America/Montreal")
    propose(world)
    with world.uow_factory() as uow:
        assert proposals.offers(uow, amina) == []  # not sent yet: quiet hours in Montréal
    send_due(world, NOW + timedelta(hours=4))
    with world.uow_factory() as uow:
        (offer,) = proposals.offers(uow, amina)
    assert (offer.ref, offer.title, offer.commune_fr, offer.commune_ar, offer.skill_code) == (
        REF, "Eau de Tazka", "Tafraout", "تافراوت", SKILL)
    assert offer.reasons[0] == "skill" and offer.facts.shared == ("fr",)
    answer(world, amina, Answer.INTERESTED)
    with world.uow_factory() as uow:
        assert proposals.offers(uow, amina) == []
        gone = proposals.offer(uow, offer.id)
        assert gone is not None and gone.status == "interested"


def test_representatives_see_the_interested_experts_of_their_organisation_only(
        world: World) -> None:
    (amina,) = interested(world, "Amina")
    with world.uow_factory() as uow:
        (seen,) = proposals.candidates(uow, world.rep)
        assert proposals.candidates(uow, world.stranger) == []
        assert proposals.candidates(uow, world.pending) == []
        assert proposals.representatives_of_proposal(uow, seen.id) == [world.rep, world.rep2]
    assert (seen.first_name, seen.country, seen.languages, seen.ref) == (
        "Amina", "FR", ("fr",), REF)
    assert seen.skills == ((SKILL, "", "expert"),)
    assert "telegram" not in repr(seen) and str(amina) not in (seen.first_name,)


# --- matching after a step ------------------------------------------------------------------

def test_a_saved_profile_runs_matching_for_the_open_needs_that_fit(world: World) -> None:
    with world.uow_factory() as uow:
        person = services.register_contact(uow, "telegram:7007", "fr", NOW, "Amina")
        command = c.SaveExpertProfile(
            (c.SkillOffered(SKILL, "", "expert"),), ("fr",), "FR", None, "Europe/Paris", None,
            (), 20, "remote", (), 2, True)
        services.execute(command, uow, person, NOW)
        matching.after(uow, [command], person.id or 0, NOW)
        uow.commit()
        amina = person.id
    assert statuses(world) == {amina: "waiting"}


def test_a_need_added_to_an_approved_project_runs_matching(world: World) -> None:
    amina = world.expert("Amina", "expert", skill="water.hydrology")
    with world.uow_factory() as uow:
        rep = uow.session.get(Person, world.rep)
        assert rep is not None
        command = c.AddNeed(REF, "skill", skill_code="water.hydrology", unit="days",
                            requested=3)
        services.execute(command, uow, rep, NOW)
        matching.after(uow, [command], world.rep, NOW)
        uow.commit()
        need = uow.session.exec(select(Need.id).where(Need.skill_code == "water.hydrology")
                                ).one()
    assert statuses(world, need) == {amina: "waiting"}


# --- teams ----------------------------------------------------------------------------------

def accepted(world: World) -> int:
    (amina,) = interested(world, "Amina")
    run(world, world.rep, c.DecideProposal(proposal_of(world, amina), True))
    return amina


def test_a_member_who_leaves_is_no_longer_written_to_and_may_not_write(world: World) -> None:
    amina = accepted(world)
    run(world, amina, c.LeaveTeam(REF))
    with world.uow_factory() as uow:
        assert teams.recipients(uow, world.project, world.rep) == [world.rep2]
        assert teams.teams_of(uow, amina) == []
        assert [t.ref for t in teams.teams_of(uow, world.rep)] == [REF]
    for command in (c.LeaveTeam(REF), c.SayToTeam(REF, "still here?"),
                    c.ChooseContact(REF, "number")):
        with pytest.raises(c.Refused):
            run(world, amina, command)
    assert team_of(world) == {world.rep: "representative", world.rep2: "representative"}


def test_only_an_animator_joins_a_team_uninvited(world: World) -> None:
    accepted(world)
    with pytest.raises(c.Refused):
        run(world, world.stranger, c.JoinTeam(REF))
    run(world, world.animator, c.JoinTeam(REF))
    assert team_of(world)[world.animator] == "animator"
    with pytest.raises(c.Refused):
        run(world, world.animator, c.JoinTeam("P-NOSUCH"))


def test_a_team_message_keeps_its_media_and_counts_as_unread_for_the_others(
        world: World) -> None:
    amina = accepted(world)
    photo = c.Attachment("photo", "telegram", "file-1", "image/jpeg")
    sticker = c.Attachment("sticker", "telegram", "file-2", "image/webp")
    run(world, amina, c.SayToTeam(REF, "  Bonjour  ", (photo, sticker, *[photo] * 6)))
    with world.uow_factory() as uow:
        (said,) = teams.history(uow, world.project)
        for_rep = teams.team(uow, world.project, world.rep)
        for_amina = teams.team(uow, world.project, amina)
        kinds = [m.kind for m in uow.session.exec(select(ProjectMedia))]
    assert (said.person_id, said.first_name, said.role, said.text) == (
        amina, "Amina", "expert", "Bonjour")
    assert len(said.media) == teams.MAX_MEDIA and kinds == ["photo"] * teams.MAX_MEDIA
    assert for_rep is not None and for_amina is not None
    assert (for_rep.unread, for_amina.unread) == (1, 0)
    run(world, world.rep, c.ReadTeam(REF))
    with world.uow_factory() as uow:
        read = teams.team(uow, world.project, world.rep)
        assert read is not None and read.unread == 0
    with pytest.raises(ValueError, match="empty"):
        run(world, amina, c.SayToTeam(REF, "   "))


def test_a_new_member_starts_with_nothing_unread(world: World) -> None:
    amina = accepted(world)
    run(world, world.rep, c.SayToTeam(REF, "one"))
    with world.uow_factory() as uow:
        row = uow.session.exec(select(TeamMember).where(TeamMember.person_id == world.animator)
                               ).first()
        assert row is None
        teams.add_member(uow, world.project, world.animator, teams.TeamRole.ANIMATOR, NOW)
        uow.commit()
    with world.uow_factory() as uow:
        found = teams.team(uow, world.project, world.animator)
        assert found is not None and found.unread == 0
        assert teams.team(uow, world.project, amina).unread == 1  # type: ignore[union-attr]


def test_a_shared_contact_is_only_what_was_chosen_the_whatsapp_number_or_the_username(
        world: World) -> None:
    with world.uow_factory() as uow:
        services.register_contact(uow, "telegram:5001", "fr", NOW, handle="fatima_t")
        uow.session.add(ChannelIdentity(id="whatsapp:+212600000009", person_id=world.rep,
                                        channel="whatsapp"))
        uow.commit()
    with world.uow_factory() as uow:
        assert teams.contact_of(uow, world.rep, "handle") == ["@fatima_t"]
        assert teams.contact_of(uow, world.rep, "number") == ["+212600000009"]
        assert teams.contact_of(uow, world.rep, "relay") == []
        assert teams.contact_of(uow, world.rep, None) == []
        assert teams.contact_of(uow, world.rep2, "number") == ["+212600000002"]
        assert teams.contact_of(uow, world.rep2, "handle") == []  # no Telegram at all
        assert teams.contact_of(uow, world.animator, "handle") == []  # no username


def test_a_member_records_how_they_want_to_be_reached(world: World) -> None:
    amina = accepted(world)
    run(world, amina, c.ChooseContact(REF, "number"))
    with world.uow_factory() as uow:
        found = teams.team(uow, world.project, amina)
        member = found.member(amina) if found else None
    assert member is not None and member.contact == "number"
    with pytest.raises(ValueError):
        run(world, amina, c.ChooseContact(REF, "everything"))


# --- erasure --------------------------------------------------------------------------------

def test_erasing_a_person_removes_their_proposals_and_team_messages(world: World) -> None:
    amina = accepted(world)
    other = world.add_need(skill=SKILL)
    assert propose(world, other) == [amina]
    run(world, amina, c.SayToTeam(REF, "Bonjour", (c.Attachment("photo", "telegram", "f-1"),)))
    run(world, world.rep, c.SayToTeam(REF, "Bienvenue"))
    run(world, amina, c.ErasePerson())
    with world.uow_factory() as uow:
        assert uow.session.exec(select(Proposal).where(Proposal.expert_id == amina)).all() == []
        assert [m.text for m in uow.session.exec(select(TeamMessage))] == ["Bienvenue"]
        assert uow.session.exec(select(ProjectMedia)).all() == []
        assert uow.session.exec(select(TeamMember).where(TeamMember.person_id == amina)
                                ).all() == []
        assert uow.session.get(Person, amina) is None
    assert team_of(world) == {world.rep: "representative", world.rep2: "representative"}


# --- templates ------------------------------------------------------------------------------

def test_a_template_falls_back_to_french_then_arabic() -> None:
    templates = Templates({"team_message": {"fr": "HXfr", "ar": "HXar", "en": "HXen"},
                           "proposal": {"ar": "HXar2"}, "decision": {"en": ""}})
    assert templates.sid("team_message", "en") == "HXen"
    assert templates.sid("team_message", "zgh") == "HXfr"
    assert templates.sid("proposal", "en") == "HXar2"
    assert templates.sid("decision", "en") is None  # an empty SID is none
    assert templates.sid("candidate", "fr") is None


def test_gaps_lists_every_purpose_and_language_without_its_own_template() -> None:
    templates = Templates({"team_message": {"fr": "HX1", "ar": "HX2", "zgh": "HX3",
                                            "en": "HX4"},
                           "proposal": {"fr": "HX5"}})
    gaps = templates.gaps()
    assert ("team_message", "fr") not in gaps and ("proposal", "fr") not in gaps
    assert ("proposal", "ar") in gaps and ("candidate", "en") in gaps
    assert len(gaps) == len(PURPOSES) * 4 - 5
    assert len(Templates().gaps()) == len(PURPOSES) * 4


def test_the_templates_file_is_read_and_an_unknown_purpose_refused(tmp_path: Path) -> None:
    good = tmp_path / "templates.json"
    good.write_text(json.dumps({"team_message": {"fr": "HX1", "ar": ""}}), encoding="utf-8")
    assert load(str(good)) == Templates({"team_message": {"fr": "HX1"}})
    assert load("") == Templates()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"birthday": {"fr": "HX1"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="birthday"):
        load(str(bad))


def test_only_whatsapp_closes_its_window_24_hours_after_the_last_message() -> None:
    assert not window_closed("whatsapp", NOW - timedelta(hours=24), NOW)
    assert window_closed("whatsapp", NOW - timedelta(hours=24, seconds=1), NOW)
    assert window_closed("whatsapp", None, NOW)
    assert not window_closed("telegram", NOW - timedelta(days=30), NOW)
