"""What the webhooks accept, refuse, and answer, over real HTTP."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func
from sqlmodel import Session, select

from core.models import DeliveryEvent, InboundMessage, OutboxMessage, Person
from tests.e2e.harness import Chat, Served, eventually, sign, telegram_text, twilio_form


def count(served: Served, table: type) -> int:
    with Session(served.container.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def test_a_telegram_update_with_a_wrong_secret_is_refused_and_leaves_no_row(
        served: Served) -> None:
    for secret in ("wrong", "", None):
        response = served.post_telegram(telegram_text(9001, "hello"), secret=secret)
        assert response.status_code == 403
    assert count(served, InboundMessage) == 0
    assert count(served, Person) == 0


def test_a_twilio_post_with_a_forged_signature_is_refused_and_leaves_no_row(
        served: Served) -> None:
    form = twilio_form("+212600000900", "hello")
    assert served.post_twilio(form, signature="forged").status_code == 403
    assert served.http.post("/webhooks/twilio", data=form).status_code == 403
    tampered = sign("/webhooks/twilio", form)
    assert served.post_twilio({**form, "Body": "other"}, signature=tampered).status_code == 403
    wrong_path = sign("/webhooks/other", form)
    assert served.post_twilio(form, signature=wrong_path).status_code == 403
    assert count(served, InboundMessage) == 0


def test_a_status_callback_with_a_forged_signature_is_refused(served: Served) -> None:
    form = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    response = served.post_twilio(form, path="/webhooks/twilio/status", signature="forged")
    assert response.status_code == 403
    assert count(served, DeliveryEvent) == 0


def test_the_same_telegram_update_posted_three_times_at_once_gives_one_reply(
        served: Served) -> None:
    update = telegram_text(9002, "hello", "en")
    with ThreadPoolExecutor(3) as pool:
        statuses = list(pool.map(lambda _: served.post_telegram(update).status_code, range(3)))
    assert statuses == [200, 200, 200]
    chat = Chat(served, "telegram:9002")
    chat.expect_reply("Which language do you prefer?")
    chat.expect_silence()
    assert count(served, InboundMessage) == 1


def test_the_same_twilio_message_posted_three_times_at_once_gives_one_reply(
        served: Served) -> None:
    form = twilio_form("+212600000901", "hello")
    with ThreadPoolExecutor(3) as pool:
        statuses = list(pool.map(lambda _: served.post_twilio(form).status_code, range(3)))
    assert statuses == [200, 200, 200]
    chat = Chat(served, "whatsapp:+212600000901")
    chat.expect_reply("English")
    chat.expect_silence()
    assert count(served, InboundMessage) == 1


def test_a_body_over_one_mebibyte_is_refused(served: Served) -> None:
    big = {"update_id": 1, "message": {"text": "x" * (1024 * 1024 + 10)}}
    response = served.http.post("/webhooks/telegram", content=json.dumps(big),
                                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Webhook_token",
                                         "Content-Type": "application/json"})
    assert response.status_code == 413

    def chunked():  # no Content-Length: the limit holds while streaming
        for _ in range(20):
            yield b"x" * 65536

    response = served.http.post("/webhooks/twilio", content=chunked(),
                                headers={"X-Twilio-Signature": "x",
                                         "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert count(served, InboundMessage) == 0


def test_malformed_telegram_json_is_a_400_not_a_crash(served: Served) -> None:
    for body in (b"{not json", b"[]", b'{"update_id": "x", "message": 3}'):
        response = served.http.post("/webhooks/telegram", content=body, headers={
            "X-Telegram-Bot-Api-Secret-Token": "s3cret-Webhook_token"})
        assert response.status_code in (200, 400)
    assert count(served, InboundMessage) == 0


def test_updates_that_need_no_answer_are_acknowledged_and_ignored(served: Served) -> None:
    edited = telegram_text(9003, "edited")
    edited["edited_message"] = edited.pop("message")
    member = {"update_id": 777001, "my_chat_member": {
        "chat": {"id": 9003, "type": "private"}, "from": {"id": 9003, "is_bot": False,
                                                          "first_name": "A"},
        "date": 1, "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True,
                                                                    "first_name": "B"}},
        "new_chat_member": {"status": "kicked", "until_date": 0,
                            "user": {"id": 1, "is_bot": True, "first_name": "B"}}}}
    group = telegram_text(-100123, "hello group")
    group["message"]["chat"] = {"id": -100123, "type": "group", "title": "village"}
    for update in (edited, member, group):
        assert served.post_telegram(update).status_code == 200
    assert count(served, InboundMessage) == 0


def test_a_sticker_first_gets_the_language_menu_and_later_a_polite_hint(served: Served) -> None:
    chat = Chat(served, "whatsapp:+212600000902")
    sticker = twilio_form("+212600000902", "", NumMedia="1", MediaUrl0="https://m.test/s.webp",
                          MediaContentType0="image/webp")
    assert served.post_twilio(sticker).status_code == 200
    chat.expect_reply("1. العربية")
    voice = twilio_form("+212600000902", "", NumMedia="1", MediaUrl0="https://m.test/v.ogg",
                        MediaContentType0="audio/ogg")
    assert served.post_twilio(voice).status_code == 200
    chat.expect_reply()
    assert count(served, OutboxMessage) == 2


def test_a_delivery_status_is_recorded_once_and_counted(served: Served) -> None:
    chat = Chat(served, "whatsapp:+212600000903")
    chat.say("hello")
    chat.expect_reply()
    sid = eventually(lambda: _last_sid(served))
    form = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC"}
    for _ in range(2):
        response = served.post_twilio(form, path="/webhooks/twilio/status")
        assert response.status_code == 204
    assert count(served, DeliveryEvent) == 1
    with Session(served.container.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.provider_id == sid)).one()
        assert row.delivery_status == "delivered"
    metrics = served.http.get("/metrics").text
    assert 'comdev_delivery_statuses_total{status="delivered"} 1.0' in metrics


def _last_sid(served: Served) -> str | None:
    with Session(served.container.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.status == "sent")).first()
        return row.provider_id if row else None


def test_health_reports_the_database_and_redis(served: Served) -> None:
    response = served.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "off"}


def test_metrics_count_inbound_outbound_steps_and_queue(served: Served) -> None:
    chat = Chat(served, "telegram:9004", "en")
    chat.say("hello")
    chat.expect_reply()
    eventually(lambda: "status=\"sent\"} 1.0" in served.http.get("/metrics").text)
    served.post_telegram(telegram_text(9004, "x"), secret="bad")
    text = served.http.get("/metrics").text
    assert 'comdev_inbound_messages_total{channel="telegram"} 1.0' in text
    assert 'comdev_outbound_messages_total{channel="telegram",status="sent"} 1.0' in text
    assert "comdev_step_seconds_count 1.0" in text
    assert "comdev_outbox_queue_depth 0.0" in text
    assert 'comdev_webhook_rejected_total{channel="telegram",reason="secret"} 1.0' in text
