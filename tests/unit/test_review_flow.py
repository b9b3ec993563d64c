"""The animators' review queue, step by step through `respond`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.flows import respond
from bot.flows.engine import render
from bot.messages import Media
from core import commands as c
from core.domain.people import Role
from core.projects import MediaView, NeedView, ProjectCard
from tests.unit.support import LANGUAGES, button, context, inbound, member, person

MAIN = "menu.main"
QUEUE, CARD = "review.queue", "review.card"
REASON, QUESTION = "review.reason", "review.question"
DIAGNOSIS = {"problem": "No water in summer", "beneficiaries": "300 families",
             "existing": "An old well", "missing": ["study", "equipment"],
             "maintenance": "The association's water committee"}


def project(ref: str = "P-AAAA22", title: str = "Water for Tafraout", *,
            status: str = "awaiting_review", **changes: Any) -> ProjectCard:
    """A project waiting for review, with a need, a voice note and a pre-diagnosis."""
    card = ProjectCard(
        id=1, ref=ref, title=title, description="A well and a pump", theme="water",
        kind="local", peer=None, pcd="yes", pcd_reference="PCD 2023-12", status=status,
        organisation_id=3, organisation="Tamount", commune_code="09.581.01.05",
        commune_fr="Tafraout", commune_ar="تافراوت", province_fr="Tiznit", province_ar="تيزنيت",
        reject_reason=None, question=None, submitted_at=datetime(2026, 2, 1, tzinfo=UTC),
        updated_at=datetime(2026, 2, 1, tzinfo=UTC), diagnosis=dict(DIAGNOSIS),
        needs=(NeedView(5, "money", "pump", None, None, "MAD", 40_000, 0, 0, None, "open"),),
        media=(MediaView(9, "voice", "telegram", "file-77", "audio/ogg"),))
    return replace(card, **changes)


FIRST = project()
SECOND = project("P-BBBB33", "A school library", commune_fr="Ammelne", commune_ar="أملن")
THIRD = project("P-CCCC44", "Olive press")


def animator(language: str = "en") -> Any:
    return person(language, consented=True, role=Role.ANIMATOR)


def ctx_for(language: str = "en", *, queue: list[ProjectCard] | None = None,
            ref: str | None = None, cards: list[ProjectCard] | None = None,
            who: Any = None) -> Any:
    """An animator's context: the queue waiting, and the cards core would read afresh."""
    ctx = context(who or animator(language))
    waiting = list(queue if queue is not None else [FIRST, SECOND])
    known = {card.ref: card for card in (cards if cards is not None else waiting)}
    ctx.facts = {**ctx.facts, "review_queue": waiting, "project": known.get,
                 "media_url": lambda media_id: f"https://comdev.example/media/{media_id}"}
    if ref is not None:
        ctx.data["review"] = {"ref": ref}
    return ctx


# --- the queue ------------------------------------------------------------------------------

def test_the_menu_leads_an_animator_to_the_queue() -> None:
    ctx = ctx_for()
    menu = render(MAIN, ctx)
    assert menu.choices[0].label == "Projects to review (2)"
    assert respond(inbound("1"), ctx, MAIN).state == QUEUE


def test_the_queue_lists_the_projects_waiting_oldest_first_with_their_commune() -> None:
    reply = render(QUEUE, ctx_for())
    assert "2 projects are waiting for review" in reply.text
    assert [(ch.key, ch.label) for ch in reply.choices] == [
        ("P-AAAA22", "“Water for Tafraout” — Tafraout (Tiznit)"),
        ("P-BBBB33", "“A school library” — Ammelne (Tiznit)"),
        ("menu", "Back to the menu")]


def test_the_queue_names_communes_in_arabic_script_for_arabic_readers() -> None:
    reply = render(QUEUE, ctx_for("ar"))
    assert "تافراوت" in reply.choices[0].label and "تيزنيت" in reply.choices[0].label
    assert "أملن" in reply.choices[1].label


def test_the_queue_shows_at_most_five_projects() -> None:
    many = [project(f"P-MANY{i:02}", f"Project {i}") for i in range(8)]
    reply = render(QUEUE, ctx_for(queue=many))
    assert "8 projects" in reply.text
    assert [ch.key for ch in reply.choices] == [p.ref for p in many[:5]] + ["menu"]


def test_a_long_title_is_shortened_in_the_list() -> None:
    reply = render(QUEUE, ctx_for(queue=[project(title="W" * 200)]))
    assert "1 project is waiting" in reply.text
    assert len(reply.choices[0].label) < 90 and "…" in reply.choices[0].label


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_empty_queue_says_so_and_offers_the_menu(language: str) -> None:
    ctx = ctx_for(language, queue=[])
    reply = render(QUEUE, ctx)
    assert [ch.key for ch in reply.choices] == ["menu"]
    if language == "en":
        assert reply.text == "No project is waiting for review."
    assert respond(inbound("1"), ctx, QUEUE).state == MAIN


@pytest.mark.parametrize(("message", "ref"), [
    (inbound("1"), "P-AAAA22"), (inbound("٢"), "P-BBBB33"), (button("P-BBBB33"), "P-BBBB33")])
def test_picking_a_project_opens_its_card(message: Any, ref: str) -> None:
    ctx = ctx_for()
    outcome = respond(message, ctx, QUEUE)
    assert (outcome.state, outcome.commands) == (CARD, [])
    assert ctx.data["review"] == {"ref": ref}


@pytest.mark.parametrize("text", ["9", "0", "maybe", "👍"])
def test_an_answer_outside_the_list_re_asks_the_queue(text: str) -> None:
    outcome = respond(inbound(text), ctx_for(), QUEUE)
    assert (outcome.state, outcome.commands) == (QUEUE, [])
    assert outcome.hint == "Please choose a number from the list."


def test_a_button_of_a_project_decided_meanwhile_shows_the_queue_again() -> None:
    outcome = respond(button("P-GONE99"), ctx_for(), QUEUE)
    assert outcome.state == QUEUE
    assert outcome.hint and "no longer waiting" in outcome.hint


# --- the card -------------------------------------------------------------------------------

def test_the_card_shows_the_whole_project_its_needs_and_its_pre_diagnosis() -> None:
    reply = render(CARD, ctx_for(ref="P-AAAA22"))
    for part in ("Water for Tafraout", "Tamount", "Tafraout (Tiznit)", "A well and a pump",
                 "Needs:", "Money for: pump", "Pre-diagnosis:", "Problem: No water in summer",
                 "Who benefits: 300 families", "What exists already: An old well",
                 "What is missing: a study, equipment",
                 "Who will maintain it: The association's water committee", "P-AAAA22"):
        assert part in reply.text, part
    assert [ch.key for ch in reply.choices] == ["approve", "reject", "question", "next", "menu"]
    assert [ch.label for ch in reply.choices][:3] == [
        "Approve", "Reject, with a reason", "Ask a question"]


def test_the_card_attaches_the_voice_notes_as_the_channel_can_receive_them() -> None:
    ctx = ctx_for(ref="P-AAAA22")
    assert render(CARD, ctx).media == (Media("voice", "file-77", "audio/ogg"),)
    ctx.identity = "whatsapp:+212600000009"  # a Telegram file id means nothing there
    assert render(CARD, ctx).media == (
        Media("voice", "https://comdev.example/media/9", "audio/ogg"),)


def test_a_card_without_pre_diagnosis_says_it_was_not_filled_in() -> None:
    bare = project(diagnosis={})
    reply = render(CARD, ctx_for(queue=[bare], ref=bare.ref))
    assert "Pre-diagnosis:\nnot filled in" in reply.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_renders_in_every_language(language: str) -> None:
    reply = render(CARD, ctx_for(language, ref="P-AAAA22"))
    assert "Water for Tafraout" in reply.text
    assert len(reply.choices) == 5 and reply.media
    if language == "ar":
        assert "تافراوت" in reply.text


@pytest.mark.parametrize("message", [inbound("1"), button("approve"), inbound("approve")])
def test_approving_records_the_decision_and_shows_the_queue_again(message: Any) -> None:
    ctx = ctx_for(ref="P-AAAA22")
    outcome = respond(message, ctx, CARD)
    assert outcome.state == QUEUE
    assert outcome.commands == [c.ReviewProject("P-AAAA22", "approve")]
    assert outcome.say[0].text == ("Approved: the project is now visible, and its "
                                   "representatives are told.")
    assert "review" not in ctx.data


@pytest.mark.parametrize(("answer", "state"), [("2", REASON), ("3", QUESTION), ("5", MAIN)])
def test_the_other_choices_lead_to_their_question(answer: str, state: str) -> None:
    outcome = respond(inbound(answer), ctx_for(ref="P-AAAA22"), CARD)
    assert (outcome.state, outcome.commands) == (state, [])


def test_next_project_opens_the_following_one_then_wraps_around() -> None:
    ctx = ctx_for(queue=[FIRST, SECOND, THIRD], ref="P-BBBB33")
    assert respond(inbound("4"), ctx, CARD).state == CARD
    assert ctx.data["review"] == {"ref": "P-CCCC44"}
    respond(inbound("4"), ctx, CARD)
    assert ctx.data["review"] == {"ref": "P-AAAA22"}


def test_next_project_when_it_is_the_only_one_says_so() -> None:
    ctx = ctx_for(queue=[FIRST], ref="P-AAAA22")
    outcome = respond(inbound("4"), ctx, CARD)
    assert (outcome.state, outcome.commands) == (CARD, [])
    assert outcome.say[0].text == "No other project is waiting for review."


@pytest.mark.parametrize("text", ["6", "perhaps", "x" * 400])
def test_an_unclear_answer_on_the_card_re_asks(text: str) -> None:
    outcome = respond(inbound(text), ctx_for(ref="P-AAAA22"), CARD)
    assert (outcome.state, outcome.commands) == (CARD, [])
    assert outcome.hint == "Please choose a number from the list."


def test_a_project_decided_meanwhile_is_not_decided_again() -> None:
    decided = project(status="open")
    ctx = ctx_for(queue=[SECOND], cards=[decided, SECOND], ref="P-AAAA22")
    outcome = respond(button("approve"), ctx, CARD)
    assert (outcome.state, outcome.commands) == (QUEUE, [])
    assert "another animator decided meanwhile" in outcome.say[0].text
    assert "review" not in ctx.data


def test_a_card_decided_before_it_was_shown_says_so_with_a_way_on() -> None:
    ctx = ctx_for(queue=[], cards=[project(status="rejected")], ref="P-AAAA22")
    reply = render(CARD, ctx)
    assert "no longer waiting for review" in reply.text
    assert [ch.key for ch in reply.choices] == ["queue", "menu"]
    assert respond(inbound("2"), ctx, CARD).state == MAIN


def test_a_card_with_no_project_selected_offers_the_queue() -> None:
    ctx = ctx_for()
    reply = render(CARD, ctx)
    assert reply.text == "No project is selected."
    assert respond(inbound("1"), ctx, CARD).state == QUEUE


# --- reason and question --------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rejection_sends_its_reason(language: str) -> None:
    ctx = ctx_for(language, ref="P-AAAA22")
    assert "Water for Tafraout" in render(REASON, ctx).text
    outcome = respond(inbound("  The budget is   not detailed.\nPlease add quotes. "), ctx, REASON)
    assert outcome.state == QUEUE
    assert outcome.commands == [c.ReviewProject(
        "P-AAAA22", "reject", "The budget is not detailed.\nPlease add quotes.")]
    if language == "en":
        assert outcome.say[0].text == "Rejected; the representatives are told the reason."
    assert "review" not in ctx.data


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_question_is_sent_and_the_project_stays_in_the_queue(language: str) -> None:
    ctx = ctx_for(language, ref="P-AAAA22")
    assert "Water for Tafraout" in render(QUESTION, ctx).text
    outcome = respond(inbound("كم عدد الأسر المستفيدة؟"), ctx, QUESTION)
    assert outcome.state == QUEUE
    assert outcome.commands == [c.ReviewProject("P-AAAA22", "question",
                                                "كم عدد الأسر المستفيدة؟")]
    if language == "en":
        assert outcome.say[0].text == ("Your question is sent to the representatives. "
                                       "The project stays in the queue.")


@pytest.mark.parametrize("state", [REASON, QUESTION])
@pytest.mark.parametrize("text", ["no", "١٢٣٤", "👍🏽🙏", "\u200f\u202e", "w" * 2001])
def test_what_is_not_words_re_asks_the_reason_or_question(state: str, text: str) -> None:
    outcome = respond(inbound(text), ctx_for(ref="P-AAAA22"), state)
    assert (outcome.state, outcome.commands) == (state, [])
    assert outcome.hint and "at least 3 and at most 2,000 characters" in outcome.hint


@pytest.mark.parametrize("state", [REASON, QUESTION])
def test_reply_1_leaves_the_reason_or_question_for_the_menu(state: str) -> None:
    ctx = ctx_for(ref="P-AAAA22")
    outcome = respond(inbound("1"), ctx, state)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert "review" not in ctx.data


@pytest.mark.parametrize("state", [REASON, QUESTION])
def test_a_reason_or_question_about_a_project_decided_meanwhile_changes_nothing(
        state: str) -> None:
    ctx = ctx_for(cards=[project(status="open")], ref="P-AAAA22")
    outcome = respond(inbound("Why is there no budget?"), ctx, state)
    assert (outcome.state, outcome.commands) == (QUEUE, [])
    assert "another animator decided meanwhile" in outcome.say[0].text


# --- only animators -------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("state", "text"), [
    (QUEUE, "1"), (CARD, "1"), (REASON, "Not detailed enough"), (QUESTION, "How many?")])
def test_someone_who_is_not_an_animator_is_sent_back_to_the_menu(
        state: str, text: str, language: str) -> None:
    ctx = ctx_for(language, ref="P-AAAA22", who=member(language))
    outcome = respond(inbound(text), ctx, state)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert outcome.say and outcome.say[0].text.strip()
    if language == "en":
        assert outcome.say[0].text == "Only the team's animators review projects."


def test_an_administrator_may_review() -> None:
    admin = person("fr", consented=True, role=Role.ADMIN)
    outcome = respond(inbound("1"), ctx_for("fr", ref="P-AAAA22", who=admin), CARD)
    assert outcome.commands == [c.ReviewProject("P-AAAA22", "approve")]


@pytest.mark.parametrize("state", [QUEUE, CARD, REASON, QUESTION])
def test_every_state_renders_with_no_facts_and_no_data(state: str) -> None:
    for who in (animator(), member()):
        reply = render(state, context(who))
        assert reply.text.strip() and reply.choices


def test_approving_does_not_read_the_queue_so_the_next_list_is_read_after_the_decision(
        ) -> None:
    from bot.flows.engine import LazyFacts

    ctx = ctx_for(ref="P-AAAA22")
    read: list[str] = []
    loaders = {key: (lambda key=key, value=value: read.append(key) or value)
               for key, value in ctx.facts.items()}
    ctx.facts = LazyFacts(loaders)
    respond(button("approve"), ctx, CARD)
    assert "review_queue" not in read
