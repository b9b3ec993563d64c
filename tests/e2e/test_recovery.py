"""Nothing is lost when the server dies between recording a message and replying."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import Session, create_engine, select

from bot.messages import Inbound
from core import inbox
from core.db import upgrade
from core.models import InboundMessage, OutboxMessage, utcnow
from core.uow import UnitOfWork
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import (
    PUBLIC,
    SENDER,
    TWILIO_SID,
    TWILIO_TOKEN,
    Chat,
    eventually,
    serve,
    settings_for,
    sign,
    twilio_form,
)


def test_a_message_recorded_before_a_crash_is_answered_once_on_restart(
        fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> None:
    telegram, twilio = fakes
    settings = settings_for(sqlite_url, telegram, twilio)
    upgrade(sqlite_url)
    message = Inbound("whatsapp:+212600000801", "twilio:SMcrash1", utcnow(), text="hello")
    engine = create_engine(sqlite_url)
    with UnitOfWork(engine) as uow:  # what the webhook did before the process died
        assert inbox.record(uow, message.provider_id, message.identity, "whatsapp",
                            message.to_json(), message.received_at)
        uow.commit()
    engine.dispose()

    with serve(settings, telegram, twilio) as served:
        chat = Chat(served, message.identity)
        chat.expect_reply("Which language")
        chat.expect_silence(0.3)
    with serve(settings, telegram, twilio) as served:  # and a second restart sends nothing
        chat = Chat(served, message.identity, seen=1)
        chat.expect_silence(0.5)


def test_killing_the_server_before_the_reply_is_sent_loses_nothing(
        fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str, tmp_path: Path) -> None:
    telegram, twilio = fakes
    upgrade(sqlite_url)
    env = _env(sqlite_url, twilio_url=f"http://127.0.0.1:{_closed_port()}")  # Twilio down
    first = _start(env, tmp_path)
    try:
        form = twilio_form("+212600000802", "hello")
        response = httpx.post(f"{first.url}/webhooks/twilio", data=form,
                              headers={"X-Twilio-Signature": sign("/webhooks/twilio", form)})
        assert response.status_code == 200
        # processed, tried once and put back to wait (not killed mid-send: a row left
        # 'sending' waits for the claim timeout, minutes, before another worker takes it)
        eventually(lambda: _tried(sqlite_url) == [("pending", 1)], timeout=30)
    finally:
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)

    second = _start(_env(sqlite_url, twilio_url=twilio.url), tmp_path)
    try:
        eventually(lambda: _statuses(sqlite_url) == ["sent"], timeout=40)
        assert len(twilio.messages("whatsapp:+212600000802")) == 1
        assert _processed(sqlite_url) == [True]
    finally:
        second.process.terminate()
        second.process.wait(10)


class _Server:
    def __init__(self, process: subprocess.Popen[bytes], url: str) -> None:
        self.process, self.url = process, url


def _start(env: dict[str, str], cwd: Path) -> _Server:
    port = _closed_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "admin_cli", "serve", "--port", str(port)], env=env,
        cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return _Server(process, url)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def _env(db_url: str, twilio_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO", "TELEGRAM"))}
    env.update(DATABASE_URL=db_url, PUBLIC_BASE_URL=PUBLIC, TWILIO_ACCOUNT_SID=TWILIO_SID,
               TWILIO_AUTH_TOKEN=TWILIO_TOKEN, TWILIO_WHATSAPP_FROM=SENDER,
               TWILIO_API_BASE_URL=twilio_url, LOG_LEVEL="WARNING")
    return env


def _tried(db_url: str) -> list[tuple[str, int]]:
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            return [(r.status, r.attempts) for r in session.exec(select(OutboxMessage)).all()]
    finally:
        engine.dispose()


def _statuses(db_url: str) -> list[str]:
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            return [r.status for r in session.exec(select(OutboxMessage)).all()]
    finally:
        engine.dispose()


def _processed(db_url: str) -> list[bool]:
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            return [r.processed_at is not None for r in session.exec(select(InboundMessage))]
    finally:
        engine.dispose()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
