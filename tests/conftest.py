"""Fixtures shared by every kind of test."""

from __future__ import annotations

import os

import pytest

from core.config import Settings

#: Settings every test starts from; a test changes what it needs.
_CLEAN = {"DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL", "TELEGRAM_BOT_TOKEN",
          "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_BASE_URL", "TWILIO_ACCOUNT_SID",
          "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "TWILIO_API_BASE_URL", "ANIMATORS",
          "DEFAULT_LANGUAGE"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """Removes the machine's settings so that no test reads a developer's .env or tokens."""
    for name in _CLEAN:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env is read from the checkout


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    return f"sqlite:///{os.path.join(str(tmp_path), 'test.db')}"


def make_settings(**values: object) -> Settings:
    """Builds settings from keyword values only (never from the environment or .env)."""
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
