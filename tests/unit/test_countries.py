"""Country names typed in Arabic, Darija, Tamazight, French or English; time zones."""

from __future__ import annotations

import pytest

from bot.i18n.countries import (
    all_zones,
    country_name,
    exact_country,
    find_country,
    time_zones,
    zone_city,
    zone_for_city,
)

EXACT = [
    # French
    ("France", "FR"), ("en France", "FR"), ("la France", "FR"), ("Allemagne", "DE"),
    ("l'Allemagne", "DE"), ("Belgique", "BE"), ("Pays-Bas", "NL"), ("Espagne", "ES"),
    ("Italie", "IT"), ("Royaume-Uni", "GB"), ("États-Unis", "US"), ("Suisse", "CH"),
    ("Suède", "SE"), ("Maroc", "MA"), ("Émirats arabes unis", "AE"),
    # English
    ("Germany", "DE"), ("the Netherlands", "NL"), ("Belgium", "BE"), ("Canada", "CA"),
    ("United Kingdom", "GB"), ("United States", "US"), ("Morocco", "MA"), ("Qatar", "QA"),
    # Arabic
    ("فرنسا", "FR"), ("في فرنسا", "FR"), ("ألمانيا", "DE"), ("إسبانيا", "ES"),
    ("بلجيكا", "BE"), ("هولندا", "NL"), ("كندا", "CA"), ("إيطاليا", "IT"),
    ("الولايات المتحدة", "US"), ("المغرب", "MA"), ("السعودية", "SA"),
    # Darija, in Arabic letters and in Arabizi
    ("فرانسا", "FR"), ("لمانيا", "DE"), ("سبانيا", "ES"), ("fransa", "FR"), ("f fransa", "FR"),
    ("sbanya", "ES"), ("kanada", "CA"), ("bljika", "BE"), ("holanda", "NL"), ("italia", "IT"),
    ("lmanya", "DE"), ("ngltera", "GB"), ("amirika", "US"), ("swisra", "CH"),
    ("lmaghrib", "MA"), ("الطاليان", "IT"),
    # Tamazight
    ("ⴼⵔⴰⵏⵙⴰ", "FR"), ("ⴽⴰⵏⴰⴷⴰ", "CA"), ("ⵍⵎⵖⵔⵉⴱ", "MA"),
    # case, accents and spacing do not matter
    ("  FRANCE ", "FR"), ("etats unis", "US"), ("SUEDE", "SE"),
]


@pytest.mark.parametrize(("typed", "code"), EXACT)
def test_a_country_name_in_any_language_is_found_exactly(typed: str, code: str) -> None:
    assert exact_country(typed) == code
    assert find_country(typed)[0][0] == code


@pytest.mark.parametrize(("typed", "code"), [
    ("Frnace", "FR"), ("Allemagn", "DE"), ("Belgiqe", "BE"), ("Canadaa", "CA"),
    ("Holande", "NL"), ("Itallie", "IT"), ("Espagn", "ES")])
def test_a_misspelt_country_is_offered_but_not_taken_for_granted(typed: str, code: str) -> None:
    assert exact_country(typed) is None
    assert code in [c for c, _name in find_country(typed)]


def test_an_ambiguous_name_offers_every_country_it_names() -> None:
    assert exact_country("Congo") is None
    assert {"CD", "CG"} <= {c for c, _name in find_country("Congo")}


@pytest.mark.parametrize("typed", ["150", "Europe", "", "   ", "x" * 100_000, None, "🇫🇷",
                                   "Zzyzzx", "EU"])
def test_regions_and_nonsense_are_not_countries(typed: str | None) -> None:
    assert exact_country(typed) is None
    assert all(len(c) == 2 and c.isalpha() for c, _name in find_country(typed))
    if typed not in ("Europe",):
        assert find_country(typed) == []


def test_at_most_five_candidates_are_offered() -> None:
    assert len(find_country("guinee")) <= 5


@pytest.mark.parametrize(("language", "name"), [
    ("fr", "Allemagne"), ("en", "Germany"), ("ar", "ألمانيا"), ("zgh", "ⴰⵍⵎⴰⵏⵢⴰ")])
def test_countries_are_named_in_the_readers_language(language: str, name: str) -> None:
    assert country_name("DE", language) == name
    assert find_country("Deutschland", language) == [("DE", name)]


@pytest.mark.parametrize(("code", "zones"), [
    ("FR", ["Europe/Paris"]), ("DE", ["Europe/Berlin"]), ("MA", ["Africa/Casablanca"]),
    ("BE", ["Europe/Brussels"]), ("NL", ["Europe/Amsterdam"])])
def test_a_country_with_one_local_time_has_one_zone(code: str, zones: list[str]) -> None:
    assert time_zones(code) == zones


def test_germany_has_two_zones_but_one_local_time() -> None:
    assert len(all_zones("DE")) == 2 and time_zones("DE") == ["Europe/Berlin"]


def test_big_countries_list_their_usual_zone_first() -> None:
    assert time_zones("CA")[0] == "America/Toronto"
    assert time_zones("US")[0] == "America/New_York"
    assert time_zones("ES")[0] == "Europe/Madrid"
    assert time_zones("XX") == [] and time_zones(None) == []


@pytest.mark.parametrize(("code", "city", "zone"), [
    ("CA", "Montréal", "America/Toronto"), ("CA", "Montreal", "America/Toronto"),
    ("CA", "Toronto", "America/Toronto"), ("CA", "Vancouver", "America/Vancouver"),
    ("CA", "تورونتو", "America/Toronto"), ("US", "New York", "America/New_York"),
    ("US", "Los Angeles", "America/Los_Angeles"), ("US", "Chicgo", "America/Chicago"),
    ("ES", "Madrid", "Europe/Madrid"), ("ES", "Canary", "Atlantic/Canary"),
    ("CA", "Sherbrooke", None), ("CA", "", None), ("CA", "x" * 1000, None), (None, "Paris", None)])
def test_the_zone_is_found_from_the_city(code: str | None, city: str, zone: str | None) -> None:
    assert zone_for_city(code, city) == zone


def test_zones_are_named_by_their_city_in_the_readers_language() -> None:
    assert zone_city("America/Toronto", "ar") == "تورونتو"
    assert zone_city("America/Toronto", "fr") == "Toronto"
