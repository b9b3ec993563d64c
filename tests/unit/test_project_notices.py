"""Who is told what when a project is submitted, reviewed and its question answered: run as
bot/runner.py does (notices.before, the commands, notices.send), read from the outbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot import notices
from bot.i18n import Translator
from core import commands as c
from core import services
from core.models import (
    ChannelIdentity,
    Organisation,
    OrganisationMember,
    OutboxMessage,
    Person,
    Territory,
)
from core.uow import UnitOfWork
from tests.unit.support import NOW

Uow = Callable[[], UnitOfWork]
TAFRAOUT = "09.581.01.05"
REF = "P-TEST22"
TITLE = "Water for Tafraout"
LRI, PDI = "\u2068", "\u2069"  # the isolates around a name inside Arabic text


NEW = ("New project to review: “{title}” ({commune}). Open the menu and choose “Projects to "
       "review”.")
APPROVED = ("Good news: your project “{title}” is approved. It is now visible to the experts "
            "and supporters of the community.")
REJECTED = ("Your project “{title}” was not approved. The reason: “{reason}”. You can change "
            "it and send it again from “My projects”.")
QUESTION = ("The team has a question about your project “{title}”: “{question}”. Open “My "
            "projects” to answer.")


def said(language: str, message: str, **values: str) -> str:
    """What a person reading `language` is told, values isolated as the notices do."""
    t = Translator(language)
    return t.gettext(message).format(**{key: t.iso(v) for key, v in values.items()})


class People:
    """Two representatives (one reads Arabic), two animators (one with two channels)."""

    def __init__(self, uow_factory: Uow) -> None:
        with uow_factory() as uow:
            uow.session.add(Territory(code="09.581", kind="province", name_fr="Tiznit",
                                      name_ar="تيزنيت"))
            uow.session.add(Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout",
                                      name_ar="تافراوت", province_code="09.581"))
            rep = self._person(uow, "whatsapp:+212600000001", "ar", "representative")
            other_rep = self._person(uow, "telegram:2001", "fr", "representative")
            animator = self._person(uow, "telegram:1001", "fr", "animator")
            admin = self._person(uow, "telegram:1002", "en", "admin")
            uow.session.add(ChannelIdentity(id="whatsapp:+212600000002", person_id=admin.id,
                                            channel="whatsapp"))
            organisation = Organisation(name="Tamount", kind="association",
                                        commune_code=TAFRAOUT)
            uow.session.add(organisation)
            uow.session.flush()
            for who in (rep, other_rep):
                uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                                   person_id=who.id or 0))
            uow.commit()
            self.rep, self.other_rep = rep.id or 0, other_rep.id or 0
            self.animator, self.admin = animator.id or 0, admin.id or 0
            self.organisation = organisation.id or 0

    @staticmethod
    def _person(uow: UnitOfWork, identity: str, language: str, roles: str) -> Person:
        who = services.register_contact(uow, identity, language, NOW)
        who.roles = roles
        uow.session.flush()
        return who


def step(uow_factory: Uow, person_id: int, *commands: c.Command, days: int = 0
         ) -> list[tuple[str, int | None, str]]:
    """Runs one step's commands as the runner does; returns the notices it queued."""
    now = NOW + timedelta(days=days)
    with uow_factory() as uow:
        before = {row.id for row in uow.session.scalars(select(OutboxMessage))}
        who = uow.session.get(Person, person_id)
        assert who is not None
        noted = notices.before(uow, list(commands))
        for command in commands:
            services.execute(command, uow, who, now)
        uow.session.flush()
        notices.send(uow, list(commands), who, noted, now)
        uow.commit()
        rows = [r for r in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                if r.id not in before]
        return [(r.identity, r.person_id, json.loads(r.payload)["text"]) for r in rows]


def draft(uow_factory: Uow, people: People) -> None:
    step(uow_factory, people.rep, c.CreateProject(
        REF, people.organisation, TAFRAOUT, TITLE, "A well and a pump", "water", "local", None,
        "unknown", None))


def submitted(uow_factory: Uow, people: People) -> None:
    draft(uow_factory, people)
    step(uow_factory, people.rep, c.SubmitProject(REF), days=1)


# --- to the animators -----------------------------------------------------------------------

def test_a_submitted_project_is_announced_once_to_every_animator(uow_factory: Uow) -> None:
    people = People(uow_factory)
    draft(uow_factory, people)
    sent = step(uow_factory, people.rep, c.SubmitProject(REF))
    assert sorted(sent) == sorted([
        ("telegram:1001", people.animator, said("fr", NEW, title=TITLE, commune="Tafraout")),
        ("telegram:1002", people.admin, said("en", NEW, title=TITLE, commune="Tafraout"))])


def test_submitting_again_a_project_already_waiting_tells_nobody(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    assert step(uow_factory, people.rep, c.SubmitProject(REF), days=2) == []


def test_a_draft_changed_then_submitted_in_one_step_is_announced_once(uow_factory: Uow) -> None:
    people = People(uow_factory)
    draft(uow_factory, people)
    sent = step(uow_factory, people.rep, c.EditProject(REF, title="Water for all"),
                c.SubmitProject(REF))
    assert len(sent) == 2
    assert all("Water for all" in text for _identity, _pid, text in sent)


def test_an_approved_project_changed_goes_back_to_the_animators(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    step(uow_factory, people.animator, c.ReviewProject(REF, "approve"), days=2)
    sent = step(uow_factory, people.rep, c.EditProject(REF, description="Two wells"), days=3)
    assert {pid for _identity, pid, _text in sent} == {people.animator, people.admin}
    assert sorted(text for *_rest, text in sent) == sorted(
        [said("fr", NEW, title=TITLE, commune="Tafraout"),
         said("en", NEW, title=TITLE, commune="Tafraout")])


def test_a_draft_changed_tells_nobody(uow_factory: Uow) -> None:
    people = People(uow_factory)
    draft(uow_factory, people)
    assert step(uow_factory, people.rep, c.EditProject(REF, description="Two wells")) == []


def test_an_animator_reading_arabic_gets_the_commune_in_arabic_script(uow_factory: Uow) -> None:
    people = People(uow_factory)
    with uow_factory() as uow:
        admin = uow.session.get(Person, people.admin)
        assert admin is not None
        admin.language = "ar"
        uow.commit()
    draft(uow_factory, people)
    sent = dict((pid, text) for _identity, pid, text in
                step(uow_factory, people.rep, c.SubmitProject(REF)))
    assert f"{LRI}تافراوت{PDI}" in sent[people.admin]
    assert sent[people.admin] == said("ar", NEW, title=TITLE, commune="تافراوت")
    assert f"{LRI}{TITLE}{PDI}" in sent[people.admin]
    assert "(Tafraout)" in sent[people.animator]


# --- to the representatives -----------------------------------------------------------------

def test_an_approval_is_told_to_each_representative_in_their_language(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    sent = step(uow_factory, people.animator, c.ReviewProject(REF, "approve"), days=2)
    assert [(identity, pid) for identity, pid, _text in sent] == [
        ("whatsapp:+212600000001", people.rep), ("telegram:2001", people.other_rep)]
    arabic, french = sent[0][2], sent[1][2]
    assert french == said("fr", APPROVED, title=TITLE)
    assert arabic == said("ar", APPROVED, title=TITLE)
    assert f"{LRI}{TITLE}{PDI}" in arabic and arabic != french


def test_a_rejection_tells_the_representatives_the_reason(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    sent = step(uow_factory, people.animator,
                c.ReviewProject(REF, "reject", "  The budget is not detailed. "), days=2)
    assert {pid for _identity, pid, _text in sent} == {people.rep, people.other_rep}
    assert sorted(text for *_rest, text in sent) == sorted(
        said(language, REJECTED, title=TITLE, reason="The budget is not detailed.")
        for language in ("ar", "fr"))


def test_a_question_is_told_to_the_representatives(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    sent = step(uow_factory, people.animator,
                c.ReviewProject(REF, "question", "How many families?"), days=2)
    assert {pid for _identity, pid, _text in sent} == {people.rep, people.other_rep}
    assert sorted(text for *_rest, text in sent) == sorted(
        said(language, QUESTION, title=TITLE, question="How many families?")
        for language in ("ar", "fr"))


def test_a_second_decision_by_another_animator_tells_nobody(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    assert step(uow_factory, people.animator, c.ReviewProject(REF, "approve"), days=2)
    assert step(uow_factory, people.admin, c.ReviewProject(REF, "reject", "No."), days=2) == []
    assert step(uow_factory, people.admin, c.ReviewProject(REF, "approve"), days=2) == []


def test_no_notice_shows_a_phone_number_or_a_chat_id(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    sent = step(uow_factory, people.animator, c.ReviewProject(REF, "question", "Who?"), days=2)
    sent += step(uow_factory, people.rep, c.AnswerQuestion(REF, "Fatima"), days=3)
    for _identity, _pid, text in sent:
        assert "+212" not in text and "1001" not in text and "2001" not in text


# --- to the animator who asked --------------------------------------------------------------

def test_the_answer_goes_to_the_animator_who_asked_only(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    step(uow_factory, people.admin, c.ReviewProject(REF, "question", "How many families?"),
         days=2)
    sent = step(uow_factory, people.rep, c.AnswerQuestion(REF, "About 300 families."), days=3)
    assert sent == [("telegram:1002", people.admin,
                     "Answer about “Water for Tafraout”: “About 300 families.”")]


def test_a_second_answer_to_a_question_already_answered_tells_nobody(uow_factory: Uow) -> None:
    people = People(uow_factory)
    submitted(uow_factory, people)
    step(uow_factory, people.animator, c.ReviewProject(REF, "question", "Budget?"), days=2)
    assert step(uow_factory, people.rep, c.AnswerQuestion(REF, "40 000 MAD"), days=3)
    assert step(uow_factory, people.other_rep, c.AnswerQuestion(REF, "40 000"), days=3) == []


def test_membership_decisions_are_still_announced(uow_factory: Uow) -> None:
    people = People(uow_factory)
    with uow_factory() as uow:
        newcomer = services.register_contact(uow, "telegram:3001", "en", NOW)
        uow.session.flush()
        request = OrganisationMember(organisation_id=people.organisation,
                                     person_id=newcomer.id or 0, status="pending")
        uow.session.add(request)
        uow.commit()
        request_id, newcomer_id = request.id or 0, newcomer.id or 0
    sent = step(uow_factory, people.rep, c.DecideMembership(request_id, True))
    assert sent == [("telegram:3001", newcomer_id,
                     "Good news: you are now a representative of Tamount.")]
