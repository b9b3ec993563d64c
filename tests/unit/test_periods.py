"""Stays in Morocco typed in Arabic, Darija, Tamazight, French or English."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n.periods import parse_period

TODAY = date(2026, 3, 1)
D = date

PERIODS = [
    # months with a year
    ("July–August 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("July-August 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("juillet-août 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("juillet 2027 - août 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("de juillet à août 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("août 2027", D(2027, 8, 1), D(2027, 8, 31)),
    ("en août 2027", D(2027, 8, 1), D(2027, 8, 31)),
    ("August 2027", D(2027, 8, 1), D(2027, 8, 31)),
    ("in February 2028", D(2028, 2, 1), D(2028, 2, 29)),
    ("غشت 2027", D(2027, 8, 1), D(2027, 8, 31)),
    ("من يوليوز إلى غشت 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("ⵖⵓⵛⵜ 2027", D(2027, 8, 1), D(2027, 8, 31)),
    ("08/2027", D(2027, 8, 1), D(2027, 8, 31)),
    ("December 2026 - January 2027", D(2026, 12, 1), D(2027, 1, 31)),
    # a month without a year: the next one
    ("août", D(2026, 8, 1), D(2026, 8, 31)),
    ("في غشت", D(2026, 8, 1), D(2026, 8, 31)),
    ("f ghusht", D(2026, 8, 1), D(2026, 8, 31)),
    ("February", D(2027, 2, 1), D(2027, 2, 28)),
    ("بين يوليوز وغشت", D(2026, 7, 1), D(2026, 8, 31)),
    ("december - january", D(2026, 12, 1), D(2027, 1, 31)),
    ("l'août prochain", D(2026, 8, 1), D(2026, 8, 31)),
    # days
    ("from 1 to 20 August", D(2026, 8, 1), D(2026, 8, 20)),
    ("du 1er au 20 août 2027", D(2027, 8, 1), D(2027, 8, 20)),
    ("1-20 août", D(2026, 8, 1), D(2026, 8, 20)),
    ("mn 1 l 20 ghusht", D(2026, 8, 1), D(2026, 8, 20)),
    ("من 1 إلى 20 غشت 2027", D(2027, 8, 1), D(2027, 8, 20)),
    ("من ١ إلى ٢٠ غشت ٢٠٢٧", D(2027, 8, 1), D(2027, 8, 20)),
    ("15/07/2027 - 10/08/2027", D(2027, 7, 15), D(2027, 8, 10)),
    ("15/07/2027-10/08/2027", D(2027, 7, 15), D(2027, 8, 10)),
    ("2027-07-15 - 2027-08-10", D(2027, 7, 15), D(2027, 8, 10)),
    ("15.07.2027 au 10.08.2027", D(2027, 7, 15), D(2027, 8, 10)),
    ("15 July 2027 to 10 August 2027", D(2027, 7, 15), D(2027, 8, 10)),
    ("15 juillet au 10 août 2027", D(2027, 7, 15), D(2027, 8, 10)),
    ("20 décembre - 5 janvier", D(2026, 12, 20), D(2027, 1, 5)),
    ("15 août 2027", D(2027, 8, 15), D(2027, 8, 15)),
    # summer: July and August
    ("summer 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("l'été 2027", D(2027, 7, 1), D(2027, 8, 31)),
    ("cet été", None, None),
    ("الصيف", D(2026, 7, 1), D(2026, 8, 31)),
    ("f sif", D(2026, 7, 1), D(2026, 8, 31)),
    ("ⴰⵏⴱⴷⵓ 2027", D(2027, 7, 1), D(2027, 8, 31)),
]


@pytest.mark.parametrize(("typed", "starts", "ends"), PERIODS)
def test_a_period_is_read_in_any_language(typed: str, starts: date | None,
                                          ends: date | None) -> None:
    expected = (starts, ends) if starts and ends else None
    assert parse_period(typed, TODAY) == expected


def test_a_month_that_has_passed_this_year_means_next_year() -> None:
    assert parse_period("janvier", date(2026, 3, 1)) == (D(2027, 1, 1), D(2027, 1, 31))
    assert parse_period("mars", date(2026, 3, 20)) == (D(2026, 3, 1), D(2026, 3, 31))
    assert parse_period("summer", date(2026, 9, 1)) == (D(2027, 7, 1), D(2027, 8, 31))


@pytest.mark.parametrize("typed", [
    "", " ", None, "xyz", "2027", "un jour", "13/13/2027", "31/02/2027", "20 - 1 août",
    "août - août - septembre", "1 2 3 4", "juillet août", "x" * 100_000, "1" * 300,
    "août 1999", "août 2200", "{name}", "15/08/2027 - 10/08/2027", "summer - winter"])
def test_what_is_not_a_period_is_refused(typed: str | None) -> None:
    assert parse_period(typed, TODAY) is None
