"""An expert's profile by chat: every field shown, a field changed, proposals paused and
resumed, in the four languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from babel.dates import format_date

from bot.flows import expert, respond
from bot.flows.engine import STATES, Step, render
from bot.flows.profile import FIELDS, pause_until
from bot.i18n import FORMAT_LOCALES, Translator
from core.commands import PauseProposals
from core.domain.experts import Period
from core.domain.people import Role
from core.experts import ProfileView, SkillView
from core.skills import default_index
from tests.unit.support import LANGUAGES, NOW, button, context, inbound, person

MAIN, VIEW, EDIT, PAUSE = "menu.main", "profile.view", "profile.edit", "profile.pause"
TODAY = NOW.date()  # 1 March 2026

PROFILE = ProfileView(
    skills=(SkillView("water.irrigation_engineering", "irrigation", "expert"),
            SkillView(None, "Tifinagh calligraphy", "learning")),
    languages=("fr", "zgh", "darija"), country="FR", city="Lyon", timezone="Europe/Paris",
    origin_code="09.581.01.05", themes=("water", "education"), hours_per_month=10,
    mode="remote", visits=(Period(date(2026, 8, 1), date(2026, 8, 31)),),
    proposals_per_month=2, accepts_proposals=True, paused_until=None)
PLACES = {
    "09.581.01.05": SimpleNamespace(code="09.581.01.05", kind="commune", name_fr="Tafraout",
                                    name_ar="تافراوت", province_code="09.581"),
    "09.581": SimpleNamespace(code="09.581", kind="province", name_fr="Tiznit",
                              name_ar="تيزنيت", province_code=None),
}


def expert_ctx(language: str = "en", profile: ProfileView | None = PROFILE,
               data: dict[str, Any] | None = None) -> Any:
    """Builds an expert's context whose profile fact is `profile`."""
    ctx = context(person(language, consented=True, role=Role.EXPERT))
    ctx.facts = {**ctx.facts, "profile": profile, "territory": PLACES.get}
    ctx.data.update(data or {})
    return ctx


def long_date(language: str, value: date) -> str:
    return format_date(value, "long", locale=FORMAT_LOCALES[language])


# --- the profile shown --------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_profile_shows_every_field_in_the_readers_language(language: str) -> None:
    ctx = expert_ctx(language)
    text = render(VIEW, ctx).text
    skill = default_index().taxonomy.skill("water.irrigation_engineering")
    assert skill is not None and skill.label(language) in text
    assert "Tifinagh calligraphy" in text  # the person's own words, when nothing fitted
    assert "Lyon" in text and "Europe/Paris" in text
    assert {"en": "France", "fr": "France", "ar": "فرنسا", "zgh": "ⴼⵔⴰⵏⵙⴰ"}[language] in text
    assert ("تافراوت" if language == "ar" else "Tafraout") in text
    assert ("تيزنيت" if language == "ar" else "Tiznit") in text
    t = Translator(language)
    assert t.gettext("Water") in text and t.gettext("Education") in text
    assert t.gettext("remotely") in text and t.number(10) in text
    assert long_date(language, date(2026, 8, 1)) in text
    assert long_date(language, date(2026, 8, 31)) in text
    assert t.gettext("Darija") in text
    assert "2" in text


def test_the_profile_names_languages_levels_and_proposals_in_english() -> None:
    text = render(VIEW, expert_ctx("en")).text
    assert "Irrigation engineering (expert)" in text
    assert "Tifinagh calligraphy (learning)" in text
    assert "French, Standard Moroccan Tamazight, Darija" in text
    assert "Lyon, France (Europe/Paris)" in text
    assert "Tafraout (Tiznit)" in text
    assert "10 hours a month, remotely" in text
    assert "August 1, 2026 to August 31, 2026" in text
    assert "Proposals: on, at most 2 proposals a month" in text
    assert "Paused" not in text


def test_a_profile_without_origin_hours_or_visits_says_so() -> None:
    bare = replace(PROFILE, origin_code=None, hours_per_month=None, mode=None, visits=(),
                   accepts_proposals=False)
    text = render(VIEW, expert_ctx(profile=bare)).text
    assert "none in particular" in text and "not given" in text and "none planned" in text
    assert "Proposals: off" in text


def test_a_pause_still_on_is_shown_with_its_date_and_can_be_ended() -> None:
    ctx = expert_ctx(profile=replace(PROFILE, paused_until=date(2026, 9, 1)))
    reply = render(VIEW, ctx)
    assert "Paused until September 1, 2026" in reply.text
    assert [c.key for c in reply.choices] == ["edit", "pause", "resume", "menu"]


@pytest.mark.parametrize("until", [date(2026, 3, 1), date(2026, 2, 1)])
def test_a_pause_whose_date_has_come_is_over(until: date) -> None:
    reply = render(VIEW, expert_ctx(profile=replace(PROFILE, paused_until=until)))
    assert "Paused" not in reply.text
    assert [c.key for c in reply.choices] == ["edit", "pause", "menu"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_someone_without_a_profile_is_offered_to_register_their_skills(language: str) -> None:
    ctx = expert_ctx(language, profile=None)
    reply = render(VIEW, ctx)
    t = Translator(language)
    assert reply.text == t.gettext("You have not registered your skills yet.")
    assert [c.label for c in reply.choices] == [t.gettext("Register my skills"),
                                                t.gettext("Back to the menu")]
    assert respond(inbound("1"), ctx, VIEW).state == "expert.skill"
    assert respond(inbound("2"), ctx, VIEW).state == MAIN


def test_the_profile_read_without_facts_says_nothing_is_registered() -> None:
    ctx = context(person("fr", consented=True, role=Role.EXPERT))
    assert render(VIEW, ctx).text == Translator("fr").gettext(
        "You have not registered your skills yet.")


def test_the_profile_leads_to_change_pause_and_the_menu() -> None:
    ctx = expert_ctx()
    assert respond(inbound("1"), ctx, VIEW).state == EDIT
    assert respond(inbound("2"), ctx, VIEW).state == PAUSE
    assert respond(inbound("3"), ctx, VIEW).state == MAIN
    assert respond(inbound("7"), ctx, VIEW).hint


def test_resuming_ends_the_pause_now() -> None:
    ctx = expert_ctx(profile=replace(PROFILE, paused_until=date(2026, 9, 1)))
    outcome = respond(button("resume", VIEW), ctx, VIEW)
    assert outcome.state == MAIN
    assert outcome.commands == [PauseProposals(None)]
    assert "again" in outcome.say[0].text


def test_resuming_is_not_offered_when_there_is_no_pause() -> None:
    outcome = respond(button("resume", VIEW), expert_ctx(), VIEW)
    assert outcome.state == VIEW and outcome.commands == [] and outcome.hint


# --- changing a field ---------------------------------------------------------------------

@pytest.fixture
def edits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[ProfileView, str]]:
    """Replaces the expert flow's begin_edit by one that records what it was asked."""
    asked: list[tuple[ProfileView, str]] = []

    def begin_edit(ctx: Any, profile: ProfileView, field: str) -> Step:
        asked.append((profile, field))
        return Step(next=MAIN)

    monkeypatch.setattr(expert, "begin_edit", begin_edit, raising=False)
    return asked


def test_every_field_can_be_chosen_for_change(edits: list[tuple[ProfileView, str]]) -> None:
    keys = [c.key for c in render(EDIT, expert_ctx()).choices]
    assert keys == [key for key, _ in FIELDS] + ["back"]
    assert keys[:10] == ["skills", "languages", "country", "origin", "themes", "hours", "mode",
                         "visits", "proposals", "consent"]


@pytest.mark.parametrize("number, field", [(str(i + 1), key) for i, (key, _) in
                                           enumerate(FIELDS)])
def test_choosing_a_field_asks_it_again_through_the_expert_flow(
        number: str, field: str, edits: list[tuple[ProfileView, str]]) -> None:
    respond(inbound(number), expert_ctx(), EDIT)
    assert edits == [(PROFILE, field)]


def test_the_field_is_recognised_by_its_name_in_french(
        edits: list[tuple[ProfileView, str]]) -> None:
    t = Translator("fr")
    respond(inbound(t.gettext("Themes")), expert_ctx("fr"), EDIT)
    assert edits == [(PROFILE, "themes")]


def test_going_back_from_the_fields_shows_the_profile(
        edits: list[tuple[ProfileView, str]]) -> None:
    assert respond(button("back", EDIT), expert_ctx(), EDIT).state == VIEW
    assert respond(inbound("1"), expert_ctx(profile=None), EDIT).state == VIEW
    assert edits == []


def test_a_field_that_is_not_in_the_list_is_asked_again(
        edits: list[tuple[ProfileView, str]]) -> None:
    outcome = respond(inbound("the colour of my car"), expert_ctx(), EDIT)
    assert outcome.state == EDIT and outcome.hint and edits == []


@pytest.mark.skipif(not callable(getattr(expert, "begin_edit", None)),
                    reason="bot.flows.expert.begin_edit is being written")
@pytest.mark.parametrize("field", [key for key, _ in FIELDS])
def test_the_expert_flow_asks_each_field_in_one_of_its_states(field: str) -> None:
    outcome = respond(button(field, EDIT), expert_ctx(), EDIT)
    assert outcome.state.startswith("expert.") and outcome.state in STATES


# --- pausing ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, until", [
    ("September", date(2026, 9, 1)),
    ("septembre", date(2026, 9, 1)),
    ("شتنبر", date(2026, 9, 1)),
    ("ⵛⵓⵜⴰⵏⴱⵉⵔ", date(2026, 9, 1)),
    ("until September 2027", date(2027, 9, 1)),
    ("jusqu'en septembre", date(2026, 9, 1)),
    ("jusqu'au 15/09/2027", date(2027, 9, 15)),
    ("حتى شتنبر", date(2026, 9, 1)),
    ("09/2026", date(2026, 9, 1)),
    ("15/09/2027", date(2027, 9, 15)),
    ("30/09/2026", date(2026, 9, 30)),
    ("٣٠/٠٩/٢٠٢٦", date(2026, 9, 30)),
    ("2026-04-30", date(2026, 4, 30)),
    ("March", date(2027, 3, 1)),  # said in March: the next one
    ("February", date(2027, 2, 1)),
])
def test_a_pause_lasts_until_the_first_day_of_the_month_named_or_the_day_written(
        text: str, until: date) -> None:
    assert pause_until(text, TODAY) == until


@pytest.mark.parametrize("text", ["", "soon", "busy", "13/2026", "31/02/2027", "x" * 500])
def test_what_is_not_a_date_is_not_a_pause(text: str) -> None:
    assert pause_until(text, TODAY) is None


@pytest.mark.parametrize("language, text", [("en", "September"), ("fr", "septembre"),
                                            ("ar", "شتنبر"), ("zgh", "ⵛⵓⵜⴰⵏⴱⵉⵔ")])
def test_pausing_stops_proposals_until_the_date_and_says_when_they_come_again(
        language: str, text: str) -> None:
    outcome = respond(inbound(text), expert_ctx(language), PAUSE)
    assert outcome.state == MAIN
    assert outcome.commands == [PauseProposals(date(2026, 9, 1))]
    expected = Translator(language).gettext(
        "No proposals until {date}. They will come again by themselves from that date.")
    assert outcome.say[0].text == expected.format(
        date=Translator(language).iso(long_date(language, date(2026, 9, 1))))


@pytest.mark.parametrize("text", ["01/02/2026", "01/03/2026", "01/2026", "2025-12-31"])
def test_a_date_that_has_come_is_refused(text: str) -> None:
    outcome = respond(inbound(text), expert_ctx(), PAUSE)
    assert outcome.state == PAUSE and outcome.commands == []
    assert outcome.hint and "later" in outcome.hint


def test_an_answer_that_is_not_a_date_is_asked_again_with_an_example() -> None:
    outcome = respond(inbound("when I am less busy"), expert_ctx(), PAUSE)
    assert outcome.state == PAUSE and outcome.commands == []
    assert outcome.hint and "15/09/2027" in outcome.hint


def test_the_pause_question_gives_examples_and_a_way_back() -> None:
    ctx = expert_ctx()
    reply = render(PAUSE, ctx)
    assert reply.text == "Until when? For example: September, or 15/09/2027"
    outcome = respond(inbound("1"), ctx, PAUSE)
    assert outcome.state == MAIN and outcome.commands == []


def test_pausing_without_a_profile_shows_that_there_is_none() -> None:
    outcome = respond(inbound("September"), expert_ctx(profile=None), PAUSE)
    assert outcome.state == VIEW and outcome.commands == []
