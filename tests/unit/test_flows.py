"""Conversations step by step through `respond`, with contexts built by hand."""

from __future__ import annotations

import pytest

from bot.flows import respond, start_state
from bot.flows.conversation import push_history
from bot.flows.engine import STATES, render
from bot.i18n import NATIVE_NAMES
from bot.messages import Inbound
from core.commands import (
    ChooseRole,
    ErasePerson,
    GiveConsent,
    KeepReferral,
    OptIn,
    OptOut,
    RequestHuman,
    SetLanguage,
)
from core.domain.people import Role
from tests.unit.support import (
    LANGUAGES,
    button,
    context,
    inbound,
    location,
    member,
    newcomer,
    person,
    sticker,
    voice_note,
)

LANGUAGE, CONSENT, ROLE = "onboarding.language", "onboarding.consent", "onboarding.role"
MAIN, ERASE = "menu.main", "menu.erase"


def consented(language: str = "en") -> object:
    return person(language, consented=True)


# --- starting -----------------------------------------------------------------------------

def test_a_newcomer_starts_with_the_language_question() -> None:
    outcome = respond(inbound("Salam"), context(newcomer()), None)
    assert outcome.state == LANGUAGE
    assert outcome.commands == [] and outcome.say == []


def test_a_deep_link_payload_is_kept_as_a_referral() -> None:
    outcome = respond(inbound(command="start", payload="abc_123"), context(newcomer()), None)
    assert outcome.state == LANGUAGE
    assert outcome.commands == [KeepReferral("abc_123")]


@pytest.mark.parametrize("payload", ["has space", "x" * 65, "ⴰⵣⵓⵍ", "a/b"])
def test_a_payload_that_is_not_a_referral_code_is_ignored(payload: str) -> None:
    outcome = respond(inbound(command="start", payload=payload), context(newcomer()), None)
    assert outcome.commands == []


def test_someone_who_consented_and_chose_a_role_starts_at_the_main_menu() -> None:
    outcome = respond(inbound("hello"), context(member()), None)
    assert outcome.state == MAIN
    assert [r.text for r in outcome.say] == ["Welcome back!"]


def test_someone_who_consented_without_a_role_starts_at_the_role_question() -> None:
    assert start_state(context(consented())) == ROLE


def test_a_state_that_no_longer_exists_starts_over() -> None:
    assert respond(inbound("1"), context(newcomer()), "gone.away").state == LANGUAGE


# --- onboarding: language → consent → role → menu ------------------------------------------

def test_onboarding_walks_language_consent_role_then_menu() -> None:
    ctx = context(newcomer("ar"))
    first = respond(inbound("hi"), ctx, None)
    assert first.state == LANGUAGE
    chosen = respond(button("en", LANGUAGE), ctx, LANGUAGE)
    assert (chosen.state, chosen.commands) == (CONSENT, [SetLanguage("en")])
    ctx = context(person("en"))
    agreed = respond(inbound("1"), ctx, CONSENT)
    assert (agreed.state, agreed.commands) == (ROLE, [GiveConsent()])
    ctx = context(consented())
    role = respond(inbound("3"), ctx, ROLE)
    assert (role.state, role.commands) == (MAIN, [ChooseRole(Role.SUPPORTER)])


def test_someone_offering_skills_is_asked_for_them_right_after_the_role() -> None:
    role = respond(inbound("2"), context(consented()), ROLE)
    assert (role.state, role.commands) == ("expert.skill", [ChooseRole(Role.EXPERT)])


def test_choosing_english_is_confirmed_in_english() -> None:
    outcome = respond(button("en", LANGUAGE), context(newcomer("ar")), LANGUAGE)
    assert [r.text for r in outcome.say] == ["Very well, I will speak English with you."]


@pytest.mark.parametrize(("text", "language"), [
    ("Français", "fr"), ("francais", "fr"), ("العربية", "ar"), ("ⵜⴰⵎⴰⵣⵉⵖⵜ", "zgh"),
    ("english", "en"), ("zgh", "zgh"), ("AR", "ar")])
def test_a_language_is_picked_by_its_own_name_or_code(text: str, language: str) -> None:
    outcome = respond(inbound(text), context(newcomer()), LANGUAGE)
    assert outcome.commands == [SetLanguage(language)]


def test_the_current_language_is_offered_first() -> None:
    outcome = respond(inbound("١"), context(newcomer("zgh")), LANGUAGE)
    assert outcome.commands == [SetLanguage("zgh")]


def test_a_consented_person_who_changes_language_goes_back_to_the_menu() -> None:
    outcome = respond(inbound("fr"), context(member()), LANGUAGE)
    assert (outcome.state, outcome.commands) == (MAIN, [SetLanguage("fr")])


def test_a_consented_person_without_a_role_changing_language_goes_to_the_role() -> None:
    assert respond(inbound("fr"), context(consented()), LANGUAGE).state == ROLE


def test_an_unknown_language_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("Deutsch bitte"), context(newcomer()), LANGUAGE)
    assert outcome.state == LANGUAGE
    assert outcome.hint == "Please choose a language from the list."
    assert outcome.commands == []


@pytest.mark.parametrize("answer", ["yes", "OK", "oui", "wakha", "واخا", "نعم", "ⵢⵢⵀ", "١",
                                    "I agree"])
def test_consent_is_given_in_any_language(answer: str) -> None:
    outcome = respond(inbound(answer), context(newcomer()), CONSENT)
    assert (outcome.state, outcome.commands) == (ROLE, [GiveConsent()])


@pytest.mark.parametrize("answer", ["no", "non", "لا", "machi", "ⵓⵀⵓ", "٢", "No, thank you"])
def test_declining_consent_erases_the_person(answer: str) -> None:
    outcome = respond(inbound(answer), context(newcomer()), CONSENT)
    assert outcome.state == LANGUAGE
    assert outcome.commands == [ErasePerson()]
    assert outcome.ask is False
    assert "kept nothing" in outcome.say[0].text


def test_an_unclear_consent_answer_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("maybe later"), context(newcomer()), CONSENT)
    assert (outcome.state, outcome.commands) == (CONSENT, [])
    assert outcome.hint == "Please answer 1 if you agree, or 2 if you do not."


@pytest.mark.parametrize(("answer", "role"), [
    ("1", Role.REPRESENTATIVE), ("jam3iya", Role.REPRESENTATIVE),
    ("تعاونية", Role.REPRESENTATIVE), ("٢", Role.EXPERT), ("khabir", Role.EXPERT),
    ("3", Role.SUPPORTER), ("soutenir", Role.SUPPORTER), ("4", Role.VISITOR),
    ("nchouf", Role.VISITOR), ("I am just lookin", Role.VISITOR)])
def test_a_role_is_chosen_by_number_alias_or_label(answer: str, role: Role) -> None:
    outcome = respond(inbound(answer), context(consented()), ROLE)
    after = "expert.skill" if role is Role.EXPERT else MAIN  # experts say their skills first
    assert (outcome.state, outcome.commands) == (after, [ChooseRole(role)])


def test_an_unknown_role_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("5"), context(consented()), ROLE)
    assert (outcome.state, outcome.hint) == (ROLE, "Please choose one of the four answers.")


# --- main menu ----------------------------------------------------------------------------

def test_a_supporter_finds_projects_news_and_follows_first_in_the_menu() -> None:
    keys = [c.key for c in render(MAIN, context(member())).choices]
    assert keys == ["browse", "news", "follow", "data", "role", "language", "human", "erase"]
    for answer, state in (("1", "browse.filter"), ("2", "news.show"),
                          ("3", "supporter.follows")):
        assert respond(inbound(answer), context(member()), MAIN).state == state


def test_the_main_menu_shows_what_is_kept_and_stays() -> None:
    outcome = respond(inbound("4"), context(member()), MAIN)
    assert outcome.state == MAIN
    text = outcome.say[0].text
    assert text.startswith("Here is everything I keep about you:")
    assert "telegram:42" in text and "English" in text and "supporter of projects" in text


@pytest.mark.parametrize(("answer", "state"), [("5", ROLE), ("6", LANGUAGE), ("8", ERASE)])
def test_the_main_menu_opens_the_chosen_entry(answer: str, state: str) -> None:
    assert respond(inbound(answer), context(member()), MAIN).state == state


def test_the_main_menu_entry_talk_to_a_person_asks_for_a_human() -> None:
    outcome = respond(inbound("7"), context(member(), animators=1, state=MAIN), MAIN)
    assert outcome.state == "handoff.chat"  # what they write next goes to the team
    assert outcome.commands == [RequestHuman(MAIN)]


def test_an_unknown_menu_entry_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("19"), context(member()), MAIN)
    assert (outcome.state, outcome.hint) == (MAIN, "Please choose a number from the menu.")


def test_confirming_the_erasure_erases_and_goes_back_to_the_start() -> None:
    outcome = respond(inbound("1"), context(member()), ERASE)
    assert (outcome.state, outcome.commands, outcome.ask) == (LANGUAGE, [ErasePerson()], False)


def test_keeping_the_data_goes_back_to_the_menu() -> None:
    outcome = respond(inbound("no"), context(member()), ERASE)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert outcome.say[0].text == "Nothing was erased."


def test_an_unclear_erasure_answer_erases_nothing() -> None:
    outcome = respond(inbound("hmm"), context(member()), ERASE)
    assert (outcome.state, outcome.commands) == (ERASE, [])
    assert outcome.hint


# --- global words -------------------------------------------------------------------------

@pytest.mark.parametrize("state", list(STATES))
def test_stop_opts_out_and_stays_where_it_was(state: str) -> None:
    outcome = respond(inbound("STOP"), context(member()), state)
    assert (outcome.state, outcome.commands, outcome.ask) == (state, [OptOut()], False)
    assert "START" in outcome.say[0].text


@pytest.mark.parametrize("word", ["arrêt", "توقف", "ⴱⴷⴷ", "7bes", "baraka"])
def test_stop_is_understood_in_every_language(word: str) -> None:
    assert respond(inbound(word), context(member()), MAIN).commands == [OptOut()]


def test_start_when_opted_out_opts_in_and_goes_to_the_menu() -> None:
    outcome = respond(inbound("START"), context(member(opted_out=True)), ROLE)
    assert (outcome.state, outcome.commands) == (MAIN, [OptIn()])
    assert outcome.say


def test_start_when_opted_out_during_onboarding_opts_in_and_stays() -> None:
    outcome = respond(inbound("démarrer"), context(person(opted_out=True)), CONSENT)
    assert (outcome.state, outcome.commands) == (CONSENT, [OptIn()])


def test_start_when_not_opted_out_changes_nothing() -> None:
    outcome = respond(inbound("start"), context(member()), MAIN)
    assert (outcome.state, outcome.commands, outcome.say) == (MAIN, [], [])


def test_the_start_command_when_opted_out_opts_in() -> None:
    outcome = respond(inbound(command="start"), context(member(opted_out=True)), ERASE)
    assert outcome.state == MAIN
    assert OptIn() in outcome.commands


def test_back_goes_to_the_last_state_of_the_history() -> None:
    ctx = context(consented(), history=[LANGUAGE, CONSENT])
    outcome = respond(inbound("back"), ctx, ROLE)
    assert (outcome.state, outcome.back) == (CONSENT, True)


def test_back_with_no_history_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("رجوع"), context(newcomer()), LANGUAGE)
    assert outcome.state == LANGUAGE
    assert outcome.hint == "There is no earlier step to go back to."


def test_two_backs_walk_the_history_two_steps() -> None:
    ctx = context(consented(), history=[LANGUAGE, CONSENT])
    first = respond(inbound("retour"), ctx, ROLE)
    push_history(ctx, ROLE, first.state, first.back)
    second = respond(inbound("rje3"), ctx, first.state)
    assert second.state == LANGUAGE


def test_the_history_grows_with_each_move_forward() -> None:
    ctx = context(newcomer())
    push_history(ctx, LANGUAGE, CONSENT, back=False)
    push_history(ctx, CONSENT, ROLE, back=False)
    assert ctx.data["history"] == [LANGUAGE, CONSENT]


def test_a_first_message_leaves_nothing_to_go_back_to() -> None:
    ctx = context(newcomer())
    push_history(ctx, "", LANGUAGE, back=False)
    assert ctx.data["history"] == []


def test_back_never_leads_to_an_unknown_state() -> None:
    outcome = respond(inbound("back"), context(newcomer(), history=[""]), LANGUAGE)
    render(outcome.state, context(newcomer()))


def test_the_history_is_not_grown_when_staying() -> None:
    ctx = context(newcomer(), history=[LANGUAGE])
    push_history(ctx, CONSENT, CONSENT, back=False)
    assert ctx.data["history"] == [LANGUAGE]


def test_the_history_is_cleared_at_the_main_menu() -> None:
    ctx = context(member(), history=[LANGUAGE, CONSENT])
    push_history(ctx, ROLE, MAIN, back=False)
    assert ctx.data["history"] == []


def test_the_history_stays_short() -> None:
    ctx = context(newcomer())
    for i in range(30):
        previous, nxt = (LANGUAGE, CONSENT) if i % 2 else (CONSENT, LANGUAGE)
        push_history(ctx, previous, nxt, back=False)
    assert len(ctx.data["history"]) <= 10
    assert ctx.data["history"][-1] == LANGUAGE


@pytest.mark.parametrize("state", [LANGUAGE, CONSENT, ROLE])
def test_menu_before_onboarding_re_asks_with_a_hint(state: str) -> None:
    outcome = respond(inbound("menu"), context(consented()), state)
    assert outcome.state == state
    assert outcome.hint == "Let us finish getting to know each other first."


def test_menu_after_onboarding_opens_the_main_menu() -> None:
    assert respond(inbound("القائمة"), context(member()), ERASE).state == MAIN


def test_cancel_after_onboarding_goes_to_the_menu_and_says_so() -> None:
    outcome = respond(inbound("annuler"), context(member()), ERASE)
    assert outcome.state == MAIN
    assert [r.text for r in outcome.say] == ["Cancelled."]


@pytest.mark.parametrize("state", list(STATES))
def test_language_goes_to_the_language_question(state: str) -> None:
    assert respond(inbound("langue"), context(member()), state).state == LANGUAGE


def test_help_lists_the_global_words_and_stays() -> None:
    outcome = respond(inbound("?"), context(newcomer()), CONSENT)
    assert outcome.state == CONSENT
    assert "MENU" in outcome.say[0].text and "STOP" in outcome.say[0].text


def test_human_without_animators_says_nobody_can_answer() -> None:
    outcome = respond(inbound("human"), context(member(), animators=0), MAIN)
    assert outcome.state == MAIN
    assert outcome.commands == []
    assert outcome.say[0].text.startswith("Nobody from the team")


def test_human_before_consent_asks_for_a_human_and_keeps_the_person_where_they_are() -> None:
    outcome = respond(inbound("bnadem"), context(newcomer(), animators=2, state=CONSENT),
                      CONSENT)
    assert outcome.state == CONSENT
    assert outcome.commands == [RequestHuman(CONSENT)]
    assert outcome.say[0].text.startswith("I have told the team")


def test_a_button_key_that_looks_like_a_global_word_is_a_button() -> None:
    outcome = respond(button("language", MAIN), context(member()), MAIN)
    assert (outcome.state, outcome.commands) == (LANGUAGE, [])


# --- stale buttons and unreadable messages ------------------------------------------------

def test_a_button_of_an_earlier_question_re_asks_the_current_one() -> None:
    outcome = respond(button("fr", LANGUAGE), context(person("en")), CONSENT)
    assert (outcome.state, outcome.commands) == (CONSENT, [])
    assert outcome.hint == "That button belongs to an earlier question. Here is the current one:"


def test_a_stale_erase_button_erases_nothing() -> None:
    outcome = respond(button("yes", ERASE), context(member()), MAIN)
    assert (outcome.state, outcome.commands) == (MAIN, [])


def test_a_button_of_the_current_question_is_taken() -> None:
    outcome = respond(button("yes", CONSENT), context(newcomer()), CONSENT)
    assert outcome.commands == [GiveConsent()]


@pytest.mark.parametrize("msg", [voice_note(), sticker(), location()],
                         ids=["voice", "sticker", "location"])
def test_media_where_text_is_expected_re_asks_with_a_hint(msg: object) -> None:
    outcome = respond(msg, context(newcomer()), CONSENT)  # type: ignore[arg-type]
    assert (outcome.state, outcome.commands) == (CONSENT, [])
    assert outcome.hint and outcome.hint.startswith("I cannot read voice notes")


def test_an_empty_message_re_asks_with_a_hint() -> None:
    outcome = respond(inbound("  "), context(newcomer()), ROLE)
    assert outcome.hint == "I did not receive any text. Please answer with text or a number."


# --- rendering ----------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STATES))
def test_every_state_renders_its_choices_in_every_language(name: str, language: str) -> None:
    for who in (newcomer(language), member(language)):
        reply = render(name, context(who, animators=1))
        assert reply.text.strip()
        assert reply.choices
        assert reply.scope == name
        assert reply.hint
        keys = [c.key for c in reply.choices]
        assert len(keys) == len(set(keys))
        assert all(c.label.strip() for c in reply.choices)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_menu_names_each_language_in_its_own_script(language: str) -> None:
    reply = render(LANGUAGE, context(newcomer(language)))
    assert {c.label for c in reply.choices} == set(NATIVE_NAMES.values())
    assert reply.choices[0].key == language


def test_the_main_menu_in_english_names_the_role() -> None:
    reply = render(MAIN, context(member()))
    assert reply.text.startswith("Main menu. You take part as: supporter of projects.")
    assert reply.hint == "Reply with the number of your choice."


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STATES))
def test_every_choice_of_every_state_is_picked_by_its_number(name: str, language: str) -> None:
    ctx = context(member(language), animators=1, state=name)
    for i, _choice in enumerate(render(name, ctx).choices, 1):
        outcome = respond(inbound(str(i)), ctx, name)
        assert outcome.hint is None, (name, i)


def test_stop_as_a_very_first_message_opts_out() -> None:
    outcome = respond(inbound("STOP"), context(member()), None)
    assert OptOut() in outcome.commands


@pytest.mark.parametrize("message", [inbound("START"), inbound(command="start")])
def test_start_after_a_long_silence_opts_back_in_and_opens_the_menu(message: Inbound) -> None:
    outcome = respond(message, context(member(opted_out=True)), None)
    assert OptIn() in outcome.commands
    assert outcome.state == "menu.main"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STATES))
def test_every_label_of_every_state_is_distinct_and_picked_by_its_text(
        name: str, language: str) -> None:
    from bot.choices import pick
    from bot.i18n.text import normalize

    ctx = context(member(language), animators=1, state=name)
    choices = render(name, ctx).choices
    assert len({normalize(c.label) for c in choices}) == len(choices)
    for choice in choices:
        assert pick(inbound(choice.label), choices) == choice, choice.label


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_is_kept_is_described_in_every_language(language: str) -> None:
    from dataclasses import replace

    from bot.flows.menu import describe_person
    from bot.i18n.bidi import FSI

    who = replace(member(language, opted_out=True), referral="commune_tiznit",
                  roles=frozenset({Role.EXPERT, Role.ANIMATOR}))
    text = describe_person(context(who)).text
    assert "commune_tiznit" in text and "telegram:42" in text and "2026-03-01" in text
    assert NATIVE_NAMES[language] in text
    assert (FSI + "telegram:42") in text if language == "ar" else FSI not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_human_alert_and_the_apology_exist_in_every_language(language: str) -> None:
    from bot.i18n import Translator
    from bot.notices import human_alert
    from bot.runner import _sorry

    assert "42" in human_alert(Translator(language), 42)
    assert _sorry(language).strip()
