"""Matching: scores with reasons, and the index's top-k equal to a brute-force scan."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.experts import Period
from core.domain.matching import Expert, Index, Need, Why, brute_force, score, words

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


expert_strategy = st.builds(
    lambda id_, skills, extra_words, langs, hours, mode, visit, origin, open_, refusals, ok:
    Expert(id_, {s: lvl for s, lvl in skills}, frozenset(CATEGORY[s] for s, _ in skills),
           frozenset(extra_words), frozenset(langs), hours, mode,
           (Period(date(2027, visit, 1), date(2027, visit, 28)),) if visit else (), origin,
           frozenset(), open_, 3, refusals, ok),
    st.integers(1, 10_000),
    st.lists(st.tuples(st.sampled_from(SKILLS),
                       st.sampled_from(["learning", "practised", "expert"])), max_size=3),
    st.sets(st.sampled_from(["irrigation", "goutte", "pompe", "solaire"]), max_size=2),
    st.sets(st.sampled_from(["ar", "zgh", "fr", "en"]), max_size=3),
    st.integers(0, 40), st.sampled_from(["remote", "on_site", "both"]),
    st.one_of(st.none(), st.integers(1, 12)),
    st.sampled_from([None, "09", "09.581", "09.581.01.05", "01.001"]),
    st.integers(0, 3), st.integers(0, 4), st.booleans())
need_strategy = st.builds(
    lambda skill, extra_words, langs, mode: Need(
        1, skill, CATEGORY[skill] if skill else None, frozenset(extra_words), frozenset(langs),
        5, mode, date(2027, 8, 1), date(2027, 8, 15), "09.581.01.05"),
    st.one_of(st.none(), st.sampled_from(SKILLS)),
    st.sets(st.sampled_from(["irrigation", "goutte", "pompe", "solaire"]), max_size=2),
    st.sets(st.sampled_from(["ar", "zgh", "fr", "en"]), max_size=2),
    st.sampled_from(["remote", "on_site", "either"]))


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(expert_strategy, max_size=80, unique_by=lambda e: e.id), need_strategy,
       st.integers(1, 25))
def test_the_index_finds_exactly_the_brute_force_top_k(pool: list[Expert], need: Need,
                                                        k: int) -> None:
    assert Index(pool).top(need, k) == brute_force(need, pool, k)
