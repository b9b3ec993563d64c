"""The gettext catalogs are complete, load, and say what the bot understands."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES, catalog
from bot.i18n.check import problems
from bot.i18n.keywords import Word, global_word

HELP = ("You can write these words at any time:\n"
        "• MENU: the main menu\n"
        "• BACK: the previous question\n"
        "• CANCEL: leave what you are doing\n"
        "• LANGUAGE: change language\n"
        "• HUMAN: talk to a person\n"
        "• STOP: no more news or reminders; START to resume")
HELP_WORDS = [Word.MENU, Word.BACK, Word.CANCEL, Word.LANGUAGE, Word.HUMAN, Word.STOP]
#: How each catalog joins two words for the same thing ("ⴱⴷⴷ ⵏⵖ STOP").
_OR = re.compile(r"\s+(?:or|ou|أو|ⵏⵖ)\s+")


def test_every_catalog_is_complete_and_the_template_is_fresh() -> None:
    found = problems()
    assert not found, (
        f"{len(found)} catalog problem(s); run `make i18n` and translate what is missing:\n"
        + "\n".join(found))


@pytest.mark.parametrize("language", ["ar", "zgh", "fr"])
def test_a_catalog_translates_a_known_string(language: str) -> None:
    translated = catalog(language).gettext("Change language")
    assert translated and translated != "Change language"


def test_the_english_catalog_loads_and_keeps_the_source_text() -> None:
    assert catalog("en").gettext("Change language") == "Change language"
    with (LOCALES / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        changed = [m.id for m in read_po(po_file) if m.id and m.string != m.id]
    assert not changed, f"en msgstr must equal msgid: {changed}"


@pytest.mark.parametrize(("language", "name"),
                         [("ar", "بالعربية"), ("zgh", "ⵜⵎⴰⵣⵉⵖⵜ"), ("fr", "français"),
                          ("en", "English")])
def test_the_language_confirmation_names_its_own_language(language: str, name: str) -> None:
    assert name in catalog(language).gettext("Very well, I will speak English with you.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_text_lists_words_the_bot_recognises(language: str) -> None:
    lines = [line for line in catalog(language).gettext(HELP).splitlines() if line.startswith("•")]
    assert len(lines) == len(HELP_WORDS)
    for line, word in zip(lines, HELP_WORDS, strict=True):
        spoken = line.removeprefix("•").split(":")[0]
        for form in _OR.split(spoken.strip()):
            assert global_word(form) is word, f"{language}: {form!r} is not {word.name}"
    assert "STOP" in lines[-1] and "START" in lines[-1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_numbered_answers_keep_their_digits(language: str) -> None:
    for message in ("Please answer 1 if you agree, or 2 if you do not.",
                    "Please answer 1 to erase everything, or 2 to keep your data."):
        translated = catalog(language).gettext(message)
        assert "1" in translated and "2" in translated
