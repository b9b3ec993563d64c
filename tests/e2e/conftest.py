from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import Served, serve, settings_for


@pytest.fixture
def fakes() -> Iterator[tuple[FakeTelegram, FakeTwilio]]:
    telegram, twilio = FakeTelegram().start(), FakeTwilio().start()
    yield telegram, twilio
    telegram.stop()
    twilio.stop()


@pytest.fixture
def served(fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> Iterator[Served]:
    telegram, twilio = fakes
    with serve(settings_for(sqlite_url, telegram, twilio), telegram, twilio) as app:
        yield app
