"""The pre-diagnosis, the needs it suggests, entering needs and the needs summary, step by step
through `respond`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.flows import respond
from bot.flows.engine import STATES, render
from bot.i18n import Translator
from core import commands as c
from core import skills
from core.domain.people import Role
from core.domain.projects import MAX_NEEDS, STUDY_SKILL
from core.projects import NeedView, ProjectCard
from tests.unit.support import LANGUAGES, button, context, inbound, person

REF = "P-7K3QH2"
MAIN, MINE = "menu.main", "mine.project"
PROBLEM, BENEFICIARIES = "diagnosis.problem", "diagnosis.beneficiaries"
EXISTING, MISSING, MAINTENANCE = "diagnosis.existing", "diagnosis.missing", "diagnosis.maintenance"
PROPOSE, SUMMARY, REMOVE = "needs.propose", "needs.summary", "needs.remove"
KIND, SKILL, SKILL_PICK, MODE = "need.kind", "need.skill", "need.skill_pick", "need.mode"
EFFORT, DATE, AMOUNT, PURPOSE = "need.effort", "need.date", "need.amount", "need.purpose"
MATERIALS, QUANTITY, PARTNER = "need.materials", "need.quantity", "need.partner"
MY_STATES = [PROBLEM, BENEFICIARIES, EXISTING, MISSING, MAINTENANCE, PROPOSE, KIND, SKILL,
             SKILL_PICK, MODE, EFFORT, DATE, AMOUNT, PURPOSE, MATERIALS, QUANTITY, PARTNER,
             SUMMARY, REMOVE]


def a_need(need_id: int = 11, kind: str = "money", status: str = "open") -> NeedView:
    return NeedView(need_id, kind, "A well", None, None, "MAD", 40000, 0, 0, None, status)


def a_card(status: str = "draft", needs: tuple[NeedView, ...] = ()) -> ProjectCard:
    return ProjectCard(
        id=3, ref=REF, title="Irrigation of Tafraout", description="Drip irrigation.",
        theme="water", kind="local", peer=None, pcd="unknown", pcd_reference=None,
        status=status, organisation_id=5, organisation="Tamount", commune_code="09.581.01.05",
        commune_fr="Tafraout", commune_ar="تافراوت", province_fr="Tiznit", province_ar="تيزنيت",
        reject_reason=None, question=None, submitted_at=None,
        updated_at=datetime(2026, 2, 1, tzinfo=UTC), needs=needs)


def ctx_for(language: str = "en", *, status: str = "draft", needs: tuple[NeedView, ...] = (),
            data: dict[str, Any] | None = None, ref: str | None = REF) -> Any:
    """Builds a representative's context working on project REF (a draft by default)."""
    ctx = context(person(language, consented=True, role=Role.REPRESENTATIVE))
    cards = {REF: a_card(status, needs)}
    ctx.facts = {**ctx.facts, "project": cards.get,
                 "skills": lambda text: skills.search(text, 5)}
    if ref is not None:
        ctx.data["project_ref"] = ref
    ctx.data.update(data or {})
    return ctx


def say(ctx: Any, state: str, *answers: str) -> Any:
    """Answers several questions in a row; returns the last outcome."""
    outcome = None
    for answer in answers:
        outcome = respond(inbound(answer), ctx, state)
        state = outcome.state
    return outcome


def drafting(draft: dict[str, Any], queue: list[str] | None = None, **kwargs: Any) -> Any:
    return ctx_for(data={"need": {"ref": REF, "draft": draft, "queue": queue or []}}, **kwargs)


def keys(reply: Any) -> list[str]:
    return [choice.key for choice in reply.choices]


# --- the questionnaire --------------------------------------------------------------------------

ANSWERS = {
    "ar": ("لا يوجد ماء للسقي", "٢٠٠ فلاح", "بئر وأرض", "جمعية الفلاحين"),
    "zgh": ("ⵓⵔ ⵉⵍⵍⵉ ⵡⴰⵎⴰⵏ", "200 ⵏ ⵉⴼⵍⵍⴰⵃⵏ", "ⴰⵏⵓ ⴷ ⵡⴰⴽⴰⵍ", "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ"),
    "fr": ("Pas d'eau pour irriguer", "200 agriculteurs", "Un puits et un terrain",
           "L'association des irrigants"),
    "en": ("No water to irrigate", "200 farmers", "A well and land", "The farmers' association"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_questionnaire_is_answered_and_saved_in_every_language(language: str) -> None:
    ctx = ctx_for(language)
    problem, beneficiaries, existing, maintenance = ANSWERS[language]
    assert say(ctx, PROBLEM, problem).state == BENEFICIARIES
    assert say(ctx, BENEFICIARIES, beneficiaries).state == EXISTING
    assert say(ctx, EXISTING, existing).state == MISSING
    assert say(ctx, MISSING, "١ ٣").state == MISSING
    assert say(ctx, MISSING, "6").state == MAINTENANCE
    outcome = say(ctx, MAINTENANCE, maintenance)
    assert outcome.commands == [c.SaveDiagnosis(REF, problem, beneficiaries, existing,
                                                ("study", "skill"), maintenance)]
    assert outcome.state == PROPOSE
    assert "diagnosis" not in ctx.data
    assert ctx.data["need"]["queue"] == ["study", "skill"]
    for state in (PROBLEM, BENEFICIARIES, EXISTING, MISSING, MAINTENANCE, PROPOSE):
        assert render(state, ctx).text.strip()


@pytest.mark.parametrize(("state", "question"), [
    (PROBLEM, "What problem does the project solve?"),
    (BENEFICIARIES, "Who will benefit, and about how many people?"),
    (EXISTING, "What exists already: land, building, water source, equipment, a study...?"),
    (MAINTENANCE, "Who will run and maintain it afterwards?")])
def test_each_free_text_question_offers_the_way_back_to_the_menu(state: str,
                                                                 question: str) -> None:
    reply = render(state, ctx_for())
    assert reply.text == question
    assert keys(reply) == ["menu"]


@pytest.mark.parametrize("text", ["x", "👍🏽🙏", "١٢٣٤", "\u200f\u202e", "a" * 2001, ""])
def test_an_answer_without_letters_re_asks_with_a_hint(text: str) -> None:
    outcome = respond(inbound(text), ctx_for(), PROBLEM)
    assert (outcome.state, outcome.commands) == (PROBLEM, [])
    assert outcome.hint


def test_the_number_of_beneficiaries_alone_is_an_answer() -> None:
    ctx = ctx_for()
    assert say(ctx, BENEFICIARIES, "120").state == EXISTING
    assert ctx.data["diagnosis"]["beneficiaries"] == "120"


def test_reply_1_leaves_the_questionnaire_and_forgets_its_answers() -> None:
    ctx = ctx_for(data={"diagnosis": {"problem": "No water"}})
    assert say(ctx, EXISTING, "1").state == MAIN
    assert "diagnosis" not in ctx.data


# --- what is missing ------------------------------------------------------------------------------

def ticked(ctx: Any) -> list[str]:
    return [c.key for c in render(MISSING, ctx).choices if c.label.startswith("✓")]


def test_each_pick_ticks_then_unticks_and_the_list_is_shown_again() -> None:
    ctx = ctx_for()
    outcome = say(ctx, MISSING, "1")
    assert (outcome.state, outcome.ask) == (MISSING, True) and outcome.hint
    assert ticked(ctx) == ["study"]
    say(ctx, MISSING, "4")
    assert ticked(ctx) == ["study", "equipment"]
    say(ctx, MISSING, "1")
    assert ticked(ctx) == ["equipment"]
    assert keys(render(MISSING, ctx)) == ["study", "budget", "skill", "equipment", "partner",
                                          "done", "none"]


@pytest.mark.parametrize("text", ["1 3", "١ ٣", "1,3", "1, 3", "1 و 3", "1 et 3", "3 1"])
def test_several_numbers_at_once_tick_each_of_them(text: str) -> None:
    ctx = ctx_for()
    assert say(ctx, MISSING, text).state == MISSING
    assert ticked(ctx) == ["study", "skill"]


@pytest.mark.parametrize("text", ["1 9", "0 2", "1 000 000", "hello", "٩"])
def test_numbers_outside_the_list_re_ask(text: str) -> None:
    ctx = ctx_for()
    outcome = say(ctx, MISSING, text)
    assert outcome.state == MISSING and outcome.hint
    assert ticked(ctx) == []


def test_a_button_and_a_name_tick_too() -> None:
    ctx = ctx_for("fr")
    respond(button("partner", MISSING), ctx, MISSING)
    say(ctx, MISSING, "دراسة")
    assert ticked(ctx) == ["study", "partner"]


def test_nothing_is_missing_clears_the_ticks_and_leads_to_the_summary_after_maintenance() -> None:
    ctx = ctx_for(data={"diagnosis": {"problem": "p1", "beneficiaries": "b1", "existing": "e1",
                                      "missing": ["study"]}})
    assert say(ctx, MISSING, "7").state == MAINTENANCE
    outcome = say(ctx, MAINTENANCE, "The commune")
    assert outcome.commands == [c.SaveDiagnosis(REF, "p1", "b1", "e1", (), "The commune")]
    assert outcome.state == SUMMARY


def test_done_with_ticks_keeps_them() -> None:
    ctx = ctx_for(data={"diagnosis": {"missing": ["budget", "partner"]}})
    assert say(ctx, MISSING, "Done").state == MAINTENANCE
    outcome = say(ctx, MAINTENANCE, "The commune")
    assert outcome.commands[0].missing == ("budget", "partner")
    assert ctx.data["need"]["queue"] == ["budget", "partner"]


# --- the needs the answers suggest --------------------------------------------------------------

def test_a_proposal_names_the_need_and_offers_add_or_skip() -> None:
    reply = render(PROPOSE, drafting({}, ["budget"]))
    assert reply.text == "Your answers suggest this need: money for the budget. Add it?"
    assert keys(reply) == ["add", "skip"]


@pytest.mark.parametrize(("item", "first"), [
    ("study", MODE), ("skill", SKILL), ("budget", AMOUNT), ("equipment", MATERIALS),
    ("partner", PARTNER)])
def test_adding_a_proposal_opens_the_right_need_questions(item: str, first: str) -> None:
    other = "budget" if item == "partner" else "partner"
    ctx = drafting({}, [item, other])
    assert say(ctx, PROPOSE, "1").state == first
    assert ctx.data["need"]["queue"] == [other]


def test_a_study_is_a_skill_need_preset_with_the_study_skill() -> None:
    ctx = drafting({}, ["study"])
    outcome = say(ctx, PROPOSE, "Add it", "3", "15", "No particular date")
    assert outcome.commands == [c.AddNeed(REF, "skill", "", STUDY_SKILL, "either", "days", 15,
                                          None)]
    assert outcome.state == SUMMARY


def test_skipping_goes_to_the_next_proposal_then_to_the_summary() -> None:
    ctx = drafting({}, ["budget", "partner"])
    outcome = say(ctx, PROPOSE, "2")
    assert (outcome.state, outcome.commands) == (PROPOSE, [])
    assert "a partner" in render(PROPOSE, ctx).text
    assert say(ctx, PROPOSE, "Skip it").state == SUMMARY


def test_after_a_need_is_added_the_next_proposal_comes() -> None:
    ctx = drafting({}, ["budget", "partner"])
    outcome = say(ctx, PROPOSE, "1", "40000", "A new well")
    assert outcome.commands[0].kind == "money"
    assert outcome.state == PROPOSE
    assert say(ctx, PROPOSE, "1", "A buyer of our produce").commands[0].kind == "partner"


def test_proposals_of_another_project_are_not_made() -> None:
    ctx = ctx_for(data={"need": {"ref": "P-OTHER2", "queue": ["budget"]}})
    reply = render(PROPOSE, ctx)
    assert keys(reply) == ["next"]
    assert say(ctx, PROPOSE, "1").state == SUMMARY


def test_a_project_with_all_its_needs_refuses_one_more() -> None:
    needs = tuple(a_need(i) for i in range(MAX_NEEDS))
    ctx = drafting({}, ["budget"], needs=needs)
    outcome = say(ctx, PROPOSE, "1")
    assert outcome.state == SUMMARY and "remove one" in outcome.say[0].text
    assert say(ctx_for(needs=needs), KIND, "2").state == SUMMARY


# --- a skill ------------------------------------------------------------------------------------

def test_a_skill_is_searched_picked_and_added_with_mode_effort_and_date() -> None:
    ctx = ctx_for()
    assert say(ctx, KIND, "1").state == SKILL
    assert say(ctx, SKILL, "irrigation goutte à goutte").state == SKILL_PICK
    reply = render(SKILL_PICK, ctx)
    assert [c.label for c in reply.choices] == ["Drip irrigation", "Other: keep my words",
                                                "Search again"]
    assert say(ctx, SKILL_PICK, "1").state == MODE
    assert say(ctx, MODE, "2").state == EFFORT
    outcome = say(ctx, EFFORT, "10")
    assert outcome.state == DATE and outcome.say[0].text == "Noted: 10 days."
    outcome = say(ctx, DATE, "June 2027")
    assert outcome.commands == [c.AddNeed(REF, "skill", "", "water.drip_irrigation", "on_site",
                                          "days", 10, date(2027, 6, 30))]
    assert outcome.state == SUMMARY
    assert outcome.say[0].text.startswith("Added: Drip irrigation, on site — 10 days needed")
    assert "draft" not in ctx.data["need"]


def test_skill_names_are_shown_in_the_readers_language() -> None:
    ctx = ctx_for("fr")
    say(ctx, SKILL, "comptabilité")
    assert render(SKILL_PICK, ctx).choices[0].label == skills.search("comptabilité")[0] \
        .skill.label("fr")


def test_other_keeps_the_persons_words_without_a_skill_code() -> None:
    ctx = ctx_for()
    say(ctx, SKILL, "Making couscous for 300 guests")
    choices = render(SKILL_PICK, ctx).choices
    other = next(i for i, ch in enumerate(choices, 1) if ch.key == "other")
    outcome = say(ctx, SKILL_PICK, str(other), "1", "20 h", "No particular date")
    assert outcome.commands == [c.AddNeed(REF, "skill", "Making couscous for 300 guests", None,
                                          "remote", "hours", 20, None)]


def test_no_skill_found_says_so_and_offers_other_or_search_again() -> None:
    ctx = ctx_for()
    say(ctx, SKILL, "zzzz qqqq")
    reply = render(SKILL_PICK, ctx)
    assert reply.text.startswith("I found no skill")
    assert keys(reply) == ["other", "again"]
    assert say(ctx, SKILL_PICK, "2").state == SKILL


@pytest.mark.parametrize(("text", "hint"), [
    ("abc", "number of days or hours"), ("0", "number of days or hours"),
    ("10 apples", "number of days or hours")])
def test_an_effort_not_understood_re_asks(text: str, hint: str) -> None:
    outcome = say(drafting({"kind": "skill", "skill_code": STUDY_SKILL}), EFFORT, text)
    assert outcome.state == EFFORT and hint in outcome.hint


def test_an_effort_in_weeks_is_repeated_in_working_days() -> None:
    outcome = say(drafting({"kind": "skill", "skill_code": STUDY_SKILL}), EFFORT, "2 semaines")
    assert outcome.say[0].text == "Noted: 10 days."


@pytest.mark.parametrize(("text", "hint"), [
    ("January 2020", "passed"), ("June 2035", "years away"), ("someday", "month and a year"),
    ("31/06/2027", "month and a year")])
def test_a_date_past_too_far_or_not_understood_re_asks(text: str, hint: str) -> None:
    outcome = say(drafting({"kind": "skill", "skill_code": STUDY_SKILL}), DATE, text)
    assert (outcome.state, outcome.commands) == (DATE, [])
    assert hint in outcome.hint


def test_the_date_question_offers_no_particular_date() -> None:
    assert [c.label for c in render(DATE, ctx_for()).choices] == ["Back to the menu",
                                                                   "No particular date"]


def test_a_need_whose_answers_were_lost_starts_again() -> None:
    outcome = say(ctx_for(), DATE, "No particular date")
    assert (outcome.state, outcome.commands) == (KIND, [])


# --- money, materials, a partner ----------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_money_is_added_with_its_amount_and_purpose(language: str) -> None:
    ctx = ctx_for(language)
    assert say(ctx, KIND, "2").state == AMOUNT
    outcome = say(ctx, AMOUNT, "٤٠ ألف درهم")
    assert outcome.state == PURPOSE and outcome.say
    outcome = say(ctx, PURPOSE, "حفر بئر")
    assert outcome.commands == [c.AddNeed(REF, "money", "حفر بئر", None, None, "MAD", 40000,
                                          None)]
    assert outcome.state == SUMMARY


@pytest.mark.parametrize("text", ["0", "-5", "abc", "2000000000", "ⵙⵉⵏ"])
def test_an_amount_not_understood_or_too_big_re_asks(text: str) -> None:
    outcome = say(ctx_for(), AMOUNT, text)
    assert (outcome.state, outcome.commands) == (AMOUNT, [])
    assert "amount in dirhams" in outcome.hint


def test_materials_are_added_with_how_many() -> None:
    ctx = ctx_for()
    assert say(ctx, KIND, "3", "Plastic pipes").state == QUANTITY
    assert say(ctx, QUANTITY, "0").state == QUANTITY
    outcome = say(ctx, QUANTITY, "300")
    assert outcome.commands == [c.AddNeed(REF, "materials", "Plastic pipes", None, None, "items",
                                          300, None)]


def test_a_partner_is_added_with_what_is_sought() -> None:
    outcome = say(ctx_for("fr"), KIND, "4", "Une coopérative qui achète l'huile d'argan")
    assert outcome.commands == [c.AddNeed(REF, "partner",
                                          "Une coopérative qui achète l'huile d'argan")]
    fr = Translator("fr")
    partner = fr.gettext("Partner: {who}").format(who="Une coopérative qui achète l'huile d'argan")
    assert outcome.say[0].text.startswith(fr.gettext("Added: {need}").format(need=partner))


def test_back_from_the_kind_of_need_returns_to_the_summary() -> None:
    assert say(ctx_for(), KIND, "5").state == SUMMARY


def test_reply_1_in_a_need_question_leaves_and_forgets_the_proposals() -> None:
    ctx = drafting({"kind": "money"}, ["partner"])
    assert say(ctx, PURPOSE, "1").state == MAIN
    assert "need" not in ctx.data


# --- the summary --------------------------------------------------------------------------------

def test_a_draft_without_needs_says_so_and_may_still_be_sent() -> None:
    reply = render(SUMMARY, ctx_for())
    assert "No needs entered yet." in reply.text
    assert keys(reply) == ["add", "send", "later"]


def test_the_summary_lists_the_open_needs_only() -> None:
    ctx = ctx_for(needs=(a_need(11), a_need(12, status="closed")))
    reply = render(SUMMARY, ctx)
    assert reply.text.count("•") == 1 and "A well" in reply.text
    assert keys(reply) == ["add", "remove", "send", "later"]


def test_sending_for_review_submits_the_project() -> None:
    outcome = say(ctx_for(status="rejected"), SUMMARY, "Send it for review")
    assert outcome.commands == [c.SubmitProject(REF)]
    assert outcome.state == MAIN
    assert outcome.say[0].text.startswith("Sent! An animator will review it")


def test_finishing_later_keeps_the_draft() -> None:
    outcome = say(ctx_for(), SUMMARY, "3")
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert "My projects" in outcome.say[0].text


@pytest.mark.parametrize("status", ["awaiting_review", "open", "in_progress"])
def test_a_project_past_the_draft_offers_done(status: str) -> None:
    ctx = ctx_for(status=status, needs=(a_need(),))
    assert keys(render(SUMMARY, ctx)) == ["add", "remove", "done"]
    outcome = say(ctx, SUMMARY, "3")
    assert outcome.state == (MINE if MINE in STATES else MAIN)
    assert outcome.commands == []


def test_a_completed_project_shows_its_needs_without_changes() -> None:
    assert keys(render(SUMMARY, ctx_for(status="completed", needs=(a_need(),)))) == ["done"]


def test_adding_from_the_summary_asks_the_kind_and_forgets_old_proposals() -> None:
    ctx = drafting({}, ["budget"])
    assert say(ctx, SUMMARY, "1").state == KIND
    assert say(ctx, KIND, "4", "A buyer").state == SUMMARY


def test_removing_a_need_closes_it() -> None:
    ctx = ctx_for(needs=(a_need(11), a_need(12, kind="partner")))
    assert say(ctx, SUMMARY, "2").state == REMOVE
    assert keys(render(REMOVE, ctx)) == ["11", "12", "back"]
    outcome = say(ctx, REMOVE, "2")
    assert outcome.commands == [c.SetNeedStatus(12, "closed")]
    assert outcome.state == SUMMARY
    assert say(ctx, REMOVE, "3").state == SUMMARY


def test_an_unknown_need_number_re_asks() -> None:
    outcome = say(ctx_for(needs=(a_need(11),)), REMOVE, "7")
    assert (outcome.state, outcome.commands) == (REMOVE, []) and outcome.hint


# --- no project ---------------------------------------------------------------------------------

@pytest.mark.parametrize("state", MY_STATES)
@pytest.mark.parametrize(("ref", "says"), [(None, "No project is selected"),
                                           ("P-GONE22", "cannot find the project")])
def test_without_a_project_every_question_says_so_and_leads_back_to_the_menu(
        state: str, ref: str | None, says: str) -> None:
    ctx = ctx_for(ref=ref)
    reply = render(state, ctx)
    assert says in reply.text
    assert [c.label for c in reply.choices] == ["Back to the menu"]
    outcome = say(ctx, state, "hello there")
    assert outcome.commands == []
    assert outcome.state == state and outcome.hint
    assert say(ctx, state, "1").state == MAIN


@pytest.mark.parametrize("state", [PROBLEM, KIND, AMOUNT, MISSING])
def test_a_closed_project_can_no_longer_be_changed(state: str) -> None:
    ctx = ctx_for(status="closed")
    assert "can no longer be changed" in render(state, ctx).text
    assert say(ctx, state, "1").state == MAIN
