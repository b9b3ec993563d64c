"""An expert from the diaspora registers, browses water projects of a province, follows one
and receives its next progress update; through the real webhooks, in four languages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from bot.i18n import NATIVE_NAMES, Translator
from core import commands as c
from core import experts, services, territories
from core.models import Organisation, OrganisationMember, Person
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import Chat, Served, serve, settings_for

TAFRAOUT = "09.581.01.05"
REF = "P-WATER2"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Script:
    hello: str
    skill: str
    country: str
    city: str
    origin: str
    hours: str
    visits: str
    place: str
    update: str


SCRIPTS = {
    "fr": Script("Bonjour", "ingénieur hydraulique", "France", "Paris", "Tafraout", "10",
                 "août 2027", "Tiznit", "Le puits est creusé !"),
    "ar": Script("السلام عليكم", "مهندس السقي", "فرنسا", "باريس", "تافراوت", "١٠",
                 "غشت 2027", "تيزنيت", "حفرنا البير!"),
    "zgh": Script("ⴰⵣⵓⵍ", "ⵜⴰⵏⵊⵉⵏⵢⵓⵔⵉⵜ ⵏ ⵓⵙⵙⵓ", "ⴼⵔⴰⵏⵙⴰ", "Paris", "ⵜⴰⴼⵔⴰⵡⵜ", "10",
                  "ⵖⵓⵛⵜ 2027", "ⵜⵉⵣⵏⵉⵜ", "ⵏⵖⵣ ⴰⵏⵓ!"),
    "en": Script("Hello", "hydraulic engineer", "France", "Paris", "Tafraout", "10",
                 "August 2027", "Tiznit", "The well is dug!"),
}
#: Where each language's expert writes from: Telegram, and WhatsApp too.
CHANNELS = {"fr": "telegram:8101", "ar": "whatsapp:+33600008102", "zgh": "telegram:8103",
            "en": "whatsapp:+33600008104"}


@pytest.fixture
def app(fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> Iterator[Served]:
    telegram, twilio = fakes
    with serve(settings_for(sqlite_url, telegram, twilio), telegram, twilio) as served:
        with served.container.uow() as uow:
            territories.load(uow)
            uow.commit()
        yield served


def water_project(app: Served) -> int:
    """An approved water project in Tafraout; returns its representative's id."""
    with app.container.uow() as uow:
        rep = services.register_contact(uow, "whatsapp:+212600000801", "ar", NOW)
        animator = services.register_contact(uow, "telegram:8001", "fr", NOW)
        rep.roles, animator.roles = "representative", "animator"
        rep.consent_at = NOW
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
        uow.session.add(organisation)
        uow.session.flush()
        uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                           person_id=rep.id or 0))
        uow.session.flush()
        for command in (c.CreateProject(REF, organisation.id or 0, TAFRAOUT, "Eau de Tazka",
                                        "Un puits", "water", "local", None, "no", None),
                        c.AddNeed(REF, "money", label="pompe", unit="MAD", requested=40_000),
                        c.SubmitProject(REF)):
            services.execute(command, uow, rep, NOW)
        services.execute(c.ReviewProject(REF, "approve"), uow, animator, NOW)
        uow.commit()
        return rep.id or 0


def turn(chat: Chat, text: str, contains: str | None = None) -> str:
    chat.say(text)
    return chat.expect_reply(contains)


def register(expert: Chat, language: str) -> None:
    """Registers, as an expert, a hydraulic engineer living in Paris who speaks Tamazight,
    gives 10 hours a month remotely and will be in Morocco in August 2027."""
    s, t = SCRIPTS[language], Translator(language)
    _ = t.gettext
    for answer in (s.hello, NATIVE_NAMES[language], _("I agree"),
                   _("I want to offer my skills"), s.skill, "1", _("Expert"), _("That's all"),
                   "3", _("Done"), s.country, s.city, _("Yes"), s.origin, "1",
                   "1", _("Done"), s.hours, _("Remotely"), s.visits, _("That's all"), "2",
                   _("Yes")):
        turn(expert, answer)
    turn(expert, _("Save"), _("What would you like to do?"))


@pytest.mark.parametrize("language", ["fr", "ar", "zgh", "en"])
def test_an_expert_registers_browses_follows_and_receives_the_next_update(
        app: Served, language: str) -> None:
    s, t = SCRIPTS[language], Translator(language)
    _ = t.gettext
    water_project(app)
    expert = Chat(app, CHANNELS[language], language)
    register(expert, language)
    with Session(app.container.engine) as session:
        person_id = session.exec(select(Person.id).where(Person.language == language,
                                                          Person.roles == "expert")).one()
    with app.container.uow() as uow:
        profile = experts.profile(uow, person_id or 0)
    assert profile is not None
    assert [(k.code, k.level) for k in profile.skills] == [
        ("water.irrigation_engineering", "expert")]
    assert (profile.languages, profile.country, profile.timezone, profile.origin_code) == (
        ("zgh",), "FR", "Europe/Paris", TAFRAOUT)
    assert (profile.hours_per_month, profile.mode, profile.themes) == (10, "remote",
                                                                       ("water",))
    assert [(v.starts.isoformat(), v.ends.isoformat()) for v in profile.visits] == [
        ("2027-08-01", "2027-08-31")]
    assert (profile.proposals_per_month, profile.accepts_proposals) == (2, True)

    # Water projects in the province of Tiznit: the theme, then the province.
    for answer in (_("Browse projects"), _("By theme"), _("Water"), _("Change the filters"),
                   _("By region or province"), s.place):
        turn(expert, answer)
    turn(expert, "1")  # the province, first of the places found
    assert "Eau de Tazka" in expert.transcript[-1]  # a button on Telegram, a line on WhatsApp
    card = turn(expert, "1")
    assert t.amount(40_000) in card
    assert t.iso("تافراوت" if language == "ar" else "Tafraout") in card
    turn(expert, _("Follow this project"), _("You follow “{title}”: you will receive its "
                                              "news.").format(title=t.iso("Eau de Tazka")))

    representative = Chat(app, "whatsapp:+212600000801")
    ar = Translator("ar").gettext
    for answer in ("menu", ar("My projects"), "1", ar("Post a progress update")):
        turn(representative, answer)
    turn(representative, s.update, ar("Your update is saved. The project's followers will "
                                      "receive it."))
    news = expert.expect_reply()
    assert news == _("News from “{title}”: {update}").format(title=t.iso("Eau de Tazka"),
                                                             update=t.iso(s.update))
    expert.expect_silence(0.2)
