"""Reads amounts of money, efforts and months typed in Arabic, Darija, Tamazight, French or
English: "40 000 DH", "40 ألف", "10 jours", "20 sa3a", "juin 2027", "06/2027".

Pure functions: they never raise, and refuse texts longer than MAX_TEXT characters.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.dates import get_month_names

from core.domain.text import ascii_digits, fold, strip_invisible

MAX_TEXT = 200
MAX_EFFORT = 10_000  # days or hours: more is a typo
#: Efforts are counted in working days: a week is 5 of them, a month 20.
DAYS_PER = {"days": 1, "weeks": 5, "months": 20}

_SEPARATORS = " .,'’\u00a0\u202f\u066b\u066c"  # spaces, dots, commas, Arabic ٫ ٬
_NUMBER = re.compile(r"[0-9]+(?:[ .,'’\u00a0\u202f\u066b\u066c][0-9]+)*")
_DECIMAL = re.compile(r"[0-9]+(?:[.,\u066b][0-9]+)?")


def _clean(text: str | None) -> str | None:
    """Normalises digits, marks and case, or None when the text cannot be a quantity."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    text = ascii_digits(strip_invisible(unicodedata.normalize("NFKC", text)))
    return " ".join(text.casefold().split()) or None


def _words(text: str) -> str:
    """Folds the words after a number, the way the tables below are folded."""
    return " ".join(fold(word) for word in text.split() if fold(word))


def _folded(*words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


# --- amounts ---------------------------------------------------------------------------------

_MULTIPLIERS = {
    1_000: _folded("k", "mille", "alf", "alaf", "ألف", "الف", "آلاف", "الاف", "ألاف", "thousand",
                   "ⴰⴳⵉⵎ", "ⵉⴳⵉⵎⵏ"),
    1_000_000: _folded("m", "million", "millions", "mio", "مليون", "ملايين", "malyoun",
                       "melyoun", "mlyoun", "ⵎⵉⵍⵢⵓⵏ"),
    1_000_000_000: _folded("milliard", "milliards", "billion", "مليار", "ملايير", "ⵎⵉⵍⵢⴰⵔ"),
}
_CURRENCY = _folded("dh", "dhs", "mad", "dirham", "dirhams", "درهم", "دراهم", "درهما", "د م",
                    "dirhams marocains", "درهم مغربي", "ⴷⵉⵔⵀⴰⵎ", "ⴰⴷⵔⵉⵎ", "ⵉⴷⵔⵉⵎⵏ")


def _number(digits: str, decimals_allowed: bool) -> Decimal | None:
    """Reads "40 000", "40.000", "40,000" as thousands and "1,5" as a decimal."""
    groups = re.split(f"[{_SEPARATORS}]", digits)
    if len(groups) == 1:
        return Decimal(groups[0])
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return Decimal("".join(groups))
    if decimals_allowed and len(groups) == 2 and len(groups[1]) <= 2 and digits[
            len(groups[0])] in ".,\u066b":
        return Decimal(f"{groups[0]}.{groups[1]}")
    return None


def parse_amount(text: str | None) -> int | None:
    """Reads an amount of dirhams ("40 000 DH", "40k", "40 ألف", "1,5 million"); None when
    it is not a positive amount."""
    clean = _clean(text)
    match = _NUMBER.match(clean or "")
    if clean is None or match is None:
        return None
    words = _words(clean[match.end():]).split()
    multiplier = 1
    if words and any(words[0] in names for names in _MULTIPLIERS.values()):
        multiplier = next(m for m, names in _MULTIPLIERS.items() if words[0] in names)
        words = words[1:]
    if words and " ".join(words) not in _CURRENCY:
        return None
    value = _number(match.group(), decimals_allowed=True)
    if value is None:
        return None
    amount = int((value * multiplier).to_integral_value(ROUND_HALF_UP))
    return amount if amount > 0 else None


# --- efforts ---------------------------------------------------------------------------------

_UNITS = {
    "days": _folded("d", "day", "days", "j", "jr", "jrs", "jour", "jours", "journee", "journees",
                    "يوم", "أيام", "ايام", "يوما", "nhar", "iyam", "ayam", "yam", "youm", "yom",
                    "ⴰⵙⵙ", "ⵡⴰⵙⵙ", "ⵓⵙⵙⴰⵏ", "ⵡⵓⵙⵙⴰⵏ"),
    "hours": _folded("h", "hr", "hrs", "hour", "hours", "heure", "heures", "ساعة", "ساعات",
                     "سوايع", "sa3a", "sa3at", "sa3at", "swaye3", "saa", "ⵜⴰⵙⵔⴰⴳⵜ", "ⵜⵉⵙⵔⴰⴳⵉⵏ",
                     "ⵜⵉⵙⵔⴰⴳⵉⵏ"),
    "weeks": _folded("w", "wk", "wks", "week", "weeks", "sem", "semaine", "semaines", "أسبوع",
                     "اسبوع", "أسابيع", "اسابيع", "سيمانة", "سيمانات", "simana", "simanat",
                     "ⵉⵎⴰⵍⴰⵙ", "ⵉⵎⴰⵍⴰⵙⵏ"),
    "months": _folded("month", "months", "mois", "شهر", "أشهر", "اشهر", "شهور", "chhar",
                      "chher", "shhar", "chhour", "ⴰⵢⵢⵓⵔ", "ⴰⵢⵢⵓⵔⵏ"),
}
#: Arabic duals: "يومين" is two days.
_DUALS = {fold("يومين"): "days", fold("ساعتين"): "hours", fold("أسبوعين"): "weeks",
          fold("شهرين"): "months", "yomayn": "days", "youmayn": "days", "sa3tayn": "hours",
          "chahrayn": "months"}
_NUMBER_WORDS = {
    fold(word): value for value, words in enumerate([
        (), ("واحد", "un", "une", "one", "wahed"), ("اثنين", "إثنين", "جوج", "deux", "two", "jouj"),
        ("ثلاثة", "ثلاث", "تلاتة", "trois", "three", "tlata"),
        ("أربعة", "أربع", "ربعة", "quatre", "four", "reb3a"),
        ("خمسة", "خمس", "cinq", "five", "khamsa"), ("ستة", "ست", "six", "setta"),
        ("سبعة", "سبع", "sept", "seven", "seb3a"), ("ثمانية", "ثمان", "تمنية", "huit", "eight",
                                                     "tmenya"),
        ("تسعة", "تسع", "neuf", "nine", "tes3ud"), ("عشرة", "عشر", "dix", "ten", "3achra"),
    ]) for word in words
}
_ABOUT = _folded("about", "around", "approx", "environ", "حوالي", "حوالى", "تقريبا", "نحو",
                 "ta9riban", "takriban")
_FILLERS = _folded("de", "travail", "work", "working", "عمل", "ديال", "dial", "diyal")


def _unit(words: list[str]) -> str | None:
    """Names the unit of the words after a number; "days" when there are none."""
    words = [w for w in words if w not in _FILLERS]
    if not words:
        return "days"
    if len(words) > 1:
        return None
    return next((unit for unit, names in _UNITS.items() if words[0] in names), None)


def _effort(count: Decimal, unit: str) -> tuple[int, str] | None:
    """Turns weeks and months into working days; refuses nothing and too much."""
    value = count * DAYS_PER.get(unit, 1)
    whole = int(value.to_integral_value(ROUND_HALF_UP))
    if not 0 < whole <= MAX_EFFORT:
        return None
    return whole, "hours" if unit == "hours" else "days"


def parse_effort(text: str | None) -> tuple[int, str] | None:
    """Reads a time to give: "10 days", "20 h", "3 iyam", "2 semaines" → (10, "days") ...;
    a number alone counts days, weeks and months count working days."""
    clean = _clean(text)
    if clean is None:
        return None
    words = clean.split()
    if words and fold(words[0]) in _ABOUT:
        clean = " ".join(words[1:])
    match = _DECIMAL.match(clean)
    if match is not None:
        if match.end() < len(clean) and clean[match.end()].isdigit():
            return None
        unit = _unit(_words(clean[match.end():]).split())
        count = Decimal(match.group().replace(",", ".").replace("\u066b", "."))
        return _effort(count, unit) if unit else None
    return _effort_in_words(_words(clean).split())


def _effort_in_words(words: list[str]) -> tuple[int, str] | None:
    """Reads "يوم", "يومين", "عشرة أيام", "une semaine"."""
    if len(words) == 1 and words[0] in _DUALS:
        return _effort(Decimal(2), _DUALS[words[0]])
    count = 1
    if words and words[0] in _NUMBER_WORDS:
        count, words = _NUMBER_WORDS[words[0]], words[1:]
        if not words:
            return None  # "عشرة" alone: say days or hours
    unit = _unit(words) if words else None
    return _effort(Decimal(count), unit) if unit else None


# --- months ----------------------------------------------------------------------------------

_MONTH_EXTRAS = {
    1: ("janvier", "yanayir", "yennayer", "ⵢⵏⵏⴰⵢⵔ"), 2: ("fbrayir", "fevrier", "febrayer"),
    3: ("mars", "mares"), 4: ("abril", "avril", "ibrir"), 5: ("mai", "may", "mayyu", "maayo"),
    6: ("يونيه", "yunyu", "younyou", "yonyo"),
    7: ("يوليه", "yulyuz", "youlyouz", "yolyoz"), 8: ("ghucht", "ghoucht", "ghusht"),
    9: ("chtenber", "chtanbir", "shutanbir", "septembre"), 10: ("oktober", "ktober"),
    11: ("nunber", "nonbir", "nuwanbir"), 12: ("dujenber", "dujanbir", "dejanbir"),
}
_MONTH_LOCALES = ("ar", "ar_MA", "ar_DZ", "fr", "en", "zgh")
_BEFORE = _folded("by", "before", "end", "of", "the", "in", "fin", "avant", "en", "de", "d",
                  "le", "au", "plus", "tard", "قبل", "نهاية", "اخر", "آخر", "في", "شهر", "mois",
                  "month", "ⴰⵢⵢⵓⵔ", "ⵇⴱⵍ")
_MIN_YEAR, _MAX_YEAR = 2000, 2100


@cache
def month_names() -> dict[str, int]:
    """Maps each folded month name (wide and abbreviated, Maghreb variants) to its number."""
    names: dict[str, int] = {}
    for locale in _MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[fold(name)] = number
    for number, extras in _MONTH_EXTRAS.items():
        names.update({fold(name): number for name in extras})
    return names


def _day(year: int, month: int, day: int | None) -> date | None:
    """The exact day, or the month's last day when `day` is None; None when impossible."""
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12):
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, last)
    return date(year, month, day) if 1 <= day <= last else None


def _numeric(numbers: list[str]) -> date | None:
    """Reads "06/2027", "2027-06", "30/06/2027", "2027-06-30"."""
    values = [int(n) for n in numbers]
    if len(values) == 2:
        year, month = (values[0], values[1]) if len(numbers[0]) == 4 else (values[1], values[0])
        return _day(year, month, None) if 4 in (len(numbers[0]), len(numbers[1])) else None
    if len(values) == 3 and len(numbers[0]) == 4:
        return _day(values[0], values[1], values[2])
    if len(values) == 3 and len(numbers[2]) == 4:
        return _day(values[2], values[1], values[0])
    return None


def _named(month: int, numbers: list[str], today: date) -> date | None:
    """Reads "juin 2027", "30 juin 2027", "June" (the next June that has not ended)."""
    years = [int(n) for n in numbers if len(n) == 4]
    days = [int(n) for n in numbers if len(n) <= 2]
    if len(years) > 1 or len(days) > 1 or len(years) + len(days) != len(numbers):
        return None
    day = days[0] if days else None
    if years:
        return _day(years[0], month, day)
    this_year = _day(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _day(today.year + 1, month, day)


def parse_month(text: str | None, today: date) -> date | None:
    """Reads when something is wanted by: the last day of the month named ("June 2027",
    "ⵢⵓⵏⵢⵓ 2027", "06/2027"), or the exact day written ("30/06/2027")."""
    clean = _clean(text)
    if clean is None:
        return None
    words = [w for w in fold(clean).split() if w not in _BEFORE]
    numbers = [w for w in words if w.isascii() and w.isdigit() and len(w) <= 4]
    named = [month_names()[w] for w in words if w in month_names()]
    if len(numbers) + len(named) != len(words) or len(named) > 1 or not words:
        return None
    try:
        return _named(named[0], numbers, today) if named else _numeric(numbers)
    except (ValueError, InvalidOperation, OverflowError):
        return None


# --- counts ----------------------------------------------------------------------------------

def parse_count(text: str | None, limit: int = 1_000_000_000) -> int | None:
    """Reads how many items: "300", "1 200", "٣٠٠ chaises"; None unless 1..limit."""
    clean = _clean(text)
    match = _NUMBER.match(clean or "")
    if clean is None or match is None:
        return None
    rest = clean[match.end():]
    if any(c.isdigit() for c in rest):
        return None
    value = _number(match.group(), decimals_allowed=False)
    return int(value) if value is not None and 0 < value <= limit else None
