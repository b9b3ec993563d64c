"""Numbered menus and splitting long texts for channels with a length limit."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.base import TELEGRAM_TEXT_LIMIT, WHATSAPP_BODY_LIMIT, chunks, numbered
from bot.messages import Choice, Reply

QUICK = settings(max_examples=50, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_a_reply_without_choices_is_its_text() -> None:
    assert numbered(Reply("Hello")) == "Hello"


def test_choices_are_numbered_from_one_and_the_hint_comes_last() -> None:
    reply = Reply("Which language?", (Choice("ar", "العربية"), Choice("en", "English")),
                  hint="Reply with the number of your choice.")
    assert numbered(reply) == ("Which language?\n\n1. العربية\n2. English\n\n"
                               "Reply with the number of your choice.")


def test_a_short_text_is_one_piece() -> None:
    assert chunks("Salam", 10) == ["Salam"]


def test_an_empty_text_is_one_empty_piece() -> None:
    assert chunks("", 10) == [""]


def test_a_long_text_is_cut_at_line_ends_first() -> None:
    assert chunks("first line\nsecond line", 15) == ["first line", "second line"]


def test_a_long_line_is_cut_at_spaces() -> None:
    assert chunks("one two three four", 9) == ["one two", "three", "four"]


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    assert chunks("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@pytest.mark.parametrize("limit", [WHATSAPP_BODY_LIMIT, TELEGRAM_TEXT_LIMIT])
def test_a_very_long_reply_respects_the_channel_limit(limit: int) -> None:
    text = "\n".join(f"{i}. ⵜⴰⵎⴰⵣⵉⵖⵜ العربية Français English" for i in range(2000))
    pieces = chunks(text, limit)
    assert len(pieces) > 1
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


@QUICK
@given(text=st.text(alphabet=st.sampled_from("ab ⵜع\n."), max_size=400),
       limit=st.integers(min_value=1, max_value=40))
def test_pieces_never_pass_the_limit_and_lose_nothing(text: str, limit: int) -> None:
    pieces = chunks(text, limit)
    assert all(len(piece) <= limit for piece in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


@QUICK
@given(text=st.text(alphabet=st.sampled_from("ab ⵜع\n."), min_size=1, max_size=400)
       .filter(lambda t: not t[0].isspace()),
       limit=st.integers(min_value=1, max_value=40))
def test_a_text_that_starts_with_a_letter_gives_no_empty_piece(text: str, limit: int) -> None:
    assert all(piece for piece in chunks(text, limit)) or not text.strip()


def test_a_text_that_starts_with_spaces_gives_no_empty_piece() -> None:
    assert "" not in chunks("   " + "x" * 10, 5)


def test_a_reply_survives_a_json_round_trip_without_its_aliases() -> None:
    reply = Reply("ⵜⴰⵎⴰⵣⵉⵖⵜ \u2068+212600000000\u2069", (Choice("yes", "نعم", ("yes", "oui")),),
                  hint="1", scope="menu.erase", ack="cb", extra={"template": {"content_sid": "HX"}})
    back = Reply.from_json(reply.to_json())
    assert back == Reply(reply.text, (Choice("yes", "نعم"),), hint="1", scope="menu.erase",
                         ack="cb", extra={"template": {"content_sid": "HX"}})
