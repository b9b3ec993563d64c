"""The `comdev` command: chat in every language, webhook registration, polling."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.bootstrap import build, start
from bot.i18n import Translator
from bot.polling import poll_telegram
from core.db import upgrade
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import PUBLIC, SECRET, TOKEN, settings_for, telegram_text

HELLO = {"ar": "السلام عليكم", "zgh": "ⴰⵣⵓⵍ", "fr": "Bonjour", "en": "Hello"}


def comdev(*args: str, env: dict[str, str], stdin: str = "", cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "admin_cli", *args], input=stdin.encode(),
                          env=env, cwd=str(cwd), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout.decode()


def base_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWILIO", "TELEGRAM", "DATABASE", "REDIS", "ANIMATORS"))}
    env.update(COLUMNS="200", **values)
    return env


@pytest.mark.parametrize("language", ["ar", "zgh", "fr", "en"])
def test_comdev_chat_completes_onboarding(language: str, tmp_path: Path) -> None:
    env = base_env(DATABASE_URL=f"sqlite:///{tmp_path}/chat.db")
    lines = [HELLO[language], "1", "1", "4", "2"]  # language, agree, visitor, my data
    out = comdev("chat", "--as", "whatsapp:+212600000123", env=env,
                 stdin="\n".join(lines) + "\n", cwd=tmp_path)
    t = Translator(language)
    assert t.gettext("What would you like to do?") in out
    assert t.gettext("visitor") in out
    assert t.gettext("Here is everything I keep about you:") in out
    assert "1. " in out  # menus are numbered text, as on WhatsApp


def test_set_webhook_registers_the_public_url_with_the_secret(tmp_path: Path) -> None:
    telegram = FakeTelegram().start()
    try:
        env = base_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_WEBHOOK_SECRET=SECRET,
                       TELEGRAM_API_BASE_URL=f"{telegram.url}/bot", PUBLIC_BASE_URL=PUBLIC)
        comdev("telegram", "set-webhook", env=env, cwd=tmp_path)
        call = next(c for c in telegram.calls if c.method == "setWebhook")
        assert call.params["url"] == f"{PUBLIC}/webhooks/telegram"
        assert call.params["secret_token"] == SECRET
    finally:
        telegram.stop()


def test_telegram_is_refused_without_a_webhook_secret(tmp_path: Path) -> None:
    env = base_env(TELEGRAM_BOT_TOKEN=TOKEN)
    done = subprocess.run([sys.executable, "-m", "admin_cli", "serve"], env=env, cwd=tmp_path,
                          capture_output=True, timeout=60)
    assert done.returncode == 2
    assert b"TELEGRAM_WEBHOOK_SECRET" in done.stdout + done.stderr


async def test_polling_feeds_the_same_path(fakes: tuple[FakeTelegram, FakeTwilio],
                                          sqlite_url: str) -> None:
    telegram, twilio = fakes
    update = telegram_text(3101, "Bonjour", "fr", update_id=555)

    def answer(method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getUpdates":
            fresh = int(params.get("offset") or 0) <= 555
            return 200, {"ok": True, "result": [update] if fresh else []}
        return FakeTelegram.success(telegram, method, params)

    telegram.success = answer  # type: ignore[method-assign]
    upgrade(sqlite_url)
    container = build(settings_for(sqlite_url, telegram, twilio))
    await start(container, worker=False)
    polling = asyncio.create_task(poll_telegram(container))
    try:
        for _ in range(500):  # until the update was taken and the next offset asked for
            await asyncio.sleep(0.01)
            if any(c.method == "getUpdates" and str(c.params.get("offset")) == "556"
                   for c in list(telegram.calls)):
                break
    finally:
        polling.cancel()
        await asyncio.gather(polling, *container.tasks, return_exceptions=True)
    while await container.dispatcher.run_once():
        pass
    await container.close()
    assert any(c.method == "deleteWebhook" for c in telegram.calls)
    replies = telegram.messages(3101)
    assert len(replies) == 1
    assert "Français" in str(replies[0].params["reply_markup"])
