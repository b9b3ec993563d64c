"""Finds skills of the taxonomy from what a person typed, in any of the four languages."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from core.domain.skills import LANGUAGES, Skill, Taxonomy, read_taxonomy
from core.domain.text import drop_articles, fold

DATA_FILE = Path(__file__).with_name("data") / "skills.json"
MAX_QUERY = 200  # folded characters; longer text is a message, not a skill name
PREFIX_MIN_LENGTH = 3  # "com" may start "comptabilite"; "co" starts too much
FUZZY_MIN_LENGTH = 4  # shorter text must match a name exactly or as a prefix
FUZZY_MIN_NAME = 5  # WRatio scores any text holding "pv" or "bio" high: such names stay exact
FUZZY_CUTOFF = 86  # "comptabilte" → comptabilité (96); "bonjour" ≠ "journalisme"
WORD_SCORE = 88.0  # a short name standing as whole words in a longer text ("... ديال السقي")
# WRatio already finds names of five letters or more inside a text. Shorter ones are found as
# whole words only when they are unmistakable: Arabic script (three letters or more) or
# Arabizi (a digit in a word: "n7al", "lbi3"); never "well" or "site" in an English sentence,
# nor these Darija words that also mean something else ("سير" go, "نسا" forgot, "كتب" wrote).
_WORD_ARABIC = re.compile(r"[\u0600-\u06FF]{3}")
_WORD_ARABIZI = re.compile(r"(?=\S*[a-z])(?=\S*[2-9])\S{4,}")
_WORD_STOP = frozenset({"سير", "نسا", "كتب", "بني", "كبار", "خارج", "شرا", "كيد", "سلف", "قصر"})


class Kind(IntEnum):
    """How a name fits the text; lower ranks first."""

    EXACT = 0  # the whole text is a label or synonym of the skill
    CATEGORY = 1  # the whole text names the skill's category ("santé", "الصحة")
    PREFIX = 2  # the text starts a name or one of its words ("comptab")
    FUZZY = 3  # a typo of a name, or a name among other words


@dataclass(frozen=True)
class Match:
    skill: Skill
    kind: Kind
    score: float  # 0-100 within its kind
    name: str  # the label or synonym that fitted

    def rank(self) -> tuple[int, float, str]:
        """Orders matches: exact before prefix before fuzzy, then score, then code."""
        return (self.kind, -self.score, self.skill.code)


@dataclass(frozen=True)
class _Name:
    skill: Skill
    text: str
    folded: str
    is_label: bool


class SkillIndex:
    """Every label and synonym of a taxonomy, folded once, ready to search."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._names: dict[str, list[_Name]] = {}
        for skill in taxonomy.skills:
            for position, name in enumerate(skill.names()):
                folded = fold(name)
                if folded:
                    entry = _Name(skill, name, folded, position < len(LANGUAGES))
                    self._names.setdefault(drop_articles(folded), []).append(entry)
        self._keys = sorted(self._names)
        self._fuzzy_keys = sorted((k for k in self._keys if len(k) >= FUZZY_MIN_NAME), key=len)
        self._fuzzy_lengths = [len(key) for key in self._fuzzy_keys]
        self._categories: dict[str, tuple[str, str]] = {}  # key → (category code, name)
        for category in taxonomy.categories:
            for name in category.names():
                self._categories.setdefault(drop_articles(fold(name)), (category.code, name))

    def search(self, text: str, limit: int = 5) -> list[Match]:
        """Returns up to `limit` skills for a text, best first; [] when nothing fits."""
        folded = fold(text[: MAX_QUERY * 4]) if text else ""
        if not folded or len(folded) > MAX_QUERY or limit < 1:
            return []
        best: dict[str, Match] = {}
        for match in self._candidates(folded):
            held = best.get(match.skill.code)
            if held is None or match.rank() < held.rank():
                best[match.skill.code] = match
        return sorted(best.values(), key=Match.rank)[:limit]

    def _candidates(self, folded: str) -> list[Match]:
        query = drop_articles(folded)
        if query in self._names:
            return [Match(n.skill, Kind.EXACT, _exactness(n, folded), n.text)
                    for n in self._names[query]]
        if query in self._categories:
            code, name = self._categories[query]
            return [Match(skill, Kind.CATEGORY, 100.0 - i, name)
                    for i, skill in enumerate(self.taxonomy.in_category(code))]
        found = self._prefixes(query)
        if len(found) >= 3:
            return found
        return found + self._fuzzy(query) + self._words(query)

    def _prefixes(self, query: str) -> list[Match]:
        if len(query) < PREFIX_MIN_LENGTH:
            return []
        return [Match(n.skill, Kind.PREFIX, round(100 * len(query) / len(key), 1), n.text)
                for key in self._keys if (" " + key).find(" " + query) >= 0
                for n in self._names[key]]

    def _fuzzy(self, query: str) -> list[Match]:
        if len(query) < FUZZY_MIN_LENGTH:
            return []
        # WRatio finds a name inside a longer text, with typos; it would also find the text
        # inside a longer name ("merci" scores 90 against "mercatique"): longer names get
        # plain ratio, which only forgives typos of the whole name.
        split = bisect_right(self._fuzzy_lengths, len(query))
        hits = [*process.extract(query, self._fuzzy_keys[:split], scorer=fuzz.WRatio,
                                 limit=None, score_cutoff=FUZZY_CUTOFF),
                *process.extract(query, self._fuzzy_keys[split:], scorer=fuzz.ratio,
                                 limit=None, score_cutoff=FUZZY_CUTOFF)]
        return [Match(n.skill, Kind.FUZZY, round(score, 1), n.text)
                for key, score, _ in hits for n in self._names[key]]

    def _words(self, query: str) -> list[Match]:
        """Finds short names standing as whole words (up to three) inside a longer text."""
        words = query.split()
        grams = {" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words))}
        return [Match(n.skill, Kind.FUZZY, WORD_SCORE, n.text)
                for gram in sorted(grams) if gram in self._names and _unmistakable(gram)
                for n in self._names[gram]]


def _unmistakable(name: str) -> bool:
    return name not in _WORD_STOP and bool(
        _WORD_ARABIC.search(name) or _WORD_ARABIZI.fullmatch(name))


def _exactness(name: _Name, folded: str) -> float:
    """Scores an exact match: a label over a synonym, a match without dropping articles over
    one with ("أركان" is argan oil's name; "الأركان" is the tree's)."""
    return (100.0 if name.is_label else 99.0) - (0.0 if name.folded == folded else 0.5)


@cache
def default_index() -> SkillIndex:
    """Builds, once, the index of the taxonomy shipped in core/data/skills.json."""
    return SkillIndex(read_taxonomy(DATA_FILE))


def search(text: str, limit: int = 5) -> list[Match]:
    """Searches the shipped taxonomy; [] means "other: free text"."""
    return default_index().search(text, limit)
