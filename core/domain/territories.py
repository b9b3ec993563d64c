"""Territory search: spelling-tolerant keys and ranking, on the standard library only.

A place name reaches us as French spelling ("Tafraoute"), English-like spelling ("tafrawt"),
Arabic with or without hamza and long vowels ("تافراوت", "تفراوت"), Arabizi ("l3youn") or
Tifinagh already transliterated to Latin by the caller. Every spelling is folded into a
key; two spellings of one name should give the same key, or at least the same skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import IntEnum

from core.domain.text import fold

#: Longer input is not a place name; it is not searched at all.
MAX_QUERY = 120
#: Below this similarity (0-100) a fuzzy candidate is not shown.
FUZZY_THRESHOLD = 75.0

Similarity = Callable[[str, str], float]

_ARABIZI = {"2": "", "3": "a", "5": "kh", "6": "t", "7": "h", "8": "gh", "9": "k"}
_LATIN_RULES = (
    (re.compile(r"sh"), "ch"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"q"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"gu(?=[ei])"), "g"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"w"), "u"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Melloul, Laayoune
    (re.compile(r"(?<=..[^aeiou])e$"), ""),  # a mute final e: Tafraoute, Larache
)
_ARTICLES = frozenset({"el", "al", "l", "ed", "es", "ech", "er", "ez", "et", "en", "ad"})
#: Words put before a name that are not part of it: "commune de Tafraout", "جماعة تافراوت".
_LEAD = frozenset({"commune", "cr", "cu", "rurale", "urbaine", "municipalite", "municipality",
                   "de", "d", "du", "of", "جماعه", "بلديه", "الجماعه", "بلده", "مدينه"})
_ARABIC_FOLD = str.maketrans({"ء": None})  # the rest is core.domain.text.fold
_VOWELS = re.compile("[aeiou]+")
_GLUED_ARTICLE = re.compile("l[^aeiou].{2}")  # Lbir, lmouloud: el- written onto the word
#: Whole words written many ways, after the letter rules: Beni/Bni, Ouled/Oulad/Awlad.
_WORDS = {"beni": "bni", "bani": "bni", "uled": "ulad", "aulad": "ulad", "auled": "ulad"}
#: Everyday names that no spelling rule reaches (Darija, English), by the commune's French name.
ALIASES = {
    "sla": "Salé", "tanja": "Tanger", "tangier": "Tanger", "asfi": "Safi",
    "dar lbida": "Casablanca", "dar el beida": "Casablanca", "dar bida": "Casablanca",
    "swira": "Essaouira", "sweira": "Essaouira", "mogador": "Essaouira",
    "lqnitra": "Kénitra", "qnitra": "Kénitra", "marrakesh": "Marrakech", "fez": "Fès",
    "الدار البيضا": "Casablanca", "كازا": "Casablanca", "كازابلانكا": "Casablanca",
    "فكيك": "Figuig", "الصويره": "Essaouira", "فاس": "Fès",
}
_PROVINCE_WORDS = frozenset({"province", "prefecture", "prov", "in", "a", "dans", "de", "d",
                             "اقليم", "عماله", "في", "ب"})
_APOSTROPHES = re.compile(r"['’‘`ʼ´]")


class Tier(IntEnum):
    """How a name matched; a better tier always ranks first."""

    FUZZY = 1
    PREFIX = 2
    EXACT = 3


def _fold(text: str) -> str:
    """Folds like everywhere else, but joins what an apostrophe splits (Aït, d'Agadir)."""
    return fold(_APOSTROPHES.sub("", text))


def _arabizi(word: str) -> str:
    if not any(c.isalpha() for c in word):
        return ""  # a bare number is not a name
    return "".join(_ARABIZI.get(c, c) for c in word)


def latin_key(text: str) -> str:
    """Folds a Latin (or Arabizi) spelling: accents, case, Aït/Ayt, ou/w, doubled letters."""
    decomposed = unicodedata.normalize("NFD", _fold(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = []
    for word in plain.split():
        if not word.isascii():
            continue
        word = _arabizi(word)
        for pattern, replacement in _LATIN_RULES:
            word = pattern.sub(replacement, word)
        if word:
            words.append(_WORDS.get(word, word))
    return " ".join(words)


def arabic_key(text: str) -> str:
    """Folds an Arabic spelling: tashkeel, tatweel, hamza forms, alef maqsura, ta marbuta."""
    text = _fold(text).translate(_ARABIC_FOLD)
    words = ["".join(c for c in word if "\u0621" <= c <= "\u064a") for word in text.split()]
    return " ".join(w for w in words if w)


def latin_skeleton(key: str) -> str:
    """Drops articles and writes every vowel run as "a": Kelâat, 9ala3t and Kalaat agree."""
    words = [w[1:] if _GLUED_ARTICLE.match(w) else w for w in key.split() if w not in _ARTICLES]
    return _VOWELS.sub("a", "".join(words))


def arabic_skeleton(key: str) -> str:
    """Drops the article and the long alef of an Arabic key: تافراوت and تفراوت agree."""
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in key.split()]
    return "".join(w[0] + w[1:].replace("ا", "") for w in words if w)


@dataclass(frozen=True)
class Place:
    """A commune as the search index holds it."""

    code: str
    name_fr: str
    name_ar: str
    province_code: str
    province_fr: str
    province_ar: str
    region_fr: str
    region_ar: str
    population: int


@dataclass(frozen=True)
class Candidate:
    """A place that may be the one the person meant, with how well it matched (0-100)."""

    code: str
    name_fr: str
    name_ar: str
    province_fr: str
    province_ar: str
    region_fr: str
    region_ar: str
    population: int
    score: float
    tier: Tier


@dataclass(frozen=True)
class _Keys:
    compact: str  # the key without spaces
    skeleton: str
    suffixes: tuple[str, ...]  # the compact key from each word on: "aitmelul", "melul"


def _keys(key: str, skeleton: Callable[[str], str]) -> _Keys:
    words = key.split()
    suffixes = tuple("".join(words[i:]) for i in range(1, len(words)))
    return _Keys(key.replace(" ", ""), skeleton(key), suffixes)


def difflib_ratio(a: str, b: str) -> float:
    """Scores the likeness of two strings 0-100 (a slow stand-in for rapidfuzz)."""
    return 100.0 * SequenceMatcher(None, a, b).ratio()


class TerritoryIndex:
    """Communes keyed for search, with the provinces that disambiguate them."""

    def __init__(self, places: Iterable[Place], provinces: dict[str, tuple[str, str]],
                 aliases: dict[str, str] | None = None) -> None:
        self.places = list(places)
        by_name = {p.name_fr: p.code for p in self.places}
        self._aliases: dict[str, str] = {}
        for alias, name in (ALIASES if aliases is None else aliases).items():
            key = latin_key(alias) or arabic_key(alias)
            if name in by_name and key:
                self._aliases[key.replace(" ", "")] = by_name[name]
        self._latin = [_keys(latin_key(p.name_fr), latin_skeleton) for p in self.places]
        self._arabic = [_keys(arabic_key(p.name_ar), arabic_skeleton) for p in self.places]
        self._provinces: dict[str, str] = {}
        for code, (name_fr, name_ar) in provinces.items():
            for key in (latin_key(name_fr), arabic_key(name_ar)):
                if key:
                    self._provinces.setdefault(key.replace(" ", ""), code)

    def search(self, text: str, limit: int = 5,
               similarity: Similarity = difflib_ratio) -> list[Candidate]:
        """Ranks the communes a person may mean: exact, then prefix, then fuzzy; then size."""
        if not text or len(text) > MAX_QUERY or limit <= 0:
            return []
        words = _fold(text).split()
        while words and words[0].translate(_ARABIC_FOLD) in _LEAD:
            words.pop(0)
        found = self._match(words, similarity, None)
        for rest, province in self._province_splits(words):
            inside = self._match(rest, similarity, province) or (
                {} if found else self._match(rest, similarity, None))
            if inside:  # the province was meant: keep only exact names from elsewhere
                found = {**{k: c for k, c in found.items() if c.tier == Tier.EXACT}, **inside}
                break
        ranked = sorted(found.values(), key=lambda c: (c.tier, round(c.score), c.population),
                        reverse=True)
        return ranked[:limit]

    def _province_splits(self, words: list[str]) -> list[tuple[list[str], str]]:
        """Reads a trailing province name: "tafraout tiznit" is (["tafraout"], "09.581")."""
        splits = []
        for size in (3, 2, 1):
            if len(words) > size:
                tail = " ".join(words[-size:])
                for key in (latin_key(tail), arabic_key(tail)):
                    province = self._provinces.get(key.replace(" ", "")) if key else None
                    if province:
                        rest = words[:-size]
                        while rest and rest[-1].translate(_ARABIC_FOLD) in _PROVINCE_WORDS:
                            rest = rest[:-1]
                        splits.append((rest, province))
        return splits

    def _match(self, words: list[str], similarity: Similarity,
               province: str | None) -> dict[str, Candidate]:
        text = " ".join(words)
        found: dict[str, Candidate] = {}
        for query, skeleton, table in (
            (latin_key(text), latin_skeleton, self._latin),
            (arabic_key(text), arabic_skeleton, self._arabic),
        ):
            if not query:
                continue
            wanted = _keys(query, skeleton)
            aliased = self._aliases.get(wanted.compact)
            for place, keys in zip(self.places, table, strict=True):
                if province and place.province_code != province:
                    continue
                scored = ((Tier.EXACT, 98.0) if place.code == aliased
                          else _score(wanted, keys, similarity))
                if scored and (place.code not in found
                               or scored > (found[place.code].tier, found[place.code].score)):
                    found[place.code] = _candidate(place, *scored)
        return found


def _score(wanted: _Keys, keys: _Keys, similarity: Similarity) -> tuple[Tier, float] | None:
    q = wanted.compact
    if q == keys.compact:
        return Tier.EXACT, 100.0
    if len(wanted.skeleton) >= 3 and wanted.skeleton == keys.skeleton:
        return Tier.EXACT, 95.0
    if len(q) >= 3 and keys.compact.startswith(q):
        return Tier.PREFIX, 90.0
    if len(q) >= 4 and any(s.startswith(q) for s in keys.suffixes):
        return Tier.PREFIX, 85.0
    if len(q) < 4:
        return None
    best = max(similarity(q, s) for s in (keys.compact, *keys.suffixes))
    best = max(best, similarity(wanted.skeleton, keys.skeleton) - 5.0)
    return (Tier.FUZZY, best * 0.8) if best >= FUZZY_THRESHOLD else None


def _candidate(place: Place, tier: Tier, score: float) -> Candidate:
    return Candidate(place.code, place.name_fr, place.name_ar, place.province_fr,
                     place.province_ar, place.region_fr, place.region_ar, place.population,
                     round(score, 1), tier)
