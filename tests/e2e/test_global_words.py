"""Global words work in every language, on both channels, through the real webhooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.i18n import Translator
from core.models import Person, utcnow
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import Chat, Served, serve, settings_for

STOP_WORDS = {"ar": "توقف", "zgh": "ⴱⴷⴷ", "fr": "ARRÊT", "en": "stop"}
START_WORDS = {"ar": "ابدأ", "zgh": "ⴱⴷⵓ", "fr": "reprendre", "en": "START"}
HELLO = {"ar": "مرحبا", "zgh": "ⴰⵣⵓⵍ", "fr": "bonjour", "en": "hello"}


def onboard(chat: Chat, language: str) -> None:
    """Takes a person through onboarding in `language` (their language is offered first)."""
    chat.say(HELLO[language])
    chat.expect_reply()
    for answer in ("1", "1", "3"):
        chat.say(answer)
        chat.expect_reply()


def opted_out(served: Served) -> list[bool]:
    with Session(served.container.engine) as session:
        return [p.opted_out for p in session.exec(select(Person)).all()]


@pytest.mark.parametrize("language", ["ar", "zgh", "fr", "en"])
def test_stop_and_start_work_in_every_language(served: Served, language: str) -> None:
    n = ["ar", "zgh", "fr", "en"].index(language)
    chat = Chat(served, f"whatsapp:+21260000090{n}")
    t = Translator(language)
    onboard(chat, language)
    chat.say(STOP_WORDS[language])
    chat.expect_reply(t.gettext(
        "Done: you will receive no more news or reminders. I will still answer when you write "
        "to me. Send START to receive them again."))
    assert opted_out(served) == [True]
    chat.say(START_WORDS[language])
    chat.expect_reply(t.gettext("Welcome back! You will receive news and reminders again."))
    assert opted_out(served) == [False]


def test_darija_in_latin_letters_stops_too(served: Served) -> None:
    chat = Chat(served, "telegram:4401", "ar")
    onboard(chat, "ar")
    chat.say("7bes")
    chat.expect_reply()
    assert opted_out(served) == [True]


def test_help_back_menu_and_language_work_in_the_middle_of_onboarding(served: Served) -> None:
    chat = Chat(served, "whatsapp:+212600000950")
    chat.say("hello")
    chat.expect_reply()
    chat.say("1")
    chat.expect_reply("Do you agree?")
    chat.say("help")
    chat.expect_reply("MENU")
    chat.say("menu")
    chat.expect_reply("Let us finish getting to know each other first.")
    chat.say("back")
    chat.expect_reply("Which language do you prefer?")
    chat.say("langue")
    chat.expect_reply("Which language do you prefer?")


def test_a_person_asking_for_a_human_reaches_the_animators(
        fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> None:
    telegram, twilio = fakes
    settings = settings_for(sqlite_url, telegram, twilio, ANIMATORS="telegram:99")
    with serve(settings, telegram, twilio) as served:
        served.container.seed()
        chat = Chat(served, "whatsapp:+212600000951")
        onboard(chat, "en")
        chat.say("bnadem")  # Darija for "a human being"
        chat.expect_reply("I have told the team.")
        animator = Chat(served, "telegram:99")
        t = Translator("ar")  # the animator was seeded in DEFAULT_LANGUAGE
        expected = t.gettext("Person #{id} asks to talk to a person.").format(id=t.iso(2))
        alert = animator.expect_reply(expected)
        assert "+212600000951" not in alert  # the alert carries an id, never the number


def test_an_idle_conversation_greets_the_person_back_at_the_menu(
        fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> None:
    telegram, twilio = fakes
    offset = [timedelta(0)]
    settings = settings_for(sqlite_url, telegram, twilio)
    with serve(settings, telegram, twilio, clock=lambda: utcnow() + offset[0]) as served:
        chat = Chat(served, "whatsapp:+212600000952")
        onboard(chat, "en")
        chat.say("8")  # "Erase my data": a question left open
        chat.expect_reply("Erase everything")
        offset[0] = timedelta(days=8)
        chat.say("1")  # an answer to a question asked 8 days ago is not acted upon
        chat.expect_reply("Welcome back!")
        assert chat.transcript[-1].count("Main menu") == 1
        with Session(served.container.engine) as session:
            assert len(session.exec(select(Person)).all()) == 1
