"""Telegram: PTB's `Update.de_json` parses, PTB's `Bot` sends. No ConversationHandler."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.adapters.base import TELEGRAM_TEXT_LIMIT, chunks
from bot.messages import Inbound, Location, Media, Reply
from core.domain.outbox import SendOutcome, SendResult
from core.media import MAX_BYTES

logger = logging.getLogger(__name__)
CALLBACK_LIMIT = 64


def callback_data(scope: str | None, key: str) -> str:
    """Encodes a button as `<state>|<key>`, within Telegram's 64 bytes."""
    data = f"{scope}|{key}" if scope else key
    if len(data.encode()) > CALLBACK_LIMIT:
        data = key
    if len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError("a choice key must fit in 64 bytes")
    return data


def parse(data: dict[str, Any], received_at: datetime | None = None) -> Inbound | None:
    """Turns a Telegram update into an Inbound; None for what needs no answer."""
    update = Update.de_json(data, None)
    now = received_at or datetime.now(UTC)
    provider_id = f"telegram:update:{update.update_id}"
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat if query.message else None
        if chat is None or chat.type != "private":
            return None
        scope, _, key = (query.data or "").rpartition("|")
        return Inbound(f"telegram:{chat.id}", provider_id, now, choice=key,
                       choice_scope=scope or None, callback_id=query.id,
                       language_hint=query.from_user.language_code,
                       name=query.from_user.first_name, handle=query.from_user.username)
    message = update.message
    if message is None or message.chat.type != "private":
        return None  # edits, channel posts, member updates, groups: nothing to answer
    identity = f"telegram:{message.chat.id}"
    hint = message.from_user.language_code if message.from_user else None
    text = message.text or message.caption
    command = payload = None
    if message.text and message.text.startswith("/start"):
        first, _, rest = message.text.partition(" ")
        if first == "/start" or first.startswith("/start@"):
            command, payload, text = "start", rest.strip() or None, None
    sender = message.from_user
    return Inbound(identity, provider_id, now, text=text, command=command, payload=payload,
                   media=_media(message), location=_location(message), language_hint=hint,
                   name=sender.first_name if sender else None,
                   handle=sender.username if sender else None)


def _media(message: Any) -> tuple[Media, ...]:
    if message.photo:
        return (Media("photo", message.photo[-1].file_id, "image/jpeg"),)
    for kind in ("voice", "audio", "video", "document", "sticker", "video_note", "animation"):
        item = getattr(message, kind, None)
        if item is not None:
            return (Media(kind, item.file_id, getattr(item, "mime_type", None)),)
    return ()


def _location(message: Any) -> Location | None:
    if message.location is None:
        return None
    return Location(message.location.latitude, message.location.longitude)


class TelegramAdapter:
    channel = "telegram"

    def __init__(self, token: str, base_url: str) -> None:
        file_url = base_url.removesuffix("/bot") + "/file/bot"
        self.bot = Bot(token, base_url=base_url, base_file_url=file_url,
                       request=HTTPXRequest(connection_pool_size=32, read_timeout=15))

    async def start(self) -> None:
        await self.bot.initialize()

    async def close(self) -> None:
        await self.bot.shutdown()

    async def send(self, identity: str, reply: Reply) -> SendResult:
        chat_id = int(identity.partition(":")[2])
        try:
            if reply.ack:
                await self._ack(reply.ack)
            message = None
            for item in reply.media:
                message = await self._send_media(chat_id, item) or message
            pieces = chunks(reply.text, TELEGRAM_TEXT_LIMIT)
            for i, piece in enumerate(pieces):
                markup = self._keyboard(reply) if i == len(pieces) - 1 else None
                message = await self.bot.send_message(chat_id, piece, reply_markup=markup)
            return SendResult(SendOutcome.SENT, str(message.message_id) if message else None)
        except RetryAfter as error:
            return SendResult(SendOutcome.RETRY, retry_after=_seconds(error.retry_after),
                              error="429 retry after")
        except Forbidden as error:
            return SendResult(SendOutcome.BLOCKED, error=f"403 {error.message}"[:200])
        except BadRequest as error:
            return SendResult(SendOutcome.PERMANENT, error=f"400 {error.message}"[:200])
        except (NetworkError, TelegramError) as error:  # timeouts, 5xx, connection errors
            return SendResult(SendOutcome.RETRY, error=str(error)[:200])

    async def _send_media(self, chat_id: int, item: Media) -> Any:
        """Sends one photo, voice note, audio, video or document (by file id or URL)."""
        senders = {"photo": self.bot.send_photo, "voice": self.bot.send_voice,
                   "audio": self.bot.send_audio, "video": self.bot.send_video,
                   "document": self.bot.send_document}
        sender = senders.get(item.kind)
        return await sender(chat_id, item.ref) if sender else None

    async def fetch(self, ref: str) -> tuple[bytes, str | None]:
        """Downloads a file received from a person, by its file id."""
        found = await self.bot.get_file(ref)
        if found.file_size and found.file_size > MAX_BYTES:
            raise ValueError("file too large")
        return bytes(await found.download_as_bytearray()), None

    async def _ack(self, callback_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_id)
        except BadRequest:  # too old to acknowledge: the message itself still matters
            pass

    @staticmethod
    def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
        if not reply.choices:
            return None
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(c.label[:64], callback_data=callback_data(reply.scope, c.key))]
            for c in reply.choices])

    async def set_webhook(self, url: str, secret: str) -> bool:
        return await self.bot.set_webhook(url, secret_token=secret,
                                          allowed_updates=["message", "callback_query"])

    async def updates(self, offset: int | None, timeout: int = 25) -> list[dict[str, Any]]:
        """Long-polls getUpdates, for machines without a public HTTPS address."""
        found = await self.bot.get_updates(offset=offset, timeout=timeout,
                                           allowed_updates=["message", "callback_query"])
        return [u.to_dict() for u in found]


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
