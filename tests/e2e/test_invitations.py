"""Invitation QR codes, drawn by this server, carry the invitation's link."""

from __future__ import annotations

import io

import pytest
import segno
from sqlmodel import Session, select

from bot.bootstrap import invite_links
from bot.i18n import Translator
from core import invitations, territories
from core.models import Invitation, Person, Territory, utcnow
from tests.e2e.harness import Chat, Served


def test_the_qr_code_of_an_invitation_is_the_link_it_names(served: Served) -> None:
    with served.container.uow() as uow:
        uow.session.add(Territory(code="09.581.01.05", kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت"))
        uow.session.flush()
        code = invitations.create(uow, "commune", "09.581.01.05", None, utcnow()).code
        uow.commit()
    response = served.http.get(f"/qr/{code}.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    link = invite_links(served.container.settings, served.container.adapters, code).first
    assert link is not None and code in link
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="png", scale=8, border=4)
    assert response.content == expected.getvalue()  # regenerated from the link: the same
    assert served.http.get("/qr/nosuchcode.png").status_code == 404


def invitation_to_tafraout(served: Served) -> str:
    """Loads the communes, approves a project in Tafraout and invites to the commune."""
    from tests.e2e.test_experts import water_project

    with served.container.uow() as uow:
        territories.load(uow)
        uow.commit()
    water_project(served)
    with served.container.uow() as uow:
        code = invitations.create(uow, "commune", "09.581.01.05", None, utcnow()).code
        uow.commit()
    return code


@pytest.mark.parametrize("channel", ["telegram", "whatsapp"])
def test_a_person_arriving_by_a_communes_link_is_tagged_and_offered_it_first(
        served: Served, channel: str) -> None:
    code = invitation_to_tafraout(served)
    t = Translator("fr")
    if channel == "telegram":
        chat = Chat(served, "telegram:9301", "fr")
        chat.say(f"/start {code}")  # what https://t.me/<bot>?start=<code> sends
    else:
        chat = Chat(served, "whatsapp:+33600009302")
        chat.say(f"START {code}")  # what the wa.me link prefills
    chat.expect_reply()
    for answer in ("Français", t.gettext("I agree"), t.gettext("I want to support projects"),
                   t.gettext("Browse projects")):
        chat.say(answer)
        chat.expect_reply()
    offered = chat.transcript[-1]
    first = t.gettext("Projects of {commune}").format(commune="Tafraout")
    assert first in offered
    chat.say("1")  # offered first
    chat.expect_reply()
    assert "Eau de Tazka" in chat.transcript[-1]
    with Session(served.container.engine) as session:
        person = session.exec(select(Person).where(Person.referral == code)).one()
        invitation = session.get(Invitation, code)
        assert person.consent_at is not None
        assert invitation is not None and (invitation.opened, invitation.registered) == (1, 1)
