"""Settings: the defaults of DESIGN.md and the combinations that are refused."""

import pytest
from pydantic import SecretStr, ValidationError

from core.domain.identity import Identity
from tests.conftest import make_settings


def test_the_defaults_are_those_of_the_design() -> None:
    settings = make_settings()
    assert settings.DATABASE_URL == "sqlite:///./var/comdev.db"
    assert settings.REDIS_URL == ""
    assert settings.PUBLIC_BASE_URL == "http://localhost:8000"
    assert settings.TELEGRAM_BOT_TOKEN.get_secret_value() == ""
    assert settings.TELEGRAM_WEBHOOK_SECRET.get_secret_value() == ""
    assert settings.TELEGRAM_API_BASE_URL == "https://api.telegram.org/bot"
    assert settings.TWILIO_ACCOUNT_SID == ""
    assert settings.TWILIO_AUTH_TOKEN.get_secret_value() == ""
    assert settings.TWILIO_WHATSAPP_FROM == ""
    assert settings.TWILIO_API_BASE_URL == "https://api.twilio.com"
    assert settings.ANIMATORS == ""
    assert settings.DEFAULT_LANGUAGE == "ar"


def test_both_channels_are_off_by_default() -> None:
    settings = make_settings()
    assert not settings.telegram_enabled
    assert not settings.whatsapp_enabled
    assert settings.animators == ()


def test_the_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_LANGUAGE", "fr")
    assert make_settings().DEFAULT_LANGUAGE == "fr"


def test_a_telegram_token_without_a_webhook_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET"):
        make_settings(TELEGRAM_BOT_TOKEN="123:abc")


def test_a_telegram_token_with_a_webhook_secret_turns_telegram_on() -> None:
    settings = make_settings(TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_WEBHOOK_SECRET="s3cret_-X")
    assert settings.telegram_enabled


def test_a_webhook_secret_with_characters_telegram_refuses_is_refused() -> None:
    with pytest.raises(ValidationError):
        make_settings(TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_WEBHOOK_SECRET="no spaces!")


def test_twilio_credentials_without_a_sender_are_refused() -> None:
    with pytest.raises(ValidationError, match="TWILIO_WHATSAPP_FROM"):
        make_settings(TWILIO_ACCOUNT_SID="AC123", TWILIO_AUTH_TOKEN="tok")


def test_twilio_credentials_with_a_sender_turn_whatsapp_on() -> None:
    settings = make_settings(TWILIO_ACCOUNT_SID="AC123", TWILIO_AUTH_TOKEN="tok",
                             TWILIO_WHATSAPP_FROM="whatsapp:+14155238886")
    assert settings.whatsapp_enabled


@pytest.mark.parametrize("animators", ["telegram:abc", "whatsapp:0600000000",
                                       "telegram:1,sms:+212600000000", "bob"])
def test_bad_animators_are_refused(animators: str) -> None:
    with pytest.raises(ValidationError):
        make_settings(ANIMATORS=animators)


def test_animators_are_read_as_identities() -> None:
    settings = make_settings(ANIMATORS=" telegram:12345, whatsapp:+212600000000 ,")
    assert settings.animators == (Identity.parse("telegram:12345"),
                                  Identity.parse("whatsapp:+212600000000"))


@pytest.mark.parametrize("language", ["ar", "zgh", "fr", "en"])
def test_each_language_may_be_the_default(language: str) -> None:
    assert make_settings(DEFAULT_LANGUAGE=language).DEFAULT_LANGUAGE == language


@pytest.mark.parametrize("language", ["de", "", "AR", "tzm"])
def test_an_unknown_default_language_is_refused(language: str) -> None:
    with pytest.raises(ValidationError):
        make_settings(DEFAULT_LANGUAGE=language)


def test_secrets_are_secret_strings_hidden_from_repr() -> None:
    settings = make_settings(TELEGRAM_BOT_TOKEN="123:tok-XYZ", TELEGRAM_WEBHOOK_SECRET="hook_ABC",
                             TWILIO_ACCOUNT_SID="AC1", TWILIO_AUTH_TOKEN="twilio-PQR",
                             TWILIO_WHATSAPP_FROM="whatsapp:+14155238886")
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TWILIO_AUTH_TOKEN"):
        assert isinstance(getattr(settings, name), SecretStr)
    for shown in (repr(settings), str(settings)):
        for secret in ("123:tok-XYZ", "hook_ABC", "twilio-PQR"):
            assert secret not in shown


def test_a_public_url_is_joined_without_a_double_slash() -> None:
    settings = make_settings(PUBLIC_BASE_URL="https://comdev.example/")
    assert settings.public_url("/webhooks/twilio") == "https://comdev.example/webhooks/twilio"


@pytest.mark.parametrize("secret", ["sécret", "secret٣"])
def test_a_webhook_secret_with_non_ascii_letters_is_refused(secret: str) -> None:
    with pytest.raises(ValidationError):
        make_settings(TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_WEBHOOK_SECRET=secret)


def test_animators_with_arabic_indic_digits_are_refused() -> None:
    with pytest.raises(ValidationError):
        make_settings(ANIMATORS="telegram:١٢٣")
