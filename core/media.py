"""Links through which a voice note or photo received on one channel is shown on another.

A Telegram file id is valid for our bot only, and a Twilio media URL asks for our account's
credentials; so a media item crosses channels as a link to this server, signed so that it
cannot be guessed, which fetches it from where it was received.
"""

from __future__ import annotations

import hashlib
import hmac

from core.config import Settings

MAX_BYTES = 20 * 1024 * 1024  # WhatsApp and Telegram bots both stop around here


def key(settings: Settings) -> bytes:
    """Derives the signing key from the channel secrets (no setting to forget)."""
    secrets = (settings.TELEGRAM_BOT_TOKEN.get_secret_value(),
               settings.TWILIO_AUTH_TOKEN.get_secret_value(),
               settings.TELEGRAM_WEBHOOK_SECRET.get_secret_value())
    return hashlib.sha256(("comdev-media\x00" + "\x00".join(secrets)).encode()).digest()


def token(media_id: int, secret: bytes) -> str:
    """Signs a media id: "<id>-<signature>"."""
    signature = hmac.new(secret, str(media_id).encode(), hashlib.sha256).hexdigest()[:32]
    return f"{media_id}-{signature}"


def verify(value: str, secret: bytes) -> int | None:
    """Returns the media id a token names, or None when the token is not ours."""
    head, _, _signature = value.partition("-")
    if not head.isascii() or not head.isdigit() or len(head) > 18:
        return None
    media_id = int(head)
    return media_id if hmac.compare_digest(token(media_id, secret), value) else None


def url(settings: Settings, media_id: int) -> str:
    """The public link of a media item."""
    return settings.public_url(f"/media/{token(media_id, key(settings))}")
