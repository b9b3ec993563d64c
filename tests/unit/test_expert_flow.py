"""Registering as an expert by chat, step by step through `respond`, in the four languages;
and editing one field of a saved profile."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from bot.flows import respond
from bot.flows.conversation import Outcome, push_history
from bot.flows.engine import render
from bot.flows.expert import begin_edit
from bot.i18n import Translator
from bot.messages import Inbound
from core.commands import SaveExpertProfile, SkillOffered
from core.domain.experts import MAX_HOURS_PER_MONTH, Period
from core.domain.people import Role
from core.domain.territories import Candidate, Tier
from core.experts import ProfileView, SkillView
from tests.unit.support import context, inbound, person

MAIN, PROFILE = "menu.main", "profile.view"
SKILL, SKILL_PICK, LEVEL, MORE = ("expert.skill", "expert.skill_pick", "expert.level",
                                  "expert.more_skills")
LANGUAGES, COUNTRY, COUNTRY_PICK, CITY = ("expert.languages", "expert.country",
                                          "expert.country_pick", "expert.city")
TIMEZONE, ZONE_PICK, ORIGIN, ORIGIN_PICK = ("expert.timezone", "expert.timezone_pick",
                                            "expert.origin", "expert.origin_pick")
THEMES, HOURS, MODE, VISITS, VISITS_MORE = ("expert.themes", "expert.hours", "expert.mode",
                                            "expert.visits", "expert.visits_more")
PROPOSALS, CONSENT, CONFIRM = "expert.proposals", "expert.consent", "expert.confirm"

IRRIGATION = "water.irrigation_engineering"
TAFRAOUT = Candidate("09.581.01.05", "Tafraout", "تافراوت", "Tiznit", "تيزنيت", "Souss-Massa",
                     "سوس-ماسة", 5000, 100.0, Tier.EXACT)


def found(*codes: str) -> Any:
    """A skills search that finds the given skills, whatever is typed."""
    return lambda text: [SimpleNamespace(skill=SimpleNamespace(code=c)) for c in codes]


def ctx_for(language: str = "en", *, skills: Any = None, data: dict[str, Any] | None = None
            ) -> Any:
    ctx = context(person(language, consented=True, role=Role.SUPPORTER))
    territories = {"09.581.01.05": SimpleNamespace(code="09.581.01.05", name_fr="Tafraout",
                                                   name_ar="تافراوت", province_code="09.581"),
                   "09.581": SimpleNamespace(code="09.581", name_fr="Tiznit", name_ar="تيزنيت",
                                             province_code=None)}
    ctx.facts = {**ctx.facts, "skills": skills or found(IRRIGATION),
                 "communes": lambda text: [TAFRAOUT] if "tafra" in text.lower()
                 or "تافراوت" in text else [],
                 "territory": territories.get}
    ctx.data.update(data or {})
    return ctx


FR = Translator("fr").gettext


def walk(ctx: Any, state: str, steps: list[tuple[Inbound | str, str]]) -> Outcome:
    """Feeds each message in turn, checking where each one leads, keeping ctx.data."""
    outcome = Outcome(state)
    for message, expected in steps:
        msg = inbound(message) if isinstance(message, str) else message
        outcome = respond(msg, ctx, state)
        assert outcome.state == expected, (message, state, outcome.hint, outcome.say)
        push_history(ctx, state, outcome.state, outcome.back)
        state = outcome.state
    return outcome


def saved(outcome: Outcome) -> SaveExpertProfile:
    [command] = outcome.commands
    assert isinstance(command, SaveExpertProfile)
    return command


HYDRAULIC = SaveExpertProfile(
    skills=(SkillOffered(IRRIGATION, "ingénieur hydraulique", "expert"),),
    languages=("zgh", "fr"), country="FR", city="Paris", timezone="Europe/Paris",
    origin_code="09.581.01.05", themes=("water",), hours_per_month=10, mode="remote",
    visits=((date(2027, 8, 1), date(2027, 8, 31)),), proposals_per_month=2,
    accepts_proposals=True)


# --- whole registrations ------------------------------------------------------------------

def test_a_hydraulic_engineer_in_paris_registers_in_french() -> None:
    ctx = ctx_for("fr")
    outcome = walk(ctx, SKILL, [
        ("ingénieur hydraulique", SKILL_PICK), ("1", LEVEL), ("Expert", MORE),
        ("C'est tout", LANGUAGES), ("3 4", LANGUAGES), ("10", COUNTRY), ("en France", CITY),
        ("Paris", TIMEZONE), ("oui", ORIGIN), ("Tafraout", ORIGIN_PICK), ("1", THEMES),
        ("eau", THEMES), ("13", HOURS), ("10h", MODE), ("à distance", VISITS),
        ("août 2027", VISITS_MORE), ("2", PROPOSALS), ("2", CONSENT), ("oui", CONFIRM),
        ("1", MAIN)])
    assert saved(outcome) == HYDRAULIC
    assert outcome.say[0].text == FR("Your profile is saved. I will send you proposals of "
                                     "projects that need your skills.")
    assert "expert" not in ctx.data


def test_the_same_registration_in_arabic_with_darija_answers() -> None:
    ctx = ctx_for("ar")
    outcome = walk(ctx, SKILL, [
        ("مهندس ديال السقي", SKILL_PICK), ("1", LEVEL), ("3", MORE), ("2", LANGUAGES),
        ("تمازيغت", LANGUAGES), ("2", LANGUAGES), ("10", COUNTRY), ("فرانسا", CITY),
        ("باريس", TIMEZONE), ("واخا", ORIGIN), ("تافراوت", ORIGIN_PICK), ("1", THEMES),
        ("الماء", THEMES), ("13", HOURS), ("10 ساعات", MODE), ("عن بعد", VISITS),
        ("غشت 2027", VISITS_MORE), ("صافي", PROPOSALS), ("٢", CONSENT), ("نعم", CONFIRM),
        ("1", MAIN)])
    command = saved(outcome)
    assert command.languages == ("darija", "zgh")
    assert (command.country, command.city, command.timezone) == ("FR", "باريس",
                                                                 "Europe/Paris")
    assert (command.hours_per_month, command.mode, command.visits) == (
        10, "remote", ((date(2027, 8, 1), date(2027, 8, 31)),))


def test_the_same_registration_in_tamazight() -> None:
    ctx = ctx_for("zgh")
    outcome = walk(ctx, SKILL, [
        ("ⴰⵎⵙⵙⵓⴷⵙ ⵏ ⵓⵙⵙⵓ", SKILL_PICK), ("1", LEVEL), ("2", MORE), ("2", LANGUAGES),
        ("ⵜⴰⵎⴰⵣⵉⵖⵜ", LANGUAGES), ("10", COUNTRY), ("ⴼⵔⴰⵏⵙⴰ", CITY), ("Paris", TIMEZONE),
        ("1", ORIGIN), ("2", THEMES), ("1", THEMES), ("13", HOURS), ("١٠", MODE),
        ("1", VISITS), ("ⵖⵓⵛⵜ 2027", VISITS_MORE), ("2", PROPOSALS), ("2", CONSENT),
        ("1", CONFIRM), ("1", MAIN)])
    command = saved(outcome)
    assert command.skills == (SkillOffered(IRRIGATION, "ⴰⵎⵙⵙⵓⴷⵙ ⵏ ⵓⵙⵙⵓ", "practised"),)
    assert command.languages == ("zgh",) and command.origin_code is None
    assert command.timezone == "Europe/Paris" and command.hours_per_month == 10


def test_an_engineer_in_montreal_gets_the_toronto_time_zone_in_english() -> None:
    ctx = ctx_for("en")
    outcome = walk(ctx, SKILL, [
        ("irrigation engineer", SKILL_PICK), ("1", LEVEL), ("3", MORE), ("2", LANGUAGES),
        ("5 9", LANGUAGES), ("Done", COUNTRY), ("Canada", CITY), ("Montréal", TIMEZONE)])
    assert "Toronto" in render(TIMEZONE, ctx).text
    outcome = walk(ctx, TIMEZONE, [
        ("yes", ORIGIN), ("2", THEMES), ("1 2", THEMES), ("Done", HOURS), ("10", MODE),
        ("Both", VISITS), ("July–August 2027", VISITS_MORE), ("Add another period", VISITS),
        ("from 1 to 20 December 2027", VISITS_MORE), ("2", PROPOSALS), ("5", CONSENT),
        ("No", CONFIRM)])
    summary = render(CONFIRM, ctx).text
    assert "July 2027 – August 2027" in summary and "1 December 2027 – 20 December 2027" in summary
    outcome = walk(ctx, CONFIRM, [("Save", MAIN)])
    command = saved(outcome)
    assert (command.country, command.city, command.timezone) == ("CA", "Montréal",
                                                                 "America/Toronto")
    assert command.languages == ("en", "it") and command.themes == ("water", "agriculture")
    assert command.visits == ((date(2027, 7, 1), date(2027, 8, 31)),
                              (date(2027, 12, 1), date(2027, 12, 20)))
    assert (command.mode, command.proposals_per_month, command.accepts_proposals) == (
        "both", 5, False)


def test_a_city_that_names_no_time_zone_lists_the_countrys_zones() -> None:
    ctx = ctx_for("en", data={"expert": {"country": "CA"}})
    walk(ctx, CITY, [("Sherbrooke", ZONE_PICK)])
    reply = render(ZONE_PICK, ctx)
    assert reply.choices[0].key == "America/Toronto"
    assert reply.choices[-1].label == "Search by city" and len(reply.choices) <= 9
    walk(ctx, ZONE_PICK, [("1", ORIGIN)])
    assert ctx.data["expert"]["timezone"] == "America/Toronto"


def test_choosing_another_time_zone_lists_them_and_can_search_by_city() -> None:
    ctx = ctx_for("fr", data={"expert": {"country": "ES"}})
    walk(ctx, CITY, [("Madrid", TIMEZONE), ("2", ZONE_PICK), (FR("Search by city"), CITY)])


def test_the_time_zone_question_says_the_time_there() -> None:
    ctx = ctx_for("fr", data={"expert": {"country": "FR", "timezone": "Europe/Paris"}})
    text = render(TIMEZONE, ctx).text
    assert text.startswith(FR("Your time zone: {zone}. Is that right?").split("{")[0])
    assert "Paris" in render(TIMEZONE, ctx).text and "10:30" in render(TIMEZONE, ctx).text


def test_an_ambiguous_country_is_picked_from_a_list() -> None:
    ctx = ctx_for("fr")
    walk(ctx, COUNTRY, [("Congo", COUNTRY_PICK)])
    assert [c.label for c in render(COUNTRY_PICK, ctx).choices][:2] == [
        "Congo-Kinshasa", "Congo-Brazzaville"]
    walk(ctx, COUNTRY_PICK, [("2", CITY)])
    assert ctx.data["expert"]["country"] == "CG"


def test_a_skill_not_in_the_taxonomy_keeps_the_persons_words() -> None:
    ctx = ctx_for("fr", skills=found())
    walk(ctx, SKILL, [("tissage de tapis", SKILL_PICK), ("1", LEVEL), ("1", MORE)])
    assert ctx.data["expert"]["skills"] == [[None, "tissage de tapis", "learning"]]
    assert f"tissage de tapis ({FR('Learning')})" in render(MORE, ctx).text


def test_the_same_skill_twice_keeps_one_with_the_latest_level() -> None:
    ctx = ctx_for("en")
    walk(ctx, SKILL, [("irrigation", SKILL_PICK), ("1", LEVEL), ("1", MORE),
                      ("Add another skill", SKILL), ("irrigation", SKILL_PICK), ("1", LEVEL),
                      ("Expert", MORE)])
    assert ctx.data["expert"]["skills"] == [[IRRIGATION, "irrigation", "expert"]]


def test_start_again_forgets_everything_and_cancel_saves_nothing() -> None:
    ctx = ctx_for("en", data={"expert": {"skills": [[IRRIGATION, "x", "expert"]]}})
    assert walk(ctx, CONFIRM, [("Start again", SKILL)]).commands == []
    assert "expert" not in ctx.data
    ctx = ctx_for("en", data={"expert": {"skills": [[IRRIGATION, "x", "expert"]]}})
    assert walk(ctx, CONFIRM, [("3", MAIN)]).commands == []


def test_saving_an_incomplete_profile_starts_again() -> None:
    outcome = walk(ctx_for("en"), CONFIRM, [("1", SKILL)])
    assert outcome.commands == [] and "missing" in outcome.say[0].text


# --- bad input re-asks --------------------------------------------------------------------

@pytest.mark.parametrize(("state", "answer"), [
    (SKILL, "!"), (LEVEL, "7"), (LANGUAGES, "1 12"), (LANGUAGES, "Done"),
    (COUNTRY, "Zzyzzx"), (CITY, "12"), (THEMES, "Done"), (HOURS, "0"),
    (HOURS, str(MAX_HOURS_PER_MONTH + 1)), (HOURS, "10 jours"), (HOURS, "beaucoup"),
    (MODE, "peut-être"), (VISITS, "un jour"), (VISITS, "août 2020"),
    (VISITS, "2027-01-01 - 2028-12-31"), (PROPOSALS, "50"), (CONSENT, "peut-être"),
    (ORIGIN, "Atlantis"), (CONFIRM, "maybe")])
def test_an_answer_not_understood_re_asks_with_a_hint(state: str, answer: str) -> None:
    outcome = respond(inbound(answer), ctx_for("fr"), state)
    assert (outcome.state, outcome.commands) == (state, [])
    assert outcome.hint


def test_a_one_hour_answer_is_hours_not_the_menu_button() -> None:
    ctx = ctx_for("en")
    walk(ctx, HOURS, [("1", MODE)])
    assert ctx.data["expert"]["hours"] == 1


def test_the_menu_button_still_leaves_a_free_text_question() -> None:
    ctx = ctx_for("en", data={"expert": {"hours": 3}})
    outcome = respond(inbound(choice="menu"), ctx, HOURS)
    assert outcome.state == MAIN and "expert" not in ctx.data


def test_none_in_particular_leaves_the_origin_empty() -> None:
    ctx = ctx_for("ar")
    walk(ctx, ORIGIN, [("2", THEMES)])
    assert ctx.data["expert"]["origin"] is None


def test_i_do_not_know_yet_gives_no_stay_in_morocco() -> None:
    ctx = ctx_for("fr")
    walk(ctx, VISITS, [("je ne sais pas", PROPOSALS)])
    assert ctx.data["expert"].get("visits") is None


def test_the_languages_show_their_ticks() -> None:
    ctx = ctx_for("en")
    walk(ctx, LANGUAGES, [("1 3", LANGUAGES), ("1", LANGUAGES)])
    labels = [c.label for c in render(LANGUAGES, ctx).choices]
    assert labels[:3] == ["Arabic", "Darija", "✓ Tamazight"]


# --- edit mode ----------------------------------------------------------------------------

PROFILE_VIEW = ProfileView(
    skills=(SkillView(IRRIGATION, "hydraulique", "expert"),), languages=("zgh", "fr"),
    country="FR", city="Paris", timezone="Europe/Paris", origin_code="09.581.01.05",
    themes=("water",), hours_per_month=10, mode="remote",
    visits=(Period(date(2027, 8, 1), date(2027, 8, 31)),), proposals_per_month=2,
    accepts_proposals=True, paused_until=None)


def test_editing_the_hours_saves_the_whole_profile_and_goes_back_to_it() -> None:
    ctx = ctx_for("fr")
    step = begin_edit(ctx, PROFILE_VIEW, "hours")
    assert step.next == HOURS
    outcome = walk(ctx, HOURS, [("20 heures par mois", PROFILE)])
    assert saved(outcome) == SaveExpertProfile(
        skills=(SkillOffered(IRRIGATION, "hydraulique", "expert"),), languages=("zgh", "fr"),
        country="FR", city="Paris", timezone="Europe/Paris", origin_code="09.581.01.05",
        themes=("water",), hours_per_month=20, mode="remote",
        visits=((date(2027, 8, 1), date(2027, 8, 31)),), proposals_per_month=2,
        accepts_proposals=True)
    assert outcome.say[-1].text == FR("Saved.")
    assert "expert" not in ctx.data


def test_editing_the_country_asks_country_city_and_time_zone_then_saves() -> None:
    ctx = ctx_for("ar")
    assert begin_edit(ctx, PROFILE_VIEW, "country").next == COUNTRY
    outcome = walk(ctx, COUNTRY, [("لمانيا", CITY), ("برلين", TIMEZONE), ("1", PROFILE)])
    command = saved(outcome)
    assert (command.country, command.city, command.timezone) == ("DE", "برلين",
                                                                 "Europe/Berlin")
    assert command.skills == (SkillOffered(IRRIGATION, "hydraulique", "expert"),)
    assert command.origin_code == "09.581.01.05" and command.hours_per_month == 10


def test_editing_the_visits_starts_the_list_again() -> None:
    ctx = ctx_for("en")
    begin_edit(ctx, PROFILE_VIEW, "visits")
    outcome = walk(ctx, VISITS, [("summer 2027", VISITS_MORE), ("That's all", PROFILE)])
    assert saved(outcome).visits == ((date(2027, 7, 1), date(2027, 8, 31)),)


def test_the_scratch_answers_of_an_edit_are_plain_json() -> None:
    import json

    ctx = ctx_for("en")
    begin_edit(ctx, PROFILE_VIEW, "themes")
    assert json.loads(json.dumps(ctx.data["expert"]))["origin"][3] == "Tiznit"


def test_editing_an_unknown_field_goes_back_to_the_profile() -> None:
    assert begin_edit(ctx_for(), PROFILE_VIEW, "salary").next == PROFILE
