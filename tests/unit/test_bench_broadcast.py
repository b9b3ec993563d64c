"""The broadcast benchmark's machinery, small: the fake Telegram's sliding window, the record
read back, the proposed send window, and 300 recipients at 200 messages/s through the real
worker, killed (SIGKILL) halfway and restarted."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bench import broadcast
from bench.broadcast_audience import Audience, expected_texts
from bench.broadcast_report import Round, read_record, render, verdict
from bench.fake_telegram import FakeTelegram
from bench.send_window import SendWindow


def test_the_fake_telegram_refuses_beyond_its_rate_in_any_sliding_second(
        tmp_path: Path) -> None:
    clock = [10.0]
    server = FakeTelegram(3, str(tmp_path / "record.txt"), now=lambda: clock[0])
    answers = []
    for moment in (10.0, 10.2, 10.9, 10.95, 11.05):
        clock[0] = moment
        answers.append(server.send_message({"chat_id": "42", "text": "Salam"}))
    server.close()
    assert [status for status, _ in answers] == [200, 200, 200, 429, 200]  # 10.0 left
    assert answers[3][1]["parameters"] == {"retry_after": 1}
    assert (server.sent, server.refused) == (4, 1)
    lines = (tmp_path / "record.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split()[0] for line in lines] == ["ok", "ok", "ok", "429", "ok"]
    assert lines[0].endswith(' 42 "Salam"')


def test_the_record_gives_rate_duplicates_missing_and_wrong_texts(tmp_path: Path) -> None:
    audience = Audience({1: "fr", 2: "zgh", 3: "ar"})
    texts = expected_texts()
    record = tmp_path / "record.txt"
    lines = [("ok", 100.0, 1, texts["fr"]), ("ok", 100.5, 2, texts["zgh"]),
             ("429", 100.6, 3, None), ("ok", 101.0, 2, texts["zgh"]), ("ok", 101.0, 9, "x")]
    record.write_text("".join(
        f"{status} {moment} {chat}" + (f" {json.dumps(text)}\n" if text else "\n")
        for status, moment, chat, text in lines), encoding="utf-8")
    found = Round("r", 3, 4)
    read_record(found, record, audience, started=99.0)
    assert (found.received, found.served, found.missing, found.duplicates) == (4, 2, 1, 1)
    assert (found.refused, found.wrong_text) == (1, 1)  # chat 9 is no recipient of ours
    assert found.achieved == pytest.approx(3.0) and found.wall_seconds == pytest.approx(2.0)
    assert found.steady == pytest.approx(3.0)  # from the 10th to the 90th percentile arrival
    assert "goals NOT met" in verdict(found)


def test_the_send_window_counts_a_send_until_a_second_after_its_answer() -> None:
    clock, slept = [0.0], []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    window = SendWindow(2, now=lambda: clock[0], sleep=sleep)

    async def three() -> None:
        async with window.slot():
            clock[0] = 0.3  # the first answer comes back at 0.3
        async with window.slot():
            clock[0] = 0.5
        async with window.slot():
            assert window.in_flight == 1

    asyncio.run(three())
    assert slept == [pytest.approx(0.8)]  # until 1.3, a second after the first answer


def test_the_benchmark_serves_everyone_once_but_what_was_in_flight_at_a_kill_9(
        tmp_path: Path) -> None:
    audience = Audience.mixed(300, seed=3)
    found = broadcast.run_round("crash", audience, 200, tmp_path, tmp_path, crash=True)
    assert (found.served, found.missing, found.wrong_text) == (300, 0, 0)
    assert found.progress["sent"] == 300 and found.progress["waiting"] == 0
    assert found.killed_after is not None and 150 <= found.killed_after < 300
    assert found.queued_at_kill == 300  # one broadcaster batch (500) holds them all
    assert found.in_flight is not None and 1 <= found.in_flight  # killed mid-round
    assert found.duplicates <= found.in_flight
    assert found.duplicates <= found.concurrency == 16
    assert found.received - 300 >= found.duplicates
    assert 0 < found.achieved and 0 < found.peak_rss_mib < 1024 and found.refused >= 0
    assert found.longest_pause > 1.0  # the restart
    text = render([found], "test")
    assert "| crash | 300 | 200 |" in text and "killed (SIGKILL) after" in text
