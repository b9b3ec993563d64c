"""Supporters by chat: the themes, places and projects they follow, followed and unfollowed
step by step, in the four languages."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from bot.flows import respond
from bot.flows.engine import render
from bot.flows.supporter import territory_name
from bot.i18n import Translator
from core.commands import FollowThing, UnfollowThing
from core.domain.territories import Candidate, Tier
from core.models import Follow
from core.projects import ProjectCard
from tests.unit.support import LANGUAGES, NOW, button, context, inbound, member

MAIN = "menu.main"
FOLLOWS, THEME, PLACE = "supporter.follows", "supporter.theme", "supporter.place"
PICK, UNFOLLOW = "supporter.place_pick", "supporter.unfollow"

TAFRAOUT = Candidate("09.581.01.05", "Tafraout", "تافراوت", "Tiznit", "تيزنيت", "Souss-Massa",
                     "سوس-ماسة", 6124, 100.0, Tier.EXACT)
AMELN = Candidate("09.581.01.07", "Ameln", "أملن", "Tiznit", "تيزنيت", "Souss-Massa",
                  "سوس-ماسة", 9000, 95.0, Tier.EXACT)
TAFRAOUTEN = Candidate("09.541.09.51", "Tafraouten", "تافراوتن", "Taroudannt", "تارودانت",
                       "Souss-Massa", "سوس-ماسة", 7026, 90.0, Tier.PREFIX)
PLACES = {
    "09.581.01.05": SimpleNamespace(code="09.581.01.05", kind="commune", name_fr="Tafraout",
                                    name_ar="تافراوت", province_code="09.581"),
    "09.581": SimpleNamespace(code="09.581", kind="province", name_fr="Tiznit",
                              name_ar="تيزنيت", province_code="09.581"),
    "09": SimpleNamespace(code="09", kind="region", name_fr="Souss-Massa", name_ar="سوس-ماسة",
                          province_code=None),
}
WELL = ProjectCard(
    id=3, ref="P-2026-0001", title="Water for the douar", description="A well.", theme="water",
    kind="local", peer=None, pcd="no", pcd_reference=None, status="open", organisation_id=3,
    organisation="Tamount", commune_code="09.581.01.05", commune_fr="Tafraout",
    commune_ar="تافراوت", province_fr="Tiznit", province_ar="تيزنيت", reject_reason=None,
    question=None, submitted_at=NOW, updated_at=NOW)


def follow(kind: str, key: str) -> Follow:
    return Follow(person_id=7, kind=kind, key=key, created_at=NOW)


def supporter(language: str = "en", follows: list[Follow] | None = None,
              found: list[Candidate] | None = None) -> Any:
    """Builds a supporter's context: what they follow, and what a commune search finds."""
    ctx = context(member(language))
    ctx.facts = {**ctx.facts, "follows": list(follows or []), "territory": PLACES.get,
                 "communes": lambda text: list(found or []),
                 "project": lambda ref: WELL if ref == "P-2026-0001" else None}
    return ctx


FOLLOWING = [follow("theme", "water"), follow("territory", "09.581.01.05"),
             follow("territory", "09.581"), follow("project", "P-2026-0001")]


# --- what is followed ---------------------------------------------------------------------

def test_the_follows_list_names_themes_places_and_projects() -> None:
    reply = render(FOLLOWS, supporter(follows=FOLLOWING))
    assert reply.text.splitlines() == [
        "You follow:", "• Theme: Water", "• Place: Tafraout (Tiznit)",
        "• Place: Province of Tiznit", "• Project: Water for the douar",
        "You receive their news here."]
    assert [c.key for c in reply.choices] == ["theme", "place", "unfollow", "menu"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_places_are_named_in_the_readers_script(language: str) -> None:
    text = render(FOLLOWS, supporter(language, follows=FOLLOWING)).text
    t = Translator(language)
    assert t.gettext("Water") in text
    names = ("تافراوت", "تيزنيت") if language == "ar" else ("Tafraout", "Tiznit")
    assert all(name in text for name in names)
    assert "Water for the douar" in text


def test_a_region_and_an_unknown_place_are_still_named() -> None:
    ctx = supporter()
    assert territory_name(ctx, "09") == "Region of Souss-Massa"
    assert territory_name(ctx, "99.999") == "99.999"
    assert territory_name(context(member()), "09.581") == "09.581"  # no facts at all


def test_a_project_that_cannot_be_read_is_named_by_its_reference() -> None:
    text = render(FOLLOWS, supporter(follows=[follow("project", "P-2020-0009")])).text
    assert "Project: P-2020-0009" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_someone_who_follows_nothing_is_told_how_to_start(language: str) -> None:
    reply = render(FOLLOWS, supporter(language))
    t = Translator(language)
    assert reply.text == t.gettext("You do not follow anything yet. Follow themes and places "
                                   "to receive their news here.")
    assert [c.key for c in reply.choices] == ["theme", "place", "menu"]


def test_the_follows_list_works_without_any_fact() -> None:
    assert render(FOLLOWS, context(member("ar"))).choices


def test_the_follows_menu_leads_to_each_step() -> None:
    ctx = supporter(follows=FOLLOWING)
    assert respond(inbound("1"), ctx, FOLLOWS).state == THEME
    assert respond(inbound("2"), ctx, FOLLOWS).state == PLACE
    assert respond(inbound("3"), ctx, FOLLOWS).state == UNFOLLOW
    assert respond(inbound("4"), ctx, FOLLOWS).state == MAIN
    assert respond(inbound("9"), ctx, FOLLOWS).hint


# --- themes -------------------------------------------------------------------------------

def test_the_twelve_themes_are_offered_with_those_followed_marked() -> None:
    reply = render(THEME, supporter(follows=FOLLOWING))
    assert len(reply.choices) == 13 and reply.choices[-1].key == "done"
    assert reply.choices[0].label == "Water ✓"
    assert reply.choices[1].label == "Agriculture"


@pytest.mark.parametrize("language, text", [("en", "health"), ("fr", "santé"),
                                            ("ar", "الصحة"), ("zgh", "ⵜⴰⴷⵓⵙⵉ"), ("en", "4")])
def test_choosing_a_theme_follows_it(language: str, text: str) -> None:
    ctx = supporter(language)
    outcome = respond(inbound(text), ctx, THEME)
    assert outcome.state == THEME
    assert outcome.commands == [FollowThing("theme", "health")]
    health = Translator(language).gettext("Health")
    assert health in outcome.say[0].text
    assert f"{health} ✓" in [c.label for c in render(THEME, ctx).choices]  # shown at once


def test_choosing_a_followed_theme_stops_following_it() -> None:
    ctx = supporter(follows=FOLLOWING)
    outcome = respond(inbound("Water ✓"), ctx, THEME)
    assert outcome.commands == [UnfollowThing("theme", "water")]
    assert "no longer" in outcome.say[0].text
    assert render(THEME, ctx).choices[0].label == "Water"
    assert "Theme: Water" not in render(FOLLOWS, ctx).text


def test_a_followed_theme_is_also_recognised_by_its_plain_name() -> None:
    outcome = respond(inbound("water"), supporter(follows=FOLLOWING), THEME)
    assert outcome.commands == [UnfollowThing("theme", "water")]


def test_what_changed_in_one_turn_is_not_shown_in_the_next_one() -> None:
    ctx = supporter()
    respond(inbound("1"), ctx, THEME)
    later = replace(ctx, now=ctx.now.replace(minute=31))  # the facts are read afresh then
    assert render(THEME, later).choices[0].label == "Water"


def test_done_goes_back_to_the_follows_and_nonsense_is_asked_again() -> None:
    ctx = supporter()
    assert respond(button("done", THEME), ctx, THEME).state == FOLLOWS
    outcome = respond(inbound("the moon"), ctx, THEME)
    assert outcome.state == THEME and outcome.hint and outcome.commands == []


# --- places -------------------------------------------------------------------------------

def test_a_place_is_searched_then_offered_as_commune_or_province() -> None:
    ctx = supporter(found=[TAFRAOUT, AMELN, TAFRAOUTEN])
    assert respond(inbound("tafraout"), ctx, PLACE).state == PICK
    labels = [c.label for c in render(PICK, ctx).choices]
    assert labels == ["Tafraout (Tiznit)", "Ameln (Tiznit)", "Tafraouten (Taroudannt)",
                      "The whole province of Tiznit", "The whole province of Taroudannt",
                      "None of these, search again"]
    assert [c.key for c in render(PICK, ctx).choices][3:5] == ["09.581", "09.541"]


@pytest.mark.parametrize("answer, code, name", [
    ("1", "09.581.01.05", "Tafraout (Tiznit)"),
    ("3", "09.581", "Province of Tiznit"),
])
def test_picking_a_commune_or_its_province_follows_it(answer: str, code: str, name: str) -> None:
    ctx = supporter(found=[TAFRAOUT, AMELN])
    respond(inbound("tafraout"), ctx, PLACE)
    outcome = respond(inbound(answer), ctx, PICK)
    assert outcome.state == FOLLOWS
    assert outcome.commands == [FollowThing("territory", code)]
    assert outcome.say[0].text == f"You now follow {name}. You will receive its news."
    assert f"• Place: {name}" in render(FOLLOWS, ctx).text  # shown at once


def test_places_are_offered_in_arabic_script_to_arabic_readers() -> None:
    ctx = supporter("ar", found=[TAFRAOUT])
    respond(inbound("تافراوت"), ctx, PLACE)
    labels = " ".join(c.label for c in render(PICK, ctx).choices)
    assert "تافراوت" in labels and "تيزنيت" in labels and "Tiznit" not in labels


def test_a_place_not_found_is_asked_again_and_search_again_goes_back() -> None:
    outcome = respond(inbound("atlantis"), supporter(), PLACE)
    assert outcome.state == PLACE and outcome.hint
    ctx = supporter(found=[TAFRAOUT])
    respond(inbound("tafraout"), ctx, PLACE)
    assert respond(inbound("3"), ctx, PICK).state == PLACE
    assert respond(inbound("9"), ctx, PICK).hint


def test_the_place_question_has_a_way_back_to_the_menu() -> None:
    ctx = supporter()
    assert [c.key for c in render(PLACE, ctx).choices] == ["menu"]
    assert respond(inbound("1"), ctx, PLACE).state == MAIN


# --- stop following -----------------------------------------------------------------------

def test_each_thing_followed_can_be_unfollowed() -> None:
    ctx = supporter(follows=FOLLOWING)
    reply = render(UNFOLLOW, ctx)
    assert [c.key for c in reply.choices] == ["theme:water", "territory:09.581.01.05",
                                              "territory:09.581", "project:P-2026-0001", "back"]
    outcome = respond(inbound("4"), ctx, UNFOLLOW)
    assert outcome.state == FOLLOWS
    assert outcome.commands == [UnfollowThing("project", "P-2026-0001")]
    assert "Water for the douar" in outcome.say[0].text
    assert "Water for the douar" not in render(FOLLOWS, ctx).text  # shown at once


@pytest.mark.parametrize("language", LANGUAGES)
def test_unfollowing_a_place_in_each_language(language: str) -> None:
    ctx = supporter(language, follows=FOLLOWING)
    outcome = respond(button("territory:09.581", UNFOLLOW), ctx, UNFOLLOW)
    assert outcome.commands == [UnfollowThing("territory", "09.581")]
    assert ("تيزنيت" if language == "ar" else "Tiznit") in outcome.say[0].text


def test_going_back_from_unfollowing_changes_nothing() -> None:
    ctx = supporter(follows=FOLLOWING)
    outcome = respond(button("back", UNFOLLOW), ctx, UNFOLLOW)
    assert (outcome.state, outcome.commands) == (FOLLOWS, [])
    assert respond(inbound("nothing"), ctx, UNFOLLOW).hint
