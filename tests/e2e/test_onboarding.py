"""Onboarding driven through the real webhooks, in every language, on both channels."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.i18n import NATIVE_NAMES, Translator
from core.models import Person
from tests.e2e.harness import Chat, Served

GOLDEN = Path(__file__).parent / "transcripts"
FIRST_WORDS = {"ar": "السلام عليكم", "zgh": "ⴰⵣⵓⵍ", "fr": "Bonjour", "en": "Hello"}
LANGUAGE_CODES = {"ar": "ar", "zgh": None, "fr": "fr", "en": "en"}
CHANNELS = {"whatsapp": "whatsapp:+2126000001{n:02d}", "telegram": "telegram:70{n:02d}"}


def person_of(served: Served, chat: Chat) -> Person:
    with Session(served.container.engine) as session:
        people = session.exec(select(Person)).all()
        assert len(people) == 1
        return people[0]


@pytest.mark.parametrize("channel", ["whatsapp", "telegram"])
@pytest.mark.parametrize("language", ["ar", "zgh", "fr", "en"])
def test_a_newcomer_is_onboarded_in_their_language(served: Served, language: str,
                                                   channel: str) -> None:
    n = ["ar", "zgh", "fr", "en"].index(language) + (10 if channel == "telegram" else 0)
    chat = Chat(served, CHANNELS[channel].format(n=n), LANGUAGE_CODES[language])
    t = Translator(language)

    chat.say(FIRST_WORDS[language])
    menu = chat.expect_reply(t.gettext(
        "Welcome to ComDev, the assistant that connects the projects of our villages "
        "with the people who can help them. Which language do you prefer?"))
    shown = menu if channel == "whatsapp" else chat.transcript[-1]
    assert all(name in shown for name in NATIVE_NAMES.values())
    _choose(chat, 1, channel)  # their language is offered first
    consent = chat.expect_reply(t.gettext("Very well, I will speak English with you."))
    assert t.gettext("I agree") in chat.transcript[-1]
    assert consent != menu
    _choose(chat, 1, channel)
    chat.expect_reply(t.gettext("How do you want to take part?"))
    _choose(chat, 3, channel)
    main = chat.expect_reply(t.gettext("What would you like to do?"))
    assert t.gettext("supporter of projects") in main

    person = person_of(served, chat)
    assert person.language == language
    assert person.consent_at is not None
    assert person.roles == "supporter"
    _compare_golden(f"{channel}_{language}", chat.transcript)


def _choose(chat: Chat, index: int, channel: str) -> None:
    if channel == "telegram":
        chat.press(index)
    else:
        chat.say("٢" if index == 2 else str(index))  # Arabic-Indic digits choose too


def _compare_golden(name: str, transcript: list[str]) -> None:
    """Compares a conversation with its golden transcript (UPDATE_GOLDENS=1 rewrites it)."""
    path = GOLDEN / f"onboarding_{name}.txt"
    text = "\n\n".join(transcript) + "\n"
    if os.environ.get("UPDATE_GOLDENS") == "1" or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"transcript {path.name} changed"


def test_a_deep_link_payload_is_kept_as_the_referral(served: Served) -> None:
    chat = Chat(served, "telegram:8001", "fr")
    chat.say("/start tafraout_2027")
    chat.expect_reply()
    assert person_of(served, chat).referral == "tafraout_2027"


def test_the_first_message_script_preselects_the_language(served: Served) -> None:
    chat = Chat(served, "whatsapp:+212600000555")
    chat.say("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ")
    menu = chat.expect_reply()
    assert "1. ⵜⴰⵎⴰⵣⵉⵖⵜ" in menu
    assert person_of(served, chat).language == "zgh"


def test_a_person_who_declines_consent_is_forgotten(served: Served) -> None:
    chat = Chat(served, "whatsapp:+212600000556", None)
    chat.say("hello")
    chat.expect_reply()
    chat.say("1")
    chat.expect_reply()
    chat.say("2")
    chat.expect_reply("I have kept nothing about you")
    with Session(served.container.engine) as session:
        assert session.exec(select(Person)).all() == []


def test_a_darija_greeting_in_latin_letters_is_answered_in_arabic(served: Served) -> None:
    chat = Chat(served, "whatsapp:+212600000557")
    chat.say("salam labas 3lik")
    chat.expect_reply("1. العربية")
    assert person_of(served, chat).language == "ar"
