"""Mapping what a person typed or pressed to one of the choices they were offered."""

import pytest

from bot.choices import pick
from bot.messages import Choice
from tests.unit.support import button, inbound, location, voice_note

ROLES = (
    Choice("representative", "I represent an association, a commune or a cooperative",
           ("association", "جمعية", "jam3iya")),
    Choice("expert", "I want to offer my skills", ("expert", "خبير")),
    Choice("supporter", "I want to support projects", ("support",)),
    Choice("visitor", "I am just looking", ("look", "نشوف")),
)
YES_NO = (Choice("yes", "Yes, erase everything", ("yes", "oui")),
          Choice("no", "No, keep my data", ("no", "non")))


def test_a_button_key_picks_its_choice() -> None:
    assert pick(button("expert"), ROLES) is ROLES[1]


def test_a_button_key_that_is_not_offered_picks_nothing() -> None:
    assert pick(button("animator"), ROLES) is None


def test_a_button_wins_over_any_text() -> None:
    msg = inbound("1", choice="visitor")
    assert pick(msg, ROLES) is ROLES[3]


@pytest.mark.parametrize(("text", "index"), [("1", 0), ("2", 1), (" 4 ", 3), ("04", 3)])
def test_a_western_digit_picks_by_position(text: str, index: int) -> None:
    assert pick(inbound(text), ROLES) is ROLES[index]


def test_an_arabic_indic_digit_picks_the_second_choice() -> None:
    assert pick(inbound("٢"), ROLES) is ROLES[1]


def test_an_eastern_arabic_indic_digit_picks_by_position() -> None:
    assert pick(inbound("۳"), ROLES) is ROLES[2]


def test_a_digit_wrapped_in_a_right_to_left_mark_picks_by_position() -> None:
    assert pick(inbound("\u200f٣\u200f"), ROLES) is ROLES[2]


def test_a_digit_with_a_trailing_dot_picks_by_position() -> None:
    assert pick(inbound("3."), ROLES) is ROLES[2]


@pytest.mark.parametrize("text", ["0", "5", "99", "٠", "٥", "١٠"])
def test_an_out_of_range_digit_picks_nothing(text: str) -> None:
    assert pick(inbound(text), ROLES) is None


def test_the_exact_label_picks_its_choice() -> None:
    assert pick(inbound("I want to support projects"), ROLES) is ROLES[2]


def test_the_label_in_other_case_and_punctuation_picks_its_choice() -> None:
    assert pick(inbound("i am just looking!!"), ROLES) is ROLES[3]


def test_the_key_picks_its_choice() -> None:
    assert pick(inbound("Visitor"), ROLES) is ROLES[3]


@pytest.mark.parametrize(("text", "index"), [("association", 0), ("JAM3IYA", 0),
                                             ("جمعية", 0), ("خبير", 1), ("نشوف", 3)])
def test_an_alias_picks_its_choice(text: str, index: int) -> None:
    assert pick(inbound(text), ROLES) is ROLES[index]


@pytest.mark.parametrize(("text", "index"), [
    ("I want to ofer my skils", 1),
    ("i want to suport projects", 2),
    ("I am jst looking", 3),
    ("asociation", 0),
])
def test_a_near_miss_of_a_label_picks_its_choice(text: str, index: int) -> None:
    assert pick(inbound(text), ROLES) is ROLES[index]


def test_an_ambiguous_near_miss_picks_nothing() -> None:
    choices = (Choice("a", "Project water"), Choice("b", "Project waters"))
    assert pick(inbound("projct water"), choices) is None


def test_a_word_unlike_any_label_picks_nothing() -> None:
    assert pick(inbound("banana smoothie"), ROLES) is None


def test_a_short_text_is_never_matched_fuzzily() -> None:
    assert pick(inbound("ex"), ROLES) is None


@pytest.mark.parametrize("text", [None, "", "   ", "👍", "🙏🏽🇲🇦", "\u200f\u202e", "!!!"])
def test_empty_or_emoji_input_picks_nothing(text: str | None) -> None:
    assert pick(inbound(text), ROLES) is None


def test_a_voice_note_or_location_picks_nothing() -> None:
    assert pick(voice_note(), ROLES) is None
    assert pick(location(), ROLES) is None


def test_no_choices_means_nothing_is_picked() -> None:
    assert pick(inbound("1"), ()) is None


def test_a_digit_that_int_cannot_read_picks_nothing() -> None:
    assert pick(inbound("⓵"), ROLES) is None


def test_a_very_long_number_picks_nothing() -> None:
    assert pick(inbound("1" * 5000), ROLES) is None


def test_a_pasted_text_longer_than_any_label_is_not_a_choice() -> None:
    assert pick(inbound("English " * 100), ROLES) is None
