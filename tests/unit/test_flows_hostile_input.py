"""Whatever arrives, in every state and every language: nothing raises, bad input re-asks."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.flows import respond
from bot.flows.engine import STATES, render
from bot.i18n.keywords import global_word
from bot.messages import Inbound, Media
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

QUICK = settings(max_examples=50, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])

HOSTILE_TEXTS = {
    "empty": "",
    "whitespace": " \t\n\u00a0\u3000 ",
    "100 kB of letters": "ComDev projet ⵜⴰⵎⴰⵣⵉⵖⵜ مشروع " * 3500,
    "100 kB without a space": "x" * 100_000,
    "emoji": "👍🏽🙏🇲🇦🔥",
    "right-to-left mark": "\u200f",
    "right-to-left override": "\u202e",
    "marks around a word": "\u200f\u202eMAYBE\u202c\u200e",
    "tifinagh": "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⵎⴰⵏⵣⴰⴽⵉⵏ",
    "arabic-indic digits": "١٢٣٤٥٦٧٨٩٠",
    "arabic-indic zero": "٠",
    "one arabic-indic digit out of range": "٩",
    "nul and controls": "\x00\x01\x1b[31m",
    "combining marks only": "\u0301\u0301\u0651\u064e",
    "zalgo": "h\u0335\u0321e\u0336\u0328l\u0334p\u0337",
    "sql": "'; DROP TABLE person; --",
    "markup": "<b>*_`[x](javascript:alert(1))`_*</b>",
    "format braces": "{name} {0} %s {{}}",
    "darija arabizi": "wach n9der n3awn f chi mchrou3",
    "negative number": "-1",
    "huge number with spaces": "1 000 000",
    "decimal": "2.5",
}
NO_TEXT = {
    "voice note": voice_note(),
    "sticker": sticker(),
    "location": location(),
    "photo without caption": inbound(media=(Media("photo", "f", "image/jpeg"),)),
    "unknown button": button("no-such-key"),
    "empty button": button(""),
    "button of an unknown state": button("yes", "no.such.state"),
}


def people(language: str) -> list[object]:
    """Everyone who may be found in a state: a newcomer, half-way, onboarded, opted out."""
    return [newcomer(language), person(language, consented=True), member(language),
            member(language, opted_out=True)]


def check_one_turn(msg: Inbound, name: str, language: str, *, everyone: bool = True) -> None:
    """Runs one turn for everyone in state `name` and checks what came out."""
    for who in people(language) if everyone else people(language)[2:3]:
        ctx = context(who, animators=1, state=name)  # type: ignore[arg-type]
        outcome = respond(msg, ctx, name)
        assert outcome.state in STATES
        if outcome.state == name and global_word(msg.text) is None and msg.command is None:
            assert outcome.hint or outcome.say, (name, language, msg.text and msg.text[:20])
        if outcome.hint:
            assert outcome.hint.strip()
        if outcome.ask:
            reply = render(outcome.state, ctx)
            assert reply.text.strip()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("label", list(HOSTILE_TEXTS))
def test_hostile_text_never_breaks_a_state(label: str, name: str, language: str) -> None:
    text = HOSTILE_TEXTS[label]
    check_one_turn(inbound(text), name, language, everyone=len(text) < 1000)  # big ones are slow


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("label", list(NO_TEXT))
def test_a_message_without_text_never_breaks_a_state(label: str, name: str, language: str) -> None:
    check_one_turn(NO_TEXT[label], name, language)


@pytest.mark.parametrize("name", list(STATES))
def test_media_without_text_changes_nothing(name: str) -> None:
    for msg in (voice_note(), sticker(), location()):
        outcome = respond(msg, context(member(), animators=1), name)
        assert (outcome.state, outcome.commands) == (name, [])
        assert outcome.hint


@pytest.mark.parametrize("name", list(STATES))
def test_a_100_kb_message_is_handled_quickly(name: str) -> None:
    started = time.perf_counter()
    respond(inbound(HOSTILE_TEXTS["100 kB of letters"]), context(member()), name)
    assert time.perf_counter() - started < 2.0


@QUICK
@given(text=st.text(max_size=300), name=st.sampled_from(sorted(STATES)),
       language=st.sampled_from(LANGUAGES))
def test_random_unicode_never_breaks_a_state(text: str, name: str, language: str) -> None:
    check_one_turn(inbound(text), name, language)


@QUICK
@given(text=st.text(alphabet=st.characters(categories=["Nd", "No", "Zs", "Cf", "Mn"]),
                    max_size=20),
       name=st.sampled_from(sorted(STATES)))
def test_random_digits_and_marks_never_break_a_state(text: str, name: str) -> None:
    check_one_turn(inbound(text), name, "ar")


@QUICK
@given(key=st.text(max_size=70), scope=st.none() | st.text(max_size=70),
       name=st.sampled_from(sorted(STATES)))
def test_random_button_data_never_breaks_a_state(key: str, scope: str | None, name: str) -> None:
    check_one_turn(button(key, scope), name, "en")


@QUICK
@given(payload=st.none() | st.text(max_size=100), name=st.sampled_from(sorted(STATES)))
def test_random_start_payloads_never_break_a_state(payload: str | None, name: str) -> None:
    check_one_turn(inbound(command="start", payload=payload), name, "fr")


def test_a_circled_digit_never_breaks_a_state() -> None:
    for name in STATES:
        check_one_turn(inbound("⓵"), name, "en")


def test_a_100_kb_number_never_breaks_a_state() -> None:
    for name in STATES:
        check_one_turn(inbound("1" * 100_000), name, "en")
