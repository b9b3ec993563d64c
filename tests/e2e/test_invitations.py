"""Invitation QR codes, drawn by this server, carry the invitation's link."""

from __future__ import annotations

import io

import segno

from bot.bootstrap import invite_links
from core import invitations
from core.models import Territory, utcnow
from tests.e2e.harness import Served


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
