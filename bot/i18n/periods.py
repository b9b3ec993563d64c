"""Reads periods typed in Arabic, Darija, Tamazight, French or English: "July–August 2027",
"août 2027", "في غشت", "from 1 to 20 August", "15/07/2027 - 10/08/2027", "summer 2027".

A month alone is the whole month; a day alone is that day. Without a year, the next
period that has not ended is meant. "Summer" ("l'été", "الصيف", "sif") is read as July and
August: the holidays, when most of the diaspora comes home (not the astronomical summer).
Pure functions: they never raise, and refuse texts longer than MAX_TEXT characters.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.i18n.quantities import month_names
from core.domain.text import ascii_digits, fold, strip_invisible

MAX_TEXT = 200
_MIN_YEAR, _MAX_YEAR = 2000, 2100
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DASHES = re.compile(r"[-‐‑‒–—−]")
_ORDINAL = re.compile(r"(\d{1,4})(?:er|ere|eme|e|st|nd|rd|th)?")


def _folded(*words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


_SEPARATORS = _folded("-", "to", "till", "until", "through", "and", "au", "a", "et", "jusqu",
                      "jusque", "إلى", "الى", "حتى", "و", "tal", "ila", "hta", "htal", "w",
                      "ⴰⵔ", "ⴷ")
_WEAK = _folded("l", "ل")  # "mn 1 l 20 ghusht": a separator only between two dates
_FILLERS = _folded("from", "between", "in", "on", "of", "the", "de", "du", "des", "d", "le",
                   "la", "les", "en", "entre", "pendant", "durant", "mois", "month", "من",
                   "بين", "في", "شهر", "خلال", "mn", "men", "bin", "f", "fi", "fchhar", "chhar",
                   "next", "prochain", "prochaine", "jay", "الجاي", "القادم", "المقبل",
                   "ⵙⴳ", "ⴳ", "ⴰⵢⵢⵓⵔ", "year", "annee", "عام", "سنة", "ⴰⵙⴳⴳⵯⴰⵙ")
_SUMMER = _folded("summer", "ete", "صيف", "الصيف", "sif", "ssif", "sayf", "ⴰⵏⴱⴷⵓ",
                  "lete", "vacances", "holidays", "العطلة", "لعطلة", "vacance")
_CONJUNCTIONS = ("و", "ل", "ف", "ب")  # Arabic prefixes glued to a month: "وغشت"


@dataclass(frozen=True)
class _Side:
    day: int | None = None
    month: int | None = None
    year: int | None = None


def _tokens(text: str) -> list[object] | None:
    """Splits a period into numbers, months, "summer" and separators; None when a word
    is not understood."""
    text = ascii_digits(strip_invisible(unicodedata.normalize("NFKC", text))).casefold()
    text = _DASHES.sub(" - ", _ISO.sub(r"\3/\2/\1", text))
    tokens: list[object] = []
    for raw in text.split():
        if raw == "-":
            tokens.append("sep")
            continue
        for word in fold(raw).split():
            token = _token(word)
            if token is None:
                return None
            tokens += token
    return tokens


def _token(word: str) -> list[object] | None:
    number = _ORDINAL.fullmatch(word)
    if number:
        return [int(number.group(1)) if len(number.group(1)) <= 2 else ("year", number.group(1))]
    if word in month_names():
        return [("month", month_names()[word])]
    if word in _SUMMER:
        return ["summer"]
    if word in _SEPARATORS:
        return ["sep"]
    if word in _WEAK:
        return ["weak"]
    if word in _FILLERS:
        return []
    if len(word) > 2 and word[0] in _CONJUNCTIONS and word[1:] in month_names():
        month = ("month", month_names()[word[1:]])
        return ["sep", month] if word[0] == "و" else [month]
    return None


def _side(tokens: list[object]) -> _Side | None:
    """Reads one end of a period: "20 août 2027", "15/07/2027", "juillet", "1"."""
    months = [t[1] for t in tokens if isinstance(t, tuple) and t[0] == "month"]
    years = [int(t[1]) for t in tokens if isinstance(t, tuple) and t[0] == "year"]
    numbers = [t for t in tokens if isinstance(t, int)]
    if len(months) > 1 or len(years) > 1 or len(months) + len(years) + len(numbers) != len(
            tokens):
        return None
    year = years[0] if years else None
    if months:
        return _Side(numbers[0] if numbers else None, months[0], year) if len(
            numbers) <= 1 else None
    if len(numbers) == 3 and year is None:  # 15/07/27
        return _Side(numbers[0], numbers[1], 2000 + numbers[2])
    if len(numbers) == 2 and year is not None:  # 15/07/2027
        return _Side(numbers[0], numbers[1], year)
    if len(numbers) == 1 and year is not None:  # 07/2027
        return _Side(None, numbers[0], year)
    if len(numbers) == 2 and year is None:  # 15/07
        return _Side(numbers[0], numbers[1], None)
    if len(numbers) == 1 and year is None:  # "1" in "1-20 August"
        return _Side(numbers[0], None, None)
    return None


def _date(year: int, month: int, day: int | None, *, last: bool) -> date | None:
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12):
        return None
    days = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, days if last else 1)
    return date(year, month, day) if 1 <= day <= days else None


def _dates(start: _Side, end: _Side, shift: int) -> tuple[date, date] | None:
    """Turns two ends with their months known into dates, years filled."""
    assert start.month is not None and end.month is not None
    backwards = (start.month, start.day or 1) > (end.month, end.day or 31)
    if start.year is None and end.year is None or backwards and start.month == end.month:
        return None
    start_year = start.year if start.year is not None else (end.year or 0) - backwards
    end_year = end.year if end.year is not None else start_year + backwards
    first = _date(start_year + shift, start.month, start.day, last=False)
    last = _date(end_year + shift, end.month, end.day, last=True)
    return (first, last) if first and last and first <= last else None


def _period(start: _Side, end: _Side, today: date) -> tuple[date, date] | None:
    if end.month is None:
        end = _Side(end.day, start.month, end.year)
    if start.month is None:
        start = _Side(start.day, end.month, start.year)
    if start.month is None or end.month is None:
        return None
    if start.year is not None or end.year is not None:
        return _dates(start, end, 0)
    this_year = _dates(_Side(start.day, start.month, today.year), end, 0)
    if this_year is not None and this_year[1] >= today:
        return this_year
    return _dates(_Side(start.day, start.month, today.year), end, 1)


def _summer(tokens: list[object], today: date) -> tuple[date, date] | None:
    """Reads "summer", "summer 2027": July and August."""
    rest = [t for t in tokens if t not in ("summer", "weak")]
    if len(rest) > 1 or (rest and not (isinstance(rest[0], tuple) and rest[0][0] == "year")):
        return None
    year = int(rest[0][1]) if rest and isinstance(rest[0], tuple) else None
    return _period(_Side(None, 7, year), _Side(None, 8, year), today)


def parse_period(text: str | None, today: date) -> tuple[date, date] | None:
    """Reads a stay: its first and last day, both included; None when not understood."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    tokens = _tokens(text)
    if not tokens:
        return None
    if "summer" in tokens:
        return _summer(tokens, today)
    parts = _split(tokens)
    if parts is None:
        return None
    start = _side(parts[0])
    end = _side(parts[1]) if len(parts) == 2 else start
    if start is None or end is None:
        return None
    return _period(start, end, today)


def _split(tokens: list[object]) -> list[list[object]] | None:
    """Cuts the tokens at the separator ("to", "-", "إلى"), if any; None when several."""
    strong = [i for i, t in enumerate(tokens) if t == "sep"]
    # "jusqu'au", "from ... to - ...": neighbouring separators count as one
    strong = [i for n, i in enumerate(strong) if n == 0 or strong[n - 1] != i - 1]
    weak = [i for i, t in enumerate(tokens) if t == "weak"]
    cuts = strong or (weak if len(weak) == 1 else [])
    if len(cuts) > 1 or len(strong) == 0 and len(weak) > 1:
        return None
    cleaned = [t for t in tokens if t not in ("sep", "weak")]
    if not cuts:
        return [cleaned] if cleaned else None
    before = [t for t in tokens[:cuts[0]] if t not in ("sep", "weak")]
    after = [t for t in tokens[cuts[0]:] if t not in ("sep", "weak")]
    if before and after:
        return [before, after]
    return [cleaned] if not strong and cleaned else None  # "l'août": an article after all
