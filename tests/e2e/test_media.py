"""Voice notes and photos cross channels through signed links to this server."""

from __future__ import annotations

from core import media
from core.models import Organisation, Project, ProjectMedia, Territory
from tests.e2e.harness import TOKEN, TWILIO_SID, Served


def stored(served: Served, channel: str, ref: str) -> int:
    """Stores a media item of a project as if a person had sent it on `channel`."""
    with served.container.uow() as uow:
        uow.session.add(Territory(code="09.581.01.05", kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت"))
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="association",
                                    commune_code="09.581.01.05")
        uow.session.add(organisation)
        uow.session.flush()
        project = Project(ref="P-MEDIA2", organisation_id=organisation.id or 0,
                          commune_code="09.581.01.05", title="Water", theme="water",
                          kind="local")
        uow.session.add(project)
        uow.session.flush()
        item = ProjectMedia(project_id=project.id or 0, kind="voice", channel=channel, ref=ref,
                            mime="audio/ogg")
        uow.session.add(item)
        uow.session.commit()
        return item.id or 0


def link(served: Served, media_id: int) -> str:
    return "/media/" + media.token(media_id, media.key(served.container.settings))


def test_a_telegram_voice_note_is_served_to_whoever_holds_its_signed_link(
        served: Served) -> None:
    served.telegram.add_file(TOKEN, "voice-77", b"OggS-telegram")
    media_id = stored(served, "telegram", "voice-77")
    response = served.http.get(link(served, media_id))
    assert response.status_code == 200
    assert response.content == b"OggS-telegram"
    assert response.headers["content-type"] == "audio/ogg"
    assert any(c.method == "getFile" for c in served.telegram.calls)


def test_a_whatsapp_voice_note_is_fetched_from_twilio_with_our_credentials(
        served: Served) -> None:
    path = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/MM1/Media/ME1"
    served.twilio.files[path] = (b"OggS-whatsapp", "audio/ogg")
    media_id = stored(served, "whatsapp", served.twilio.url + path)
    response = served.http.get(link(served, media_id))
    assert (response.status_code, response.content) == (200, b"OggS-whatsapp")
    assert served.twilio.downloads == [path]


def test_a_link_with_a_wrong_signature_or_an_unknown_item_serves_nothing(
        served: Served) -> None:
    media_id = stored(served, "telegram", "voice-78")
    good = link(served, media_id)
    for bad in (good[:-1] + ("0" if good[-1] != "0" else "1"), f"/media/{media_id}",
                "/media/abc-def", link(served, media_id + 1), "/media/" + "9" * 40):
        assert served.http.get(bad).status_code == 404, bad


def test_a_media_url_outside_twilio_is_never_fetched(served: Served) -> None:
    media_id = stored(served, "whatsapp", "http://127.0.0.1:9/elsewhere")
    assert served.http.get(link(served, media_id)).status_code == 502
