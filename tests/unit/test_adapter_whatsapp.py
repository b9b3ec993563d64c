"""WhatsApp through Twilio: form posts in, Inbound out."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.whatsapp import parse
from tests.unit.support import NOW


def form(**fields: str) -> dict[str, str]:
    base = {"SmsMessageSid": "SM1", "NumMedia": "0", "ProfileName": "Brahim",
            "MessageSid": "SM0123456789abcdef0123456789abcdef", "AccountSid": "AC1",
            "From": "whatsapp:+212612345678", "To": "whatsapp:+14155238886", "Body": "",
            "NumSegments": "1", "WaId": "212612345678", "ApiVersion": "2010-04-01"}
    return {**base, **fields}


def test_a_text_message_becomes_an_inbound_with_its_text() -> None:
    msg = parse(form(Body="Salam, bghit n3awn"), NOW)
    assert msg is not None
    assert msg.identity == "whatsapp:+212612345678"
    assert msg.provider_id == "twilio:SM0123456789abcdef0123456789abcdef"
    assert msg.text == "Salam, bghit n3awn"
    assert msg.received_at == NOW
    assert not msg.media and msg.location is None


def test_an_empty_body_becomes_no_text() -> None:
    msg = parse(form())
    assert msg is not None
    assert msg.text is None and msg.is_empty


def test_a_quick_reply_button_payload_wins_over_the_body() -> None:
    msg = parse(form(Body="Yes", ButtonPayload="yes", ButtonText="Yes"))
    assert msg is not None
    assert msg.text == "yes"


def test_an_ogg_audio_becomes_a_voice_note() -> None:
    msg = parse(form(NumMedia="1", MediaContentType0="audio/ogg",
                     MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"))
    assert msg is not None
    assert [(m.kind, m.mime) for m in msg.media] == [("voice", "audio/ogg")]
    assert msg.media[0].ref.endswith("/Media/ME1")
    assert msg.is_empty


def test_a_webp_image_becomes_a_sticker() -> None:
    msg = parse(form(NumMedia="1", MediaContentType0="image/webp", MediaUrl0="https://x/1"))
    assert msg is not None
    assert [m.kind for m in msg.media] == ["sticker"]


def test_several_media_are_kept_in_order() -> None:
    msg = parse(form(NumMedia="3", Body="photos du chantier",
                     MediaContentType0="image/jpeg", MediaUrl0="https://x/0",
                     MediaContentType1="video/mp4", MediaUrl1="https://x/1",
                     MediaContentType2="application/pdf", MediaUrl2="https://x/2"))
    assert msg is not None
    assert [m.kind for m in msg.media] == ["photo", "video", "document"]
    assert msg.text == "photos du chantier"


def test_a_media_count_that_is_not_a_number_means_no_media() -> None:
    msg = parse(form(NumMedia="many", MediaContentType0="image/jpeg", MediaUrl0="https://x/0"))
    assert msg is not None
    assert msg.media == ()


def test_a_media_without_a_url_is_left_out() -> None:
    msg = parse(form(NumMedia="1", MediaContentType0="image/jpeg"))
    assert msg is not None
    assert msg.media == ()


def test_latitude_and_longitude_become_a_location() -> None:
    msg = parse(form(Latitude="31.6295", Longitude="-7.9811", Address="Marrakech"))
    assert msg is not None
    assert msg.location is not None
    assert (msg.location.latitude, msg.location.longitude) == (31.6295, -7.9811)


def test_an_unreadable_location_is_left_out() -> None:
    msg = parse(form(Latitude="north", Longitude="-7.98"))
    assert msg is not None
    assert msg.location is None


def test_a_form_without_a_sender_is_not_a_message() -> None:
    fields = form(Body="hello")
    del fields["From"]
    assert parse(fields) is None


def test_a_form_without_a_message_sid_is_not_a_message() -> None:
    fields = form(Body="hello")
    del fields["MessageSid"]
    assert parse(fields) is None


def test_an_sms_sender_is_not_a_whatsapp_message() -> None:
    assert parse(form(From="+212612345678", Body="hello")) is None


KEYS = ["From", "MessageSid", "Body", "ButtonPayload", "NumMedia", "MediaUrl0",
        "MediaContentType0", "MediaUrl1", "MediaContentType1", "Latitude", "Longitude"]


@settings(max_examples=50, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(KEYS), st.text(max_size=30)))
def test_any_form_is_parsed_without_raising(fields: dict[str, str]) -> None:
    msg = parse({"From": "whatsapp:+212612345678", "MessageSid": "SM1", **fields})
    if msg is not None:
        assert msg.identity.startswith("whatsapp:+")
        assert len(msg.media) <= 10


def test_an_invitations_prefilled_start_text_is_read_as_start_with_its_code() -> None:
    from bot.adapters.whatsapp import parse

    form = {"From": "whatsapp:+33600000001", "MessageSid": "SM1", "Body": "START ipzuvw5ehx"}
    message = parse(form)
    assert message is not None
    assert (message.command, message.payload, message.text) == ("start", "ipzuvw5ehx", None)
    form["Body"] = "START please"
    message = parse(form)
    assert message is not None and (message.command, message.text) == (None, "START please")
