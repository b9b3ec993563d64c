"""Declaring a project by chat, step by step through `respond`, in the four languages."""

from __future__ import annotations

from typing import Any

import pytest

from bot.flows import respond
from bot.flows.conversation import Outcome, push_history
from bot.flows.engine import STATES, State, render
from bot.messages import Inbound, Media
from core.commands import Attachment, CreateProject
from core.domain.people import Role
from core.domain.projects import MAX_MEDIA, MAX_TEXT, reference
from core.domain.territories import Candidate, Tier
from core.projects import Represented
from tests.unit.support import LANGUAGES, button, context, inbound, location, person, sticker

MAIN, DIAGNOSIS = "menu.main", "diagnosis.problem"
ORGANISATION, TITLE = "project.organisation", "project.title"
DESCRIPTION, MORE = "project.description", "project.description_more"
THEME, KIND, PEER = "project.theme", "project.kind", "project.peer"
PCD, REFERENCE = "project.pcd", "project.pcd_reference"
COMMUNE, SEARCH, PICK = "project.commune", "project.commune_search", "project.commune_pick"
CONFIRM = "project.confirm"

TAMOUNT = Represented(3, "Tamount", "09.581.01.05", "Tafraout", "تافراوت", "Tiznit", "تيزنيت")
AMAL = Represented(5, "Amal", "09.541.09.51", "Tafraouten", "تافراوتن", "Taroudannt",
                   "تارودانت")
AMELN = Candidate("09.581.01.07", "Ameln", "أملن", "Tiznit", "تيزنيت", "Souss-Massa",
                  "سوس-ماسة", 9000, 100.0, Tier.EXACT)
IRIGH = Candidate("09.581.01.09", "Irigh N'Tahala", "إيريغ نتاهالة", "Tiznit", "تيزنيت",
                  "Souss-Massa", "سوس-ماسة", 4000, 90.0, Tier.PREFIX)


def representative(language: str = "en") -> Any:
    return person(language, consented=True, role=Role.REPRESENTATIVE)


def ctx_for(language: str = "en", *, represented: list[Represented] | None = None,
            found: list[Candidate] | None = None, data: dict[str, Any] | None = None) -> Any:
    """Builds a representative's context: their organisations, and a commune search."""
    ctx = context(representative(language))
    ctx.facts = {**ctx.facts, "represented": [TAMOUNT] if represented is None else represented,
                 "communes": lambda text: list(found or [])}
    ctx.data.update(data or {})
    return ctx


def voice(ref: str = "voice-1") -> Inbound:
    return inbound(media=(Media("voice", ref, "audio/ogg"),))


def photo(ref: str = "photo-1", caption: str | None = None) -> Inbound:
    return inbound(caption, media=(Media("photo", ref, "image/jpeg"),))


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


def declared(**answers: Any) -> dict[str, Any]:
    """The answers of a declaration, as kept in ctx.data, with the defaults given."""
    base: dict[str, Any] = {
        "organisation": [3, "Tamount", "09.581.01.05", "Tafraout", "تافراوت", "Tiznit", "تيزنيت"],
        "title": "Water for the douar", "text": "A well and a pump for 40 families.",
        "media": [["voice", "telegram", "voice-1", "audio/ogg"]], "theme": "water",
        "kind": "local", "peer": None, "pcd": "no", "pcd_reference": None,
        "commune": ["09.581.01.05", "Tafraout", "تافراوت", "Tiznit", "تيزنيت"]}
    return {"declare": {**base, **answers}}


def at(state: str, language: str = "en", **answers: Any) -> Any:
    return ctx_for(language, data=declared(**answers))


# --- from the menu to the organisation ----------------------------------------------------

def test_declare_a_project_in_the_menu_asks_for_which_organisation() -> None:
    outcome = respond(inbound("1"), ctx_for(), MAIN)
    assert outcome.state == ORGANISATION


def test_someone_who_represents_no_organisation_is_told_to_register_or_join_first() -> None:
    reply = render(ORGANISATION, ctx_for(represented=[]))
    assert reply.text.startswith("To declare a project, you must first register")
    assert [c.key for c in reply.choices] == ["register", "join", "menu"]


@pytest.mark.parametrize(("answer", "state"), [
    ("1", "organisation.name"), ("2", "membership.search"), ("3", MAIN),
    ("Register my organisation", "organisation.name")])
def test_without_an_organisation_the_choices_lead_to_registering_joining_or_the_menu(
        answer: str, state: str) -> None:
    assert respond(inbound(answer), ctx_for(represented=[]), ORGANISATION).state == state


def test_a_single_organisation_is_still_shown_so_that_the_person_sees_which() -> None:
    reply = render(ORGANISATION, ctx_for())
    assert reply.text == "For which organisation?"
    assert [c.label for c in reply.choices] == ["Tamount (Tafraout)", "Back to the menu"]


def test_the_organisation_picked_is_kept_with_its_commune() -> None:
    ctx = ctx_for(represented=[TAMOUNT, AMAL], data={"declare": {"title": "stale"}})
    assert respond(inbound("2"), ctx, ORGANISATION).state == TITLE
    assert ctx.data["declare"] == {"organisation": [
        5, "Amal", "09.541.09.51", "Tafraouten", "تافراوتن", "Taroudannt", "تارودانت"]}


def test_the_organisations_are_named_in_arabic_for_an_arabic_reader() -> None:
    labels = [c.label for c in render(ORGANISATION, ctx_for("ar")).choices]
    assert labels[0] == "\u2068Tamount\u2069 (\u2068تافراوت\u2069)"


@pytest.mark.parametrize("answer", ["4", "Tamoun", "👍", "٩"])
def test_an_organisation_not_in_the_list_re_asks(answer: str) -> None:
    outcome = respond(inbound(answer), ctx_for(), ORGANISATION)
    assert (outcome.state, outcome.hint) == (ORGANISATION, "Please choose a number from the list.")


# --- title --------------------------------------------------------------------------------

def test_a_title_is_kept_tidied_and_the_description_is_asked() -> None:
    ctx = ctx_for(data={"declare": {"organisation": declared()["declare"]["organisation"]}})
    outcome = respond(inbound("  Water \u200f for   the douar "), ctx, TITLE)
    assert outcome.state == DESCRIPTION
    assert ctx.data["declare"]["title"] == "Water for the douar"
    assert (ctx.data["declare"]["text"], ctx.data["declare"]["media"]) == ("", [])


@pytest.mark.parametrize("text", ["", "ab", "👍🏽🙏", "١٢٣٤٥", "\u200f\u202e", "a" * 121,
                                  "\u0301\u0651", "x" * 100_000, "Water\nfor the douar"])
def test_what_cannot_be_a_title_re_asks_with_a_hint(text: str) -> None:
    outcome = respond(inbound(text), ctx_for(), TITLE)
    assert (outcome.state, outcome.commands) == (TITLE, [])
    assert outcome.hint


@pytest.mark.parametrize("title", ["ماء الشرب للدوار", "ⴰⵎⴰⵏ ⵏ ⵓⴷⵓⴰⵔ", "Puits 2"])
def test_titles_in_any_script_are_accepted(title: str) -> None:
    assert respond(inbound(title), ctx_for(), TITLE).state == DESCRIPTION


def test_reply_1_at_the_title_goes_back_to_the_menu_and_forgets_the_declaration() -> None:
    ctx = at(TITLE)
    outcome = respond(inbound("1"), ctx, TITLE)
    assert outcome.state == MAIN and "declare" not in ctx.data


# --- description --------------------------------------------------------------------------

def describing(language: str = "en") -> Any:
    return at(DESCRIPTION, language, text="", media=[])


def test_voice_notes_photos_and_text_are_gathered_over_several_messages() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(voice(), MORE), (photo("p1"), MORE),
                            (photo("p2", "the old well"), MORE), ("It serves 40 families.", MORE)])
    answers = ctx.data["declare"]
    assert answers["text"] == "the old well\nIt serves 40 families."
    assert answers["media"] == [["voice", "telegram", "voice-1", "audio/ogg"],
                                ["photo", "telegram", "p1", "image/jpeg"],
                                ["photo", "telegram", "p2", "image/jpeg"]]
    assert render(MORE, ctx).text == ("Received so far:\n• text of 35 characters\n"
                                      "• 1 voice note\n• 2 photos\n"
                                      "You can send more text, voice notes or photos.")
    assert respond(inbound("1"), ctx, MORE).state == THEME


def test_a_description_may_be_a_voice_note_alone() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(voice(), MORE), ("That's all, continue", THEME)])


def test_a_whatsapp_audio_video_and_document_are_kept_with_the_channel() -> None:
    ctx = describing()
    ctx.identity = "whatsapp:+212600000001"
    msg = inbound(media=(Media("audio", "https://api.twilio.com/a", "audio/amr"),
                         Media("video", "v", None), Media("document", "d", "application/pdf")))
    assert respond(msg, ctx, DESCRIPTION).state == MORE
    assert [m[:2] for m in ctx.data["declare"]["media"]] == [
        ["audio", "whatsapp"], ["video", "whatsapp"], ["document", "whatsapp"]]


@pytest.mark.parametrize("message", [sticker(), location(),
                                     inbound(media=(Media("other", "x"),))])
def test_a_sticker_or_a_location_is_not_a_description(message: Inbound) -> None:
    ctx = describing()
    outcome = respond(message, ctx, DESCRIPTION)
    assert outcome.state == DESCRIPTION
    assert outcome.hint and outcome.hint.startswith("I cannot use stickers")
    assert ctx.data["declare"]["media"] == []


def test_a_sticker_after_a_voice_note_is_refused_and_the_voice_note_kept() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(voice(), MORE)])
    outcome = respond(sticker(), ctx, MORE)
    assert outcome.state == MORE and outcome.hint
    assert len(ctx.data["declare"]["media"]) == 1


@pytest.mark.parametrize("text", [" ", "👍🏽🙏", "١٢٣", "\u200f", "ab", "x" * 100_000])
def test_a_text_that_describes_nothing_re_asks(text: str) -> None:
    ctx = describing()
    outcome = respond(inbound(text), ctx, DESCRIPTION)
    assert outcome.state == DESCRIPTION and outcome.hint
    assert ctx.data["declare"]["text"] == ""


def test_a_photo_whose_caption_says_nothing_is_kept_without_the_caption() -> None:
    ctx = describing()
    assert respond(photo(caption="👍"), ctx, DESCRIPTION).state == MORE
    assert (ctx.data["declare"]["text"], len(ctx.data["declare"]["media"])) == ("", 1)


def test_more_than_the_media_allowed_is_refused_with_a_hint() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(photo(f"p{i}"), MORE) for i in range(MAX_MEDIA)])
    outcome = respond(voice(), ctx, MORE)
    assert outcome.state == MORE and outcome.hint and "at most" in outcome.hint
    assert len(ctx.data["declare"]["media"]) == MAX_MEDIA


def test_more_than_the_text_allowed_is_refused_with_a_hint() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [("a" * (MAX_TEXT - 10), MORE)])
    outcome = respond(inbound("twenty more letters here"), ctx, MORE)
    assert outcome.state == MORE and outcome.hint and "too long" in outcome.hint
    assert len(ctx.data["declare"]["text"]) == MAX_TEXT - 10


def test_starting_the_description_again_forgets_what_was_received() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(voice(), MORE), ("A well", MORE), ("2", DESCRIPTION)])
    assert (ctx.data["declare"]["text"], ctx.data["declare"]["media"]) == ("", [])


def test_a_document_alone_does_not_describe_the_project() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(inbound(media=(Media("document", "d", "application/pdf"),)), MORE)])
    outcome = respond(inbound("1"), ctx, MORE)
    assert outcome.state == MORE and outcome.hint


@pytest.mark.parametrize("answer", ["safi", "صافي", "ok", "c'est tout"])
def test_that_is_all_is_understood_in_darija_and_french(answer: str) -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(voice(), MORE), (answer, THEME)])


def test_media_without_a_declaration_in_progress_re_asks_with_a_way_to_the_menu() -> None:
    outcome = respond(voice(), ctx_for(), DESCRIPTION)
    assert (outcome.state, outcome.commands) == (DESCRIPTION, [])
    assert outcome.hint and "menu" in outcome.hint


def test_continuing_without_a_declaration_in_progress_starts_again() -> None:
    outcome = respond(inbound("1"), ctx_for(), MORE)
    assert (outcome.state, outcome.hint) == (ORGANISATION, None)


# --- theme, kind, peer --------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "theme"), [
    ("1", "water"), ("١", "water"), ("ماء", "water"), ("الماء", "water"), ("lma", "water"),
    ("eau", "water"), ("ⴰⵎⴰⵏ", "water"), ("فلاحة", "agriculture"), ("flaha", "agriculture"),
    ("تعليم", "education"), ("ta3lim", "education"), ("صحة", "health"), ("se77a", "health"),
    ("santé", "health"), ("نساء", "women"), ("femmes", "women"), ("شباب", "youth"),
    ("jeunes", "youth"), ("ثقافة", "culture"), ("Culture", "culture"), ("سياحة", "tourism"),
    ("tourisme", "tourism"), ("بيئة", "environment"), ("environnement", "environment"),
    ("بنية تحتية", "infrastructure"), ("طرق", "infrastructure"), ("routes", "infrastructure"),
    ("رقمي", "digital"), ("numérique", "digital"), ("اقتصاد اجتماعي", "social_economy"),
    ("économie sociale", "social_economy"), ("12", "social_economy")])
def test_the_theme_is_picked_by_number_name_or_alias(answer: str, theme: str) -> None:
    ctx = at(THEME)
    assert respond(inbound(answer), ctx, THEME).state == KIND
    assert ctx.data["declare"]["theme"] == theme


@pytest.mark.parametrize("answer", ["13", "0", "👍", "the moon"])
def test_an_unknown_theme_re_asks(answer: str) -> None:
    outcome = respond(inbound(answer), at(THEME), THEME)
    assert (outcome.state, outcome.hint) == (THEME, "Please choose one of the themes in the list.")


@pytest.mark.parametrize(("answer", "state"), [("1", PCD), ("investissement", PCD),
                                               ("3", PEER), ("تبادل", PEER)])
def test_an_exchange_asks_for_the_peer_and_other_kinds_go_to_the_plan(
        answer: str, state: str) -> None:
    assert respond(inbound(answer), at(KIND), KIND).state == state


def test_the_peer_of_an_exchange_is_kept() -> None:
    ctx = at(PEER, kind="exchange")
    assert respond(button("researchers", PEER), ctx, PEER).state == PCD
    assert ctx.data["declare"]["peer"] == "researchers"


def test_changing_the_kind_forgets_the_peer() -> None:
    ctx = at(KIND, kind="exchange", peer="artists")
    respond(inbound("1"), ctx, KIND)
    assert ctx.data["declare"]["peer"] is None


# --- communal development plan ------------------------------------------------------------

@pytest.mark.parametrize(("answer", "pcd", "state"), [
    ("1", "yes", REFERENCE), ("نعم", "yes", REFERENCE), ("wakha", "yes", REFERENCE),
    ("non", "no", COMMUNE), ("لا", "no", COMMUNE), ("3", "unknown", COMMUNE),
    ("ma3rftch", "unknown", COMMUNE), ("je ne sais pas", "unknown", COMMUNE)])
def test_the_plan_question_is_answered_yes_no_or_i_do_not_know(
        answer: str, pcd: str, state: str) -> None:
    ctx = at(PCD, pcd_reference="old")
    assert respond(inbound(answer), ctx, PCD).state == state
    assert (ctx.data["declare"]["pcd"], ctx.data["declare"]["pcd_reference"]) == (pcd, None)


def test_the_plan_reference_is_kept() -> None:
    ctx = at(REFERENCE, pcd="yes")
    assert respond(inbound("PCD 2023-2028, axe 2"), ctx, REFERENCE).state == COMMUNE
    assert ctx.data["declare"]["pcd_reference"] == "PCD 2023-2028, axe 2"


def test_the_plan_reference_may_be_skipped() -> None:
    ctx = at(REFERENCE, pcd="yes")
    reply = render(REFERENCE, ctx)
    assert [c.key for c in reply.choices] == ["skip", "menu"]
    assert reply.hint and "1 to skip" in reply.hint
    assert respond(inbound("1"), ctx, REFERENCE).state == COMMUNE
    assert ctx.data["declare"]["pcd_reference"] is None


def test_back_to_the_menu_from_the_plan_reference_forgets_the_declaration() -> None:
    ctx = at(REFERENCE, pcd="yes")
    assert respond(inbound("2"), ctx, REFERENCE).state == MAIN
    assert "declare" not in ctx.data


@pytest.mark.parametrize("text", ["", "👍", "\u200f", "x" * 500, "axe 2\naxe 3"])
def test_a_plan_reference_that_cannot_be_one_re_asks(text: str) -> None:
    outcome = respond(inbound(text), at(REFERENCE, pcd="yes"), REFERENCE)
    assert outcome.state == REFERENCE and outcome.hint


# --- commune ------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "place"), [
    ("en", "Tafraout (Tiznit)"), ("fr", "Tafraout (Tiznit)"), ("zgh", "Tafraout (Tiznit)"),
    ("ar", "\u2068تافراوت\u2069 (\u2068تيزنيت\u2069)")])
def test_the_commune_of_the_organisation_is_proposed_in_the_readers_script(
        language: str, place: str) -> None:
    assert place in render(COMMUNE, at(COMMUNE, language, commune=None)).text


def test_yes_keeps_the_commune_of_the_organisation() -> None:
    ctx = at(COMMUNE, commune=None)
    assert respond(inbound("oui"), ctx, COMMUNE).state == CONFIRM
    assert ctx.data["declare"]["commune"] == ["09.581.01.05", "Tafraout", "تافراوت", "Tiznit",
                                              "تيزنيت"]


def test_another_commune_is_searched_then_picked() -> None:
    ctx = ctx_for(found=[AMELN, IRIGH], data=declared(commune=None))
    walk(ctx, COMMUNE, [("2", SEARCH), ("irigh", PICK)])
    assert [c.label for c in render(PICK, ctx).choices] == [
        "Ameln (Tiznit)", "Irigh N'Tahala (Tiznit)", "None of these, search again"]
    walk(ctx, PICK, [("3", SEARCH), ("irigh", PICK), ("2", CONFIRM)])
    assert ctx.data["declare"]["commune"][0] == IRIGH.code
    assert "candidates" not in ctx.data["declare"]


@pytest.mark.parametrize("text", ["Paris", "👍", "x" * 100_000])
def test_a_commune_that_is_not_found_re_asks(text: str) -> None:
    outcome = respond(inbound(text), ctx_for(found=[]), SEARCH)
    assert outcome.state == SEARCH
    assert outcome.hint and outcome.hint.startswith("I found no commune")


def test_a_number_out_of_the_list_of_communes_re_asks() -> None:
    ctx = ctx_for(found=[AMELN], data=declared())
    walk(ctx, SEARCH, [("ameln", PICK)])
    assert respond(inbound("5"), ctx, PICK).hint == "Please choose a number from the list."


# --- confirmation -------------------------------------------------------------------------

def test_the_confirmation_sums_up_the_project() -> None:
    ctx = at(CONFIRM, kind="exchange", peer="officials", pcd="yes", pcd_reference="axe 2",
             media=[["voice", "telegram", "v", None], ["photo", "telegram", "p", None]])
    assert render(CONFIRM, ctx).text == (
        "Save this project?\n• Title: Water for the douar\n• Organisation: Tamount\n"
        "• Commune: Tafraout (Tiznit)\n• Theme: Water\n• Kind: Exchange with a peer\n"
        "• Peer sought: Elected officials\n"
        "• Plan: in the communal development plan (axe 2)\n"
        "• Description: A well and a pump for 40 families.\n• 1 voice note\n• 1 photo")
    assert [c.key for c in render(CONFIRM, ctx).choices] == ["yes", "change", "cancel"]


def test_confirming_saves_the_draft_and_goes_on_to_the_diagnosis() -> None:
    ctx = at(CONFIRM)
    outcome = respond(inbound("1"), ctx, CONFIRM)
    ref = reference("test:1:7")
    assert outcome.state == (DIAGNOSIS if DIAGNOSIS in STATES else MAIN)
    assert outcome.commands == [CreateProject(
        ref=ref, organisation_id=3, commune_code="09.581.01.05", title="Water for the douar",
        description="A well and a pump for 40 families.", theme="water", kind="local",
        peer=None, pcd="no", pcd_reference=None,
        media=(Attachment("voice", "telegram", "voice-1", "audio/ogg"),))]
    assert [r.text for r in outcome.say] == [
        f"Your project is saved as a draft (reference {ref}). Now a few questions to find out "
        "what it needs."]
    assert ctx.data["project_ref"] == ref and "declare" not in ctx.data


def test_once_the_diagnosis_exists_the_step_leads_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.flows.project import on_confirm

    diagnosis = State(DIAGNOSIS, lambda ctx: render(MAIN, ctx), on_confirm)
    monkeypatch.setitem(STATES, DIAGNOSIS, diagnosis)
    assert on_confirm(inbound("yes"), at(CONFIRM)).next == DIAGNOSIS


def test_the_same_message_delivered_twice_names_the_same_project() -> None:
    first = respond(inbound("1"), at(CONFIRM), CONFIRM).commands[0]
    again = respond(inbound("1"), at(CONFIRM), CONFIRM).commands[0]
    assert isinstance(first, CreateProject) and isinstance(again, CreateProject)
    assert first.ref == again.ref


def test_changing_something_starts_again_at_the_title_keeping_the_organisation() -> None:
    ctx = at(CONFIRM)
    outcome = respond(inbound("2"), ctx, CONFIRM)
    assert (outcome.state, outcome.commands) == (TITLE, [])
    assert list(ctx.data["declare"]) == ["organisation"]


@pytest.mark.parametrize("answer", ["3", "non"])
def test_cancelling_saves_nothing(answer: str) -> None:
    ctx = at(CONFIRM)
    outcome = respond(inbound(answer), ctx, CONFIRM)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert "declare" not in ctx.data


@pytest.mark.parametrize("missing", [{"theme": "moon"}, {"commune": None}, {"title": None},
                                     {"kind": "exchange", "peer": None},
                                     {"text": "", "media": []}])
def test_confirming_with_answers_missing_starts_again(missing: dict[str, Any]) -> None:
    outcome = respond(inbound("1"), at(CONFIRM, **missing), CONFIRM)
    assert (outcome.state, outcome.commands) == (ORGANISATION, [])


def test_an_unclear_confirmation_re_asks() -> None:
    outcome = respond(inbound("maybe"), at(CONFIRM), CONFIRM)
    assert (outcome.state, outcome.commands) == (CONFIRM, [])
    assert outcome.hint == "Please answer 1 to save it, 2 to change something or 3 to cancel."


# --- whole declarations in every language -------------------------------------------------

WALKS = {
    "ar": [("١", ORGANISATION), ("١", TITLE), ("ماء الشرب لدوار تيزي", DESCRIPTION),
           (voice(), MORE), (photo(), MORE), ("بئر ومضخة لأربعين أسرة", MORE),
           ("صافي", THEME), ("الماء", KIND), ("٣", PEER), ("٢", PCD), ("نعم", REFERENCE),
           ("المحور ٢", COMMUNE), ("نعم", CONFIRM), ("١", "done")],
    "zgh": [("1", ORGANISATION), ("1", TITLE), ("ⴰⵎⴰⵏ ⵏ ⵓⴷⵓⴰⵔ", DESCRIPTION), (voice(), MORE),
            ("1", THEME), ("ⴰⵎⴰⵏ", KIND), ("1", PCD), ("3", COMMUNE), ("ⵢⵢⵀ", CONFIRM),
            ("ⵢⵢⵀ", "done")],
    "fr": [("1", ORGANISATION), ("1", TITLE), ("Eau potable pour le douar", DESCRIPTION),
           ("Un puits et une pompe pour 40 familles.", MORE), (photo(), MORE),
           ("c'est tout", THEME), ("eau", KIND), ("investissement", PCD), ("oui", REFERENCE),
           ("passer", COMMUNE), ("2", SEARCH), ("ameln", PICK), ("1", CONFIRM),
           ("oui", "done")],
    "en": [("1", ORGANISATION), ("1", TITLE), ("Drinking water for the douar", DESCRIPTION),
           ("A well and a pump.", MORE), ("1", THEME), ("Water", KIND), ("local", PCD),
           ("I don't know", COMMUNE), ("yes", CONFIRM), ("yes", "done")],
}
EXPECTED = {
    "ar": dict(title="ماء الشرب لدوار تيزي", description="بئر ومضخة لأربعين أسرة",
               kind="exchange", peer="cooperatives", pcd="yes", pcd_reference="المحور ٢",
               commune_code=TAMOUNT.commune_code, media=2),
    "zgh": dict(title="ⴰⵎⴰⵏ ⵏ ⵓⴷⵓⴰⵔ", description="", kind="local", peer=None, pcd="unknown",
                pcd_reference=None, commune_code=TAMOUNT.commune_code, media=1),
    "fr": dict(title="Eau potable pour le douar",
               description="Un puits et une pompe pour 40 familles.", kind="investment",
               peer=None, pcd="yes", pcd_reference=None, commune_code=AMELN.code, media=1),
    "en": dict(title="Drinking water for the douar", description="A well and a pump.",
               kind="local", peer=None, pcd="unknown", pcd_reference=None,
               commune_code=TAMOUNT.commune_code, media=0),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_declaration_in_every_language(language: str) -> None:
    ctx = ctx_for(language, found=[AMELN])
    done = DIAGNOSIS if DIAGNOSIS in STATES else MAIN
    steps = [(m, done if s == "done" else s) for m, s in WALKS[language]]
    outcome = walk(ctx, MAIN, steps)
    [command] = outcome.commands
    assert isinstance(command, CreateProject)
    expected = EXPECTED[language]
    assert (command.organisation_id, command.theme) == (TAMOUNT.id, "water")
    assert {k: getattr(command, k) for k in expected if k != "media"} == {
        k: v for k, v in expected.items() if k != "media"}
    assert len(command.media) == expected["media"]
    assert "declare" not in ctx.data and ctx.data["project_ref"] == command.ref


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", [TITLE, DESCRIPTION, MORE, THEME, KIND, PEER, PCD, REFERENCE,
                                   COMMUNE, SEARCH, PICK, CONFIRM])
def test_every_question_renders_with_a_declaration_in_progress(state: str, language: str) -> None:
    ctx = ctx_for(language, data=declared(kind="exchange", peer="sport", pcd="yes",
                                          candidates=[[AMELN.code, "Ameln", "أملن", "Tiznit",
                                                       "تيزنيت"]]))
    reply = render(state, ctx)
    assert reply.text.strip() and reply.choices and reply.hint


def test_back_at_the_kind_returns_to_the_theme() -> None:
    ctx = describing()
    walk(ctx, DESCRIPTION, [(voice(), MORE), ("1", THEME), ("1", KIND)])
    assert respond(inbound("back"), ctx, KIND).state == THEME


@pytest.mark.parametrize("state", [ORGANISATION, TITLE, DESCRIPTION, MORE, THEME, PCD, CONFIRM])
def test_cancel_returns_to_the_menu_from_every_question(state: str) -> None:
    outcome = respond(inbound("annuler"), at(state), state)
    assert (outcome.state, outcome.commands) == (MAIN, [])


def test_the_description_questions_say_how_to_answer_with_voice_notes_and_photos() -> None:
    ctx = describing()
    assert "voice note" in (render(DESCRIPTION, ctx).hint or "")
    walk(ctx, DESCRIPTION, [(voice(), MORE)])
    assert render(MORE, ctx).hint == (
        "Send more, reply 1 to continue, or 2 to start the description again.")
