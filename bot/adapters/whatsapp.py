"""WhatsApp through Twilio: form posts in, the Twilio SDK (over httpx) out."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from twilio.base.exceptions import TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot.adapters.base import WHATSAPP_BODY_LIMIT, chunks, numbered
from bot.messages import Inbound, Location, Media, Reply
from core.domain.outbox import SendOutcome, SendResult
from core.media import MAX_BYTES

logger = logging.getLogger(__name__)

#: Twilio error codes that will not get better by trying again.
BLOCKED_CODES = {21610}  # the recipient sent STOP to our sender
RETRY_STATUSES = {429, 500, 502, 503, 504}
#: What an invitation's click-to-chat link prefills (core.invitations.links).
_INVITATION = re.compile(r"START\s+(i[a-z0-9]{9})")


def parse(form: Mapping[str, str], received_at: datetime | None = None) -> Inbound | None:
    """Turns a Twilio WhatsApp form post into an Inbound; None when it is not a message."""
    sender, sid = form.get("From", ""), form.get("MessageSid", "")
    if not sender.startswith("whatsapp:+") or not sid:
        return None
    now = received_at or datetime.now(UTC)
    media = tuple(
        Media(_kind(form.get(f"MediaContentType{i}", "")), form.get(f"MediaUrl{i}", ""),
              form.get(f"MediaContentType{i}") or None)
        for i in range(_int(form.get("NumMedia")))
        if form.get(f"MediaUrl{i}"))
    location = None
    if form.get("Latitude") and form.get("Longitude"):
        try:
            location = Location(float(form["Latitude"]), float(form["Longitude"]))
        except ValueError:
            location = None
    text = form.get("ButtonPayload") or form.get("Body") or None
    invited = _INVITATION.fullmatch((text or "").strip())
    if invited:  # "START <code>", prefilled by an invitation's click-to-chat link
        return Inbound(sender, f"twilio:{sid}", now, command="start", payload=invited[1],
                       name=form.get("ProfileName") or None)
    return Inbound(sender, f"twilio:{sid}", now, text=text, media=media, location=location,
                   name=form.get("ProfileName") or None)


def _kind(mime: str) -> str:
    if mime.startswith("image/webp"):
        return "sticker"
    if mime.startswith("image/"):
        return "photo"
    if mime.startswith("audio/"):
        return "voice"
    if mime.startswith("video/"):
        return "video"
    return "document" if mime else "other"


def _int(value: str | None) -> int:
    try:
        return max(0, min(10, int(value or 0)))
    except ValueError:
        return 0


class HttpxTwilioClient(AsyncHttpClient):
    """The Twilio SDK's async HTTP client interface, carried by httpx."""

    def __init__(self, timeout: float = 15.0) -> None:
        super().__init__(logger=logging.getLogger("twilio.http"), is_async=True, timeout=timeout)
        self.client = httpx.AsyncClient(timeout=timeout)

    async def request(self, method: str, url: str, params: Any = None, data: Any = None,
                      headers: Any = None, auth: Any = None, timeout: float | None = None,
                      allow_redirects: bool = False) -> Response:
        response = await self.client.request(
            method, url, params=params, data=data, headers=headers,
            auth=httpx.BasicAuth(*auth) if auth else None,
            timeout=timeout or self.timeout, follow_redirects=allow_redirects)
        return Response(response.status_code, response.text, response.headers)

    async def close(self) -> None:
        await self.client.aclose()


class WhatsAppAdapter:
    channel = "whatsapp"

    def __init__(self, account_sid: str, auth_token: str, sender: str, base_url: str) -> None:
        self.http = HttpxTwilioClient()
        self.client = Client(account_sid, auth_token, http_client=self.http)
        self.client.api.base_url = base_url.rstrip("/")
        self.sender = sender
        self.auth = (account_sid, auth_token)

    async def fetch(self, ref: str) -> tuple[bytes, str | None]:
        """Downloads a media item a person sent, from Twilio, with our credentials."""
        if not ref.startswith(self.client.api.base_url + "/"):
            raise ValueError("not a Twilio media URL")  # never fetch elsewhere for anyone
        async with self.http.client.stream("GET", ref, auth=httpx.BasicAuth(*self.auth),
                                           follow_redirects=True) as response:
            response.raise_for_status()
            body = bytearray()
            async for part in response.aiter_bytes():
                body += part
                if len(body) > MAX_BYTES:
                    raise ValueError("file too large")
            return bytes(body), response.headers.get("content-type")

    async def close(self) -> None:
        await self.http.close()

    async def send(self, identity: str, reply: Reply) -> SendResult:
        try:
            message = await self._create(identity, reply)
            return SendResult(SendOutcome.SENT, message.sid)
        except TwilioRestException as error:
            return _result_of(error)
        except httpx.HTTPError as error:  # timeouts and connection errors: try again
            return SendResult(SendOutcome.RETRY, error=type(error).__name__)

    async def _create(self, identity: str, reply: Reply) -> Any:
        template = reply.extra.get("template")
        if template:  # outside the 24-hour window only an approved template may be sent
            return await self.client.messages.create_async(
                to=identity, from_=self.sender, content_sid=template["content_sid"],
                content_variables=json.dumps(template.get("variables", {})))
        media_urls = [m.ref for m in reply.media if m.ref.startswith("http")]
        message = None
        pieces = chunks(numbered(reply), WHATSAPP_BODY_LIMIT)
        for i, piece in enumerate(pieces):
            extra = {"media_url": media_urls} if media_urls and i == 0 else {}
            message = await self.client.messages.create_async(
                to=identity, from_=self.sender, body=piece, **extra)
        return message


def _result_of(error: TwilioRestException) -> SendResult:
    text = f"{error.status} {error.code}"
    if error.code in BLOCKED_CODES:
        return SendResult(SendOutcome.BLOCKED, error=text)
    if error.status in RETRY_STATUSES:
        return SendResult(SendOutcome.RETRY, error=text)
    return SendResult(SendOutcome.PERMANENT, error=text)
