"""Territory keys and ranking, on hand-made places (no database, no rapidfuzz)."""

from __future__ import annotations

import pytest

from core.domain.territories import (
    MAX_QUERY,
    Place,
    TerritoryIndex,
    Tier,
    arabic_key,
    arabic_skeleton,
    latin_key,
    latin_skeleton,
)


def place(code: str, name_fr: str, name_ar: str, population: int,
          province: str = "09.581") -> Place:
    names = {"09.581": ("Tiznit", "تيزنيت"), "09.541": ("Taroudannt", "تارودانت")}[province]
    return Place(code, name_fr, name_ar, province, *names, "Souss-Massa", "سوس-ماسة", population)


PLACES = [
    place("09.581.01.05", "Tafraout", "تافراوت", 6124),
    place("09.541.09.51", "Tafraouten", "تافراوتن", 7026, "09.541"),
    place("09.581.03.11", "Tafraout El Mouloud", "تفراوت المولود", 2014),
    place("09.541.07.01", "Agadir Melloul", "أكادير ملول", 7518, "09.541"),
    place("09.273.01.05", "Ait Melloul", "آيت ملول", 210870, "09.541"),
    place("09.581.01.07", "Tiznit", "تيزنيت", 80000),
]
INDEX = TerritoryIndex(PLACES, {"09.581": ("Tiznit", "تيزنيت"),
                                "09.541": ("Taroudannt", "تارودانت")})


def codes(text: str, limit: int = 5) -> list[str]:
    return [c.code for c in INDEX.search(text, limit)]


@pytest.mark.parametrize("spelling", ["Tafraout", "tafraout", "TAFRAOUTE", "tafrawt",
                                      "Tafraoût", "tafra-out", "tafraoutt"])
def test_latin_spellings_of_one_name_share_a_key(spelling: str) -> None:
    assert latin_key(spelling).replace(" ", "") == latin_key("Tafraout")


@pytest.mark.parametrize("spelling", ["Aït Melloul", "ait meloul", "Ayt Mellul", "AIT-MELLOUL",
                                      "aït  melloul", "Ait Mellwl"])
def test_ait_and_doubled_letters_fold_together(spelling: str) -> None:
    assert latin_key(spelling) == "ait melul"


@pytest.mark.parametrize(("arabizi", "plain"), [
    ("l3youn", "Laayoune"), ("7ad soualem", "Had Soualem"), ("sidi 9asem", "Sidi Kacem"),
    ("l٣youn", "Laayoune")])
def test_arabizi_digits_read_as_their_letters(arabizi: str, plain: str) -> None:
    assert latin_key(arabizi) == latin_key(plain)


def test_a_bare_number_is_not_a_name() -> None:
    assert latin_key("123") == "" and latin_key("١٢٣") == ""


@pytest.mark.parametrize("spelling", ["تافراوت", "تَافْرَاوْت", "تافراوت ", "تافـــراوت"])
def test_arabic_tashkeel_and_tatweel_are_ignored(spelling: str) -> None:
    assert arabic_key(spelling) == "تافراوت"


def test_arabic_hamza_forms_fold_to_a_bare_alef() -> None:
    assert arabic_key("أكادير") == arabic_key("اكادير") == arabic_key("إكادير")
    assert arabic_key("آيت ملول") == "ايت ملول"


def test_a_dropped_long_vowel_keeps_the_arabic_skeleton() -> None:
    assert arabic_skeleton(arabic_key("تفراوت")) == arabic_skeleton(arabic_key("تافراوت"))


def test_the_arabic_article_is_optional_in_the_skeleton() -> None:
    assert arabic_skeleton(arabic_key("قصر الكبير")) == arabic_skeleton(arabic_key("القصر الكبير"))


def test_vowel_spellings_share_a_latin_skeleton() -> None:
    kelaa = latin_skeleton(latin_key("Kelâat Sraghna"))
    assert latin_skeleton(latin_key("9ala3t sraghna")) == kelaa
    assert latin_skeleton(latin_key("titwan")) == latin_skeleton(latin_key("Tétouan"))


def test_an_exact_match_comes_before_a_bigger_prefix_match() -> None:
    found = INDEX.search("tafraout")
    assert [c.code for c in found[:3]] == ["09.581.01.05", "09.541.09.51", "09.581.03.11"]
    assert [c.tier for c in found[:3]] == [Tier.EXACT, Tier.PREFIX, Tier.PREFIX]


def test_prefix_matches_are_ranked_by_population() -> None:
    assert codes("tafr")[:3] == ["09.541.09.51", "09.581.01.05", "09.581.03.11"]


def test_a_word_of_the_name_finds_every_place_bearing_it_biggest_first() -> None:
    assert codes("melloul")[:2] == ["09.273.01.05", "09.541.07.01"]


def test_a_misspelling_is_found_by_fuzzy_matching_after_the_exact_ones() -> None:
    found = INDEX.search("tiznitt tafraot", 5) + INDEX.search("tizinit")
    assert found[-1].code == "09.581.01.07" and found[-1].tier == Tier.FUZZY


def test_an_arabic_spelling_without_the_long_alef_finds_the_town() -> None:
    assert codes("تفراوت")[0] == "09.581.01.05"


def test_a_trailing_province_name_narrows_the_candidates() -> None:
    assert codes("tafraout tiznit") == ["09.581.01.05", "09.581.03.11"]
    assert codes("tafraout, Taroudannt") == ["09.541.09.51"]


@pytest.mark.parametrize("hostile", ["", " ", "😀😀", "???", "1234", "٣٤٥", "x" * (MAX_QUERY + 1),
                                     "\u200f\u2066", "ⵜ", "a"])
def test_hostile_input_gives_no_candidate(hostile: str) -> None:
    assert INDEX.search(hostile) == []


def test_a_limit_of_zero_or_less_gives_nothing() -> None:
    assert INDEX.search("tafraout", 0) == []


def test_a_province_with_no_such_commune_falls_back_to_the_whole_country() -> None:
    index = TerritoryIndex(PLACES, {"09.581": ("Tiznit", "تيزنيت"),
                                    "10.473": ("Sidi Ifni", "سيدي إفني")})
    assert [c.code for c in index.search("tafraout sidi ifni")][0] == "09.581.01.05"


def test_an_article_written_onto_the_word_is_still_an_article() -> None:
    assert latin_skeleton(latin_key("tafraout lmouloud")) == latin_skeleton(
        latin_key("Tafraout El Mouloud"))
    assert codes("tafraout lmouloud")[0] == "09.581.03.11"


def test_an_everyday_name_is_an_exact_match() -> None:
    index = TerritoryIndex([place("04.441.01.0", "Salé", "سلا", 945101)], {})
    assert [(c.code, c.tier) for c in index.search("Sla")] == [("04.441.01.0", Tier.EXACT)]


@pytest.mark.parametrize("text", ["commune de Tafraout", "Commune rurale de tafraout",
                                  "جماعة تافراوت", "بلدية تافراوت"])
def test_a_leading_word_for_commune_is_not_part_of_the_name(text: str) -> None:
    assert codes(text)[0] == "09.581.01.05"


@pytest.mark.parametrize("text", ["tafraout province de Taroudannt", "tafraout in taroudannt",
                                  "تافراوتن إقليم تارودانت"])
def test_words_that_introduce_the_province_are_skipped(text: str) -> None:
    assert codes(text) == ["09.541.09.51"]
