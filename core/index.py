"""The matching index: experts by skill, by category and by word, each bucket kept as numpy
columns of the need-independent parts of the score, so that a need's top k among a million
profiles is one vectorised sum, a partition, and `score` on the k winners for their reasons
— exactly `core.domain.matching.brute_force`'s result (property tests), in milliseconds.

numpy does what a Python loop over a hundred thousand experts of a common skill cannot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from core.domain.matching import (
    LEVELS,
    TIER,
    Expert,
    Match,
    Need,
    mode_fits,
    penalty,
    score,
)

Rows = npt.NDArray[np.int64]
_NONE: Rows = np.zeros(0, np.int64)
# A penalty beyond ±5,000 saturates the clamp whatever the other parts (0 to 520) add, so
# clipping it there keeps every score exact and the columns small.
_SATURATED = 5 * TIER


def _eligible(expert: Expert) -> bool:
    return expert.available and expert.open_proposals < expert.cap


class _Columns:
    """The need-independent parts of the eligible experts' scores, one row per expert, and
    the buckets: rows by skill (with the level), by category and by word, sorted by id."""

    def __init__(self) -> None:
        self.ids: Rows = _NONE
        self.alive = np.zeros(0, np.bool_)
        self.static = np.zeros(0, np.int32)  # minus the penalty, clipped
        self.hours: Rows = _NONE
        self.mode = np.zeros(0, np.int16)  # code in self.modes
        self.modes: dict[str, int] = {}
        self.visits = np.zeros((3, 0), np.int64)  # row, first day, last day (ordinals)
        self.speakers: dict[str, Rows] = {}  # language → rows
        self.origins: dict[str, Rows] = {}  # territory code → rows
        self.followers: dict[str, Rows] = {}  # territory code → rows
        self.skills: dict[str, tuple[Rows, npt.NDArray[np.int16]]] = {}  # rows, levels
        self.categories: dict[str, Rows] = {}
        self.words: dict[str, Rows] = {}

    def append(self, experts: list[Expert]) -> set[tuple[str, str]]:
        """Adds a row for each expert; returns the buckets that grew."""
        start = len(self.ids)
        columns: list[list[int]] = [[], [], [], [], [], [], []]
        ids, static, hours, mode, vrow, vstart, vend = columns
        sparse = {name: defaultdict(list) for name in
                  ("speakers", "origins", "followers", "categories", "words", "skills")}
        levels: dict[str, list[int]] = defaultdict(list)
        for row, expert in enumerate(experts, start):
            ids.append(expert.id)
            static.append(max(-_SATURATED, min(_SATURATED, -penalty(expert))))
            hours.append(expert.hours_per_month)
            mode.append(self.modes.setdefault(expert.mode, len(self.modes)))
            for visit in expert.visits:
                vrow.append(row)
                vstart.append(visit.starts.toordinal())
                vend.append(visit.ends.toordinal())
            for name, keys in (("speakers", expert.languages), ("followers", expert.follows),
                               ("categories", expert.categories), ("words", expert.words),
                               ("origins", (expert.origin,) if expert.origin else ())):
                for key in keys:
                    sparse[name][key].append(row)
            for code, level in expert.skills.items():
                sparse["skills"][code].append(row)
                levels[code].append(LEVELS.get(level, 1))
        self.ids = np.concatenate([self.ids, np.array(ids, np.int64)])
        self.alive = np.concatenate([self.alive, np.ones(len(ids), np.bool_)])
        self.static = np.concatenate([self.static, np.array(static, np.int32)])
        self.hours = np.concatenate([self.hours, np.array(hours, np.int64)])
        self.mode = np.concatenate([self.mode, np.array(mode, np.int16)])
        self.visits = np.concatenate([self.visits, np.array([vrow, vstart, vend], np.int64)
                                      .reshape(3, -1)], axis=1)
        for name in ("speakers", "origins", "followers"):
            _extend(getattr(self, name), sparse[name])
        grown = {("category", key) for key in sparse["categories"]}
        grown |= {("word", key) for key in sparse["words"]}
        grown |= {("skill", key) for key in sparse["skills"]}
        for name in ("categories", "words"):
            _extend(getattr(self, name), sparse[name])
        for code, rows in sparse["skills"].items():
            old, old_levels = self.skills.get(code, (_NONE, np.zeros(0, np.int16)))
            self.skills[code] = (np.concatenate([old, np.array(rows, np.int64)]),
                                 np.concatenate([old_levels, np.array(levels[code], np.int16)]))
        return grown

    def tidy(self, buckets: Iterable[tuple[str, str]]) -> None:
        """Drops the rows of removed experts from these buckets and sorts them by id again."""
        for kind, key in buckets:
            if kind == "skill" and key in self.skills:
                rows, levels = self.skills[key]
                keep = self.alive[rows]
                rows, levels = rows[keep], levels[keep]
                order = np.argsort(self.ids[rows], kind="stable")
                self.skills[key] = (rows[order], levels[order])
            elif kind != "skill":
                table = self.categories if kind == "category" else self.words
                if key in table:
                    rows = table[key][self.alive[table[key]]]
                    table[key] = rows[np.argsort(self.ids[rows], kind="stable")]

    def nbytes(self) -> int:
        """The memory the columns and buckets take."""
        arrays = [self.ids, self.alive, self.static, self.hours, self.mode, self.visits]
        for table in (self.speakers, self.origins, self.followers, self.categories, self.words):
            arrays += table.values()
        for rows, levels in self.skills.values():
            arrays += [rows, levels]
        return sum(a.nbytes for a in arrays)


def _extend(table: dict[str, Rows], added: dict[str, list[int]]) -> None:
    for key, rows in added.items():
        table[key] = np.concatenate([table.get(key, _NONE), np.array(rows, np.int64)])


class _Scorer:
    """The need-dependent parts of one need's scores, for every row, then by bucket."""

    def __init__(self, columns: _Columns, need: Need) -> None:
        self.columns = columns
        size = len(columns.ids)
        shared = np.zeros(size, np.int16)
        for language in need.languages:
            shared[columns.speakers.get(language, _NONE)] += 1
        extra = 30 * np.minimum(shared, 2)
        if need.mode != "remote" and need.starts and need.ends:
            rows, starts, ends = columns.visits
            visiting = np.zeros(size, np.bool_)
            during = (starts <= need.ends.toordinal()) & (ends >= need.starts.toordinal())
            visiting[rows[during]] = True
            extra += 50 * visiting.astype(np.int16)
        extra += self._territory(need.commune, size)
        self.extra = extra
        self.hours = max(need.hours, 1)
        self.mode = np.array([30 * mode_fits(need.mode, mode) for mode in columns.modes],
                             np.int32)

    def _territory(self, commune: str, size: int) -> npt.NDArray[np.int16]:
        """Origin within the commune's codes, or else a followed one (its codes are the
        prefixes of the commune's HCP code)."""
        bonus = np.zeros(size, np.int16)
        prefixes = [commune[:end] for end in range(len(commune) + 1)]
        for code in prefixes:
            bonus[self.columns.followers.get(code, _NONE)] = 15
        for code in prefixes[1:]:  # an empty origin is no origin
            bonus[self.columns.origins.get(code, _NONE)] = 40 if code == commune else 25
        return bonus

    def scores(self, rows: Rows, levels: npt.NDArray[np.int16] | None, tier: int
               ) -> npt.NDArray[np.int32]:
        """The scores of these rows in this tier, as `score` computes them."""
        columns = self.columns
        bonus = columns.static[rows] + self.extra[rows]
        bonus += 100 * levels if levels is not None else 100
        bonus += 40 * (columns.hours[rows] >= self.hours)
        bonus += self.mode[columns.mode[rows]]
        np.clip(bonus, 0, TIER - 1, out=bonus)
        return bonus + tier * TIER


def _best(scores: npt.NDArray[np.int32], k: int) -> Rows:
    """Positions of the k best scores, the first position winning a tie (rows are by id)."""
    if len(scores) <= k:
        return np.arange(len(scores))
    threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
    above = np.flatnonzero(scores > threshold)
    return np.concatenate([above, np.flatnonzero(scores == threshold)[:k - len(above)]])


class Index:
    """Experts by skill, by category and by word, so a need scores only those who fit,
    tier by tier: a lower tier is read only when the higher ones give fewer than k.

    A bucket is scored at once on columns; `add` and `remove` follow profile changes, the
    columns catch up at the next `top`."""

    def __init__(self, experts: Iterable[Expert]) -> None:
        self._build({expert.id: expert for expert in experts})

    def _build(self, experts: dict[int, Expert]) -> None:
        self.experts = experts
        self._columns = _Columns()
        self._pending: dict[int, Expert] = {}  # added since the columns were last updated
        self._stale: set[tuple[str, str]] = set()  # buckets to tidy: rows removed or added
        self._removed = 0
        eligible = sorted((e for e in experts.values() if _eligible(e)), key=lambda e: e.id)
        self._rows = {expert.id: row for row, expert in enumerate(eligible)}
        self._columns.append(eligible)  # in id order: every bucket is sorted already

    def add(self, expert: Expert) -> None:
        """Adds an expert, or replaces the profile of one already known."""
        self.remove(expert.id)
        self.experts[expert.id] = expert
        if _eligible(expert):
            self._pending[expert.id] = expert

    def remove(self, expert_id: int) -> None:
        """Forgets an expert, if known."""
        expert = self.experts.pop(expert_id, None)
        self._pending.pop(expert_id, None)
        row = self._rows.pop(expert_id, None)
        if expert is None or row is None:
            return
        self._columns.alive[row] = False
        self._removed += 1
        self._stale |= {("skill", code) for code in expert.skills}
        self._stale |= {("category", key) for key in expert.categories}
        self._stale |= {("word", key) for key in expert.words}

    def top(self, need: Need, k: int = 20) -> list[Match]:
        """Returns the k best matches, exactly as `brute_force` would."""
        self._catch_up()
        columns, scorer = self._columns, None
        chosen: list[Match] = []
        seen: list[Rows] = []
        for tier, rows, levels in self._tiers(need):
            if seen:  # fewer than k rows: an expert fitting a higher tier counts there
                keep = ~np.isin(rows, np.concatenate(seen))
                rows, levels = rows[keep], None if levels is None else levels[keep]
            seen.append(rows)
            if len(rows):
                scorer = scorer or _Scorer(columns, need)
                ids = columns.ids[rows[_best(scorer.scores(rows, levels, tier), k)]]
                found = (score(need, self.experts[int(i)]) for i in ids)
                chosen += [match for match in found if match is not None]
            if len(chosen) >= k:  # every later tier scores lower
                break
        return sorted(chosen, key=Match.key)[:k]

    def _tiers(self, need: Need) -> Iterable[tuple[int, Rows, npt.NDArray[np.int16] | None]]:
        columns = self._columns
        if need.skill:
            yield 3, *columns.skills.get(need.skill, (_NONE, np.zeros(0, np.int16)))
        if need.category:
            yield 2, columns.categories.get(need.category, _NONE), None
        buckets = [columns.words[word] for word in need.words if word in columns.words]
        rows = np.unique(np.concatenate(buckets)) if buckets else _NONE
        yield 1, rows[np.argsort(columns.ids[rows], kind="stable")], None

    def _catch_up(self) -> None:
        if self._removed > max(1000, len(self._rows)):  # mostly dead rows: start afresh
            self._build(self.experts)
        if self._pending:
            start = len(self._columns.ids)
            self._rows.update((id_, row) for row, id_ in enumerate(self._pending, start))
            self._stale |= self._columns.append(list(self._pending.values()))
            self._pending.clear()
        if self._stale:
            self._columns.tidy(self._stale)
            self._stale.clear()

    def nbytes(self) -> int:
        """The memory the columns take (the experts themselves aside)."""
        return self._columns.nbytes()
