"""Finds countries and time zones from what a person typed, in Arabic, Darija, Tamazight,
French or English: "France", "fransa", "فرانسا", "ⴼⵔⴰⵏⵙⴰ", "Allemagne", "لمانيا"...

Names come from Babel (CLDR); Darija and Arabizi forms are added below. Pure functions:
they never raise, and read no text longer than MAX_TEXT characters.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from rapidfuzz import fuzz, process

from bot.i18n import FORMAT_LOCALES
from core.domain.text import drop_articles, fold

MAX_TEXT = 80
MOST = 5  # candidates offered
FUZZY_CUTOFF = 80
MAX_ZONES = 8  # time zones listed to choose from
_LOCALES = ("ar", "fr", "en", "zgh")
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
#: Darija, Arabizi and everyday forms that CLDR does not have.
_EXTRA = {
    "FR": ("fransa", "franssa", "فرانسا", "فرنسا", "ⴼⵔⴰⵏⵙⴰ", "frans"),
    "DE": ("لمانيا", "المانيا", "lmanya", "lmania", "almania", "almanya", "deutschland"),
    "ES": ("sbanya", "sbania", "spanya", "سبانيا", "صبانيا", "اسبانيا", "espana", "spain"),
    "CA": ("kanada", "canada", "كندا", "كانادا"),
    "BE": ("bljika", "beljika", "belgica", "بلجيكا", "بلجيك", "belgie"),
    "NL": ("holanda", "hollanda", "hollande", "هولندا", "holland", "nederland", "pays bas"),
    "IT": ("italia", "talyan", "taliane", "ايطاليا", "طاليان", "الطاليان"),
    "GB": ("uk", "angleterre", "england", "ngltera", "nglatera", "انجلترا", "نكلترا",
           "بريطانيا", "britain", "great britain", "royaume uni"),
    "US": ("usa", "us", "amirika", "mirikan", "امريكا", "ميريكان", "etats unis", "america",
           "united states"),
    "MA": ("lmaghrib", "lmghrib", "maghrib", "المغرب", "maroc", "morocco", "ⵍⵎⵖⵔⵉⴱ"),
    "CH": ("swisra", "sousra", "سويسرا", "suisse", "schweiz"),
    "SE": ("swid", "sweden", "السويد", "suede"),
    "SA": ("saudia", "sa3udia", "السعودية", "سعودية", "arabie saoudite"),
    "AE": ("imarat", "limarat", "الامارات", "emirates", "emirats", "dubai", "dubay"),
    "QA": ("qatar", "9atar", "قطر"),
    "DZ": ("dzayer", "ljazayr", "الجزائر", "dzair"),
    "TN": ("tounes", "tounis", "تونس"),
    "NO": ("norvege", "نرويج"),
    "DK": ("danemark", "الدنمارك"),
    "PT": ("portugal", "البرتغال", "bortgal"),
    "TR": ("turkia", "torkia", "تركيا"),
    "LY": ("libya", "ليبيا"),
    "EG": ("masr", "مصر"),
}
#: The zone that stands for a local time when CLDR has no obvious one.
_MAIN = frozenset({"America/Toronto", "Europe/Madrid", "Europe/Lisbon", "Europe/Berlin",
                   "America/New_York", "Europe/Moscow", "America/Sao_Paulo",
                   "Australia/Sydney", "America/Mexico_City", "Asia/Shanghai"})


def _keys(name: str) -> set[str]:
    folded = fold(name)
    return {folded, drop_articles(folded)} - {""}


@cache
def _names() -> dict[str, frozenset[str]]:
    """Maps each folded country name, in every language, to the codes it names."""
    names: dict[str, set[str]] = {}
    for language in _LOCALES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                for key in _keys(name):
                    names.setdefault(key, set()).add(code)
    for code, extras in _EXTRA.items():
        for extra in extras:
            for key in _keys(extra):
                names.setdefault(key, set()).add(code)
    return {key: frozenset(codes) for key, codes in names.items()}


_FILLERS = frozenset({"in", "en", "au", "aux", "the", "la", "le", "les", "l", "f", "fi", "في",
                      "a", "b", "ب", "ف", "من", "mn", "de", "du"})


def _query(text: str | None) -> str:
    """Folds what was typed, without "in", "en", "la", "في"... around the name."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return ""
    words = fold(text).split()
    while len(words) > 1 and words[0] in _FILLERS:
        words = words[1:]
    return " ".join(words)


def country_name(code: str, language: str) -> str:
    """Names a country in the reader's language (English when the language has no name)."""
    for locale in (FORMAT_LOCALES.get(language, "en"), language, "en"):
        name = Locale.parse(locale).territories.get(code)
        if name:
            return str(name)
    return code


def exact_country(text: str | None) -> str | None:
    """Returns the country a name designates exactly, or None (unknown or ambiguous)."""
    query = _query(text)
    codes = set().union(*(_names().get(key, frozenset()) for key in _keys(query))) if query \
        else set()
    return next(iter(codes)) if len(codes) == 1 else None


def find_country(text: str | None, language: str = "en") -> list[tuple[str, str]]:
    """Returns up to MOST (ISO code, name) candidates for a typed country name, exact
    matches first, then near misses; names in `language`."""
    query = _query(text)
    if not query:
        return []
    codes: list[str] = []
    for key in _keys(query):
        codes += sorted(_names().get(key, ()))
    if not codes and len(query) >= 3:
        found = process.extract(query, list(_names()), scorer=fuzz.ratio, limit=3 * MOST,
                                score_cutoff=FUZZY_CUTOFF)
        codes = [code for key, _score, _index in found for code in sorted(_names()[key])]
    if not codes and len(query) >= 4:
        codes = [code for key, codes_ in _names().items() if key.startswith(query)
                 for code in sorted(codes_)]
    unique = list(dict.fromkeys(codes))[:MOST]
    return [(code, country_name(code, language)) for code in unique]


# --- time zones ---------------------------------------------------------------------------

def all_zones(code: str | None) -> list[str]:
    """Every IANA time zone of a country, as CLDR lists them."""
    if not isinstance(code, str):
        return []
    return list(get_global("territory_zones").get(code.upper(), ()))


@cache
def _golden() -> frozenset[str]:
    return frozenset(get_global("windows_zone_mapping").values())


def time_zones(code: str | None) -> list[str]:
    """The country's distinct local times, one zone each ("Europe/Berlin" for Germany,
    seven for Canada), the most usual zone of each first."""
    zones = all_zones(code)
    metazones = get_global("meta_zones")
    ranked = sorted(zones, key=lambda z: (z not in _MAIN, z not in _golden(), zones.index(z)))
    chosen: dict[str, str] = {}
    for zone in ranked:
        chosen.setdefault(metazones.get(zone, zone), zone)
    return [zone for zone in ranked if zone in chosen.values()]


def zone_city(zone: str, language: str) -> str:
    """Names a time zone by its city, in the reader's language: "Toronto", "تورونتو"."""
    try:
        return str(get_timezone_location(zone, locale=FORMAT_LOCALES.get(language, "en"),
                                         return_city=True))
    except (LookupError, ValueError):
        return zone.rpartition("/")[2].replace("_", " ")


@cache
def _zone_names(code: str) -> dict[str, str]:
    """Maps the folded city names of a country's zones (and their old names, such as
    America/Montreal) to the zone."""
    zones = all_zones(code)
    names: dict[str, str] = {}
    for alias, zone in get_global("zone_aliases").items():
        if zone in zones and "/" in alias:
            names[fold(alias.rpartition("/")[2].replace("_", " "))] = zone
    for zone in zones:
        names[fold(zone.rpartition("/")[2].replace("_", " "))] = zone
        for language in _LOCALES:
            names.setdefault(fold(zone_city(zone, language)), zone)
    return names


def zone_for_city(code: str | None, city: str | None) -> str | None:
    """Returns the country's zone named after the city typed (or a near miss), or None."""
    if not isinstance(code, str) or not isinstance(city, str) or len(city) > MAX_TEXT:
        return None
    names = _zone_names(code.upper())
    query = fold(city)
    if not query or not names:
        return None
    if query in names:
        return names[query]
    best = process.extractOne(query, list(names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return names[best[0]] if best else None
