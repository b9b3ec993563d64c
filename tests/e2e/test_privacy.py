"""Logs carry ids and states, never message bodies or numbers."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from core.db import make_engine
from tests.e2e.harness import Chat, Served

NUMBER = "+212600000777"
SECRET_WORDS = "Zyxwv-my-private-words"


def test_a_whole_conversation_logs_neither_the_number_nor_what_was_said(
        served: Served, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="core")
    caplog.set_level(logging.DEBUG, logger="webhooks")
    chat = Chat(served, f"whatsapp:{NUMBER}")
    for said in (SECRET_WORDS, "4", "1", "1", SECRET_WORDS, "1", "STOP"):
        chat.say(said)
        chat.expect_reply()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "inbound" in logged  # the runner did log its steps, by id
    assert NUMBER not in logged and NUMBER[1:] not in logged
    assert SECRET_WORDS not in logged


def test_database_errors_do_not_carry_the_values_of_the_statement(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": NUMBER})
        with pytest.raises(Exception) as error:
            connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": NUMBER})
    engine.dispose()
    assert NUMBER not in str(error.value)
