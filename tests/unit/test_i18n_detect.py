"""Guessing a newcomer's language from their first message."""

import pytest

from bot.i18n.detect import detect_language


@pytest.mark.parametrize(("code", "language"), [
    ("fr", "fr"), ("fr-CA", "fr"), ("en-GB", "en"), ("AR", "ar"), ("tzm", "zgh"),
    ("kab", "zgh"), ("zgh", "zgh"),
])
def test_a_known_telegram_language_code_wins(code: str, language: str) -> None:
    assert detect_language("hello", code) == language


def test_an_unknown_telegram_code_falls_back_to_the_text() -> None:
    assert detect_language("bonjour", "de") == "fr"


@pytest.mark.parametrize(("text", "language"), [
    ("ⴰⵣⵓⵍ", "zgh"),
    ("السلام عليكم", "ar"),
    ("سلام، بغيت نعرف", "ar"),
    ("Bonjour", "fr"),
    ("merci beaucoup", "fr"),
    ("Hello!", "en"),
    ("good morning", "en"),
    ("salam", "ar"),
    ("Salam 3afak", "ar"),
    ("wach kayn chi mchrou3", "ar"),
    ("bghit n3awn", "ar"),
])
def test_the_text_of_a_first_message_suggests_a_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", [None, "", "👍", "12", "xyzzy plugh", "\u200f"])
def test_nothing_is_guessed_from_text_that_suggests_nothing(text: str | None) -> None:
    assert detect_language(text) is None


def test_a_french_sentence_with_a_number_stays_french() -> None:
    assert detect_language("Bonjour, je suis né en 1979") == "fr"


def test_an_english_sentence_with_a_number_stays_english() -> None:
    assert detect_language("hello I am 37") == "en"
