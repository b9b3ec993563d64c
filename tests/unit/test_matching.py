"""Matching: scores with reasons, and the index's top-k equal to a brute-force scan."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.experts import Period
from core.domain.matching import Expert, Match, Need, Why, brute_force, score, words
from core.index import Index

SKILLS = ["water.irrigation_engineering", "water.drip_irrigation", "water.well_drilling",
          "energy.solar_pumping", "finance.accounting"]
CATEGORY = {code: code.partition(".")[0] for code in SKILLS}
NEED = Need(1, "water.irrigation_engineering", "water", words("irrigation goutte"),
            frozenset({"zgh", "ar"}), hours=8, mode="on_site", starts=date(2027, 8, 10),
            ends=date(2027, 8, 20), commune="09.581.01.05")


def engineer(id_: int = 7, **changes: object) -> Expert:
    values: dict[str, object] = dict(
        skills={"water.irrigation_engineering": "expert"}, categories=frozenset({"water"}),
        words=frozenset(), languages=frozenset({"fr", "zgh"}), hours_per_month=10,
        mode="both", visits=(Period(date(2027, 8, 1), date(2027, 8, 31)),),
        origin="09.581")
    values.update(changes)
    return Expert(id_, **values)  # type: ignore[arg-type]


def test_the_hydraulic_engineer_gets_every_reason_in_the_skill_tier() -> None:
    match = score(NEED, engineer())
    assert match is not None
    assert match.reasons == (Why.SKILL, Why.LANGUAGE, Why.AVAILABLE, Why.MODE, Why.VISIT,
                             Why.ORIGIN)
    assert 3000 <= match.score < 4000


def test_a_skill_beats_a_category_which_beats_words_whatever_the_rest() -> None:
    same_skill = engineer(1, skills={"water.irrigation_engineering": "learning"},
                          languages=frozenset(), hours_per_month=0, mode="remote", visits=(),
                          origin=None, open_proposals=1, refusals=3)
    same_category = engineer(2, skills={"water.well_drilling": "expert"})
    own_words = engineer(3, skills={}, categories=frozenset(), words=words("irrigation"))
    ranked = [m.expert for m in brute_force(NEED, [own_words, same_category, same_skill])]
    assert ranked == [1, 2, 3]


def test_who_may_not_be_asked_is_not_matched() -> None:
    assert score(NEED, engineer(available=False)) is None  # paused, stopped, no consent
    assert score(NEED, engineer(open_proposals=2, cap=2)) is None  # monthly cap reached
    assert score(NEED, engineer(skills={}, categories=frozenset({"finance"}))) is None


def test_ties_are_broken_by_the_smaller_id() -> None:
    assert [m.expert for m in brute_force(NEED, [engineer(9), engineer(4), engineer(6)])] == [
        4, 6, 9]


TERRITORIES = ["", "09", "09.581", "09.581.01.05", "09.581.01.07", "01.001"]
period_strategy = st.builds(
    lambda month, first, days: Period(date(2027, month, first),
                                      date(2027, month, first) + timedelta(days=days)),
    st.integers(6, 9), st.integers(1, 28), st.integers(0, 20))
expert_strategy = st.builds(
    lambda id_, skills, extra_words, langs, hours, mode, visits, origin, follows, open_, cap,
    refusals, ok:
    Expert(id_, {s: lvl for s, lvl in skills}, frozenset(CATEGORY[s] for s, _ in skills),
           frozenset(extra_words), frozenset(langs), hours, mode, tuple(visits), origin,
           frozenset(follows), open_, cap, refusals, ok),
    st.integers(1, 10_000),
    st.lists(st.tuples(st.sampled_from(SKILLS),
                       st.sampled_from(["learning", "practised", "expert", "other"])),
             max_size=3),
    st.sets(st.sampled_from(["irrigation", "goutte", "pompe", "solaire"]), max_size=2),
    st.sets(st.sampled_from(["ar", "zgh", "fr", "en"]), max_size=3),
    st.integers(0, 40), st.sampled_from(["remote", "on_site", "both"]),
    st.lists(period_strategy, max_size=2),
    st.sampled_from([None, *TERRITORIES]), st.sets(st.sampled_from(TERRITORIES), max_size=2),
    st.integers(0, 7), st.integers(1, 8), st.integers(0, 5), st.booleans())
need_strategy = st.builds(
    lambda skill, by_category, extra_words, langs, hours, mode, starts, commune: Need(
        1, None if by_category else skill, CATEGORY[skill] if skill else None,
        frozenset(extra_words), frozenset(langs), hours, mode, starts,
        starts + timedelta(days=14), commune),
    st.one_of(st.none(), st.sampled_from(SKILLS)), st.booleans(),
    st.sets(st.sampled_from(["irrigation", "goutte", "pompe", "solaire"]), max_size=2),
    st.sets(st.sampled_from(["ar", "zgh", "fr", "en"]), max_size=3), st.integers(0, 20),
    st.sampled_from(["remote", "on_site", "either"]),
    st.dates(date(2027, 6, 1), date(2027, 9, 30)),
    st.sampled_from(["09.581.01.05", "09.581.01.07", "01.001.01.01"]))


def assert_the_same_top_for_every_k(index: Index, pool: list[Expert], need: Need) -> None:
    """Every k moves the cut through the ranking: a score or a tie the index gets wrong
    shows wherever the cut falls next to it."""
    ranking = exactly(brute_force(need, pool, len(pool)))
    for k in range(1, len(pool) + 2):
        assert exactly(index.top(need, k)) == ranking[:k], k


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(expert_strategy, min_size=15, max_size=60, unique_by=lambda e: e.id),
       need_strategy)
def test_the_index_finds_exactly_the_brute_force_top_k(pool: list[Expert], need: Need) -> None:
    assert_the_same_top_for_every_k(Index(pool), pool, need)


def exactly(matches: list[Match]) -> list[tuple[int, int, tuple[Why, ...]]]:
    """The matches with their reasons, which `Match` equality leaves out."""
    return [(m.expert, m.score, m.reasons) for m in matches]


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(expert_strategy, min_size=10, max_size=60, unique_by=lambda e: e.id),
       st.lists(st.one_of(expert_strategy, st.integers(1, 10_000)), max_size=30),
       need_strategy)
def test_after_profiles_are_added_changed_and_removed_the_index_still_equals_brute_force(
        pool: list[Expert], changes: list[Expert | int], need: Need) -> None:
    index, current = Index(pool), {expert.id: expert for expert in pool}
    for number, change in enumerate(changes):
        if isinstance(change, Expert):
            index.add(change)
            current[change.id] = change
        else:
            index.remove(change)
            current.pop(change, None)
        if number % 7 == 0:  # the columns catch up between changes too
            assert_the_same_top_for_every_k(index, list(current.values()), need)
    assert_the_same_top_for_every_k(index, list(current.values()), need)


def test_a_removed_expert_is_not_proposed_and_a_changed_one_is_scored_as_now() -> None:
    index = Index([engineer(1), engineer(2), engineer(3)])
    index.remove(2)
    index.add(engineer(3, skills={}, categories=frozenset({"water"})))
    index.add(engineer(4, available=False))
    assert [(m.expert, m.score // 1000) for m in index.top(NEED, 5)] == [(1, 3), (3, 2)]


def test_an_index_mostly_of_replaced_profiles_rebuilds_and_stays_exact() -> None:
    pool = [engineer(i, refusals=i % 4, open_proposals=i % 2) for i in range(1, 41)]
    index = Index(pool)
    for round_ in range(30):  # 1,200 replaced rows: more dead rows than live ones
        for expert in pool:
            index.add(engineer(expert.id, refusals=(expert.id + round_) % 4))
        index.top(NEED, 3)
    final = [engineer(e.id, refusals=(e.id + 29) % 4) for e in pool]
    assert index.top(NEED, 20) == brute_force(NEED, final, 20)


def test_an_expert_added_later_wins_a_tie_by_the_smaller_id() -> None:
    index = Index([engineer(5), engineer(6, skills={"water.well_drilling": "expert"})])
    index.top(NEED, 1)
    index.add(engineer(1))
    index.add(engineer(2, skills={"water.well_drilling": "expert"}))
    by_category = Need(2, None, "water", frozenset(), NEED.languages, commune=NEED.commune)
    assert [m.expert for m in index.top(NEED, 1)] == [1]
    assert [m.expert for m in index.top(by_category, 1)] == [1]
