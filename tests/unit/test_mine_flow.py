"""A representative's own projects ("My projects"), step by step through `respond`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.flows import respond
from bot.flows.engine import render
from bot.messages import Location, Media
from core import commands as c
from core.domain.people import Role
from core.projects import MediaView, NeedView, ProjectCard, Represented
from tests.unit.support import LANGUAGES, NOW, button, context, inbound, person, sticker

MAIN = "menu.main"
LIST, PROJECT, ANSWER = "mine.list", "mine.project", "mine.answer"
NEED, NEED_ACTION, MOVE, UPDATE = "mine.need", "mine.need_action", "mine.move", "mine.update"
EDIT, TITLE, DESCRIPTION = "mine.edit", "mine.edit_title", "mine.edit_description"
ALL_STATUSES = ("draft", "awaiting_review", "rejected", "open", "in_progress", "completed",
                "closed")
NOT_AVAILABLE = "This project is not available."


def need(need_id: int = 11, *, kind: str = "money", status: str = "open") -> NeedView:
    return NeedView(need_id, kind, "seeds" if kind == "money" else "tools", None, None,
                    "MAD" if kind == "money" else "", 40_000 if kind == "money" else 3,
                    0, 0, None, status)


def card(status: str = "open", *, ref: str = "P-7K3QH2", title: str = "Puits de Tamount",
         question: str | None = None, needs: tuple[NeedView, ...] = (), **fields: Any
         ) -> ProjectCard:
    """Builds a project's card as core would show it."""
    return ProjectCard(id=3, ref=ref, title=title, description="Un puits pour le douar.",
                       theme="water", kind="local", peer=None, pcd="unknown",
                       pcd_reference=None, status=status, organisation_id=5,
                       organisation="Association Tamount", commune_code="09.581.01.05",
                       commune_fr="Tafraout", commune_ar="تافراوت", province_fr="Tiznit",
                       province_ar="تيزنيت", reject_reason=None, question=question,
                       submitted_at=None, updated_at=NOW, needs=needs, **fields)


def representative(language: str = "en") -> Any:
    return person(language, consented=True, role=Role.REPRESENTATIVE)


def ctx_for(*projects: ProjectCard, language: str = "en", ref: str | None = "P-7K3QH2",
            fresh: dict[str, ProjectCard] | None = None, data: dict[str, Any] | None = None,
            represented: list[Represented] | None = None) -> Any:
    """Builds a representative's context; `fresh` is what reading a project answers now
    (by default, the listed projects)."""
    ctx = context(representative(language))
    known = fresh if fresh is not None else {p.ref: p for p in projects}
    ctx.facts = {**ctx.facts, "my_projects": list(projects), "project": known.get,
                 "represented": represented or [], "media_url": None}
    if ref is not None:
        ctx.data["project_ref"] = ref
    ctx.data.update(data or {})
    return ctx


def keys(ctx: Any, name: str) -> list[str]:
    return [choice.key for choice in render(name, ctx).choices]


# --- the list -----------------------------------------------------------------------------

def test_the_list_shows_each_project_with_its_status_then_declare_and_menu() -> None:
    ctx = ctx_for(card("open", ref="P-2"), card("awaiting_review", ref="P-1", title="École"),
                  ref=None)
    reply = render(LIST, ctx)
    assert [c.label for c in reply.choices] == [
        "“Puits de Tamount” — open", "“École” — waiting for review", "Declare a project",
        "Back to the menu"]


def test_a_project_with_a_question_from_the_team_is_marked_in_the_list() -> None:
    reply = render(LIST, ctx_for(card("awaiting_review", question="Combien de familles ?")))
    assert reply.choices[0].label.startswith("❓ “Puits de Tamount”")
    assert "question for you" in reply.text


def test_a_draft_is_labelled_draft_and_the_list_says_it_can_be_continued() -> None:
    reply = render(LIST, ctx_for(card("draft")))
    assert reply.choices[0].label == "“Puits de Tamount” — draft"
    assert "open it to continue" in reply.text


def test_a_rejected_project_reads_not_approved() -> None:
    assert render(LIST, ctx_for(card("rejected"))).choices[0].label.endswith("not approved")


def test_at_most_eight_projects_are_listed_and_the_list_says_so() -> None:
    projects = [card(ref=f"P-{i}") for i in range(11)]
    reply = render(LIST, ctx_for(*projects))
    assert [c.key for c in reply.choices] == [f"P-{i}" for i in range(8)] + ["declare", "menu"]
    assert "8 most recent ones, of 11" in reply.text


def test_no_project_yet_offers_to_declare_one() -> None:
    reply = render(LIST, ctx_for(ref=None))
    assert reply.text == "You have no project yet."
    assert [c.key for c in reply.choices] == ["declare", "menu"]


def test_picking_a_project_keeps_its_reference_and_opens_it() -> None:
    ctx = ctx_for(card(ref="P-2"), card(ref="P-1"), ref=None)
    outcome = respond(inbound("2"), ctx, LIST)
    assert outcome.state == PROJECT
    assert ctx.data["project_ref"] == "P-1"


@pytest.mark.parametrize(("answer", "state"), [("2", "project.organisation"), ("3", MAIN)])
def test_declare_and_back_leave_the_list(answer: str, state: str) -> None:
    assert respond(inbound(answer), ctx_for(card()), LIST).state == state


@pytest.mark.parametrize("answer", ["9", "maybe", "P-NOT-MINE"])
def test_an_answer_not_in_the_list_re_asks(answer: str) -> None:
    ctx = ctx_for(card(), ref=None)
    outcome = respond(inbound(answer), ctx, LIST)
    assert (outcome.state, outcome.commands) == (LIST, [])
    assert outcome.hint
    assert "project_ref" not in ctx.data


# --- one project: the card and the actions per status -------------------------------------

EXPECTED_ACTIONS = {
    "draft": ["continue", "submit", "need_add", "edit", "move:closed", "list", "menu"],
    "awaiting_review": ["need_add", "edit", "list", "menu"],
    "rejected": ["submit", "need_add", "edit", "move:closed", "list", "menu"],
    "open": ["need_add", "edit", "move:in_progress", "move:completed", "move:closed",
             "update", "invite", "list", "menu"],
    "in_progress": ["need_add", "edit", "move:open", "move:completed", "move:closed",
                    "update", "invite", "list", "menu"],
    "completed": ["update", "list", "menu"],
    "closed": ["list", "menu"],
}


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_each_status_offers_the_actions_that_make_sense(status: str) -> None:
    assert keys(ctx_for(card(status)), PROJECT) == EXPECTED_ACTIONS[status]


def test_a_question_and_open_needs_add_their_actions() -> None:
    ctx = ctx_for(card("awaiting_review", question="Combien ?", needs=(need(),)))
    assert keys(ctx, PROJECT) == ["answer", "need_add", "need_close", "edit", "list", "menu"]


def test_the_card_is_read_fresh_with_its_media() -> None:
    listed = card("draft")
    fresh = replace(card("awaiting_review"),
                    media=(MediaView(1, "voice", "telegram", "file-9", "audio/ogg"),))
    reply = render(PROJECT, ctx_for(listed, fresh={listed.ref: fresh}))
    assert "Status: waiting for review." in reply.text
    assert reply.media == (Media("voice", "file-9", "audio/ogg"),)
    assert reply.text.endswith("What would you like to do?")


def test_a_project_created_in_this_step_is_found_through_its_organisation() -> None:
    new = card("draft", ref="P-NEW")
    ctx = ctx_for(ref="P-NEW", fresh={"P-NEW": new},
                  represented=[Represented(5, "Association Tamount", "09.581.01.05",
                                           "Tafraout", "تافراوت", "Tiznit", "تيزنيت")])
    assert keys(ctx, PROJECT)[:2] == ["continue", "submit"]


@pytest.mark.parametrize("how", ["no reference", "unknown", "not theirs", "gone"])
def test_a_missing_or_foreign_project_is_not_available(how: str) -> None:
    mine = card()
    ctx = {"no reference": ctx_for(mine, ref=None),
           "unknown": ctx_for(mine, ref="P-UNKNOWN"),
           "not theirs": ctx_for(mine, ref="P-OTHER", fresh={"P-OTHER": card(ref="P-OTHER")}),
           "gone": ctx_for(mine, fresh={})}[how]
    reply = render(PROJECT, ctx)
    assert reply.text == NOT_AVAILABLE
    assert [c.label for c in reply.choices] == ["Back to my projects", "Back to the menu"]
    assert respond(inbound("1"), ctx, PROJECT).state == LIST
    outcome = respond(inbound("hello"), ctx, PROJECT)
    assert (outcome.state, outcome.commands) == (PROJECT, [])
    assert outcome.hint and NOT_AVAILABLE in outcome.hint


@pytest.mark.parametrize("name", [PROJECT, ANSWER, NEED, NEED_ACTION, EDIT, TITLE, DESCRIPTION,
                                  MOVE, UPDATE])
def test_every_state_says_not_available_with_no_data_at_all(name: str) -> None:
    ctx = context(representative())
    assert render(name, ctx).text == NOT_AVAILABLE
    outcome = respond(inbound("P-7K3QH2"), ctx, name)
    assert (outcome.state, outcome.commands) == (name, [])
    assert respond(inbound("2"), ctx, name).state == MAIN


@pytest.mark.parametrize(("status", "answer", "state"), [
    ("open", "1", "need.kind"), ("open", "2", EDIT), ("open", "3", MOVE), ("open", "6", UPDATE),
    ("open", "8", LIST), ("open", "9", MAIN), ("draft", "1", "diagnosis.problem")])
def test_each_action_leads_to_its_state(status: str, answer: str, state: str) -> None:
    assert respond(inbound(answer), ctx_for(card(status)), PROJECT).state == state


def test_continuing_a_draft_with_a_diagnosis_goes_to_the_needs_summary() -> None:
    ctx = ctx_for(card("draft", diagnosis={"problem": "pas d'eau"}))
    assert respond(inbound("1"), ctx, PROJECT).state == "needs.summary"


@pytest.mark.parametrize("status", ["draft", "rejected"])
def test_sending_for_review_submits_and_comes_back_to_the_card(status: str) -> None:
    ctx = ctx_for(card(status))
    outcome = respond(button("submit", PROJECT), ctx, PROJECT)
    assert (outcome.state, outcome.commands) == (PROJECT, [c.SubmitProject("P-7K3QH2")])
    assert outcome.say[0].text.startswith("Sent! An animator will review it")


def test_a_status_move_asks_to_confirm_first() -> None:
    ctx = ctx_for(card("open"))
    outcome = respond(button("move:completed", PROJECT), ctx, PROJECT)
    assert (outcome.state, outcome.commands) == (MOVE, [])
    assert render(MOVE, ctx).text == "Mark “Puits de Tamount” as completed?"


@pytest.mark.parametrize("answer", ["0", "maybe", "move:open"])
def test_an_action_not_offered_re_asks(answer: str) -> None:
    outcome = respond(inbound(answer), ctx_for(card("completed")), PROJECT)
    assert (outcome.state, outcome.commands) == (PROJECT, [])
    assert outcome.hint


def test_an_action_of_another_status_is_refused_by_button() -> None:
    outcome = respond(button("submit", PROJECT), ctx_for(card("open")), PROJECT)
    assert (outcome.state, outcome.commands) == (PROJECT, [])


# --- answering the team -------------------------------------------------------------------

def test_the_answer_is_sent_to_the_team() -> None:
    ctx = ctx_for(card("awaiting_review", question="Combien de familles ?"))
    assert "Combien de familles ?" in render(ANSWER, ctx).text
    outcome = respond(inbound("  Quarante   familles.\nEnviron 200 personnes. "), ctx, ANSWER)
    assert outcome.state == PROJECT
    assert outcome.commands == [
        c.AnswerQuestion("P-7K3QH2", "Quarante familles.\nEnviron 200 personnes.")]
    assert outcome.say[0].text == "Thank you, your answer is sent to the team."


@pytest.mark.parametrize("text", ["👍🏽🙏", "\u200f\u202e", "x" * 2001])
def test_an_answer_without_words_re_asks(text: str) -> None:
    ctx = ctx_for(card("awaiting_review", question="Combien ?"))
    outcome = respond(inbound(text), ctx, ANSWER)
    assert (outcome.state, outcome.commands) == (ANSWER, [])
    assert outcome.hint and "answer" in outcome.hint


def test_a_question_already_answered_is_no_longer_answerable() -> None:
    ctx = ctx_for(card("awaiting_review"))
    assert render(ANSWER, ctx).text == "This is no longer possible for this project."
    outcome = respond(inbound("1"), ctx, ANSWER)
    assert (outcome.state, outcome.commands) == (PROJECT, [])


def test_reply_1_at_the_answer_goes_back_to_the_menu() -> None:
    ctx = ctx_for(card("awaiting_review", question="Combien ?"))
    assert respond(inbound("1"), ctx, ANSWER).state == MAIN


# --- needs --------------------------------------------------------------------------------

def test_an_open_need_is_picked_then_marked_received() -> None:
    ctx = ctx_for(card("open", needs=(need(11), need(12, kind="materials", status="closed"),
                                      need(13, kind="materials"))))
    assert keys(ctx, NEED) == ["11", "13", "back"]
    assert respond(inbound("2"), ctx, NEED).state == NEED_ACTION
    assert "Materials: tools" in render(NEED_ACTION, ctx).text
    outcome = respond(inbound("1"), ctx, NEED_ACTION)
    assert (outcome.state, outcome.commands) == (PROJECT, [c.SetNeedStatus(13, "fulfilled")])
    assert "mine" not in ctx.data


def test_a_need_no_longer_needed_is_closed() -> None:
    ctx = ctx_for(card("in_progress", needs=(need(11),)), data={"mine": {"need": 11}})
    outcome = respond(inbound("2"), ctx, NEED_ACTION)
    assert outcome.commands == [c.SetNeedStatus(11, "closed")]


def test_back_from_a_need_goes_to_the_needs_then_to_the_card() -> None:
    ctx = ctx_for(card("open", needs=(need(11),)), data={"mine": {"need": 11}})
    assert respond(inbound("3"), ctx, NEED_ACTION).state == NEED
    assert respond(inbound("2"), ctx, NEED).state == PROJECT


def test_a_need_closed_meanwhile_is_no_longer_available() -> None:
    ctx = ctx_for(card("open", needs=(need(11, status="fulfilled"),)),
                  data={"mine": {"need": 11}})
    assert render(NEED_ACTION, ctx).text == "This is no longer possible for this project."
    assert respond(inbound("1"), ctx, NEED_ACTION).commands == []


def test_needs_of_a_completed_project_cannot_be_changed() -> None:
    ctx = ctx_for(card("completed", needs=(need(11),)))
    assert render(NEED, ctx).text == "This is no longer possible for this project."


# --- editing ------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "warned"), [("draft", False), ("awaiting_review", False),
                                                 ("open", True), ("in_progress", True)])
def test_editing_an_approved_project_warns_it_is_reviewed_again(status: str, warned: bool) -> None:
    ctx = ctx_for(card(status))
    warning = "reviewed again before it is shown"
    assert (warning in render(EDIT, ctx).text) is warned
    assert (warning in render(TITLE, ctx).text) is warned
    assert (warning in render(DESCRIPTION, ctx).text) is warned


@pytest.mark.parametrize(("answer", "state"), [("1", TITLE), ("2", DESCRIPTION), ("3", PROJECT)])
def test_the_edit_menu_leads_to_title_description_or_back(answer: str, state: str) -> None:
    assert respond(inbound(answer), ctx_for(card()), EDIT).state == state


def test_a_new_title_is_tidied_and_saved() -> None:
    ctx = ctx_for(card("open"))
    outcome = respond(inbound("  Puits   du douar \u200f Tamount "), ctx, TITLE)
    assert outcome.state == PROJECT
    assert outcome.commands == [c.EditProject("P-7K3QH2", title="Puits du douar Tamount")]


@pytest.mark.parametrize("text", ["ab", "١٢٣٤", "👍🏽", "a" * 121])
def test_a_title_that_cannot_be_one_re_asks(text: str) -> None:
    outcome = respond(inbound(text), ctx_for(card()), TITLE)
    assert (outcome.state, outcome.commands) == (TITLE, [])
    assert outcome.hint and "title" in outcome.hint


def test_a_description_with_a_voice_note_and_a_photo_is_saved_with_its_media() -> None:
    msg = inbound("Nouveau puits, 40 mètres.", media=(
        Media("voice", "file-1", "audio/ogg"), Media("photo", "file-2", "image/jpeg")))
    outcome = respond(msg, ctx_for(card("draft")), DESCRIPTION)
    assert outcome.state == PROJECT
    assert outcome.commands == [c.EditProject(
        "P-7K3QH2", description="Nouveau puits, 40 mètres.",
        media=(c.Attachment("voice", "telegram", "file-1", "audio/ogg"),
               c.Attachment("photo", "telegram", "file-2", "image/jpeg")))]


def test_a_voice_note_alone_adds_media_and_keeps_the_description() -> None:
    msg = inbound(media=(Media("voice", "file-1", "audio/ogg"),))
    outcome = respond(msg, ctx_for(card("open")), DESCRIPTION)
    assert outcome.commands == [c.EditProject(
        "P-7K3QH2", description=None,
        media=(c.Attachment("voice", "telegram", "file-1", "audio/ogg"),))]


@pytest.mark.parametrize("name", [DESCRIPTION, UPDATE])
@pytest.mark.parametrize("msg", [sticker(), inbound(location=Location(31.6, -8.0)),
                                 inbound("voilà", media=(Media("sticker", "s", None),))],
                         ids=["sticker", "location", "sticker with text"])
def test_stickers_and_locations_are_refused_with_a_hint(name: str, msg: Any) -> None:
    outcome = respond(msg, ctx_for(card("open")), name)
    assert (outcome.state, outcome.commands) == (name, [])
    assert outcome.hint and "stickers or locations" in outcome.hint


@pytest.mark.parametrize("name", [DESCRIPTION, UPDATE])
@pytest.mark.parametrize("text", ["", "👍🏽🙏", "x" * 2001])
def test_nothing_to_keep_re_asks(name: str, text: str) -> None:
    outcome = respond(inbound(text), ctx_for(card("open")), name)
    assert (outcome.state, outcome.commands) == (name, [])
    assert outcome.hint


def test_a_closed_project_cannot_be_edited() -> None:
    ctx = ctx_for(card("closed"))
    for name in (EDIT, TITLE, DESCRIPTION):
        assert render(name, ctx).text == "This is no longer possible for this project."
    assert respond(inbound("Nouveau titre"), ctx, TITLE).commands == []


# --- moving the project on ----------------------------------------------------------------

@pytest.mark.parametrize(("status", "target"), [
    ("open", "in_progress"), ("open", "completed"), ("in_progress", "open"),
    ("in_progress", "closed"), ("draft", "closed"), ("rejected", "closed")])
def test_a_confirmed_move_changes_the_status(status: str, target: str) -> None:
    ctx = ctx_for(card(status), data={"mine": {"move": target}})
    outcome = respond(inbound("yes"), ctx, MOVE)
    assert (outcome.state, outcome.commands) == (PROJECT, [c.MoveProject("P-7K3QH2", target)])
    assert "mine" not in ctx.data


def test_no_changes_nothing() -> None:
    ctx = ctx_for(card("open"), data={"mine": {"move": "closed"}})
    outcome = respond(inbound("2"), ctx, MOVE)
    assert (outcome.state, outcome.commands) == (PROJECT, [])
    assert outcome.say[0].text == "Nothing was changed."


def test_a_move_no_longer_allowed_is_not_made() -> None:
    ctx = ctx_for(card("completed"), data={"mine": {"move": "closed"}})
    assert render(MOVE, ctx).text == "This is no longer possible for this project."
    outcome = respond(inbound("1"), ctx, MOVE)
    assert (outcome.state, outcome.commands) == (PROJECT, [])


def test_an_unclear_confirmation_re_asks() -> None:
    ctx = ctx_for(card("open"), data={"mine": {"move": "completed"}})
    outcome = respond(inbound("perhaps"), ctx, MOVE)
    assert (outcome.state, outcome.commands) == (MOVE, [])
    assert outcome.hint


# --- progress updates ---------------------------------------------------------------------

def test_an_update_with_a_photo_is_posted() -> None:
    msg = inbound("Le forage a commencé.", media=(Media("photo", "file-3", "image/jpeg"),))
    outcome = respond(msg, ctx_for(card("in_progress")), UPDATE)
    assert outcome.state == PROJECT
    assert outcome.commands == [c.PostUpdate(
        "P-7K3QH2", "Le forage a commencé.",
        (c.Attachment("photo", "telegram", "file-3", "image/jpeg"),))]
    assert outcome.say[0].text == "Your update is saved. The project's followers will receive it."


def test_a_photo_alone_is_an_update() -> None:
    msg = inbound(media=(Media("photo", "file-3", "image/jpeg"),))
    outcome = respond(msg, ctx_for(card("completed")), UPDATE)
    assert outcome.commands == [c.PostUpdate(
        "P-7K3QH2", "", (c.Attachment("photo", "telegram", "file-3", "image/jpeg"),))]


def test_an_update_on_whatsapp_keeps_the_whatsapp_channel() -> None:
    ctx = ctx_for(card("open"))
    ctx.identity = "whatsapp:+212600000000"
    msg = inbound(media=(Media("photo", "https://api.twilio.com/m/1", "image/jpeg"),))
    command = respond(msg, ctx, UPDATE).commands[0]
    assert isinstance(command, c.PostUpdate)
    assert command.media[0].channel == "whatsapp"


@pytest.mark.parametrize("status", ["draft", "awaiting_review", "rejected", "closed"])
def test_no_update_before_approval_or_after_closing(status: str) -> None:
    ctx = ctx_for(card(status))
    assert render(UPDATE, ctx).text == "This is no longer possible for this project."
    assert respond(inbound("Du nouveau"), ctx, UPDATE).commands == []


# --- languages ----------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_every_state_renders_in_every_language(language: str, status: str) -> None:
    ctx = ctx_for(card(status, question="Combien ?", needs=(need(11),)), language=language,
                  data={"mine": {"need": 11, "move": "closed"}})
    for name in (LIST, PROJECT, ANSWER, NEED, NEED_ACTION, EDIT, TITLE, DESCRIPTION, MOVE,
                 UPDATE):
        reply = render(name, ctx)
        assert reply.text.strip() and reply.choices
        assert reply.hint, name  # the choices are answered by number


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_visit_works_in_every_language(language: str) -> None:
    ctx = ctx_for(card("open", needs=(need(11),)), language=language, ref=None)
    assert respond(inbound("١" if language == "ar" else "1"), ctx, LIST).state == PROJECT
    assert respond(inbound("2"), ctx, PROJECT).state == NEED
    assert respond(inbound("1"), ctx, NEED).state == NEED_ACTION
    outcome = respond(inbound("1"), ctx, NEED_ACTION)
    assert (outcome.state, outcome.commands) == (PROJECT, [c.SetNeedStatus(11, "fulfilled")])
    assert outcome.say[0].text.strip()


def test_inviting_people_gives_the_links_and_the_qr_code_of_a_new_invitation() -> None:
    from core.invitations import links

    made: list[str] = []

    def invite_links(code: str) -> object:
        made.append(code)
        return links(code, "comdev_bot", "whatsapp:+14155238886",
                     f"https://comdev.test/qr/{code}.png")

    ctx = ctx_for(card("open"))
    ctx.facts = {**ctx.facts, "invite_links": invite_links}
    outcome = respond(inbound("7"), ctx, "mine.project")
    (code,) = made
    assert outcome.commands == [c.CreateInvitation(code, "project", "P-7K3QH2")]
    (said,) = outcome.say
    assert f"https://t.me/comdev_bot?start={code}" in said.text
    assert f"https://wa.me/14155238886?text=START%20{code}" in said.text
    assert [m.ref for m in said.media] == [f"https://comdev.test/qr/{code}.png"]


def test_without_channels_no_invitation_is_made() -> None:
    outcome = respond(inbound("7"), ctx_for(card("open")), "mine.project")
    assert outcome.commands == [] and outcome.hint
