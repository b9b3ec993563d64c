"""Settings, read from the environment or `.env` (names fixed by DESIGN.md)."""

from __future__ import annotations

from functools import cached_property

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.domain.identity import Identity

LANGUAGES = ("ar", "zgh", "fr", "en")


class Settings(BaseSettings):
    """Everything the process reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    DATABASE_URL: str = "sqlite:///./var/comdev.db"
    REDIS_URL: str = ""
    PUBLIC_BASE_URL: str = "http://localhost:8000"
    TELEGRAM_BOT_TOKEN: SecretStr = SecretStr("")
    TELEGRAM_WEBHOOK_SECRET: SecretStr = SecretStr("")
    TELEGRAM_API_BASE_URL: str = "https://api.telegram.org/bot"
    TWILIO_ACCOUNT_SID: str = ""
    TWILIO_AUTH_TOKEN: SecretStr = SecretStr("")
    TWILIO_WHATSAPP_FROM: str = ""
    TWILIO_API_BASE_URL: str = "https://api.twilio.com"
    ANIMATORS: str = ""
    DEFAULT_LANGUAGE: str = "ar"
    # A JSON file of the approved WhatsApp templates (core/templates.py); empty = none.
    WHATSAPP_TEMPLATES_FILE: str = ""

    # Tuning; not part of the external contract.
    WHATSAPP_RATE_PER_SECOND: int = 10
    TELEGRAM_RATE_PER_SECOND: int = 30
    TELEGRAM_RATE_PER_CHAT_PER_SECOND: int = 1
    CONVERSATION_IDLE_DAYS: int = 7
    LOG_LEVEL: str = "INFO"

    @field_validator("DEFAULT_LANGUAGE")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("ANIMATORS")
    @classmethod
    def _valid_identities(cls, value: str) -> str:
        for item in _split(value):
            Identity.parse(item)
        return value

    @model_validator(mode="after")
    def _telegram_needs_secret(self) -> Settings:
        if self.telegram_enabled and not self.TELEGRAM_WEBHOOK_SECRET.get_secret_value():
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_BOT_TOKEN is set")
        secret = self.TELEGRAM_WEBHOOK_SECRET.get_secret_value()
        if secret and not all(c.isascii() and (c.isalnum() or c in "_-") for c in secret):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -")
        if self.whatsapp_enabled and not self.TWILIO_WHATSAPP_FROM:
            raise ValueError("TWILIO_WHATSAPP_FROM is required when Twilio is configured")
        return self

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.TELEGRAM_BOT_TOKEN.get_secret_value())

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.TWILIO_ACCOUNT_SID and self.TWILIO_AUTH_TOKEN.get_secret_value())

    @cached_property
    def animators(self) -> tuple[Identity, ...]:
        return tuple(Identity.parse(item) for item in _split(self.ANIMATORS))

    def public_url(self, path: str) -> str:
        return self.PUBLIC_BASE_URL.rstrip("/") + path


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]
