"""Text folding: what keyword, choice and language matching compare."""

import pytest

from bot.i18n.text import normalize, script_of, strip_controls, to_ascii_digits


def test_arabic_indic_digits_become_ascii_digits() -> None:
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_eastern_arabic_indic_digits_become_ascii_digits() -> None:
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"


def test_ascii_digits_and_letters_are_left_alone() -> None:
    assert to_ascii_digits("abc 123") == "abc 123"


def test_case_is_folded() -> None:
    assert normalize("MeNU") == "menu"


def test_french_accents_are_removed() -> None:
    assert normalize("Arrêter") == "arreter"
    assert normalize("Démarrer") == "demarrer"
    assert normalize("Précédent") == "precedent"


def test_arabic_tashkeel_is_removed() -> None:
    assert normalize("تَوَقَّفْ") == "توقف"


def test_hamza_forms_fold_to_bare_alef() -> None:
    assert normalize("إلغاء") == normalize("الغاء") == normalize("ألغاء")


def test_taa_marbuta_and_alef_maqsura_fold() -> None:
    assert normalize("مساعدة") == "مساعده"
    assert normalize("على") == "علي"


def test_tatweel_is_removed() -> None:
    assert normalize("قـــائمة") == normalize("قائمة")


def test_bidi_marks_and_isolates_are_removed() -> None:
    marked = "\u200fmenu\u202e\u2068\u2069\u200b\ufeff"
    assert strip_controls(marked) == "menu"
    assert normalize(marked) == "menu"


def test_arabic_indic_digits_are_folded_by_normalize() -> None:
    assert normalize(" ٢ ") == "2"


def test_punctuation_and_repeated_spaces_collapse() -> None:
    assert normalize("  main...   menu!!! ") == "main menu"


def test_underscores_count_as_spaces() -> None:
    assert normalize("main_menu") == "main menu"


def test_tifinagh_letters_survive_normalization() -> None:
    assert normalize("ⵜⴰⵎⴰⵣⵉⵖⵜ") == "ⵜⴰⵎⴰⵣⵉⵖⵜ"


def test_emoji_only_text_normalizes_to_nothing() -> None:
    assert normalize("👍🙏") == ""


def test_fullwidth_letters_are_folded_by_nfkc() -> None:
    assert normalize("ＭＥＮＵ") == "menu"


@pytest.mark.parametrize(("text", "script"), [
    ("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ", "tifinagh"),
    ("السلام عليكم", "arabic"),
    ("Bonjour à tous", "latin"),
    ("Ça va", "latin"),
    ("ﻻ", "arabic"),  # presentation form
])
def test_the_dominant_script_is_named(text: str, script: str) -> None:
    assert script_of(text) == script


def test_mixed_text_is_named_after_its_most_frequent_script() -> None:
    assert script_of("salam عليكم ورحمة الله") == "arabic"


@pytest.mark.parametrize("text", ["", "123", "👍👍", "!?", "\u200f"])
def test_text_without_letters_has_no_script(text: str) -> None:
    assert script_of(text) is None
