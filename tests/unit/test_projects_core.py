"""Projects and needs in core: lifecycle, permissions, audit trail, cards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core import commands as c
from core import projects, services
from core.domain import projects as domain
from core.domain.projects import Actor, Status
from core.models import Organisation, OrganisationMember, Person, Project, Territory
from core.uow import UnitOfWork
from tests.unit.support import NOW

Uow = Callable[[], UnitOfWork]
TAFRAOUT = "09.581.01.05"
REF = "P-TEST22"


def people(uow_factory: Uow) -> tuple[int, int, int, int]:
    """A commune, an organisation with its representative, an animator and a stranger."""
    with uow_factory() as uow:
        uow.session.add(Territory(code="09.581", kind="province", name_fr="Tiznit",
                                  name_ar="تيزنيت"))
        uow.session.add(Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت", province_code="09.581"))
        rep = services.register_contact(uow, "whatsapp:+212600000001", "ar", NOW)
        animator = services.register_contact(uow, "telegram:1001", "fr", NOW)
        stranger = services.register_contact(uow, "telegram:1002", "en", NOW)
        rep.roles, animator.roles, stranger.roles = "representative", "animator", "representative"
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
        uow.session.add(organisation)
        uow.session.flush()
        uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                           person_id=rep.id or 0))
        uow.commit()
        return rep.id or 0, animator.id or 0, stranger.id or 0, organisation.id or 0


def run(uow_factory: Uow, person_id: int, *commands: c.Command, days: int = 0) -> None:
    with uow_factory() as uow:
        who = uow.session.get(Person, person_id)
        assert who is not None
        for command in commands:
            services.execute(command, uow, who, NOW + timedelta(days=days))
        uow.commit()


def create(organisation_id: int, ref: str = REF) -> c.CreateProject:
    return c.CreateProject(ref, organisation_id, TAFRAOUT, "  Water for Tafraout ",
                           "A well and a pump", "water", "local", None, "yes", "PCD 2023-12",
                           (c.Attachment("voice", "whatsapp", "https://media/1", "audio/ogg"),))


def status(uow_factory: Uow, ref: str = REF) -> str:
    with uow_factory() as uow:
        card = projects.card(uow, ref)
        assert card is not None
        return card.status


def test_a_project_goes_from_draft_to_open_and_every_change_is_recorded(uow_factory: Uow) -> None:
    rep, animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation),
        c.AddNeed(REF, "skill", skill_code="water.irrigation_engineering", mode="on_site",
                  unit="days", requested=10, wanted_by=date(2027, 6, 30)),
        c.AddNeed(REF, "money", label="pump", unit="MAD", requested=40_000))
    assert status(uow_factory) == Status.DRAFT
    run(uow_factory, rep, c.SubmitProject(REF), days=1)
    assert status(uow_factory) == Status.AWAITING_REVIEW
    run(uow_factory, animator, c.ReviewProject(REF, "approve"), days=2)
    assert status(uow_factory) == Status.OPEN
    run(uow_factory, rep, c.MoveProject(REF, "in_progress"), days=3)
    run(uow_factory, rep, c.MoveProject(REF, "completed"), days=4)
    with uow_factory() as uow:
        trail = [(e.action, e.from_status, e.to_status, e.person_id)
                 for e in projects.history(uow, REF)]
        card = projects.card(uow, REF)
    assert trail == [
        ("created", None, "draft", rep), ("need_added", None, None, rep),
        ("need_added", None, None, rep), ("submitted", "draft", "awaiting_review", rep),
        ("approved", "awaiting_review", "open", animator),
        ("status", "open", "in_progress", rep), ("status", "in_progress", "completed", rep)]
    assert card is not None
    assert (card.title, card.commune_fr, card.province_ar, card.organisation) == (
        "Water for Tafraout", "Tafraout", "تيزنيت", "Tamount")
    assert [(n.kind, n.unit, n.requested, n.committed, n.fulfilled) for n in card.needs] == [
        ("skill", "days", 10, 0, 0), ("money", "MAD", 40_000, 0, 0)]
    assert [(m.kind, m.channel) for m in card.media] == [("voice", "whatsapp")]


def test_running_the_same_creation_twice_keeps_one_draft(uow_factory: Uow) -> None:
    rep, _animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation))
    run(uow_factory, rep, create(organisation))
    with uow_factory() as uow:
        assert len(list(uow.session.scalars(select(Project)))) == 1


def test_only_a_representative_of_the_organisation_declares_or_changes_its_project(
        uow_factory: Uow) -> None:
    rep, _animator, stranger, organisation = people(uow_factory)
    with pytest.raises(projects.NotAllowed):
        run(uow_factory, stranger, create(organisation))
    run(uow_factory, rep, create(organisation))
    for command in (c.SubmitProject(REF), c.AddNeed(REF, "partner", label="a school"),
                    c.EditProject(REF, title="Mine now"), c.MoveProject(REF, "closed"),
                    c.PostUpdate(REF, "hello")):
        with pytest.raises(projects.NotAllowed):
            run(uow_factory, stranger, command)
    assert status(uow_factory) == Status.DRAFT


def test_only_an_animator_reviews(uow_factory: Uow) -> None:
    rep, _animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation), c.SubmitProject(REF))
    with pytest.raises(projects.NotAllowed):
        run(uow_factory, rep, c.ReviewProject(REF, "approve"))
    assert status(uow_factory) == Status.AWAITING_REVIEW


def test_a_rejection_keeps_its_reason_and_the_project_can_be_sent_again(uow_factory: Uow) -> None:
    rep, animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation), c.SubmitProject(REF))
    with pytest.raises(ValueError):
        run(uow_factory, animator, c.ReviewProject(REF, "reject", "   "))
    run(uow_factory, animator, c.ReviewProject(REF, "reject", "Which village exactly?"))
    with uow_factory() as uow:
        card = projects.card(uow, REF)
        assert card is not None and (card.status, card.reject_reason) == (
            "rejected", "Which village exactly?")
    run(uow_factory, rep, c.EditProject(REF, description="The well of Tazka"),
        c.SubmitProject(REF))
    assert status(uow_factory) == Status.AWAITING_REVIEW


def test_a_question_waits_for_the_answer_without_changing_the_status(uow_factory: Uow) -> None:
    rep, animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation), c.SubmitProject(REF))
    run(uow_factory, animator, c.ReviewProject(REF, "question", "How deep is the well?"))
    with uow_factory() as uow:
        card = projects.card(uow, REF)
        assert card is not None and card.question == "How deep is the well?"
    run(uow_factory, rep, c.AnswerQuestion(REF, "About 40 m"))
    with uow_factory() as uow:
        card = projects.card(uow, REF)
        assert card is not None and card.question is None
        assert card.status == Status.AWAITING_REVIEW
        assert projects.history(uow, REF)[-1].note == "About 40 m"


def test_changing_an_approved_project_sends_it_back_to_review_then_to_where_it_was(
        uow_factory: Uow) -> None:
    rep, animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation), c.SubmitProject(REF))
    run(uow_factory, animator, c.ReviewProject(REF, "approve"))
    run(uow_factory, rep, c.MoveProject(REF, "in_progress"))
    run(uow_factory, rep, c.EditProject(REF, title="Water for Tafraout and Tazka"))
    assert status(uow_factory) == Status.AWAITING_REVIEW
    run(uow_factory, animator, c.ReviewProject(REF, "approve"))
    assert status(uow_factory) == Status.IN_PROGRESS


def test_a_second_decision_on_a_decided_project_changes_nothing(uow_factory: Uow) -> None:
    rep, animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation), c.SubmitProject(REF))
    run(uow_factory, animator, c.ReviewProject(REF, "approve"))
    run(uow_factory, animator, c.ReviewProject(REF, "reject", "too late"))
    assert status(uow_factory) == Status.OPEN


def test_a_need_marked_fulfilled_counts_what_was_requested(uow_factory: Uow) -> None:
    rep, _animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation),
        c.AddNeed(REF, "materials", label="cement bags", unit="items", requested=50))
    with uow_factory() as uow:
        card = projects.card(uow, REF)
        assert card is not None
        need_id = card.needs[0].id
    run(uow_factory, rep, c.SetNeedStatus(need_id, "fulfilled"))
    with uow_factory() as uow:
        card = projects.card(uow, REF)
        assert card is not None
        assert (card.needs[0].status, card.needs[0].fulfilled) == ("fulfilled", 50)
        assert card.needs[0].progress.percent == 100


@pytest.mark.parametrize("command", [
    c.AddNeed(REF, "skill"),  # names no skill
    c.AddNeed(REF, "money", unit="MAD", requested=0),
    c.AddNeed(REF, "money", unit="MAD", requested=-5),
    c.AddNeed(REF, "skill", label="plumbing", mode="by pigeon"),
    c.AddNeed(REF, "spaceship", label="x"),
])
def test_a_need_that_makes_no_sense_is_refused(uow_factory: Uow, command: c.AddNeed) -> None:
    rep, _animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation))
    with pytest.raises(ValueError):
        run(uow_factory, rep, command)


def test_the_review_queue_lists_the_longest_waiting_first(uow_factory: Uow) -> None:
    rep, _animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation, "P-LATER2"), c.SubmitProject("P-LATER2"), days=2)
    run(uow_factory, rep, create(organisation, "P-FIRST2"), c.SubmitProject("P-FIRST2"), days=1)
    run(uow_factory, rep, create(organisation, "P-DRAFT2"))
    with uow_factory() as uow:
        assert [p.ref for p in projects.review_queue(uow)] == ["P-FIRST2", "P-LATER2"]
        assert projects.count_waiting(uow) == 2
        assert [p.ref for p in projects.projects_of(uow, rep)] == [
            "P-DRAFT2", "P-FIRST2", "P-LATER2"]
        assert [o.name for o in projects.represented(uow, rep)] == ["Tamount"]


def test_erasing_the_representative_keeps_the_project_and_its_trail(uow_factory: Uow) -> None:
    rep, _animator, _stranger, organisation = people(uow_factory)
    run(uow_factory, rep, create(organisation), c.SubmitProject(REF))
    run(uow_factory, rep, c.ErasePerson())
    with uow_factory() as uow:
        assert uow.session.get(Person, rep) is None
        assert [e.person_id for e in projects.history(uow, REF)] == [None, None]


def test_the_lifecycle_rules() -> None:
    assert domain.may_move(Status.DRAFT, Status.AWAITING_REVIEW, Actor.REPRESENTATIVE)
    assert not domain.may_move(Status.AWAITING_REVIEW, Status.OPEN, Actor.REPRESENTATIVE)
    assert not domain.may_move(Status.COMPLETED, Status.OPEN, Actor.ANIMATOR)
    assert domain.moves(Status.OPEN, Actor.REPRESENTATIVE) == (
        Status.IN_PROGRESS, Status.COMPLETED, Status.CLOSED)
    assert domain.after_review(Status.AWAITING_REVIEW, Status.IN_PROGRESS) == Status.IN_PROGRESS
    assert domain.after_review(Status.AWAITING_REVIEW, None) == Status.OPEN
    assert domain.needs_from_diagnosis(["partner", "study", "budget"]) == [
        ("study", "skill"), ("budget", "money"), ("partner", "partner")]
    assert domain.reference("twilio:SM1") == domain.reference("twilio:SM1")
    assert domain.reference("twilio:SM1") != domain.reference("twilio:SM2")
    assert domain.Progress(40_000, 12_500, 0).percent == 31
    assert domain.Progress(0, 0, 0).percent == 0
