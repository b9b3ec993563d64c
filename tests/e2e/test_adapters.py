"""The adapters against the fake providers: what goes on the wire."""

from __future__ import annotations

import json

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.whatsapp import WhatsAppAdapter
from bot.messages import Choice, Media, Reply
from core.domain.outbox import SendOutcome
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import SENDER, TOKEN, TWILIO_SID, TWILIO_TOKEN


async def test_a_whatsapp_template_is_sent_by_content_sid_and_variables(
        fakes: tuple[FakeTelegram, FakeTwilio]) -> None:
    _, twilio = fakes
    adapter = WhatsAppAdapter(TWILIO_SID, TWILIO_TOKEN, SENDER, twilio.url)
    try:
        reply = Reply("ignored", extra={"template": {"content_sid": "HX" + "1" * 32,
                                                     "variables": {"1": "Tafraout"}}})
        result = await adapter.send("whatsapp:+212600000001", reply)
    finally:
        await adapter.close()
    assert result.outcome is SendOutcome.SENT and result.provider_id
    params = twilio.calls[-1].params
    assert params["ContentSid"] == "HX" + "1" * 32
    assert json.loads(params["ContentVariables"]) == {"1": "Tafraout"}
    assert "Body" not in params and params["From"] == SENDER


async def test_whatsapp_media_and_a_numbered_menu_go_in_one_message(
        fakes: tuple[FakeTelegram, FakeTwilio]) -> None:
    _, twilio = fakes
    adapter = WhatsAppAdapter(TWILIO_SID, TWILIO_TOKEN, SENDER, twilio.url)
    try:
        reply = Reply("Pick one", (Choice("a", "Water"), Choice("b", "Solar")),
                      (Media("photo", "https://media.test/well.jpg"),), hint="Reply 1 or 2")
        await adapter.send("whatsapp:+212600000001", reply)
    finally:
        await adapter.close()
    params = twilio.calls[-1].params
    assert params["Body"] == "Pick one\n\n1. Water\n2. Solar\n\nReply 1 or 2"
    assert params["MediaUrl"] == "https://media.test/well.jpg"


async def test_a_long_telegram_text_is_split_and_the_keyboard_rides_on_the_last_piece(
        fakes: tuple[FakeTelegram, FakeTwilio]) -> None:
    telegram, _ = fakes
    adapter = TelegramAdapter(TOKEN, f"{telegram.url}/bot")
    try:
        await adapter.start()
        reply = Reply("word " * 1500, (Choice("yes", "Yes"),), scope="menu.erase")
        result = await adapter.send("telegram:42", reply)
    finally:
        await adapter.close()
    assert result.outcome is SendOutcome.SENT
    sent = telegram.messages(42)
    assert len(sent) == 2 and all(len(c.params["text"]) <= 4096 for c in sent)
    assert "reply_markup" not in sent[0].params
    button = sent[1].params["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": "Yes", "callback_data": "menu.erase|yes"}
