"""Registering an organisation, step by step through `respond`, and the service behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.flows import respond
from bot.flows.conversation import push_history
from bot.flows.engine import render
from bot.i18n import Translator
from core import commands as c
from core import services
from core.domain.people import Role
from core.domain.territories import Candidate, Tier
from core.models import Organisation, OrganisationMember, Person, Territory
from core.uow import UnitOfWork
from tests.unit.support import LANGUAGES, NOW, button, context, inbound, member, person

MAIN = "menu.main"
NAME, KIND = "organisation.name", "organisation.kind"
COMMUNE, PICK, CONFIRM = "organisation.commune", "organisation.commune_pick", "organisation.confirm"

TAFRAOUT = Candidate("09.581.01.05", "Tafraout", "تافراوت", "Tiznit", "تيزنيت", "Souss-Massa",
                     "سوس-ماسة", 6124, 100.0, Tier.EXACT)
TAFRAOUTEN = Candidate("09.541.09.51", "Tafraouten", "تافراوتن", "Taroudannt", "تارودانت",
                       "Souss-Massa", "سوس-ماسة", 7026, 90.0, Tier.PREFIX)


def representative(language: str = "en") -> Any:
    return person(language, consented=True, role=Role.REPRESENTATIVE)


def ctx_for(language: str = "en", *, found: list[Candidate] | None = None,
            data: dict[str, Any] | None = None, who: Any = None) -> Any:
    """Builds a representative's context whose commune search answers `found`."""
    ctx = context(who or representative(language))
    searched: list[str] = []

    def communes(text: str) -> list[Candidate]:
        searched.append(text)
        return list(found or [])

    ctx.facts = {**ctx.facts, "communes": communes}
    ctx.data.update(data or {})
    ctx.searched = searched
    return ctx


def at_confirm(language: str = "en") -> Any:
    answers = {"name": "Tamount", "kind": "cooperative",
               "commune": [TAFRAOUT.code, "Tafraout", "تافراوت", "Tiznit", "تيزنيت"]}
    return ctx_for(language, data={"organisation": answers})


# --- the menu -----------------------------------------------------------------------------

def test_a_representative_finds_projects_then_organisations_first_in_the_menu() -> None:
    reply = render(MAIN, context(representative()))
    assert [c.key for c in reply.choices] == [
        "declare", "projects", "organisation", "join", "browse", "data", "role", "language",
        "human", "erase"]
    assert reply.choices[2].label == "Register my organisation"


def test_other_roles_do_not_see_register_my_organisation() -> None:
    keys = [c.key for c in render(MAIN, context(member())).choices]
    assert "organisation" not in keys and "join" not in keys


def test_choosing_register_my_organisation_asks_for_its_name() -> None:
    outcome = respond(inbound("3"), context(representative()), MAIN)
    assert outcome.state == NAME


# --- name ---------------------------------------------------------------------------------

def test_a_name_is_kept_tidied_and_the_kind_is_asked() -> None:
    ctx = ctx_for()
    outcome = respond(inbound("  Association \u200f Tamount   Tafraout "), ctx, NAME)
    assert outcome.state == KIND
    assert ctx.data["organisation"] == {"name": "Association Tamount Tafraout"}


@pytest.mark.parametrize("text", ["x", "👍🏽🙏", "١٢٣٤", "\u200f\u202e", "a" * 121,
                                  "\u0301\u0651"])
def test_what_cannot_be_a_name_re_asks_with_a_hint(text: str) -> None:
    outcome = respond(inbound(text), ctx_for(), NAME)
    assert (outcome.state, outcome.commands) == (NAME, [])
    assert outcome.hint and "name of your organisation" in outcome.hint


@pytest.mark.parametrize("name", ["جمعية تامونت للتنمية", "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ ⵜⴰⵎⵓⵏⵜ", "Coop 2M"])
def test_names_in_any_script_are_accepted(name: str) -> None:
    assert respond(inbound(name), ctx_for(), NAME).state == KIND


def test_reply_1_at_a_free_text_question_goes_back_to_the_menu() -> None:
    outcome = respond(inbound("1"), ctx_for(), NAME)
    assert outcome.state == MAIN


# --- kind ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "kind"), [
    ("1", "association"), ("٣", "cooperative"), ("تعاونية", "cooperative"),
    ("jam3iya", "association"), ("Fédération", "federation"), ("7", "migrants_association"),
    ("GIE", "economic_interest_group"), ("8", "other")])
def test_the_kind_is_picked_by_number_name_or_alias(answer: str, kind: str) -> None:
    ctx = ctx_for("fr", data={"organisation": {"name": "Tamount"}})
    outcome = respond(inbound(answer), ctx, KIND)
    assert outcome.state == COMMUNE
    assert ctx.data["organisation"] == {"name": "Tamount", "kind": kind}


def test_the_kind_is_picked_by_a_button() -> None:
    ctx = ctx_for(data={"organisation": {"name": "Tamount"}})
    assert respond(button("enterprise", KIND), ctx, KIND).state == COMMUNE
    assert ctx.data["organisation"]["kind"] == "enterprise"


def test_an_unknown_kind_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("9"), ctx_for(), KIND)
    assert (outcome.state, outcome.hint) == (KIND, "Please choose one of the kinds in the list.")


# --- commune ------------------------------------------------------------------------------

def test_the_commune_is_searched_and_the_candidates_are_offered() -> None:
    ctx = ctx_for(found=[TAFRAOUT, TAFRAOUTEN])
    outcome = respond(inbound("tafrawt"), ctx, COMMUNE)
    assert outcome.state == PICK
    assert ctx.searched == ["tafrawt"]
    reply = render(PICK, ctx)
    assert [c.label for c in reply.choices] == [
        "Tafraout (Tiznit)", "Tafraouten (Taroudannt)", "None of these, search again"]


def test_the_candidates_are_named_in_arabic_for_an_arabic_speaker() -> None:
    ctx = ctx_for("ar", found=[TAFRAOUT])
    respond(inbound("تفراوت"), ctx, COMMUNE)
    labels = [c.label for c in render(PICK, ctx).choices]
    assert labels[0] == "تافراوت (تيزنيت)"


def test_at_most_five_candidates_are_offered() -> None:
    ctx = ctx_for(found=[TAFRAOUT] * 8)
    respond(inbound("taf"), ctx, COMMUNE)
    assert len(render(PICK, ctx).choices) == 6


def test_a_commune_that_is_not_found_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("Paris"), ctx_for(found=[]), COMMUNE)
    assert outcome.state == COMMUNE
    assert outcome.hint and outcome.hint.startswith("I found no commune with that name.")


def test_without_a_commune_search_the_question_is_asked_again() -> None:
    outcome = respond(inbound("tafraout"), context(representative()), COMMUNE)
    assert outcome.state == COMMUNE and outcome.hint


@pytest.mark.parametrize("answer", ["2", "٢", "Tafraouten (Taroudannt)"])
def test_a_candidate_is_picked_by_digit_or_name(answer: str) -> None:
    ctx = ctx_for(found=[TAFRAOUT, TAFRAOUTEN])
    respond(inbound("tafraout"), ctx, COMMUNE)
    outcome = respond(inbound(answer), ctx, PICK)
    assert outcome.state == CONFIRM
    assert ctx.data["organisation"]["commune"][0] == TAFRAOUTEN.code


def test_none_of_these_searches_again() -> None:
    ctx = ctx_for(found=[TAFRAOUT])
    respond(inbound("tafraout"), ctx, COMMUNE)
    assert respond(inbound("2"), ctx, PICK).state == COMMUNE


def test_a_number_out_of_the_list_re_asks_with_a_hint() -> None:
    ctx = ctx_for(found=[TAFRAOUT])
    respond(inbound("tafraout"), ctx, COMMUNE)
    outcome = respond(inbound("4"), ctx, PICK)
    assert (outcome.state, outcome.hint) == (PICK, "Please choose a number from the list.")


# --- confirmation -------------------------------------------------------------------------

def test_the_confirmation_sums_up_the_answers() -> None:
    text = render(CONFIRM, at_confirm()).text
    assert text == ("Register this organisation?\n• Name: Tamount\n• Kind: Cooperative\n"
                    "• Commune: Tafraout (Tiznit)")


def test_confirming_registers_the_organisation_and_goes_back_to_the_menu() -> None:
    ctx = at_confirm()
    outcome = respond(inbound("1"), ctx, CONFIRM)
    assert outcome.state == MAIN
    assert outcome.commands == [c.RegisterOrganisation("Tamount", "cooperative", TAFRAOUT.code)]
    assert [r.text for r in outcome.say] == ["Tamount is registered. You are its representative."]
    assert "organisation" not in ctx.data


def test_declining_registers_nothing() -> None:
    outcome = respond(inbound("non"), at_confirm("fr"), CONFIRM)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert [r.text for r in outcome.say] == ["Rien n'a été enregistré."]


def test_confirming_with_answers_missing_starts_over() -> None:
    outcome = respond(inbound("1"), ctx_for(), CONFIRM)
    assert (outcome.state, outcome.commands) == (NAME, [])


# --- a whole registration, global words ---------------------------------------------------

def test_a_whole_registration_walks_name_kind_commune_pick_confirm() -> None:
    ctx = ctx_for("ar", found=[TAFRAOUT, TAFRAOUTEN])
    state = MAIN
    for answer, expected in [("٣", NAME), ("جمعية تامونت", KIND), ("١", COMMUNE),
                             ("تفراوت", PICK), ("١", CONFIRM), ("نعم", MAIN)]:
        outcome = respond(inbound(answer), ctx, state)
        assert outcome.state == expected, answer
        push_history(ctx, state, outcome.state, outcome.back)
        state = outcome.state
    assert outcome.commands == [c.RegisterOrganisation("جمعية تامونت", "association",
                                                       TAFRAOUT.code)]


def test_back_at_the_kind_returns_to_the_name() -> None:
    ctx = ctx_for()
    push_history(ctx, MAIN, NAME, back=False)
    push_history(ctx, NAME, KIND, back=False)
    assert respond(inbound("back"), ctx, KIND).state == NAME


def test_back_at_the_choice_of_commune_returns_to_the_search() -> None:
    ctx = ctx_for()
    for previous, nxt in [(MAIN, NAME), (NAME, KIND), (KIND, COMMUNE), (COMMUNE, PICK)]:
        push_history(ctx, previous, nxt, back=False)
    assert respond(inbound("retour"), ctx, PICK).state == COMMUNE


@pytest.mark.parametrize("state", [NAME, KIND, COMMUNE, PICK, CONFIRM])
def test_cancel_returns_to_the_menu_in_every_state(state: str) -> None:
    outcome = respond(inbound("cancel"), ctx_for(), state)
    assert (outcome.state, outcome.commands) == (MAIN, [])


# --- every language -----------------------------------------------------------------------

QUESTIONS = {
    NAME: "What is the name of your organisation?",
    KIND: "What kind of organisation is it?",
    COMMUNE: "In which commune is it? Please write the name of the commune.",
    PICK: "Which of these communes is it?",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", list(QUESTIONS))
def test_every_question_is_asked_in_the_persons_language(state: str, language: str) -> None:
    t = Translator(language)
    reply = render(state, ctx_for(language))
    assert reply.text == t.gettext(QUESTIONS[state])
    assert language == "en" or reply.text != QUESTIONS[state]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kinds_and_the_confirmation_are_translated(language: str) -> None:
    t = Translator(language)
    kinds = [c.label for c in render(KIND, ctx_for(language)).choices]
    assert kinds[2] == t.gettext("Cooperative") and len(kinds) == 8
    text = render(CONFIRM, at_confirm(language)).text
    assert text.startswith(t.gettext("Register this organisation?"))
    assert ("تافراوت" if language == "ar" else "Tafraout") in text


def test_a_latin_name_is_isolated_in_arabic_text() -> None:
    text = render(CONFIRM, at_confirm("ar")).text
    assert "\u2068Tamount\u2069" in text


# --- the service --------------------------------------------------------------------------

Uow = Callable[[], UnitOfWork]


def add_commune(uow_factory: Uow) -> int:
    with uow_factory() as uow:
        uow.session.add(Territory(code=TAFRAOUT.code, kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت", province_code="09.581"))
        person_row = services.register_contact(uow, "whatsapp:+212600000077", "fr", NOW)
        person_row.roles = "representative"
        uow.commit()
        assert person_row.id is not None
        return person_row.id


def test_registering_makes_the_person_its_representative(uow_factory: Uow) -> None:
    pid = add_commune(uow_factory)
    with uow_factory() as uow:
        who = uow.session.get(Person, pid)
        assert who is not None
        services.execute(c.RegisterOrganisation("  Tamount ", "cooperative", TAFRAOUT.code),
                         uow, who, NOW)
        uow.commit()
    with uow_factory() as uow:
        organisation = uow.session.scalars(select(Organisation)).one()
        assert (organisation.name, organisation.kind, organisation.commune_code,
                organisation.created_by) == ("Tamount", "cooperative", TAFRAOUT.code, pid)
        membership = uow.session.scalars(select(OrganisationMember)).one()
        assert (membership.organisation_id, membership.person_id, membership.role,
                membership.status) == (organisation.id, pid, "representative", "active")


@pytest.mark.parametrize("command", [
    c.RegisterOrganisation("Tamount", "club", TAFRAOUT.code),
    c.RegisterOrganisation("Tamount", "cooperative", "99.999"),
    c.RegisterOrganisation("   ", "cooperative", TAFRAOUT.code)])
def test_an_organisation_that_makes_no_sense_is_refused(uow_factory: Uow,
                                                         command: c.RegisterOrganisation) -> None:
    pid = add_commune(uow_factory)
    with uow_factory() as uow:
        who = uow.session.get(Person, pid)
        with pytest.raises(ValueError):
            services.execute(command, uow, who, NOW)


def test_erasing_the_person_keeps_the_organisation_but_not_the_membership(
        uow_factory: Uow) -> None:
    pid = add_commune(uow_factory)
    with uow_factory() as uow:
        who = uow.session.get(Person, pid)
        services.execute(c.RegisterOrganisation("Tamount", "association", TAFRAOUT.code),
                         uow, who, NOW)
        uow.commit()
    with uow_factory() as uow:
        services.execute(c.ErasePerson(), uow, uow.session.get(Person, pid), NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.session.scalars(select(OrganisationMember)).all() == []
        assert uow.session.scalars(select(Organisation.created_by)).all() == [None]


def test_a_request_decided_by_someone_else_meanwhile_is_not_announced_again(
        uow_factory: Callable[[], UnitOfWork]) -> None:
    from bot import notices

    with uow_factory() as uow:
        uow.session.add(Territory(code="09.581.01.05", kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت", key_latin="tafraut", key_arabic="تافراوت"))
        founder, newcomer = Person(language="fr"), Person(language="en")
        uow.session.add_all([founder, newcomer])
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="cooperative",
                                    commune_code="09.581.01.05")
        uow.session.add(organisation)
        uow.session.flush()
        request = OrganisationMember(organisation_id=organisation.id, person_id=newcomer.id,
                                     status="active")  # accepted a moment ago
        uow.session.add(request)
        uow.session.flush()
        assert request.id is not None
        assert notices.before(uow, [c.DecideMembership(request.id, True)]).requests == {}
        request.status = "pending"
        uow.session.flush()
        assert notices.before(uow, [c.DecideMembership(request.id, True)]).requests == {
            request.id: (newcomer.id, "Tamount")}
