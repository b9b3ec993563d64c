"""The app served by a real uvicorn on 127.0.0.1, with fake providers, and chat drivers."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from twilio.request_validator import RequestValidator

from bot.bootstrap import Container, build
from core.clock import Clock, system_clock
from core.db import upgrade
from tests.conftest import make_settings
from tests.e2e.fakes import Call, FakeTelegram, FakeTwilio
from webhooks.app import create_app

TOKEN = "123456:TEST-token"
SECRET = "s3cret-Webhook_token"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-auth-token"
SENDER = "whatsapp:+14155238886"
PUBLIC = "https://comdev.test"
_ids = itertools.count(1)


def settings_for(db_url: str, telegram: FakeTelegram, twilio: FakeTwilio, **extra: Any) -> Any:
    values: dict[str, Any] = dict(
        DATABASE_URL=db_url, PUBLIC_BASE_URL=PUBLIC, TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET, TELEGRAM_API_BASE_URL=f"{telegram.url}/bot",
        TWILIO_ACCOUNT_SID=TWILIO_SID, TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_WHATSAPP_FROM=SENDER, TWILIO_API_BASE_URL=twilio.url,
        TELEGRAM_RATE_PER_CHAT_PER_SECOND=50)
    values.update(extra)
    return make_settings(**values)


@dataclass
class Served:
    """A running app: its container, its base URL and an HTTP client."""

    container: Container
    url: str
    http: httpx.Client
    telegram: FakeTelegram
    twilio: FakeTwilio

    def post_telegram(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return self.http.post("/webhooks/telegram", json=update, headers=headers)

    def post_twilio(self, form: dict[str, str], path: str = "/webhooks/twilio",
                    signature: str | None = None) -> httpx.Response:
        sig = signature if signature is not None else sign(path, form)
        return self.http.post(path, data=form, headers={"X-Twilio-Signature": sig})


def sign(path: str, form: dict[str, str], token: str = TWILIO_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(PUBLIC + path, form))


@contextmanager
def serve(settings: Any, telegram: FakeTelegram, twilio: FakeTwilio,
          clock: Clock = system_clock) -> Iterator[Served]:
    """Migrates, builds and serves the app in a thread until the block ends."""
    upgrade(settings.DATABASE_URL)
    container = build(settings, clock=clock)
    app = create_app(container)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=url, timeout=10) as http:
        try:
            yield Served(container, url, http, telegram, twilio)
        finally:
            server.should_exit = True
            thread.join(10)


def telegram_text(chat_id: int, text: str, language_code: str | None = None,
                  update_id: int | None = None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "Amina",
                            "username": "amina_tg"}
    if language_code:
        user["language_code"] = language_code
    return {"update_id": update_id or next(_ids) + 10_000,
            "message": {"message_id": next(_ids), "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private", "first_name": "Amina"},
                        "from": user, "text": text}}


def telegram_press(chat_id: int, data: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Amina"}
    return {"update_id": next(_ids) + 10_000,
            "callback_query": {"id": str(next(_ids)), "from": user, "chat_instance": "1",
                               "data": data,
                               "message": {"message_id": 1, "date": int(time.time()),
                                           "chat": {"id": chat_id, "type": "private"},
                                           "text": "menu"}}}


def twilio_form(number: str, body: str = "", **extra: str) -> dict[str, str]:
    form = {"MessageSid": f"SM{next(_ids):032x}", "AccountSid": TWILIO_SID,
            "From": f"whatsapp:{number}", "To": SENDER, "Body": body,
            "NumMedia": "0", "ProfileName": "Youssef"}
    form.update(extra)
    return form


@dataclass
class Chat:
    """Drives one person's conversation through the real webhooks, and reads what came back."""

    served: Served
    identity: str  # telegram:<id> or whatsapp:+<number>
    language_code: str | None = None
    seen: int = 0
    transcript: list[str] = field(default_factory=list)

    @property
    def channel(self) -> str:
        return self.identity.partition(":")[0]

    @property
    def address(self) -> str:
        return self.identity.partition(":")[2]

    def say(self, text: str) -> None:
        """Sends a text message as this person."""
        self.transcript.append(f"> {text}")
        if self.channel == "telegram":
            update = telegram_text(int(self.address), text, self.language_code)
            response = self.served.post_telegram(update)
        else:
            response = self.served.post_twilio(twilio_form(self.address, text))
        assert response.status_code == 200, response.text

    def send_voice(self, body: bytes = b"OggS-voice") -> str:
        """Sends a voice note as this person; returns its reference on the channel."""
        self.transcript.append("> [voice note]")
        n = next(_ids)
        if self.channel == "telegram":
            file_id = f"voice-{n}"
            self.served.telegram.add_file(TOKEN, file_id, body)
            update = telegram_text(int(self.address), "", self.language_code)
            message = update["message"]
            del message["text"]
            message["voice"] = {"file_id": file_id, "file_unique_id": file_id, "duration": 7,
                                "mime_type": "audio/ogg"}
            response = self.served.post_telegram(update)
            ref = file_id
        else:
            ref = (f"{self.served.twilio.url}/2010-04-01/Accounts/{TWILIO_SID}/Messages/"
                   f"MM{n:032x}/Media/ME{n:032x}")
            self.served.twilio.files[ref.removeprefix(self.served.twilio.url)] = (
                body, "audio/ogg")
            response = self.served.post_twilio(twilio_form(
                self.address, "", NumMedia="1", MediaUrl0=ref, MediaContentType0="audio/ogg"))
        assert response.status_code == 200, response.text
        return ref

    def send_photo(self, body: bytes = b"\xff\xd8\xff-photo", caption: str = "") -> str:
        """Sends a photo as this person; returns its reference on the channel."""
        self.transcript.append("> [photo]")
        n = next(_ids)
        if self.channel == "telegram":
            file_id = f"photo-{n}"
            self.served.telegram.add_file(TOKEN, file_id, body)
            update = telegram_text(int(self.address), "", self.language_code)
            message = update["message"]
            del message["text"]
            message["photo"] = [{"file_id": file_id, "file_unique_id": file_id, "width": 90,
                                 "height": 90}]
            if caption:
                message["caption"] = caption
            response = self.served.post_telegram(update)
            ref = file_id
        else:
            ref = (f"{self.served.twilio.url}/2010-04-01/Accounts/{TWILIO_SID}/Messages/"
                   f"MM{n:032x}/Media/ME{n:032x}")
            self.served.twilio.files[ref.removeprefix(self.served.twilio.url)] = (
                body, "image/jpeg")
            response = self.served.post_twilio(twilio_form(
                self.address, caption, NumMedia="1", MediaUrl0=ref,
                MediaContentType0="image/jpeg"))
        assert response.status_code == 200, response.text
        return ref

    def press(self, label_or_index: str | int) -> None:
        """Presses a button of the last Telegram keyboard (by label or 1-based index)."""
        keyboard = self.last().params["reply_markup"]["inline_keyboard"]
        buttons = [row[0] for row in keyboard]
        if isinstance(label_or_index, int):
            button = buttons[label_or_index - 1]
        else:
            button = next(b for b in buttons if b["text"] == label_or_index)
        self.transcript.append(f"> [{button['text']}]")
        response = self.served.post_telegram(telegram_press(int(self.address),
                                                            button["callback_data"]))
        assert response.status_code == 200

    def outbound(self) -> list[Call]:
        if self.channel == "telegram":
            return self.served.telegram.messages(int(self.address))
        return self.served.twilio.messages(self.identity)

    def expect_reply(self, contains: str | None = None, timeout: float = 10.0) -> str:
        """Waits for the next message to this person and checks what it says."""
        fake = self.served.telegram if self.channel == "telegram" else self.served.twilio
        fake.wait_for(lambda _calls: len(self.outbound()) > self.seen, timeout)
        call = self.outbound()[self.seen]
        self.seen += 1
        text = str(call.params.get("text") or call.params.get("Body") or "")
        self.transcript.append(_render(call, text))
        if contains is not None:
            assert contains in text, f"{contains!r} not in {text!r}"
        return text

    def expect_silence(self, wait: float = 0.5) -> None:
        """Checks that nothing more was sent to this person for a short while."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            assert len(self.outbound()) == self.seen, self.outbound()[self.seen:]
            time.sleep(0.05)

    def last(self) -> Call:
        return self.outbound()[self.seen - 1]


def _render(call: Call, text: str) -> str:
    markup = call.params.get("reply_markup")
    if not markup:
        return text
    buttons = " | ".join(row[0]["text"] for row in markup["inline_keyboard"])
    return f"{text}\n[{buttons}]"


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def eventually(check: Any, timeout: float = 10.0) -> Any:
    """Polls `check` until it returns something truthy (the app works in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
