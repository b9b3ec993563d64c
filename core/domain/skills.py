"""Skills and their categories: the taxonomy people pick from when they offer or need a skill."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("ar", "zgh", "fr", "en")
_CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]*")
_SKILL_CODE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
# A label must be written in its language's script: Arabic, Tifinagh, or Latin.
_SCRIPT = {"ar": re.compile(r"[\u0600-\u06FF]"), "zgh": re.compile(r"[\u2D30-\u2D7F]"),
           "fr": re.compile(r"[A-Za-zÀ-ÿ]"), "en": re.compile(r"[A-Za-z]")}


class TaxonomyError(ValueError):
    """The skills data file breaks a rule; the message lists every problem found."""


@dataclass(frozen=True)
class SkillCategory:
    code: str
    labels: Mapping[str, str] = field(hash=False)
    synonyms: tuple[str, ...] = ()
    review: tuple[str, ...] = ()  # languages whose labels await a native speaker's review

    def label(self, language: str) -> str:
        """Returns the label in a language, falling back to English."""
        return self.labels.get(language) or self.labels["en"]

    def names(self) -> tuple[str, ...]:
        """Lists every way to name this category: the four labels, then the synonyms."""
        return (*(self.labels[lang] for lang in LANGUAGES), *self.synonyms)


@dataclass(frozen=True)
class Skill:
    code: str
    category: str
    labels: Mapping[str, str] = field(hash=False)
    synonyms: tuple[str, ...] = ()
    review: tuple[str, ...] = ()

    def label(self, language: str) -> str:
        """Returns the label in a language, falling back to English."""
        return self.labels.get(language) or self.labels["en"]

    def names(self) -> tuple[str, ...]:
        """Lists every way to name this skill: the four labels, then the synonyms."""
        return (*(self.labels[lang] for lang in LANGUAGES), *self.synonyms)


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[SkillCategory, ...]
    skills: tuple[Skill, ...]

    def category(self, code: str) -> SkillCategory | None:
        """Finds a category by its code."""
        return next((c for c in self.categories if c.code == code), None)

    def skill(self, code: str) -> Skill | None:
        """Finds a skill by its code."""
        return next((s for s in self.skills if s.code == code), None)

    def in_category(self, code: str) -> tuple[Skill, ...]:
        """Lists the skills of one category, in file order."""
        return tuple(s for s in self.skills if s.category == code)


def read_taxonomy(path: Path) -> Taxonomy:
    """Reads and validates a skills JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TaxonomyError(f"{path}: {error}") from error
    return parse_taxonomy(data)


def parse_taxonomy(data: Any) -> Taxonomy:
    """Builds a taxonomy from parsed JSON, refusing it with every problem listed."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise TaxonomyError("the skills file must hold an object")
    categories = [_category(raw, i, problems) for i, raw in enumerate(_list(data, "categories"))]
    known = {c.code for c in categories}
    skills = [_skill(raw, i, known, problems) for i, raw in enumerate(_list(data, "skills"))]
    problems += _duplicates("category", [c.code for c in categories])
    problems += _duplicates("skill", [s.code for s in skills])
    if problems:
        raise TaxonomyError("; ".join(problems))
    return Taxonomy(tuple(categories), tuple(skills))


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise TaxonomyError(f"'{key}' must be a non-empty list")
    return value


def _category(raw: Any, index: int, problems: list[str]) -> SkillCategory:
    where = f"categories[{index}]"
    raw = raw if isinstance(raw, dict) else {}
    code = _code(raw.get("code"), _CATEGORY_CODE, where, problems)
    return SkillCategory(code, _labels(raw.get("labels"), f"{where} {code}", problems),
                         _synonyms(raw.get("synonyms"), f"{where} {code}", problems),
                         _review(raw.get("review"), where, problems))


def _skill(raw: Any, index: int, known: set[str], problems: list[str]) -> Skill:
    where = f"skills[{index}]"
    raw = raw if isinstance(raw, dict) else {}
    code = _code(raw.get("code"), _SKILL_CODE, where, problems)
    category = raw.get("category")
    if category not in known:
        problems.append(f"{where} {code}: unknown category {category!r}")
    elif not code.startswith(f"{category}."):
        problems.append(f"{where} {code}: the code must start with its category '{category}.'")
    return Skill(code, str(category), _labels(raw.get("labels"), f"{where} {code}", problems),
                 _synonyms(raw.get("synonyms"), f"{where} {code}", problems),
                 _review(raw.get("review"), where, problems))


def _code(value: Any, pattern: re.Pattern[str], where: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        problems.append(f"{where}: bad code {value!r}")
        return str(value)
    return value


def _labels(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    value = value if isinstance(value, dict) else {}
    labels: dict[str, str] = {}
    for lang in LANGUAGES:
        label = value.get(lang)
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{where}: missing {lang} label")
        elif not _SCRIPT[lang].search(label):
            problems.append(f"{where}: the {lang} label is not in the {lang} script")
        else:
            labels[lang] = label.strip()
    extra = set(value) - set(LANGUAGES)
    if extra:
        problems.append(f"{where}: labels in unknown languages {sorted(extra)}")
    return labels


def _synonyms(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        problems.append(f"{where}: synonyms must be a list of non-empty strings")
        return ()
    return tuple(s.strip() for s in value)


def _review(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not set(value) <= set(LANGUAGES):
        problems.append(f"{where}: review must list language codes")
        return ()
    return tuple(value)


def _duplicates(kind: str, codes: list[str]) -> list[str]:
    counts = Counter(codes)
    return [f"duplicate {kind} code {code!r}" for code in sorted(counts) if counts[code] > 1]
