"""How replies leave: retries, rate limits honoured, blocked people, permanent errors."""

from __future__ import annotations

from sqlmodel import Session, select

from core.models import ChannelIdentity, OutboxMessage
from tests.e2e.harness import Chat, Served, eventually


def rows(served: Served) -> list[OutboxMessage]:
    with Session(served.container.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def unreachable(served: Served, value: str) -> bool:
    with Session(served.container.engine) as session:
        found = session.get(ChannelIdentity, value)
        return found is not None and found.unreachable


def test_a_telegram_429_is_retried_after_the_time_it_asks(served: Served) -> None:
    served.telegram.fail_next("sendMessage", 429, {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1}})
    chat = Chat(served, "telegram:6001", "en")
    chat.say("hello")
    chat.expect_reply("Which language", timeout=15)
    attempts = [c for c in served.telegram.calls if c.method == "sendMessage"]
    assert [c.status for c in attempts] == [429, 200]
    row = eventually(lambda: next((r for r in rows(served) if r.status == "sent"), None))
    assert row.attempts == 2


def test_a_twilio_server_error_is_retried(served: Served) -> None:
    served.twilio.fail_next("Messages", 503, {"code": 20500, "message": "busy", "status": 503})
    chat = Chat(served, "whatsapp:+212600000701")
    chat.say("hello")
    chat.expect_reply("Which language", timeout=15)
    assert [c.status for c in served.twilio.calls] == [503, 201]


def test_a_person_who_blocked_the_bot_is_marked_unreachable(served: Served) -> None:
    served.telegram.fail_next("sendMessage", 403, {
        "ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
    chat = Chat(served, "telegram:6002", "en")
    chat.say("hello")
    eventually(lambda: unreachable(served, "telegram:6002"))
    assert [r.status for r in rows(served)] == ["failed"]
    assert len([c for c in served.telegram.calls if c.method == "sendMessage"]) == 1


def test_a_whatsapp_number_that_sent_stop_to_the_sender_is_marked_unreachable(
        served: Served) -> None:
    served.twilio.fail_next("Messages", 400, {
        "code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400})
    chat = Chat(served, "whatsapp:+212600000702")
    chat.say("hello")
    eventually(lambda: unreachable(served, "whatsapp:+212600000702"))
    assert [r.status for r in rows(served)] == ["failed"]


def test_a_permanent_error_is_not_retried(served: Served) -> None:
    served.twilio.fail_next("Messages", 400, {"code": 21211, "message": "Invalid 'To'",
                                              "status": 400})
    chat = Chat(served, "whatsapp:+212600000703")
    chat.say("hello")
    eventually(lambda: [r.status for r in rows(served)] == ["failed"])
    chat.expect_silence(0.5)
    assert len(served.twilio.calls) == 1


def test_a_button_press_is_acknowledged(served: Served) -> None:
    chat = Chat(served, "telegram:6003", "en")
    chat.say("hello")
    chat.expect_reply()
    chat.press(1)
    chat.expect_reply("I will speak English")
    assert any(c.method == "answerCallbackQuery" for c in served.telegram.calls)
