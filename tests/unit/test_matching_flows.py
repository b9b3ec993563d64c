"""Proposals, interested experts and project teams, step by step through `respond`: what the
expert, the organisation's representatives and the team members read, in their language, and
which command each answer gives core. Facts are built by hand, as the runner would read them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.flows import respond
from bot.flows.engine import render
from bot.flows.team import ROLES
from bot.i18n import Translator
from bot.messages import Media
from core import commands as c
from core.domain.people import Role
from core.domain.projects import MAX_TEXT
from core.projects import NeedView, ProjectCard
from core.proposals import Candidate, Facts, Offer
from core.teams import Member, Said, Team
from tests.unit.support import LANGUAGES, button, context, inbound, location, person, sticker

MAIN = "menu.main"
OFFERS, OFFER = "offers.list", "offers.card"
CANDIDATES, CANDIDATE = "candidates.list", "candidates.card"
TEAMS, TEAM, CONTACT, CHAT, LEAVE = (
    "team.list", "team.card", "team.contact", "team.chat", "team.leave")
ME = 7  # tests.unit.support.person's id
IRRIGATION = "water.irrigation_engineering"
#: The taxonomy's names of IRRIGATION (core/data/skills.json), as each reader sees it.
IRRIGATION_NAMES = {"ar": "هندسة الري", "zgh": "ⵜⴰⵏⵊⵉⵏⵢⵓⵔⵉⵜ ⵏ ⵓⵙⵙⵓ",
                    "fr": "Ingénierie de l'irrigation", "en": "Irrigation engineering"}
WHATSAPP = "whatsapp:+212600000009"
NOT_IN_LIST = "Please choose a number from the list."


def t_(language: str) -> Translator:
    return Translator(language)


def someone(role: Role, language: str = "en") -> Any:
    return person(language, consented=True, role=role)


def ctx_for(who: Any, *, data: dict[str, Any] | None = None, **facts: Any) -> Any:
    """A context for `who`, with the facts the runner would read, given by hand."""
    ctx = context(who)
    ctx.facts = {**ctx.facts, **facts}
    ctx.data.update(data or {})
    return ctx


# --- what the flows read --------------------------------------------------------------------

def offer(id: int = 11, title: str = "Water for Tafraout", **changes: Any) -> Offer:
    """A proposal waiting for the expert's answer, with every kind of reason."""
    fields: dict[str, Any] = dict(
        id=id, status="waiting", need_id=5, skill_code=IRRIGATION, label="", mode="remote",
        requested=10, unit="days", wanted_by=date(2026, 8, 31), ref="P-AAAA22", title=title,
        commune_fr="Tafraout", commune_ar="تافراوت",
        reasons=("skill", "language", "available", "mode", "visit", "origin"),
        facts=Facts(shared=("fr",), visit=date(2026, 8, 1), hours=20, mode="both"))
    fields.update(changes)
    return Offer(**fields)


def candidate(id: int = 21, first_name: str = "Amina", **changes: Any) -> Candidate:
    """An interested expert, as the organisation sees them."""
    fields: dict[str, Any] = dict(
        id=id, status="interested", ref="P-AAAA22", title="Water for Tafraout",
        skill_code=IRRIGATION, label="", first_name=first_name,
        skills=((IRRIGATION, "", "expert"), (None, "solar pumps", "practised")),
        languages=("fr",), country="FR", reasons=("skill", "language", "mode", "origin"),
        facts=Facts(shared=("fr",), mode="remote"))
    fields.update(changes)
    return Candidate(**fields)


def project_card(ref: str = "P-AAAA22") -> ProjectCard:
    return ProjectCard(
        id=1, ref=ref, title="Water for Tafraout", description="A well and a drip network",
        theme="water", kind="local", peer=None, pcd="yes", pcd_reference=None, status="open",
        organisation_id=3, organisation="Tamount", commune_code="09.581.01.05",
        commune_fr="Tafraout", commune_ar="تافراوت", province_fr="Tiznit",
        province_ar="تيزنيت", reject_reason=None, question=None,
        submitted_at=datetime(2026, 2, 1, tzinfo=UTC), updated_at=datetime(2026, 2, 1, tzinfo=UTC),
        needs=(NeedView(5, "skill", IRRIGATION, "remote", None, "days", 10, 0, 0, None, "open"),))


FATIMA = Member(3, "Fatima", "representative", "number", True)
OMAR = Member(4, "Omar", "representative", "relay", False)  # he left
SAID_ANIMATOR = Member(5, "Saïd", "animator", "relay", True)


def team(ref: str = "P-AAAA22", title: str = "Water for Tafraout", *, mine: str | None = "relay",
         unread: int = 0, members: tuple[Member, ...] | None = None) -> Team:
    """A team the person (id 7, an expert) is in, whose contact choice is `mine`."""
    kept = members if members is not None else (
        Member(ME, "Amina", "expert", mine, True), FATIMA, OMAR)
    return Team(ref, title, 1, kept, unread)


def said(n: int, text: str = "", media: tuple[int, ...] = (), who: Member = FATIMA) -> Said:
    return Said(n, who.person_id, who.first_name, who.role, text, media,
                datetime(2026, 2, 1, 9, n % 60, tzinfo=UTC))


def team_ctx(who: Any = None, *, teams: list[Team] | None = None, open_ref: str | None = None,
             history: list[Said] | None = None, contacts: dict[int, list[str]] | None = None,
             handle: str | None = "amina_t", asked: list[int] | None = None) -> Any:
    """A member's context: their teams, each read afresh by ref, its history, the contacts
    shared (every person id asked is noted in `asked`)."""
    known = list(teams if teams is not None else [team()])
    by_ref = {t.ref: t for t in known}

    def contact(person_id: int, kind: str | None) -> list[str]:
        assert kind in ("number", "handle")
        if asked is not None:
            asked.append(person_id)
        return list((contacts or {}).get(person_id, []))

    return ctx_for(who or someone(Role.EXPERT), teams=known, team=by_ref.get,
                   team_history=lambda _project_id: list(history or []), contact=contact,
                   handle=handle, data={"team": {"ref": open_ref}} if open_ref else None)


def photo(ref: str = "file-9", text: str | None = None, identity: str = "telegram:42") -> Any:
    return inbound(text, identity=identity, media=(Media("photo", ref, "image/jpeg"),))


# --- the main menu --------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menu_shows_what_waits_first_with_its_count_in_the_readers_language(
        language: str) -> None:
    t = t_(language)
    ctx = ctx_for(someone(Role.EXPERT, language), offers=[offer(11), offer(12)],
                  candidates=[candidate()], teams=[team()])
    labels = [ch.label for ch in render(MAIN, ctx).choices]
    assert labels[:3] == [t.gettext("Proposals for you ({count})").format(count=t.number(2)),
                          t.gettext("Experts interested ({count})").format(count=t.number(1)),
                          t.gettext("Project teams")]


def test_the_menu_counts_the_unread_team_messages() -> None:
    ctx = ctx_for(someone(Role.EXPERT), teams=[team(unread=2), team("P-BBBB33", unread=3)])
    assert render(MAIN, ctx).choices[0].label == "Project teams (5 new)"


def test_the_menu_shows_no_proposal_candidate_or_team_entry_when_there_is_none() -> None:
    for who in (someone(Role.EXPERT), someone(Role.REPRESENTATIVE)):
        keys = [ch.key for ch in render(MAIN, ctx_for(who, offers=[], candidates=[],
                                                     teams=[])).choices]
        assert not {"offers", "candidates", "teams"} & set(keys)


@pytest.mark.parametrize(("facts", "state"), [
    ({"offers": [offer()]}, OFFERS), ({"candidates": [candidate()]}, CANDIDATES),
    ({"teams": [team()]}, TEAMS)])
def test_the_first_menu_entry_leads_to_what_waits(facts: dict[str, Any], state: str) -> None:
    outcome = respond(inbound("1"), ctx_for(someone(Role.REPRESENTATIVE), **facts), MAIN)
    assert (outcome.state, outcome.commands) == (state, [])


# --- proposals to an expert: the list -------------------------------------------------------

def expert_ctx(language: str = "en", *, offers: list[Offer] | None = None,
               open_id: int | None = None, **facts: Any) -> Any:
    waiting = offers if offers is not None else [offer(11), offer(12, "Olive press")]
    return ctx_for(someone(Role.EXPERT, language), offers=list(waiting),
                   data={"offer": open_id} if open_id is not None else None, **facts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_proposals_are_listed_with_their_project_and_skill(language: str) -> None:
    t = t_(language)
    reply = render(OFFERS, expert_ctx(language))
    assert reply.text == t.ngettext(
        "{count} project asks for your help. Which proposal do you want to open?",
        "{count} projects ask for your help. Which proposal do you want to open?",
        2).format(count=t.number(2))
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("o11", t.gettext("“{title}” — {skill}").format(
            title=t.iso("Water for Tafraout"), skill=t.iso(IRRIGATION_NAMES[language]))),
        ("o12", t.gettext("“{title}” — {skill}").format(
            title=t.iso("Olive press"), skill=t.iso(IRRIGATION_NAMES[language]))),
        ("menu", t.gettext("Back to the menu"))]


def test_a_need_in_the_projects_own_words_is_listed_by_those_words() -> None:
    reply = render(OFFERS, expert_ctx(offers=[offer(skill_code=None, label="Argan oil press")]))
    assert reply.text.startswith("1 project asks for your help.")
    assert reply.choices[0].label == "“Water for Tafraout” — Argan oil press"


def test_at_most_five_proposals_are_listed_but_all_are_counted() -> None:
    many = [offer(i, f"Project {i}") for i in range(1, 8)]
    reply = render(OFFERS, expert_ctx(offers=many))
    assert reply.text.startswith("7 projects ask for your help.")
    assert [ch.key for ch in reply.choices] == ["o1", "o2", "o3", "o4", "o5", "menu"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_proposal_waiting_says_so_and_leads_back_to_the_menu(language: str) -> None:
    ctx = expert_ctx(language, offers=[])
    reply = render(OFFERS, ctx)
    assert reply.text == t_(language).gettext(
        "No proposal is waiting for you. I will write to you when a project needs what you "
        "offer.")
    assert [ch.key for ch in reply.choices] == ["menu"]
    assert respond(inbound("1"), ctx, OFFERS).state == MAIN


@pytest.mark.parametrize(("message", "opened"), [
    (inbound("1"), 11), (inbound("٢"), 12), (button("o12", OFFERS), 12)])
def test_picking_a_proposal_opens_it(message: Any, opened: int) -> None:
    ctx = expert_ctx()
    outcome = respond(message, ctx, OFFERS)
    assert (outcome.state, outcome.commands) == (OFFER, [])
    assert ctx.data["offer"] == opened


def test_back_to_the_menu_from_the_list_forgets_the_proposal_open() -> None:
    ctx = expert_ctx(open_id=11)
    assert respond(inbound("3"), ctx, OFFERS).state == MAIN
    assert "offer" not in ctx.data


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_button_of_a_proposal_gone_meanwhile_shows_the_list_again_kindly(
        language: str) -> None:
    outcome = respond(button("o99", OFFERS), expert_ctx(language), OFFERS)
    assert (outcome.state, outcome.commands) == (OFFERS, [])
    assert outcome.hint == t_(language).gettext(
        "That proposal is no longer open. Here are those still waiting for you.")


@pytest.mark.parametrize("text", ["4", "0", "perhaps", "👍"])
def test_an_answer_outside_the_list_of_proposals_re_asks(text: str) -> None:
    outcome = respond(inbound(text), expert_ctx(), OFFERS)
    assert (outcome.state, outcome.commands, outcome.hint) == (OFFERS, [], NOT_IN_LIST)


# --- proposals to an expert: one proposal ---------------------------------------------------

def test_the_proposal_shows_the_need_the_place_and_why_the_expert_was_chosen() -> None:
    reply = render(OFFER, expert_ctx(open_id=11))
    assert reply.text == (
        "“Water for Tafraout” in Tafraout needs: Irrigation engineering.\n"
        "remotely, 10 days, by 2026-08-31\n"
        "Why you: Irrigation engineering; you speak French; 20 hours a month available; "
        "you work remotely or on site; in Morocco in August 2026; you come from this area."
        "\n\nWould you like to help?")
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("interested", "I am interested"), ("not_for_me", "Not for me"),
        ("details", "More details"), ("not_now", "Not now"), ("list", "Other proposals")]


def test_a_skill_found_in_the_experts_own_words_is_said_to_them_as_theirs() -> None:
    words = offer(reasons=("words", "mode"), facts=Facts(mode="remote"))
    text = render(OFFER, expert_ctx(offers=[words], open_id=11)).text
    assert "Why you: a skill you described in your own words; you work remotely." in text
    assert "their own words" not in text and "works remotely" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_proposal_reads_in_the_experts_language_with_the_communes_script(
        language: str) -> None:
    t = t_(language)
    reply = render(OFFER, expert_ctx(language, open_id=11))
    commune = "تافراوت" if language == "ar" else "Tafraout"
    assert reply.text.startswith(t.gettext("“{title}” in {commune} needs: {skill}.").format(
        title=t.iso("Water for Tafraout"), commune=t.iso(commune),
        skill=t.iso(IRRIGATION_NAMES[language])))
    assert t.ngettext("{n} hour a month available", "{n} hours a month available", 20).format(
        n=t.number(20)) in reply.text
    assert t.gettext("you work remotely or on site") in reply.text
    assert reply.text.endswith("\n\n" + t.gettext("Would you like to help?"))
    assert [ch.label for ch in reply.choices] == [t.gettext(label) for label in (
        "I am interested", "Not for me", "More details", "Not now", "Other proposals")]


ANSWERS = {
    "interested": "Thank you! I have told the organisation. You will hear from me as soon as "
                  "they answer; until then, nothing of yours is shown to them but your first "
                  "name, skills, languages and country.",
    "not_for_me": "Understood. I will propose it to someone else, and take it into account "
                  "next time.",
    "not_now": "Understood: not now. I will propose it to someone else. To receive no "
               "proposals for a while, pause them from “My expert profile”.",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("number", "answer"), [
    ("1", "interested"), ("2", "not_for_me"), ("4", "not_now")])
def test_each_answer_gives_its_command_and_is_acknowledged_in_the_experts_language(
        number: str, answer: str, language: str) -> None:
    ctx = expert_ctx(language, open_id=11)
    outcome = respond(inbound(number), ctx, OFFER)
    assert outcome.commands == [c.AnswerProposal(11, answer)]
    assert [r.text for r in outcome.say] == [t_(language).gettext(ANSWERS[answer])]
    assert outcome.state == OFFERS  # another proposal still waits
    assert "offer" not in ctx.data


@pytest.mark.parametrize(("message", "answer"), [
    (button("interested", OFFER), "interested"), (inbound("oui"), "interested"),
    (inbound("مهتم"), "interested"), (inbound("Pas pour moi"), "not_for_me"),
    (inbound("ماشي ليا"), "not_for_me"), (inbound("non"), "not_for_me"),
    (inbound("plus tard"), "not_now"), (inbound("later"), "not_now"),
    (button("not_now", OFFER), "not_now")])
def test_buttons_and_words_in_every_language_pick_the_answer(message: Any, answer: str) -> None:
    outcome = respond(message, expert_ctx(open_id=11), OFFER)
    assert outcome.commands == [c.AnswerProposal(11, answer)]


def test_answering_the_last_proposal_returns_to_the_menu() -> None:
    outcome = respond(inbound("1"), expert_ctx(offers=[offer(11)], open_id=11), OFFER)
    assert (outcome.state, outcome.commands) == (MAIN, [c.AnswerProposal(11, "interested")])


def test_more_details_shows_the_project_card_then_asks_again() -> None:
    ctx = expert_ctx(open_id=11, project={"P-AAAA22": project_card()}.get)
    outcome = respond(button("details", OFFER), ctx, OFFER)
    assert (outcome.state, outcome.commands, outcome.ask) == (OFFER, [], True)
    assert len(outcome.say) == 1
    for part in ("Water for Tafraout", "Tamount", "A well and a drip network",
                 "Tafraout (Tiznit)", "P-AAAA22"):
        assert part in outcome.say[0].text, part
    assert ctx.data["offer"] == 11  # the expert still answers this proposal next


@pytest.mark.parametrize("typed", ["3", "détails", "تفاصيل"])
def test_more_details_can_be_typed_in_every_language(typed: str) -> None:
    ctx = expert_ctx(open_id=11, project={"P-AAAA22": project_card()}.get)
    outcome = respond(inbound(typed), ctx, OFFER)
    assert outcome.commands == [] and "A well and a drip network" in outcome.say[0].text


@pytest.mark.parametrize("language", LANGUAGES)
def test_more_details_of_a_project_that_cannot_be_read_says_so(language: str) -> None:
    ctx = expert_ctx(language, open_id=11, project=lambda _ref: None)
    outcome = respond(button("details", OFFER), ctx, OFFER)
    assert (outcome.state, outcome.commands) == (OFFER, [])
    assert outcome.hint == t_(language).gettext(
        "The project's details cannot be shown right now.")


def test_other_proposals_goes_back_to_the_list_without_answering() -> None:
    ctx = expert_ctx(open_id=11)
    outcome = respond(inbound("5"), ctx, OFFER)
    assert (outcome.state, outcome.commands) == (OFFERS, [])
    assert "offer" not in ctx.data


@pytest.mark.parametrize("text", ["6", "maybe tomorrow", "x" * 400])
def test_an_unclear_answer_to_a_proposal_re_asks_and_records_nothing(text: str) -> None:
    outcome = respond(inbound(text), expert_ctx(open_id=11), OFFER)
    assert (outcome.state, outcome.commands, outcome.hint) == (OFFER, [], NOT_IN_LIST)


def test_a_button_of_an_earlier_question_is_not_taken_as_an_answer() -> None:
    outcome = respond(button("o12", OFFERS), expert_ctx(open_id=11), OFFER)
    assert (outcome.state, outcome.commands) == (OFFER, [])
    assert outcome.hint == ("That button belongs to an earlier question. Here is the current "
                            "one:")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_proposal_that_expired_before_it_was_opened_says_so_with_a_way_on(
        language: str) -> None:
    t = t_(language)
    reply = render(OFFER, expert_ctx(language, offers=[offer(12)], open_id=11))
    assert reply.text == t.gettext("This proposal is no longer open: it expired, or the need "
                                   "was filled or closed meanwhile.")
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("list", t.gettext("Other proposals")), ("menu", t.gettext("Back to the menu"))]


@pytest.mark.parametrize("answer", ["interested", "not_for_me", "not_now"])
def test_an_answer_to_a_proposal_gone_meanwhile_records_nothing(answer: str) -> None:
    ctx = expert_ctx(offers=[offer(12)], open_id=11)
    outcome = respond(button(answer, OFFER), ctx, OFFER)
    assert (outcome.state, outcome.commands) == (OFFERS, [])
    assert "offer" not in ctx.data


def test_an_answer_to_a_proposal_gone_meanwhile_tells_the_expert_it_is_no_longer_open(
        ) -> None:
    outcome = respond(button("interested", OFFER), expert_ctx(offers=[offer(12)], open_id=11),
                      OFFER)
    told = [r.text for r in outcome.say] + [outcome.hint or ""]
    assert any("no longer open" in text for text in told)


@pytest.mark.parametrize(("number", "state"), [("1", OFFERS), ("2", MAIN)])
def test_the_numbers_of_an_expired_proposal_do_what_its_card_shows(number: str,
                                                                   state: str) -> None:
    ctx = expert_ctx(offers=[offer(12)], open_id=11)
    shown = render(OFFER, ctx).choices
    assert shown[int(number) - 1].key == ("list" if state == OFFERS else "menu")
    assert respond(inbound(number), ctx, OFFER).state == state


# --- interested experts, for the organisation -----------------------------------------------

def rep_ctx(language: str = "en", *, candidates: list[Candidate] | None = None,
            open_id: int | None = None) -> Any:
    return ctx_for(someone(Role.REPRESENTATIVE, language),
                   candidates=list(candidates if candidates is not None
                                   else [candidate(21), candidate(22, "")]),
                   data={"candidate": open_id} if open_id is not None else None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_interested_experts_are_listed_by_first_name_skill_and_project(
        language: str) -> None:
    t = t_(language)
    reply = render(CANDIDATES, rep_ctx(language))
    assert reply.text == t.ngettext(
        "{count} expert is interested in your needs. Whom do you want to see?",
        "{count} experts are interested in your needs. Whom do you want to see?",
        2).format(count=t.number(2))
    row = t.gettext("{name} — {skill} — “{title}”")
    skill, title = t.iso(IRRIGATION_NAMES[language]), t.iso("Water for Tafraout")
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("c21", row.format(name=t.iso("Amina"), skill=skill, title=title)),
        ("c22", row.format(name=t.gettext("An expert"), skill=skill, title=title)),
        ("menu", t.gettext("Back to the menu"))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_interested_expert_says_so_and_leads_back_to_the_menu(language: str) -> None:
    ctx = rep_ctx(language, candidates=[])
    reply = render(CANDIDATES, ctx)
    assert reply.text == t_(language).gettext("No expert is waiting for your answer.")
    assert [ch.key for ch in reply.choices] == ["menu"]
    assert respond(inbound("1"), ctx, CANDIDATES).state == MAIN


@pytest.mark.parametrize(("message", "opened"), [
    (inbound("1"), 21), (inbound("2"), 22), (button("c22", CANDIDATES), 22)])
def test_picking_an_interested_expert_opens_their_summary(message: Any, opened: int) -> None:
    ctx = rep_ctx()
    outcome = respond(message, ctx, CANDIDATES)
    assert (outcome.state, outcome.commands) == (CANDIDATE, [])
    assert ctx.data["candidate"] == opened


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_button_of_an_expert_decided_by_another_representative_shows_the_list_again(
        language: str) -> None:
    outcome = respond(button("c99", CANDIDATES), rep_ctx(language), CANDIDATES)
    assert (outcome.state, outcome.commands) == (CANDIDATES, [])
    assert outcome.hint == t_(language).gettext(
        "Someone already answered about that expert. Here are those still waiting.")


def test_the_summary_shows_what_the_organisation_may_know_and_asks_for_a_decision() -> None:
    reply = render(CANDIDATE, rep_ctx(open_id=21))
    assert reply.text == (
        "Amina is interested in helping “Water for Tafraout” with: Irrigation engineering.\n"
        "Skills: Irrigation engineering (expert), solar pumps (practised)\n"
        "Languages: French\n"
        "Lives in: France\n"
        "Why: Irrigation engineering; speaks French; works remotely; comes from this area.\n\n"
        "Do you accept? If you do, you will be introduced and work together in the project's "
        "team.")
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("accept", "Accept"), ("decline", "Decline"), ("list", "Other experts")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_summary_reads_in_the_representatives_language(language: str) -> None:
    t = t_(language)
    reply = render(CANDIDATE, rep_ctx(language, open_id=21))
    assert reply.text.startswith(t.gettext(
        "{name} is interested in helping “{title}” with: {skill}.").format(
            name=t.iso("Amina"), title=t.iso("Water for Tafraout"),
            skill=t.iso(IRRIGATION_NAMES[language])))
    assert t.gettext("{skill} ({level})").format(
        skill=t.iso(IRRIGATION_NAMES[language]), level=t.gettext("expert")) in reply.text
    assert t.gettext("works remotely") in reply.text
    assert [ch.label for ch in reply.choices] == [
        t.gettext("Accept"), t.gettext("Decline"), t.gettext("Other experts")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("message", [inbound("1"), button("accept", CANDIDATE)])
def test_accepting_gives_the_decision_and_asks_how_the_team_reaches_them(
        message: Any, language: str) -> None:
    t = t_(language)
    ctx = rep_ctx(language, open_id=21)
    outcome = respond(message, ctx, CANDIDATE)
    assert (outcome.state, outcome.commands) == (CONTACT, [c.DecideProposal(21, True)])
    assert [r.text for r in outcome.say] == [t.gettext(
        "Done: {name} joins the team of “{title}”.").format(
            name=t.iso("Amina"), title=t.iso("Water for Tafraout"))]
    assert ctx.data["team"] == {"ref": "P-AAAA22"} and "candidate" not in ctx.data


@pytest.mark.parametrize("language", LANGUAGES)
def test_declining_gives_the_decision_and_says_the_expert_is_thanked(language: str) -> None:
    ctx = rep_ctx(language, open_id=21)
    outcome = respond(inbound("2"), ctx, CANDIDATE)
    assert (outcome.state, outcome.commands) == (CANDIDATES, [c.DecideProposal(21, False)])
    assert [r.text for r in outcome.say] == [t_(language).gettext(
        "Noted. I will thank them kindly, and propose the need to someone else.")]
    assert "candidate" not in ctx.data


def test_declining_the_last_interested_expert_returns_to_the_menu() -> None:
    outcome = respond(inbound("2"), rep_ctx(candidates=[candidate(21)], open_id=21), CANDIDATE)
    assert (outcome.state, outcome.commands) == (MAIN, [c.DecideProposal(21, False)])


@pytest.mark.parametrize(("typed", "accept"), [
    ("accepter", True), ("قبول", True), ("oui", True), ("refuser", False), ("رفض", False),
    ("non", False)])
def test_the_decision_can_be_typed_in_every_language(typed: str, accept: bool) -> None:
    outcome = respond(inbound(typed), rep_ctx(open_id=21), CANDIDATE)
    assert outcome.commands == [c.DecideProposal(21, accept)]


def test_other_experts_goes_back_to_the_list_without_deciding() -> None:
    ctx = rep_ctx(open_id=21)
    outcome = respond(inbound("3"), ctx, CANDIDATE)
    assert (outcome.state, outcome.commands) == (CANDIDATES, [])
    assert "candidate" not in ctx.data


@pytest.mark.parametrize("text", ["4", "peut-être", "👍"])
def test_an_unclear_decision_re_asks_and_decides_nothing(text: str) -> None:
    outcome = respond(inbound(text), rep_ctx(open_id=21), CANDIDATE)
    assert (outcome.state, outcome.commands, outcome.hint) == (CANDIDATE, [], NOT_IN_LIST)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expert_decided_by_another_representative_is_not_decided_again(
        language: str) -> None:
    t = t_(language)
    ctx = rep_ctx(language, candidates=[candidate(22)], open_id=21)
    reply = render(CANDIDATE, ctx)
    assert reply.text == t.gettext("Someone already answered about this expert.")
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("list", t.gettext("Other experts")), ("menu", t.gettext("Back to the menu"))]
    for answer in ("accept", "decline"):
        ctx.data["candidate"] = 21
        outcome = respond(button(answer, CANDIDATE), ctx, CANDIDATE)
        assert (outcome.state, outcome.commands) == (CANDIDATES, [])
        assert "candidate" not in ctx.data


@pytest.mark.parametrize(("number", "state"), [("1", CANDIDATES), ("2", MAIN)])
def test_the_numbers_of_an_expert_decided_meanwhile_do_what_the_card_shows(
        number: str, state: str) -> None:
    ctx = rep_ctx(candidates=[candidate(22)], open_id=21)
    shown = render(CANDIDATE, ctx).choices
    assert shown[int(number) - 1].key == ("list" if state == CANDIDATES else "menu")
    assert respond(inbound(number), ctx, CANDIDATE).state == state


# --- project teams: the list ----------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_teams_are_listed_with_their_new_messages(language: str) -> None:
    t = t_(language)
    ctx = team_ctx(who=someone(Role.EXPERT, language),
                   teams=[team(), team("P-BBBB33", "Olive press", unread=3)])
    reply = render(TEAMS, ctx)
    assert reply.text == t.gettext("Project teams. Which one do you want to open?")
    quoted = t.gettext("“{title}”")
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("P-AAAA22", quoted.format(title=t.iso("Water for Tafraout"))),
        ("P-BBBB33", t.gettext("{team} — {count} new").format(
            team=quoted.format(title=t.iso("Olive press")), count=t.number(3))),
        ("menu", t.gettext("Back to the menu"))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_team_yet_says_how_one_forms(language: str) -> None:
    ctx = team_ctx(who=someone(Role.EXPERT, language), teams=[])
    reply = render(TEAMS, ctx)
    assert reply.text == t_(language).gettext(
        "You are not in any project team yet. A team forms when an organisation and an "
        "expert have both said yes.")
    assert [ch.key for ch in reply.choices] == ["menu"]
    assert respond(inbound("1"), ctx, TEAMS).state == MAIN


def test_a_member_who_has_not_chosen_how_to_be_reached_is_asked_first() -> None:
    ctx = team_ctx(teams=[team(mine=None)])
    outcome = respond(inbound("1"), ctx, TEAMS)
    assert (outcome.state, outcome.commands) == (CONTACT, [c.ReadTeam("P-AAAA22")])
    assert ctx.data["team"] == {"ref": "P-AAAA22"}


def test_a_member_who_chose_sees_the_team_and_its_messages_count_as_read() -> None:
    ctx = team_ctx(teams=[team(), team("P-BBBB33", "Olive press", mine="handle")])
    outcome = respond(button("P-BBBB33", TEAMS), ctx, TEAMS)
    assert (outcome.state, outcome.commands) == (TEAM, [c.ReadTeam("P-BBBB33")])
    assert ctx.data["team"] == {"ref": "P-BBBB33"}


def test_an_animator_outside_a_team_opens_it_without_marking_it_read() -> None:
    ctx = team_ctx(who=someone(Role.ANIMATOR), teams=[team(members=(FATIMA,))])
    outcome = respond(inbound("1"), ctx, TEAMS)
    assert (outcome.state, outcome.commands) == (TEAM, [])


@pytest.mark.parametrize("message", [inbound("3"), inbound("water"), button("P-GONE99", TEAMS)])
def test_a_team_not_in_the_list_re_asks(message: Any) -> None:
    outcome = respond(message, team_ctx(), TEAMS)
    assert (outcome.state, outcome.commands, outcome.hint) == (TEAMS, [], NOT_IN_LIST)


# --- project teams: one team ----------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_team_shows_its_active_members_the_contacts_shared_and_the_last_messages(
        language: str) -> None:
    t = t_(language)
    asked: list[int] = []
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22", asked=asked,
                   contacts={3: ["+212600000003", "@fatima_t"]},
                   history=[said(1, "Bonjour à tous"), said(2, "", (41, 42)),
                            said(3, "Voici le plan", (43,))])

    def who(name: str, role: str) -> str:
        return t.gettext("{name} ({role})").format(name=t.iso(name), role=t.gettext(ROLES[role]))

    def line(text: str, files: int = 0) -> str:
        if files:
            text = (text + " " if text else "") + t.ngettext(
                "[{n} attachment]", "[{n} attachments]", files).format(n=t.number(files))
        return f"• {who('Fatima', 'representative')}: {text}"

    reply = render(TEAM, ctx)
    assert reply.text.split("\n") == [
        t.gettext("Team of “{title}”").format(title=t.iso("Water for Tafraout")),
        "• " + who("Amina", "expert"),
        "• " + who("Fatima", "representative") + " — " + ", ".join(
            t.iso(c) for c in ("+212600000003", "@fatima_t")),
        "", t.gettext("Last messages:"),
        line(t.iso("Bonjour à tous")), line("", 2), line(t.iso("Voici le plan"), 1)]
    assert asked == [3]  # the contact of a member who did not choose to share is never read
    assert [ch.label for ch in reply.choices] == [t.gettext(label) for label in (
        "Write to the team", "How the team reaches me", "Leave the team", "Other teams",
        "Back to the menu")]


def test_the_team_shows_only_its_last_ten_messages() -> None:
    history = [said(n, f"message {n}") for n in range(1, 14)]
    text = render(TEAM, team_ctx(open_ref="P-AAAA22", history=history)).text
    assert "message 3\n" not in text and "message 4\n" in text and text.endswith("message 13")


def test_a_message_whose_author_is_gone_reads_as_from_a_member() -> None:
    gone = Said(9, None, "", "", "Le devis est prêt", (), datetime(2026, 2, 1, tzinfo=UTC))
    text = render(TEAM, team_ctx(open_ref="P-AAAA22", history=[gone])).text
    assert "Project-Id-Version" not in text
    assert "• A member" in text and "Le devis est prêt" in text


@pytest.mark.parametrize(("number", "state"), [
    ("1", CHAT), ("2", CONTACT), ("3", LEAVE), ("4", TEAMS), ("5", MAIN)])
def test_each_choice_of_the_team_leads_to_its_step(number: str, state: str) -> None:
    outcome = respond(inbound(number), team_ctx(open_ref="P-AAAA22"), TEAM)
    assert (outcome.state, outcome.commands) == (state, [])


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_animator_not_in_the_team_may_read_it_and_join(language: str) -> None:
    t = t_(language)
    ctx = team_ctx(who=someone(Role.ANIMATOR, language), open_ref="P-AAAA22",
                   teams=[team(members=(FATIMA, OMAR))], history=[said(1, "Salam")])
    reply = render(TEAM, ctx)
    assert "Salam" in reply.text
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("join", t.gettext("Join this team")), ("list", t.gettext("Other teams")),
        ("menu", t.gettext("Back to the menu"))]
    outcome = respond(inbound("1"), ctx, TEAM)
    assert (outcome.state, outcome.commands) == (TEAM, [c.JoinTeam("P-AAAA22")])
    assert [r.text for r in outcome.say] == [t.gettext("You joined the team.")]


def test_an_animator_not_in_the_team_cannot_write_to_it() -> None:
    ctx = team_ctx(who=someone(Role.ANIMATOR), open_ref="P-AAAA22",
                   teams=[team(members=(FATIMA,))])
    for typed in ("write", "Write to the team"):
        outcome = respond(inbound(typed), ctx, TEAM)
        assert (outcome.state, outcome.commands) == (TEAM, [])
    outcome = respond(inbound("Bonjour"), ctx, CHAT)
    assert outcome.commands == [] and outcome.hint and "no longer available" in outcome.hint


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_team_gone_meanwhile_says_so_and_leads_to_the_menu(language: str) -> None:
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-GONE99")
    reply = render(TEAM, ctx)
    assert reply.text == t_(language).gettext("This team is no longer available.")
    assert [ch.key for ch in reply.choices] == ["menu"]
    outcome = respond(inbound("1"), ctx, TEAM)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert "team" not in ctx.data


# --- how a member is reached ----------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("identity", "share"), [
    ("telegram:42", "Share my Telegram username with the team"),
    (WHATSAPP, "Share my WhatsApp number with the team")])
def test_the_contact_choice_names_what_would_be_shared_on_the_members_app(
        identity: str, share: str, language: str) -> None:
    t = t_(language)
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22")
    ctx.identity = identity
    reply = render(CONTACT, ctx)
    assert reply.text == t.gettext(
        "You are in the team of “{title}”. How do you want to talk with the team? Through "
        "the assistant, nobody sees your number or username; each message reaches the others "
        "in their own app.").format(title=t.iso("Water for Tafraout"))
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("relay", t.gettext("Talk through the assistant (my number stays hidden)")),
        ("share", t.gettext(share))]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("message", "contact", "said_text"), [
    (inbound("1"), "relay", "Your number stays hidden: the team talks through me."),
    (button("relay", CONTACT), "relay", "Your number stays hidden: the team talks through me."),
    (inbound("2"), "handle", "Your contact is shared with the team."),
    (inbound("partager"), "handle", "Your contact is shared with the team."),
    (inbound("شارك"), "handle", "Your contact is shared with the team.")])
def test_the_contact_choice_is_recorded_and_the_team_shown(
        message: Any, contact: str, said_text: str, language: str) -> None:
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22", handle="amina_t")
    outcome = respond(message, ctx, CONTACT)
    assert (outcome.state, outcome.commands) == (TEAM, [c.ChooseContact("P-AAAA22", contact)])
    assert [r.text for r in outcome.say] == [t_(language).gettext(said_text)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sharing_is_refused_on_telegram_without_a_username(language: str) -> None:
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22", handle=None)
    outcome = respond(button("share", CONTACT), ctx, CONTACT)
    assert (outcome.state, outcome.commands) == (CONTACT, [])
    assert outcome.hint == t_(language).gettext(
        "You have no Telegram username, so there is nothing to share. Set one in Telegram's "
        "settings and try again, or talk through the assistant.")
    relayed = respond(inbound("1"), ctx, CONTACT)
    assert relayed.commands == [c.ChooseContact("P-AAAA22", "relay")]


def test_sharing_a_whatsapp_number_needs_no_username() -> None:
    ctx = team_ctx(open_ref="P-AAAA22", handle=None)
    ctx.identity = WHATSAPP
    outcome = respond(inbound("2", identity=WHATSAPP), ctx, CONTACT)
    assert outcome.commands == [c.ChooseContact("P-AAAA22", "number")]


@pytest.mark.parametrize("text", ["3", "maybe", "🙂"])
def test_an_unclear_contact_choice_re_asks(text: str) -> None:
    outcome = respond(inbound(text), team_ctx(open_ref="P-AAAA22"), CONTACT)
    assert (outcome.state, outcome.commands, outcome.hint) == (CONTACT, [], NOT_IN_LIST)


@pytest.mark.parametrize("teams", [[], [team(members=(FATIMA, OMAR))]])
def test_a_contact_choice_for_a_team_gone_or_left_changes_nothing(teams: list[Team]) -> None:
    ctx = team_ctx(open_ref="P-AAAA22", teams=teams)
    outcome = respond(inbound("1"), ctx, CONTACT)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert [r.text for r in outcome.say] == ["This team is no longer available."]
    assert "team" not in ctx.data


# --- writing in the team --------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_writing_asks_for_the_message_and_says_how_to_stop(language: str) -> None:
    t = t_(language)
    reply = render(CHAT, team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22"))
    assert reply.text == t.gettext(
        "Write to the team of “{title}”: text, photos, voice notes or documents. Each member "
        "receives it in their own app.").format(title=t.iso("Water for Tafraout"))
    assert [(ch.key, ch.label) for ch in reply.choices] == [("done", t.gettext("Done writing"))]
    assert reply.hint == t.gettext(
        "Everything you send now goes to the team. Reply 1 when you are done.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_text_is_passed_on_to_the_team_and_writing_goes_on(language: str) -> None:
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22")
    outcome = respond(inbound("  Je serai à Tafraout le 3 août.\n"), ctx, CHAT)
    assert (outcome.state, outcome.ask) == (CHAT, False)
    assert outcome.commands == [c.SayToTeam("P-AAAA22", "Je serai à Tafraout le 3 août.")]
    assert [r.text for r in outcome.say] == [t_(language).gettext("✓ Sent to the team.")]


def test_a_text_of_the_longest_length_allowed_is_passed_on() -> None:
    outcome = respond(inbound("w" * MAX_TEXT), team_ctx(open_ref="P-AAAA22"), CHAT)
    assert outcome.commands == [c.SayToTeam("P-AAAA22", "w" * MAX_TEXT)]


def test_invisible_control_characters_are_not_passed_on() -> None:
    outcome = respond(inbound("\u202eSalam\u200b"), team_ctx(open_ref="P-AAAA22"), CHAT)
    assert outcome.commands == [c.SayToTeam("P-AAAA22", "Salam")]


@pytest.mark.parametrize(("message", "text", "media"), [
    (photo(), "", (c.Attachment("photo", "telegram", "file-9", "image/jpeg"),)),
    (photo(text="Le puits"), "Le puits",
     (c.Attachment("photo", "telegram", "file-9", "image/jpeg"),)),
    (inbound(identity=WHATSAPP, media=(Media("voice", "https://api.twilio.com/m/1",
                                             "audio/ogg"),)),
     "", (c.Attachment("voice", "whatsapp", "https://api.twilio.com/m/1", "audio/ogg"),)),
    (inbound(media=(Media("document", "file-3", "application/pdf"),
                    Media("photo", "file-4", "image/jpeg"))), "",
     (c.Attachment("document", "telegram", "file-3", "application/pdf"),
      c.Attachment("photo", "telegram", "file-4", "image/jpeg")))])
def test_photos_voice_notes_and_documents_are_passed_on_as_attachments(
        message: Any, text: str, media: tuple[c.Attachment, ...]) -> None:
    ctx = team_ctx(open_ref="P-AAAA22")
    ctx.identity = message.identity
    outcome = respond(message, ctx, CHAT)
    assert (outcome.state, outcome.commands) == (CHAT, [c.SayToTeam("P-AAAA22", text, media)])


def test_a_photo_captioned_1_is_passed_on_not_taken_for_done() -> None:
    outcome = respond(photo(text="1"), team_ctx(open_ref="P-AAAA22"), CHAT)
    assert outcome.state == CHAT and len(outcome.commands) == 1


STICKERS = ("Stickers and locations cannot be passed on. Send text, a photo, a voice note or a "
            "document.")
NOTHING = ("I did not receive anything to pass on. Send text, a photo, a voice note or a "
           "document.")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("message", "hint"), [
    (sticker(), STICKERS), (location(), STICKERS),
    (inbound(media=(Media("photo", "file-1"), Media("sticker", "file-2"))), STICKERS),
    (inbound("   \n "), NOTHING), (inbound("\u200b\u2066"), NOTHING)])
def test_what_cannot_be_passed_on_stays_with_a_hint(message: Any, hint: str,
                                                    language: str) -> None:
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22")
    outcome = respond(message, ctx, CHAT)
    assert (outcome.state, outcome.commands) == (CHAT, [])
    assert outcome.hint == t_(language).gettext(hint)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_over_long_text_stays_with_a_hint(language: str) -> None:
    t = t_(language)
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22")
    outcome = respond(inbound("w" * (MAX_TEXT + 1)), ctx, CHAT)
    assert (outcome.state, outcome.commands) == (CHAT, [])
    assert outcome.hint == t.gettext("That message is too long: please send at most {most} "
                                     "characters at a time.").format(most=t.number(MAX_TEXT))


@pytest.mark.parametrize("message", [
    inbound("1"), inbound("١"), inbound("Done writing"), button("done", CHAT)])
def test_done_writing_shows_the_team_again_and_sends_nothing(message: Any) -> None:
    outcome = respond(message, team_ctx(open_ref="P-AAAA22"), CHAT)
    assert (outcome.state, outcome.commands) == (TEAM, [])


def test_a_member_who_left_meanwhile_passes_nothing_on() -> None:
    ctx = team_ctx(open_ref="P-AAAA22", teams=[team(members=(FATIMA,))])
    outcome = respond(photo(), ctx, CHAT)
    assert (outcome.state, outcome.commands) == (CHAT, [])
    assert outcome.hint == ("This team is no longer available: nothing was passed on. Write "
                            "MENU to go back to the menu.")


# --- leaving --------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_leaving_asks_for_confirmation_then_leaves(language: str) -> None:
    t = t_(language)
    ctx = team_ctx(who=someone(Role.EXPERT, language), open_ref="P-AAAA22")
    reply = render(LEAVE, ctx)
    assert reply.text == t.gettext("Leave this team? You will no longer receive its messages.")
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("yes", t.gettext("Yes, leave the team")), ("no", t.gettext("No, stay"))]
    outcome = respond(inbound("1"), ctx, LEAVE)
    assert (outcome.state, outcome.commands) == (MAIN, [c.LeaveTeam("P-AAAA22")])
    assert [r.text for r in outcome.say] == [t.gettext("You left the team.")]
    assert "team" not in ctx.data


@pytest.mark.parametrize("typed", ["oui", "نعم", "wakha"])
def test_leaving_can_be_confirmed_in_words(typed: str) -> None:
    outcome = respond(inbound(typed), team_ctx(open_ref="P-AAAA22"), LEAVE)
    assert outcome.commands == [c.LeaveTeam("P-AAAA22")]


@pytest.mark.parametrize("message", [inbound("2"), inbound("non"), inbound("لا"),
                                     button("no", LEAVE)])
def test_staying_keeps_the_member_in_the_team(message: Any) -> None:
    ctx = team_ctx(open_ref="P-AAAA22")
    outcome = respond(message, ctx, LEAVE)
    assert (outcome.state, outcome.commands) == (TEAM, [])
    assert ctx.data["team"] == {"ref": "P-AAAA22"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unclear_answer_to_leaving_re_asks(language: str) -> None:
    outcome = respond(inbound("peut-être"), team_ctx(who=someone(Role.EXPERT, language),
                                                    open_ref="P-AAAA22"), LEAVE)
    assert (outcome.state, outcome.commands) == (LEAVE, [])
    assert outcome.hint == t_(language).gettext(
        "Please answer 1 to leave the team, or 2 to stay.")


def test_leaving_a_team_gone_meanwhile_changes_nothing() -> None:
    outcome = respond(inbound("1"), team_ctx(open_ref="P-GONE99"), LEAVE)
    assert (outcome.state, outcome.commands) == (MAIN, [])


# --- every state ----------------------------------------------------------------------------

STATES = (OFFERS, OFFER, CANDIDATES, CANDIDATE, TEAMS, TEAM, CONTACT, CHAT, LEAVE)


@pytest.mark.parametrize("state", STATES)
def test_every_state_renders_with_no_facts_and_no_data(state: str) -> None:
    for role in (Role.EXPERT, Role.REPRESENTATIVE, Role.ANIMATOR):
        reply = render(state, context(someone(role)))
        assert reply.text.strip() and reply.choices


@pytest.mark.parametrize("state", [OFFER, CANDIDATE, TEAM, CONTACT, CHAT, LEAVE])
def test_menu_leaves_every_step_and_changes_nothing(state: str) -> None:
    ctx = ctx_for(someone(Role.EXPERT), offers=[offer()], candidates=[candidate()],
                  teams=[team()], team={"P-AAAA22": team()}.get,
                  data={"offer": 11, "candidate": 21, "team": {"ref": "P-AAAA22"}})
    outcome = respond(inbound("menu"), ctx, state)
    assert (outcome.state, outcome.commands) == (MAIN, [])


#: What an Arabic, Tamazight or French reader must never get in English.
ENGLISH = {OFFERS: "projects ask for your help", OFFER: "Would you like to help?",
           CANDIDATES: "experts are interested in your needs",
           CANDIDATE: "Do you accept?", TEAMS: "Project teams. Which one",
           TEAM: "Team of", CONTACT: "How do you want to talk with the team?",
           CHAT: "Write to the team of", LEAVE: "Leave this team?"}


@pytest.mark.parametrize("language", ["ar", "zgh", "fr"])
def test_proposals_candidates_and_teams_are_not_shown_in_english(language: str) -> None:
    ctx = ctx_for(someone(Role.EXPERT, language), offers=[offer(11), offer(12)],
                  candidates=[candidate(21), candidate(22)], teams=[team()],
                  team={"P-AAAA22": team()}.get,
                  data={"offer": 11, "candidate": 21, "team": {"ref": "P-AAAA22"}})
    shown = {state: render(state, ctx).text for state in ENGLISH}
    assert [state for state, english in ENGLISH.items() if english in shown[state]] == []
