"""Amounts, efforts, counts and months typed in Arabic, Darija, Tamazight, French or English."""

from __future__ import annotations

import time
from datetime import date

import pytest

from bot.i18n.quantities import (
    month_names,
    parse_amount,
    parse_count,
    parse_effort,
    parse_month,
)
from core.domain.text import fold

TODAY = date(2026, 3, 1)

AMOUNTS = [
    ("40000", 40000), ("40 000", 40000), ("40.000", 40000), ("40,000", 40000),
    ("٤٠٠٠٠", 40000), ("۴۰۰۰۰", 40000), ("٤٠ ٠٠٠ درهم", 40000), ("40k", 40000),
    ("40 K", 40000), ("40 000 DH", 40000), ("40000 dh", 40000), ("40000 MAD", 40000),
    ("40 000 درهم", 40000), ("40 ألف", 40000), ("40 الف درهم", 40000), ("40 alf", 40000),
    ("2 مليون", 2_000_000), ("1,5 million", 1_500_000), ("1.5 million", 1_500_000),
    ("40 000 dirhams", 40000), ("40\u00a0000 DH", 40000), ("40\u202f000", 40000),
    ("1 200 000", 1_200_000), ("1.200.000 dh", 1_200_000), ("\u200f40000\u200e", 40000),
    ("  40000  ", 40000), ("40 mille", 40000), ("3 مليار", 3_000_000_000),
    ("40000 د.م.", 40000), ("٤٠ ألف درهم", 40000), ("250 Dhs", 250), ("４００００", 40000),
    ("40 000 ⴷⵉⵔⵀⴰⵎ", 40000),
    ("ⵙⵉⵏ", None), ("-5", None), ("0", None), ("0 DH", None), ("abc", None), ("", None),
    (None, None), ("   ", None), ("40 000 euros", None), ("40 apples", None), ("4 0", None),
    ("40,00,0", None), ("k", None), ("DH 40000", None), ("1" * 201, None),
    ("40000 " + "x" * 300, None), ("0.2", None),
]
EFFORTS = [
    ("10 days", (10, "days")), ("10 jours", (10, "days")), ("10 j", (10, "days")),
    ("10j", (10, "days")), ("10 أيام", (10, "days")), ("10 ايام", (10, "days")),
    ("١٠ أيام", (10, "days")), ("عشرة أيام", (10, "days")), ("يوم", (1, "days")),
    ("يومين", (2, "days")), ("3 iyam", (3, "days")), ("10 ⵡⵓⵙⵙⴰⵏ", (10, "days")),
    ("20 h", (20, "hours")), ("20h", (20, "hours")), ("20 heures", (20, "hours")),
    ("20 hours", (20, "hours")), ("20 ساعة", (20, "hours")), ("20 sa3a", (20, "hours")),
    ("ساعتين", (2, "hours")), ("20", (20, "days")), ("٢٠", (20, "days")),
    ("1 semaine", (5, "days")), ("2 weeks", (10, "days")), ("أسبوع", (5, "days")),
    ("une semaine", (5, "days")), ("1 month", (20, "days")), ("1 mois", (20, "days")),
    ("شهر", (20, "days")), ("3 mois", (60, "days")), ("10 jours de travail", (10, "days")),
    ("about 10 days", (10, "days")), ("حوالي 10 أيام", (10, "days")), ("1 day", (1, "days")),
    ("2,5 jours", (3, "days")),
    ("0", None), ("0 days", None), ("-3 days", None), ("10 apples", None), ("days", (1, "days")),
    ("عشرة", None), ("", None), (None, None), ("ⴰⵣⵓⵍ", None), ("10 days 20 hours", None),
    ("99999 days", None), ("1" * 201, None), ("10 000 days", None),
]
MONTHS = [
    ("June 2027", date(2027, 6, 30)), ("juin 2027", date(2027, 6, 30)),
    ("يونيو 2027", date(2027, 6, 30)), ("يونيه 2027", date(2027, 6, 30)),
    ("جوان 2027", date(2027, 6, 30)), ("ⵢⵓⵏⵢⵓ 2027", date(2027, 6, 30)),
    ("06/2027", date(2027, 6, 30)), ("6/2027", date(2027, 6, 30)),
    ("2027-06", date(2027, 6, 30)), ("30/06/2027", date(2027, 6, 30)),
    ("15/06/2027", date(2027, 6, 15)), ("2027-06-30", date(2027, 6, 30)),
    ("٠٦/٢٠٢٧", date(2027, 6, 30)), ("يونيو ٢٠٢٧", date(2027, 6, 30)),
    ("Février 2028", date(2028, 2, 29)), ("fevrier 2027", date(2027, 2, 28)),
    ("ماي 2027", date(2027, 5, 31)), ("mai 2027", date(2027, 5, 31)),
    ("يوليوز 2027", date(2027, 7, 31)), ("غشت 2027", date(2027, 8, 31)),
    ("أوت 2027", date(2027, 8, 31)), ("شتنبر 2027", date(2027, 9, 30)),
    ("نونبر 2027", date(2027, 11, 30)), ("دجنبر 2027", date(2027, 12, 31)),
    ("جانفي 2027", date(2027, 1, 31)), ("أفريل 2027", date(2027, 4, 30)),
    ("yunyu 2027", date(2027, 6, 30)), ("ghucht 2027", date(2027, 8, 31)),
    ("chtenber 2027", date(2027, 9, 30)), ("dujenber 2027", date(2027, 12, 31)),
    ("yulyuz 2027", date(2027, 7, 31)), ("Sept 2027", date(2027, 9, 30)),
    ("janv. 2027", date(2027, 1, 31)), ("fin juin 2027", date(2027, 6, 30)),
    ("by June 2027", date(2027, 6, 30)), ("قبل يونيو 2027", date(2027, 6, 30)),
    ("2027 juin", date(2027, 6, 30)), ("30 juin 2027", date(2027, 6, 30)),
    ("ⴷⵓⵊⴰⵏⴱⵉⵔ 2027", date(2027, 12, 31)), ("\u200fيونيو 2027\u200e", date(2027, 6, 30)),
    ("June", date(2026, 6, 30)), ("March", date(2026, 3, 31)), ("February", date(2027, 2, 28)),
    ("janvier", date(2027, 1, 31)),
    ("31/06/2027", None), ("13/2027", None), ("2027", None), ("June July 2027", None),
    ("June 2027 2028", None), ("6/27", None), ("next year", None), ("", None), (None, None),
    ("ⵙⵉⵏ", None), ("June 3027", None), ("1" * 201, None), ("١٢٣٤٥٦٧٨٩٠", None),
]
COUNTS = [("300", 300), ("1 200", 1200), ("٣٠٠", 300), ("300 chaises", 300),
          ("300 كرسي", 300), ("0", None), ("-3", None), ("2.5", None), ("abc", None),
          ("3 000 000 000", None), ("300 or 400", None)]


@pytest.mark.parametrize(("text", "amount"), AMOUNTS)
def test_an_amount_is_read_in_any_language_and_writing(text: str | None,
                                                       amount: int | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("text", "effort"), EFFORTS)
def test_an_effort_is_read_as_days_or_hours(text: str | None,
                                            effort: tuple[int, str] | None) -> None:
    assert parse_effort(text) == effort


@pytest.mark.parametrize(("text", "day"), MONTHS)
def test_a_month_is_read_as_its_last_day(text: str | None, day: date | None) -> None:
    assert parse_month(text, TODAY) == day


@pytest.mark.parametrize(("text", "count"), COUNTS)
def test_a_count_is_a_positive_whole_number(text: str, count: int | None) -> None:
    assert parse_count(text) == count


def test_a_month_already_over_this_year_means_next_year() -> None:
    assert parse_month("January", date(2026, 12, 15)) == date(2027, 1, 31)
    assert parse_month("December", date(2026, 12, 31)) == date(2026, 12, 31)


def test_weeks_and_months_count_working_days() -> None:
    assert parse_effort("1 week") == (5, "days")
    assert parse_effort("2 months") == (40, "days")


def test_no_month_name_means_two_different_months() -> None:
    numbers: dict[str, set[int]] = {}
    for name, number in month_names().items():
        numbers.setdefault(name, set()).add(number)
    assert all(len(found) == 1 for found in numbers.values())
    assert month_names()[fold("يونيو")] == month_names()[fold("ⵢⵓⵏⵢⵓ")] == 6


@pytest.mark.parametrize("parse", [parse_amount, parse_effort, parse_count,
                                   lambda text: parse_month(text, TODAY)])
def test_a_huge_text_is_refused_quickly(parse: object) -> None:
    started = time.perf_counter()
    for text in ("1" * 100_000, "40 000 " * 20_000, "\u200f" * 100_000):
        assert parse(text) is None  # type: ignore[operator]
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("text", ["{0}", "%s", "\x00", "⓵", "߁߂", "१२", "1e9", "nan",
                                  "inf", "1_000", "0x10", "\u0301\u0651", "👍"])
def test_odd_texts_are_not_quantities_and_never_raise(text: str) -> None:
    assert parse_amount(text) is None
    assert parse_effort(text) is None
    assert parse_count(text) is None
    assert parse_month(text, TODAY) is None
