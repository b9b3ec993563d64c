"""Browsing and following open projects, and what's new, step by step through `respond`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.flows import respond
from bot.flows.conversation import Outcome, push_history
from bot.flows.engine import render
from bot.i18n import Translator
from bot.messages import Inbound
from core.commands import FollowThing, UnfollowThing
from core.domain.people import Role
from core.domain.territories import Candidate, Tier
from core.experts import Filters, Page
from core.models import Follow, Invitation, Territory
from core.projects import NeedView, ProjectCard
from core.skills import search as skill_search
from tests.unit.support import LANGUAGES, NOW, button, context, inbound, person

MAIN, FOLLOWS = "menu.main", "supporter.follows"
FILTER, THEME, KIND, TEXT = "browse.filter", "browse.theme", "browse.kind", "browse.text"
PLACE, PLACE_PICK = "browse.place", "browse.place_pick"
SKILL, SKILL_PICK = "browse.skill", "browse.skill_pick"
LIST, CARD, NEWS = "browse.list", "browse.card", "news.show"

TAFRAOUT = Candidate("09.581.01.05", "Tafraout", "تافراوت", "Tiznit", "تيزنيت", "Souss-Massa",
                     "سوس-ماسة", 5000, 100.0, Tier.EXACT)
TAFRAOUTEN = Candidate("09.541.09.51", "Tafraouten", "تافراوتن", "Taroudannt", "تارودانت",
                       "Souss-Massa", "سوس-ماسة", 3000, 90.0, Tier.PREFIX)
MONEY = NeedView(1, "money", "a pump", None, None, "MAD", 40_000, 12_500, 0, None, "open")
ENGINEER = NeedView(2, "skill", "", "water.drip_irrigation", "remote", "days", 10, 0, 0,
                    date(2026, 9, 1), "open")


def project(number: int, *, title: str | None = None, status: str = "open",
            **fields: Any) -> ProjectCard:
    """Builds an approved project in Tafraout, with a money need and a skill need."""
    values: dict[str, Any] = dict(
        id=number, ref=f"P-{number:06d}", title=title or f"Project {number}",
        description="A well and a pump for 40 families.", theme="water", kind="local",
        peer=None, pcd="yes", pcd_reference="PCD 2023-2028", status=status,
        organisation_id=3, organisation="Tamount", commune_code="09.581.01.05",
        commune_fr="Tafraout", commune_ar="تافراوت", province_fr="Tiznit", province_ar="تيزنيت",
        reject_reason=None, question=None, submitted_at=NOW, updated_at=NOW,
        needs=(MONEY, ENGINEER))
    return ProjectCard(**{**values, **fields})


WELL = project(1, title="Water for the douar")
PROJECTS = [WELL, *(project(n) for n in range(2, 8))]  # seven: two pages


@dataclass
class FakeBrowse:
    """Core's browse, by hand: every project matches; it records what it was asked."""

    projects: list[ProjectCard]
    latest: dict[str, str] = field(default_factory=dict)
    asked: list[tuple[Filters, int]] = field(default_factory=list)

    def __call__(self, filters: Filters, page: int = 0) -> Page:
        self.asked.append((filters, page))
        shown = self.projects[page * 5:(page + 1) * 5]
        return Page(shown, len(self.projects), {p.ref: self.latest[p.ref] for p in shown
                                                if p.ref in self.latest})

    @property
    def filters(self) -> Filters:
        return self.asked[-1][0]


def ctx_for(language: str = "en", *, projects: list[ProjectCard] | None = None,
            follows: list[Follow] | None = None, invitation: Invitation | None = None,
            news: list[ProjectCard] | None = None, data: dict[str, Any] | None = None,
            latest: dict[str, str] | None = None) -> Any:
    """Builds a supporter's context with the facts browsing reads."""
    ctx = context(person(language, consented=True, role=Role.SUPPORTER))
    shown = PROJECTS if projects is None else projects
    every = {p.ref: p for p in [*PROJECTS, *shown, *(news or [])]}
    places = {"09.581.01.05": Territory(code="09.581.01.05", kind="commune", name_fr="Tafraout",
                                        name_ar="تافراوت", province_code="09.581")}
    since: list[datetime] = []

    def whats_new(when: datetime) -> list[ProjectCard]:
        since.append(when)
        return list(news or [])

    ctx.facts = {**ctx.facts, "browse": FakeBrowse(list(shown), latest or {}),
                 "project": every.get, "follows": follows or [], "invitation": invitation,
                 "territory": places.get, "whats_new": whats_new, "since": since,
                 "communes": lambda text: [TAFRAOUT, TAFRAOUTEN] if "tafr" in text.lower()
                 or "تافر" in text else [],
                 "skills": lambda text: skill_search(text, 5)}
    ctx.data.update(data or {})
    return ctx


def asked(ctx: Any) -> list[tuple[Filters, int]]:
    return list(ctx.facts["browse"].asked)


def walk(ctx: Any, state: str, steps: list[tuple[Inbound | str, str]]) -> Outcome:
    """Feeds each message in turn, checking where each one leads, keeping ctx.data."""
    outcome = Outcome(state)
    for message, expected in steps:
        msg = inbound(message) if isinstance(message, str) else message
        outcome = respond(msg, ctx, state)
        assert outcome.state == expected, (message, state, outcome.hint)
        push_history(ctx, state, outcome.state, outcome.back)
        state = outcome.state
    return outcome


def keys(reply: Any) -> list[str]:
    return [c.key for c in reply.choices]


def labels(reply: Any) -> list[str]:
    return [c.label for c in reply.choices]


# --- which projects -----------------------------------------------------------------------

def test_browsing_asks_which_projects_with_every_filter_and_a_way_back() -> None:
    reply = render(FILTER, ctx_for())
    assert reply.text == "Which projects do you want to see?"
    assert labels(reply) == ["All open projects", "By theme", "By region or province",
                             "By skill needed", "By kind", "Search words", "Back to the menu"]


def test_all_open_projects_lists_the_first_page_without_any_filter() -> None:
    ctx = ctx_for(data={"browse": {"filters": {"theme": "health"}, "page": 1}})
    walk(ctx, FILTER, [("1", LIST)])
    assert asked(ctx)[-1] == (Filters(), 0)


@pytest.mark.parametrize(("answer", "state"), [
    ("2", THEME), ("3", PLACE), ("4", SKILL), ("5", KIND), ("6", TEXT), ("7", MAIN),
    ("By theme", THEME)])
def test_each_filter_asks_its_own_question(answer: str, state: str) -> None:
    assert respond(inbound(answer), ctx_for(), FILTER).state == state


@pytest.mark.parametrize(("language", "answer"), [
    ("ar", "الماء"), ("ar", "١"), ("zgh", "ⴰⵎⴰⵏ"), ("fr", "eau"), ("en", "Water"), ("en", "1")])
def test_a_theme_chosen_in_any_language_filters_the_projects(language: str, answer: str) -> None:
    ctx = ctx_for(language)
    walk(ctx, THEME, [(answer, LIST)])
    assert ctx.facts["browse"].filters == Filters(theme="water")


@pytest.mark.parametrize(("answer", "kind"), [("1", "local"), ("2", "investment"),
                                               ("استثمار", "investment"), ("échange", "exchange")])
def test_a_kind_filters_the_projects(answer: str, kind: str) -> None:
    ctx = ctx_for()
    walk(ctx, KIND, [(answer, LIST)])
    assert ctx.facts["browse"].filters == Filters(kind=kind)


def test_a_province_is_found_through_one_of_its_communes() -> None:
    ctx = ctx_for()
    walk(ctx, PLACE, [("Tafraout", PLACE_PICK)])
    reply = render(PLACE_PICK, ctx)
    assert keys(reply) == ["09.581", "09.541", "09", "09.581.01.05", "09.541.09.51", "again"]
    assert labels(reply)[:4] == ["Province: Tiznit", "Province: Taroudannt",
                                 "Region: Souss-Massa", "Tafraout (Tiznit)"]
    walk(ctx, PLACE_PICK, [("1", LIST)])
    assert ctx.facts["browse"].filters == Filters(territory="09.581")


def test_the_places_found_are_named_in_arabic_for_an_arabic_reader() -> None:
    ctx = ctx_for("ar")
    walk(ctx, PLACE, [("تافراوت", PLACE_PICK)])
    shown = " ".join(labels(render(PLACE_PICK, ctx)))
    assert "تيزنيت" in shown and "سوس-ماسة" in shown and "تافراوت" in shown
    assert "Tiznit" not in shown


@pytest.mark.parametrize(("answer", "code"), [("3", "09"), ("4", "09.581.01.05")])
def test_a_region_or_a_commune_may_be_chosen_too(answer: str, code: str) -> None:
    ctx = ctx_for()
    walk(ctx, PLACE, [("tafraout", PLACE_PICK), (answer, LIST)])
    assert ctx.facts["browse"].filters == Filters(territory=code)


def test_a_place_not_found_re_asks_and_none_of_these_searches_again() -> None:
    ctx = ctx_for()
    outcome = respond(inbound("Casablanka"), ctx, PLACE)
    assert outcome.state == PLACE and outcome.hint.startswith("I found no place")
    walk(ctx, PLACE, [("Tafraout", PLACE_PICK), ("None of these, search again", PLACE)])


def test_filters_narrow_one_another_water_projects_in_the_province_of_tiznit() -> None:
    ctx = ctx_for("fr")
    walk(ctx, FILTER, [("2", THEME), ("eau", LIST), (button("filters"), FILTER),
                       ("3", PLACE), ("Tafraout", PLACE_PICK), ("1", LIST)])
    assert ctx.facts["browse"].filters == Filters(theme="water", territory="09.581")
    assert "Tiznit" in render(FILTER, ctx).text


def test_the_filters_chosen_are_recalled_above_the_list() -> None:
    ctx = ctx_for(data={"browse": {"filters": {"theme": "water", "text": "pump"}}})
    text = render(LIST, ctx).text
    assert "Now showing: Water, words “pump”." in text


def test_a_skill_needed_is_searched_then_picked() -> None:
    ctx = ctx_for()
    walk(ctx, SKILL, [("drip irrigation", SKILL_PICK)])
    reply = render(SKILL_PICK, ctx)
    assert reply.choices[0].label == "Drip irrigation" and keys(reply)[-1] == "again"
    walk(ctx, SKILL_PICK, [("1", LIST)])
    assert ctx.facts["browse"].filters == Filters(skill="water.drip_irrigation")


def test_a_skill_is_named_in_the_readers_language() -> None:
    ctx = ctx_for("ar")
    walk(ctx, SKILL, [("الري بالتنقيط", SKILL_PICK)])
    assert render(SKILL_PICK, ctx).choices[0].label == "الري بالتنقيط"


def test_words_that_fit_no_skill_re_ask() -> None:
    outcome = respond(inbound("zzzqqq"), ctx_for(), SKILL)
    assert outcome.state == SKILL and outcome.hint.startswith("I found no skill")


def test_words_are_searched_in_the_projects() -> None:
    ctx = ctx_for()
    walk(ctx, TEXT, [("  olive \u200f oil ", LIST)])
    assert ctx.facts["browse"].filters == Filters(text="olive oil")


@pytest.mark.parametrize("answer", ["!", "👍🏽", "x" * 101])
def test_no_words_or_too_many_re_ask(answer: str) -> None:
    outcome = respond(inbound(answer), ctx_for(), TEXT)
    assert outcome.state == TEXT and outcome.hint.startswith("Please write a few words")


@pytest.mark.parametrize("state", [PLACE, SKILL, TEXT])
def test_a_search_question_leads_back_to_the_menu(state: str) -> None:
    assert respond(inbound("1"), ctx_for(), state).state == MAIN


def test_when_nothing_matches_the_filters_are_asked_again() -> None:
    ctx = ctx_for(projects=[])
    outcome = walk(ctx, THEME, [("Health", FILTER)])
    assert outcome.say[0].text == "No open project matches. Try other filters."


# --- a page of projects -------------------------------------------------------------------

def test_a_page_shows_five_projects_with_their_place_and_more() -> None:
    reply = render(LIST, ctx_for())
    assert reply.text.startswith("7 projects\nPage 1 of 2.")
    assert labels(reply)[0] == "“Water for the douar” — Tafraout (Tiznit)"
    assert keys(reply) == ["P-000001", "P-000002", "P-000003", "P-000004", "P-000005",
                           "more", "filters", "menu"]


def test_more_shows_the_next_page_without_more() -> None:
    ctx = ctx_for()
    walk(ctx, LIST, [("6", LIST)])
    reply = render(LIST, ctx)
    assert asked(ctx)[-1] == (Filters(), 1)
    assert "Page 2 of 2." in reply.text
    assert keys(reply) == ["P-000006", "P-000007", "filters", "menu"]


def test_a_single_project_is_counted_in_the_singular() -> None:
    reply = render(LIST, ctx_for(projects=[WELL]))
    assert reply.text.startswith("1 project\n") and "more" not in keys(reply)


def test_a_page_emptied_meanwhile_goes_back_to_the_first() -> None:
    ctx = ctx_for(projects=[WELL], data={"browse": {"page": 3}})
    assert keys(render(LIST, ctx)) == ["P-000001", "filters", "menu"]


def test_a_long_title_is_shortened_on_its_button() -> None:
    reply = render(LIST, ctx_for(projects=[project(9, title="A" * 80)]))
    assert reply.choices[0].label.startswith("“" + "A" * 47 + "…”")


def test_the_list_is_named_in_arabic_with_arabic_digits_understood() -> None:
    ctx = ctx_for("ar")
    assert "تافراوت" in render(LIST, ctx).choices[0].label
    walk(ctx, LIST, [("٢", CARD)])
    assert ctx.data["browse"]["ref"] == "P-000002"


@pytest.mark.parametrize(("answer", "state"), [("7", FILTER), ("8", MAIN), ("1", CARD)])
def test_the_list_leads_to_a_card_the_filters_or_the_menu(answer: str, state: str) -> None:
    assert respond(inbound(answer), ctx_for(), LIST).state == state


@pytest.mark.parametrize("answer", ["9", "Project 12", "👍"])
def test_an_answer_not_in_the_list_re_asks(answer: str) -> None:
    outcome = respond(inbound(answer), ctx_for(), LIST)
    assert (outcome.state, outcome.hint) == (LIST, "Please choose a number from the list.")


# --- a project's card ---------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_a_card_shows_the_place_the_needs_progress_and_the_latest_news(language: str) -> None:
    ctx = ctx_for(language, latest={"P-000001": "The well is dug: 12 m deep."})
    walk(ctx, LIST, [(button("P-000001"), CARD)])
    text = render(CARD, ctx).text
    t = Translator(language)
    place = ("تافراوت", "تيزنيت") if language == "ar" else ("Tafraout", "Tiznit")
    assert all(name in text for name in place)
    assert t.amount(40_000, "MAD") in text and t.amount(12_500, "MAD") in text
    assert "The well is dug: 12 m deep." in text
    if language == "en":
        assert "MAD40,000 needed, MAD12,500 committed" in text
        assert "Latest news: The well is dug: 12 m deep." in text


def test_a_card_hides_what_the_team_asked_the_representative() -> None:
    asking = replace(WELL, question="Which douar exactly?")
    ctx = ctx_for(projects=[asking], data={"browse": {"ref": WELL.ref}})
    text = render(CARD, ctx).text
    assert "Water for the douar" in text and "Which douar" not in text


def test_following_a_project_says_so_and_offers_to_stop() -> None:
    ctx = ctx_for("fr", data={"browse": {"ref": WELL.ref, "origin": LIST}})
    assert keys(render(CARD, ctx))[0] == "follow"
    outcome = walk(ctx, CARD, [("suivre", CARD)])
    assert outcome.commands == [FollowThing("project", "P-000001")]
    assert "Water for the douar" in outcome.say[0].text
    again = render(CARD, ctx)
    assert keys(again)[0] == "unfollow" and "Needs" not in again.text


def test_following_says_how_news_will_come_in_english() -> None:
    ctx = ctx_for(data={"browse": {"ref": WELL.ref}})
    outcome = respond(inbound("1"), ctx, CARD)
    assert outcome.say[0].text == ("You follow “Water for the douar”: you will receive its "
                                   "news.")


def test_a_project_followed_already_can_be_unfollowed() -> None:
    follows = [Follow(person_id=7, kind="project", key=WELL.ref)]
    ctx = ctx_for(follows=follows, data={"browse": {"ref": WELL.ref}})
    assert labels(render(CARD, ctx))[0] == "Stop following"
    outcome = respond(inbound("1"), ctx, CARD)
    assert outcome.commands == [UnfollowThing("project", "P-000001")]
    assert outcome.say[0].text == "You no longer follow “Water for the douar”."
    assert keys(render(CARD, ctx))[0] == "follow"


def test_following_a_theme_does_not_count_as_following_the_project() -> None:
    follows = [Follow(person_id=7, kind="theme", key=WELL.ref)]
    assert keys(render(CARD, ctx_for(follows=follows, data={"browse": {"ref": WELL.ref}})))[0] \
        == "follow"


@pytest.mark.parametrize(("origin", "state"), [(LIST, LIST), (NEWS, NEWS), (FILTER, FILTER)])
def test_back_to_the_list_goes_where_the_card_was_opened(origin: str, state: str) -> None:
    ctx = ctx_for(data={"browse": {"ref": WELL.ref, "origin": origin}})
    assert respond(inbound("Back to the list"), ctx, CARD).state == state


def test_a_project_no_longer_open_is_not_shown() -> None:
    closed = project(1, status="awaiting_review")
    ctx = ctx_for(projects=[closed], data={"browse": {"ref": "P-000001"}})
    ctx.facts = {**ctx.facts, "project": {"P-000001": closed}.get}
    reply = render(CARD, ctx)
    assert reply.text == "This project cannot be shown: it is no longer open."
    assert keys(reply) == ["back", "menu"]
    assert respond(inbound("1"), ctx, CARD).commands == []


@pytest.mark.parametrize("answer", ["4", "maybe", "👍"])
def test_a_card_re_asks_bad_answers_briefly(answer: str) -> None:
    ctx = ctx_for(data={"browse": {"ref": WELL.ref}})
    outcome = respond(inbound(answer), ctx, CARD)
    assert (outcome.state, outcome.hint) == (CARD, "Please choose a number from the list.")
    assert render(CARD, ctx).text == "“Water for the douar”: what would you like to do?"


# --- invitations --------------------------------------------------------------------------

def test_someone_invited_to_a_commune_is_offered_its_projects_first() -> None:
    invitation = Invitation(code="iabc", kind="commune", target="09.581.01.05")
    ctx = ctx_for(invitation=invitation, data={"browse": {"filters": {"theme": "health"}}})
    reply = render(FILTER, ctx)
    assert reply.choices[0].label == "Projects of Tafraout"
    walk(ctx, FILTER, [("1", LIST)])
    assert ctx.facts["browse"].filters == Filters(territory="09.581.01.05")


def test_the_invited_commune_is_named_in_arabic() -> None:
    invitation = Invitation(code="iabc", kind="commune", target="09.581.01.05")
    assert "تافراوت" in render(FILTER, ctx_for("ar", invitation=invitation)).choices[0].label


def test_someone_invited_to_a_project_is_offered_it_first() -> None:
    ctx = ctx_for("zgh", invitation=Invitation(code="iabc", kind="project", target=WELL.ref))
    reply = render(FILTER, ctx)
    assert keys(reply)[0] == "invited_project" and "Water for the douar" in labels(reply)[0]
    walk(ctx, FILTER, [("1", CARD)])
    assert ctx.data["browse"]["ref"] == WELL.ref
    assert "Tafraout" in render(CARD, ctx).text


def test_an_invitation_to_a_project_no_longer_open_is_not_offered() -> None:
    closed = project(1, status="closed")
    ctx = ctx_for(invitation=Invitation(code="iabc", kind="project", target=WELL.ref))
    ctx.facts = {**ctx.facts, "project": {WELL.ref: closed}.get}
    assert keys(render(FILTER, ctx))[0] == "all"


# --- what's new ---------------------------------------------------------------------------

def test_what_is_new_says_when_nothing_is_followed_and_offers_to_follow() -> None:
    ctx = ctx_for()
    reply = render(NEWS, ctx)
    assert reply.text.startswith("You follow no theme, place or project yet.")
    assert keys(reply) == ["follows", "browse", "menu"]
    assert respond(inbound("1"), ctx, NEWS).state == FOLLOWS
    assert respond(inbound("2"), ctx, NEWS).state == FILTER


def test_what_is_new_says_when_nothing_moved_in_thirty_days() -> None:
    ctx = ctx_for(follows=[Follow(person_id=7, kind="theme", key="water")], news=[])
    reply = render(NEWS, ctx)
    assert reply.text == "Nothing new in the last 30 days in what you follow."
    assert ctx.facts["since"] == [NOW - timedelta(days=30)]
    assert keys(reply) == ["browse", "follows", "menu"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_is_new_lists_the_projects_that_moved_each_opening_its_card(language: str) -> None:
    moved = project(11, title="Solar pump", updated_at=datetime(2026, 2, 20, tzinfo=UTC))
    follows = [Follow(person_id=7, kind="territory", key="09.581")]
    ctx = ctx_for(language, follows=follows, news=[moved, WELL])
    reply = render(NEWS, ctx)
    assert keys(reply) == ["P-000011", "P-000001", "menu"]
    assert "Solar pump" in labels(reply)[0]
    if language == "en":
        assert reply.text == ("In the last 30 days, 2 projects opened or moved in what you "
                              "follow:")
    walk(ctx, NEWS, [("1", CARD)])
    assert ctx.data["browse"]["origin"] == NEWS
    assert "Solar pump" in render(CARD, ctx).text
    walk(ctx, CARD, [(button("back"), NEWS)])


def test_what_is_new_re_asks_an_answer_not_in_the_list() -> None:
    ctx = ctx_for(follows=[Follow(person_id=7, kind="theme", key="water")], news=[WELL])
    outcome = respond(inbound("5"), ctx, NEWS)
    assert (outcome.state, outcome.hint) == (NEWS, "Please choose a number from the list.")


def test_every_browsing_state_asks_something_without_any_fact() -> None:
    for name in (FILTER, THEME, PLACE, PLACE_PICK, SKILL, SKILL_PICK, KIND, TEXT, LIST, CARD,
                 NEWS):
        reply = render(name, context(person("en", consented=True, role=Role.SUPPORTER)))
        assert reply.text.strip() and reply.choices
