"""A representative declares a water project on WhatsApp, with a voice note, a skill need
and a money need; an animator approves it on Telegram; the representative is told. In each
of the four languages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from bot.i18n import NATIVE_NAMES, Translator
from core import projects, territories
from core.models import Need, Person, Project, ProjectMedia
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import PUBLIC, Chat, Served, serve, settings_for

TAFRAOUT = "09.581.01.05"
ANIMATOR = "telegram:9001"
VOICE = b"OggS-the-project-explained"


@dataclass(frozen=True)
class Script:
    """What a representative types, in one language (Darija for Arabic)."""

    hello: str
    organisation: str
    commune: str
    title: str
    description: str
    problem: str
    beneficiaries: str
    existing: str
    missing: str
    maintenance: str
    amount: str
    purpose: str
    skill: str
    effort: str


SCRIPTS = {
    "ar": Script("السلام عليكم", "جمعية تازكا للماء", "تفراوت",
                 "الما ديال الشرب لدوار تازكا", "بغينا نحفرو بير ونركبو بومبا بالطاقة الشمسية",
                 "ما كاينش الما فالصيف", "٣٠٠ عائلة", "عندنا الأرض والعين", "٢ ٣",
                 "الجمعية مع لجنة الما", "40 ألف درهم", "البومبا الشمسية", "السقي",
                 "١٠ أيام"),
    "zgh": Script("ⴰⵣⵓⵍ", "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ ⵏ ⵜⴰⵣⴽⴰ", "ⵜⴰⴼⵔⴰⵡⵜ", "ⴰⵎⴰⵏ ⵏ ⵜⵉⵙⵙⵉ ⵉ ⵜⴰⵣⴽⴰ",
                  "ⵏⵔⴰ ⴰⴷ ⵏⵖⵣ ⴰⵏⵓ", "ⵓⵔ ⵉⵍⵍⵉ ⵡⴰⵎⴰⵏ ⴳ ⵉⵏⴱⴷⵓ", "300 ⵜⵡⴰⵛⵓⵏ", "ⵍⵍⴰⵏ ⵡⴰⴽⴰⵍ",
                  "2 3", "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ", "40000", "ⵜⴰⵎⴰⵛⵉⵏⵜ", "ⵜⴰⵏⵊⵉⵏⵢⵓⵔⵉⵜ ⵏ ⵓⵙⵙⵓ",
                  "10 ⵡⵓⵙⵙⴰⵏ"),
    "fr": Script("Bonjour", "Association Tazka pour l'eau", "tafraout",
                 "Eau potable pour Tazka",
                 "Nous voulons creuser un puits et installer une pompe solaire.",
                 "Pas d'eau en été", "300 familles", "Nous avons le terrain et une source",
                 "2 3", "L'association, avec un comité de l'eau", "40 000 DH",
                 "La pompe solaire", "ingénieur irrigation", "10 jours"),
    "en": Script("Hello", "Tazka water association", "Tafrawt", "Drinking water for Tazka",
                 "We want to dig a well and install a solar pump.", "No water in summer",
                 "300 families", "We have the land and a spring", "2 3",
                 "The association, with a water committee", "40,000 dirhams",
                 "The solar pump", "irrigation", "10 days"),
}


@pytest.fixture
def app(fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> Iterator[Served]:
    telegram, twilio = fakes
    settings = settings_for(sqlite_url, telegram, twilio, ANIMATORS=ANIMATOR)
    with serve(settings, telegram, twilio) as served:
        with served.container.uow() as uow:
            territories.load(uow)
        served.container.seed()
        yield served


def turn(chat: Chat, text: str, contains: str | None = None) -> str:
    """Says something and returns the one reply it gets."""
    chat.say(text)
    return chat.expect_reply(contains)


def declare(rep: Chat, language: str) -> None:
    """Onboards a representative, registers their association and declares the project."""
    s, t = SCRIPTS[language], Translator(language)
    _ = t.gettext
    turn(rep, s.hello)
    turn(rep, NATIVE_NAMES[language])
    turn(rep, "1")  # consent
    turn(rep, "1")  # representative
    for answer in (_("Register my organisation"), s.organisation, _("Association"), s.commune,
                   "1", _("Yes, register it"), _("Declare a project"), "1"):
        turn(rep, answer)
    turn(rep, s.title, _("Describe the project: what, where, for whom. You can write, or "
                         "send voice notes and photos."))
    turn(rep, s.description)
    rep.send_voice(VOICE)
    rep.expect_reply(t.ngettext("{n} voice note", "{n} voice notes", 1).format(n=t.number(1)))
    for answer in ("1", _("Water"), _("Local development project"), _("No"), _("Yes")):
        turn(rep, answer)
    turn(rep, _("Yes, save it"), _("What problem does the project solve?"))
    for answer in (s.problem, s.beneficiaries, s.existing, s.missing, _("Done"),
                   s.maintenance, _("Add it"), s.amount, s.purpose, _("Add it"), s.skill):
        turn(rep, answer)
    turn(rep, "1")  # the first skill found
    for answer in (_("on site"), s.effort, _("No particular date")):
        turn(rep, answer)
    turn(rep, _("Send it for review"),
         _("Sent! An animator will review it; I will tell you the outcome here."))


def approve(animator: Chat) -> str:
    """Onboards the animator in French, opens the queue and approves the first project;
    returns the project's card as the animator saw it."""
    fr = Translator("fr")
    animator.say("/start")
    animator.expect_reply()
    animator.press("Français")
    animator.expect_reply()
    animator.press(fr.gettext("I agree"))
    animator.expect_reply()
    animator.press(1)
    animator.expect_reply()
    animator.press(fr.gettext("Projects to review ({count})").format(count=1))
    animator.expect_reply()
    animator.press(1)
    card = animator.expect_reply()
    animator.press(fr.gettext("Approve"))
    animator.expect_reply(fr.gettext("Approved: the project is now visible, and its "
                                     "representatives are told."))
    return card


@pytest.mark.parametrize("language", ["ar", "zgh", "fr", "en"])
def test_a_whatsapp_representative_declares_a_project_an_animator_approves_it_on_telegram(
        app: Served, language: str) -> None:
    s, t = SCRIPTS[language], Translator(language)
    rep = Chat(app, "whatsapp:+212600000501")
    declare(rep, language)

    with Session(app.container.engine) as session:
        project = session.exec(select(Project)).one()
        needs = session.exec(select(Need).order_by(Need.id)).all()
        voice = session.exec(select(ProjectMedia)).one()
        assert (project.title, project.commune_code, project.theme, project.kind,
                project.pcd, project.status) == (s.title, TAFRAOUT, "water", "local", "no",
                                                 "awaiting_review")
        assert [(n.kind, n.unit, n.requested, n.skill_code, n.mode) for n in needs] == [
            ("money", "MAD", 40_000, None, None),
            ("skill", "days", 10, "water.irrigation_engineering", "on_site")]
        assert (voice.kind, voice.channel) == ("voice", "whatsapp")
        ref = project.ref

    animator = Chat(app, ANIMATOR, "fr")
    animator.expect_reply()  # told of the new project (in the default language, Arabic)
    card = approve(animator)
    assert s.title in card and "Tafraout (Tiznit)" in card
    assert Translator("fr").amount(40_000) in card
    assert "+212600000501" not in card  # the representative's number stays theirs

    # The voice note recorded on WhatsApp reached the animator on Telegram through a signed
    # link to this server, which fetches it from Twilio.
    sent = app.telegram.media_sent(9001)
    assert [c.method for c in sent] == ["sendVoice"]
    link = str(sent[0].params["voice"])
    assert link.startswith(PUBLIC + "/media/")
    assert app.http.get(link.removeprefix(PUBLIC)).content == VOICE

    told = rep.expect_reply()
    assert told == t.gettext("Good news: your project “{title}” is approved. It is now "
                             "visible to the experts and supporters of the community.").format(
        title=t.iso(s.title))
    with app.container.uow() as uow:
        trail = [(e.action, e.to_status) for e in projects.history(uow, ref)]
        animator_id = uow.session.exec(select(Person.id).where(
            Person.roles.contains("animator"))).one()
        approved_by = projects.history(uow, ref)[-1].person_id
    assert trail == [("created", "draft"), ("diagnosis", None), ("need_added", None),
                     ("need_added", None), ("submitted", "awaiting_review"),
                     ("approved", "open")]
    assert approved_by == animator_id
    rep.expect_silence(0.2)
