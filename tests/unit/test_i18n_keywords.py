"""Global words, recognised whatever the language, script, accents or invisible marks."""

import pytest

from bot.i18n.keywords import _FORMS, Word, global_word
from bot.i18n.text import normalize

SPOKEN = [
    # English
    ("MENU", Word.MENU), ("help", Word.HELP), ("Back", Word.BACK), ("cancel", Word.CANCEL),
    ("language", Word.LANGUAGE), ("human", Word.HUMAN), ("STOP", Word.STOP),
    ("Start", Word.START),
    # French, with and without accents
    ("Accueil", Word.MENU), ("aide", Word.HELP), ("Retour", Word.BACK),
    ("précédent", Word.BACK), ("Annuler", Word.CANCEL), ("langue", Word.LANGUAGE),
    ("conseiller", Word.HUMAN), ("ARRÊT", Word.STOP), ("arrêter", Word.STOP),
    ("désabonner", Word.STOP), ("Démarrer", Word.START), ("reprendre", Word.START),
    # Arabic, with hamza variants and tashkeel
    ("القائمة", Word.MENU), ("مساعدة", Word.HELP), ("رجوع", Word.BACK),
    ("إلغاء", Word.CANCEL), ("الغاء", Word.CANCEL), ("اللغة", Word.LANGUAGE),
    ("موظف", Word.HUMAN), ("توقف", Word.STOP), ("تَوَقَّفْ", Word.STOP), ("ابدأ", Word.START),
    # Darija in Arabic letters
    ("منيو", Word.MENU), ("عاوني", Word.HELP), ("رجعني", Word.BACK), ("بلاش", Word.CANCEL),
    ("بنادم", Word.HUMAN), ("باركا", Word.STOP), ("صافي حبس", Word.STOP),
    ("نبداو", Word.START),
    # Darija in Latin letters (Arabizi)
    ("lmenu", Word.MENU), ("3awni", Word.HELP), ("rje3", Word.BACK), ("blach", Word.CANCEL),
    ("lougha", Word.LANGUAGE), ("bnadem", Word.HUMAN), ("7bes", Word.STOP),
    ("Safi 7bes", Word.STOP), ("nbdaw", Word.START),
    # Tamazight in Tifinagh
    ("ⵜⴰⵍⴳⴰⵎⵜ", Word.MENU), ("ⵜⵉⵡⵉⵙⵉ", Word.HELP), ("ⴰⵖⵓⵍ", Word.BACK), ("ⵙⵔⵙ", Word.CANCEL),
    ("ⵜⵓⵜⵍⴰⵢⵜ", Word.LANGUAGE), ("ⴰⴼⴳⴰⵏ", Word.HUMAN), ("ⴱⴷⴷ", Word.STOP), ("ⴱⴷⵓ", Word.START),
]


@pytest.mark.parametrize(("text", "word"), SPOKEN)
def test_a_global_word_is_recognised_in_every_language(text: str, word: Word) -> None:
    assert global_word(text) is word


def test_every_word_has_forms_in_latin_arabic_and_tifinagh() -> None:
    from bot.i18n.text import script_of

    for word in Word:
        scripts = {script_of(form) for form in _FORMS[word]}
        assert {"latin", "arabic", "tifinagh"} <= scripts, word


@pytest.mark.parametrize("word", list(Word))
def test_every_listed_form_of_a_word_is_recognised(word: Word) -> None:
    for form in _FORMS[word]:
        assert global_word(form) is word, form


@pytest.mark.parametrize("word", list(Word))
def test_a_word_wrapped_in_bidi_marks_is_recognised(word: Word) -> None:
    for form in _FORMS[word]:
        assert global_word(f"\u200f\u202e{form}\u202c\u200e") is word, form


@pytest.mark.parametrize("word", list(Word))
def test_a_word_with_surrounding_spaces_and_punctuation_is_recognised(word: Word) -> None:
    for form in _FORMS[word]:
        if form != "?":
            assert global_word(f"  {form.upper()} !! ") is word, form


def test_no_form_belongs_to_two_words() -> None:
    owner: dict[str, Word] = {}
    for word, forms in _FORMS.items():
        for form in forms:
            key = normalize(form)
            assert owner.setdefault(key, word) is word, form


def test_a_question_mark_alone_asks_for_help() -> None:
    assert global_word(" ? ") is Word.HELP


def test_a_question_mark_after_a_right_to_left_mark_asks_for_help() -> None:
    assert global_word("\u200f?") is Word.HELP


def test_an_arabic_question_mark_alone_asks_for_help() -> None:
    assert global_word("؟") is Word.HELP


def test_slash_start_is_the_start_word() -> None:
    assert global_word("/start") is Word.START


@pytest.mark.parametrize("text", [None, "", "   ", "👍", "hello there", "1", "٢",
                                  "stop the project", "menu please now", "\u200f"])
def test_text_that_is_not_only_a_global_word_is_none(text: str | None) -> None:
    assert global_word(text) is None


@pytest.mark.parametrize("word", list(Word))
def test_every_arabic_form_is_recognised_with_tashkeel_and_tatweel(word: Word) -> None:
    from bot.i18n.text import script_of

    arabic = [form for form in _FORMS[word] if script_of(form) == "arabic"]
    assert arabic
    for form in arabic:
        voweled = "".join(ch + "\u064e" if ch.isalpha() else ch for ch in form)
        assert global_word(voweled) is word, form
        assert global_word(form[:1] + "ـ" + form[1:]) is word, form


@pytest.mark.parametrize("word", list(Word))
def test_every_latin_form_is_recognised_with_accents(word: Word) -> None:
    import unicodedata

    for form in _FORMS[word]:
        if form.isascii() and any(c in "aeiou" for c in form):
            accented = unicodedata.normalize("NFC", "".join(
                c + "\u0301" if c in "aeiou" else c for c in form))
            assert global_word(accented) is word, accented
