"""Telegram: real Update JSON in, Inbound out; buttons within 64 bytes."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.telegram import CALLBACK_LIMIT, callback_data, parse
from bot.flows.engine import STATES, render
from tests.unit.support import LANGUAGES, NOW, context, member

USER = {"id": 987654321, "is_bot": False, "first_name": "Fatima", "language_code": "fr"}
PRIVATE = {"id": 987654321, "type": "private", "first_name": "Fatima"}
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Douar Tizi"}


def update(update_id: int = 10001, **content: Any) -> dict[str, Any]:
    return {"update_id": update_id, **content}


def message(chat: dict[str, Any] = PRIVATE, **content: Any) -> dict[str, Any]:
    return {"message_id": 55, "date": 1767225600, "chat": chat, "from": USER, **content}


def test_a_text_message_becomes_an_inbound_with_its_text() -> None:
    msg = parse(update(message=message(text="Salam 3afak")), NOW)
    assert msg is not None
    assert msg.identity == "telegram:987654321"
    assert msg.provider_id == "telegram:update:10001"
    assert msg.text == "Salam 3afak"
    assert msg.received_at == NOW
    assert msg.language_hint == "fr"
    assert msg.command is None and msg.choice is None and not msg.media


def test_start_with_a_payload_becomes_the_start_command_and_its_payload() -> None:
    msg = parse(update(message=message(
        text="/start abc_123", entities=[{"type": "bot_command", "offset": 0, "length": 6}])))
    assert msg is not None
    assert (msg.command, msg.payload, msg.text) == ("start", "abc_123", None)


def test_start_without_a_payload_has_no_payload() -> None:
    msg = parse(update(message=message(text="/start")))
    assert msg is not None
    assert (msg.command, msg.payload) == ("start", None)


def test_start_addressed_to_the_bot_by_name_is_the_start_command() -> None:
    msg = parse(update(message=message(text="/start@ComDevBot ref-9")))
    assert msg is not None
    assert (msg.command, msg.payload) == ("start", "ref-9")


def test_a_word_that_begins_like_start_is_plain_text() -> None:
    msg = parse(update(message=message(text="/startle")))
    assert msg is not None
    assert (msg.command, msg.text) == (None, "/startle")


def test_a_button_press_becomes_a_scoped_choice() -> None:
    msg = parse(update(callback_query={
        "id": "4382bfdwdsb323b2d9", "chat_instance": "-5", "from": USER,
        "data": "onboarding.language|fr",
        "message": message(text="Which language do you prefer?")}))
    assert msg is not None
    assert msg.identity == "telegram:987654321"
    assert (msg.choice_scope, msg.choice) == ("onboarding.language", "fr")
    assert msg.callback_id == "4382bfdwdsb323b2d9"
    assert msg.text is None


def test_a_button_without_a_scope_has_no_scope() -> None:
    msg = parse(update(callback_query={
        "id": "q1", "chat_instance": "-5", "from": USER, "data": "yes",
        "message": message(text="?")}))
    assert msg is not None
    assert (msg.choice_scope, msg.choice) == (None, "yes")


def test_a_button_pressed_in_a_group_is_ignored() -> None:
    assert parse(update(callback_query={
        "id": "q1", "chat_instance": "-5", "from": USER, "data": "menu.main|data",
        "message": message(chat=GROUP, text="?")})) is None


def test_a_photo_becomes_photo_media_with_its_largest_size_and_caption() -> None:
    msg = parse(update(message=message(caption="Notre puits", photo=[
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 960}])))
    assert msg is not None
    assert [(m.kind, m.ref) for m in msg.media] == [("photo", "large")]
    assert msg.text == "Notre puits"


def test_a_voice_note_becomes_voice_media_without_text() -> None:
    msg = parse(update(message=message(voice={
        "file_id": "voice-1", "file_unique_id": "v", "duration": 4, "mime_type": "audio/ogg"})))
    assert msg is not None
    assert [(m.kind, m.ref, m.mime) for m in msg.media] == [("voice", "voice-1", "audio/ogg")]
    assert msg.text is None and msg.is_empty


def test_a_sticker_becomes_sticker_media() -> None:
    msg = parse(update(message=message(sticker={
        "file_id": "st-1", "file_unique_id": "u", "type": "regular", "width": 512,
        "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"})))
    assert msg is not None
    assert [m.kind for m in msg.media] == ["sticker"]
    assert msg.is_empty


def test_a_location_becomes_a_location() -> None:
    msg = parse(update(message=message(location={"latitude": 30.42, "longitude": -9.59})))
    assert msg is not None
    assert msg.location is not None
    assert (msg.location.latitude, msg.location.longitude) == (30.42, -9.59)
    assert msg.is_empty


def test_an_edited_message_needs_no_answer() -> None:
    assert parse(update(edited_message={**message(text="edited"), "edit_date": 1767225700})) \
        is None


def test_a_member_status_change_needs_no_answer() -> None:
    assert parse(update(my_chat_member={
        "chat": PRIVATE, "from": USER, "date": 1767225600,
        "old_chat_member": {"status": "member", "user": {
            "id": 1, "is_bot": True, "first_name": "ComDev"}},
        "new_chat_member": {"status": "kicked", "until_date": 0, "user": {
            "id": 1, "is_bot": True, "first_name": "ComDev"}}})) is None


def test_a_group_message_needs_no_answer() -> None:
    assert parse(update(message=message(chat=GROUP, text="salam"))) is None


def test_a_channel_post_needs_no_answer() -> None:
    channel = {"id": -100777, "type": "channel", "title": "News"}
    assert parse(update(channel_post={"message_id": 1, "date": 1767225600, "chat": channel,
                                      "text": "news"})) is None


def test_an_inbound_survives_a_json_round_trip() -> None:
    msg = parse(update(message=message(location={"latitude": 30.42, "longitude": -9.59},
                                       caption="ⴰⵣⵓⵍ")), NOW)
    assert msg is not None
    from bot.messages import Inbound

    assert Inbound.from_json(msg.to_json()) == msg


def test_callback_data_carries_the_scope_and_the_key() -> None:
    assert callback_data("onboarding.language", "fr") == "onboarding.language|fr"
    assert callback_data(None, "fr") == "fr"


def test_callback_data_drops_a_scope_too_long_for_64_bytes() -> None:
    assert callback_data("s" * 70, "yes") == "yes"


def test_a_key_longer_than_64_bytes_is_refused() -> None:
    with pytest.raises(ValueError):
        callback_data(None, "k" * (CALLBACK_LIMIT + 1))


def test_callback_data_counts_bytes_not_characters() -> None:
    data = callback_data("ⵜ" * 20, "yes")  # 60 bytes of Tifinagh in the scope
    assert len(data.encode()) <= CALLBACK_LIMIT


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_of_every_state_fits_in_64_bytes(language: str) -> None:
    ctx = context(member(language), animators=1)
    for name in STATES:
        reply = render(name, ctx)
        for choice in reply.choices:
            data = callback_data(reply.scope, choice.key)
            assert len(data.encode()) <= CALLBACK_LIMIT
            assert data == f"{name}|{choice.key}"  # the scope survives, so stale presses show


def test_a_button_under_a_message_too_old_to_read_is_still_a_choice() -> None:
    msg = parse(update(callback_query={
        "id": "q9", "chat_instance": "-5", "from": USER, "data": "menu.main|data",
        "message": {"message_id": 1, "date": 0, "chat": PRIVATE}}))
    assert msg is not None
    assert (msg.identity, msg.choice_scope, msg.choice) == ("telegram:987654321", "menu.main",
                                                           "data")


def test_a_button_of_an_inline_message_needs_no_answer() -> None:
    assert parse(update(callback_query={
        "id": "q9", "chat_instance": "-5", "from": USER, "data": "x",
        "inline_message_id": "AAA"})) is None
