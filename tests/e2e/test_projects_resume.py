"""A representative stops halfway through declaring a project and comes back days later."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.i18n import Translator
from core import territories
from core.models import Project, utcnow
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import Chat, Served, serve, settings_for
from tests.e2e.test_projects import turn

Later = list[timedelta]


@pytest.fixture
def later() -> Later:
    return [timedelta(0)]


@pytest.fixture
def app(fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str, later: Later
        ) -> Iterator[Served]:
    telegram, twilio = fakes
    with serve(settings_for(sqlite_url, telegram, twilio), telegram, twilio,
               clock=lambda: utcnow() + later[0]) as served:
        with served.container.uow() as uow:
            territories.load(uow)
        yield served


def representative(app: Served) -> Chat:
    """A representative writing Darija on WhatsApp, with a registered association."""
    rep = Chat(app, "whatsapp:+212600000601")
    _ = Translator("ar").gettext
    for answer in ("السلام", "العربية", "1", "1", _("Register my organisation"),
                   "جمعية تازكا", _("Association"), "تافراوت", "1", _("Yes, register it")):
        turn(rep, answer)
    return rep


def test_three_days_later_the_declaration_goes_on_where_it_stopped(app: Served,
                                                                    later: Later) -> None:
    _ = Translator("ar").gettext
    rep = representative(app)
    for answer in (_("Declare a project"), "1", "بير ديال الما", "بغينا نحفرو بير"):
        turn(rep, answer)
    turn(rep, "1", _("What is the project's theme?"))
    later[0] = timedelta(days=3)
    turn(rep, "الماء", _("What kind of project is it?"))


def test_after_a_long_silence_the_draft_waits_in_my_projects(app: Served, later: Later) -> None:
    _ = Translator("ar").gettext
    rep = representative(app)
    for answer in (_("Declare a project"), "1", "بير ديال الما", "بغينا نحفرو بير", "1",
                   _("Water"), _("Local development project"), _("No"), _("Yes")):
        turn(rep, answer)
    turn(rep, _("Yes, save it"), _("What problem does the project solve?"))
    turn(rep, "ما كاينش الما فالصيف", _("Who will benefit, and about how many people?"))

    later[0] = timedelta(days=20)
    turn(rep, "٣٠٠ عائلة", _("Welcome back!"))  # too old to be an answer: the menu
    listing = turn(rep, _("My projects"))
    assert _("draft") in listing and "بير ديال الما" in listing
    turn(rep, "1")  # the draft
    turn(rep, _("Continue: what the project needs"), _("What problem does the project solve?"))
    with Session(app.container.engine) as session:
        project = session.exec(select(Project)).one()
        assert (project.title, project.status) == ("بير ديال الما", "draft")
