"""A representative registers their organisation through the real webhooks."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.i18n import Translator
from core import territories
from core.models import Organisation, OrganisationMember, Person
from tests.e2e.harness import Chat, Served

TAFRAOUT = "09.581.01.05"


def load_territories(served: Served) -> None:
    with served.container.uow() as uow:
        territories.load(uow)


def registered(served: Served) -> tuple[Organisation, OrganisationMember, Person]:
    with Session(served.container.engine) as session:
        organisation = session.exec(select(Organisation)).one()
        member = session.exec(select(OrganisationMember)).one()
        person = session.exec(select(Person)).one()
        return organisation, member, person


def test_a_representative_registers_a_cooperative_on_whatsapp_in_french(served: Served) -> None:
    load_territories(served)
    chat = Chat(served, "whatsapp:+212600000301")
    t = Translator("fr")
    chat.say("Bonjour")
    chat.expect_reply("Français")
    for answer in ("Français", "1", "1"):  # language, consent, representative
        chat.say(answer)
        chat.expect_reply()
    assert "3. Enregistrer mon organisation" in chat.transcript[-1]
    chat.say("3")
    chat.expect_reply(t.gettext("What is the name of your organisation?"))
    chat.say("Coopérative Tamount")
    chat.expect_reply(t.gettext("What kind of organisation is it?"))
    chat.say("3")
    chat.expect_reply(t.gettext("In which commune is it? Please write the name of the commune."))
    chat.say("tafrawt")
    chat.expect_reply("1. Tafraout (Tiznit)")
    chat.say("1")
    chat.expect_reply("• Commune : Tafraout (Tiznit)")
    chat.say("oui")
    chat.expect_reply("Coopérative Tamount est enregistrée.")

    organisation, member, person = registered(served)
    assert (organisation.name, organisation.kind, organisation.commune_code) == (
        "Coopérative Tamount", "cooperative", TAFRAOUT)
    assert (member.organisation_id, member.person_id, member.role) == (
        organisation.id, person.id, "representative")
    assert organisation.created_by == person.id

    chat.say("menu")
    chat.expect_reply()
    chat.say("6")  # "See what you know about me": the organisation is part of it
    chat.expect_reply("• Organisations que vous représentez : Coopérative Tamount (Tafraout)")


def test_a_representative_registers_an_association_with_telegram_buttons_in_arabic(
        served: Served) -> None:
    load_territories(served)
    chat = Chat(served, "telegram:7301", "ar")
    t = Translator("ar")
    chat.say("السلام عليكم")
    chat.expect_reply()
    for _answer in range(3):  # Arabic, consent, representative: each the first button
        chat.press(1)
        chat.expect_reply()
    chat.press(t.gettext("Register my organisation"))
    chat.expect_reply(t.gettext("What is the name of your organisation?"))
    chat.say("جمعية تامونت للتنمية")
    chat.expect_reply(t.gettext("What kind of organisation is it?"))
    chat.press(t.gettext("Association"))
    chat.expect_reply(t.gettext("In which commune is it? Please write the name of the commune."))
    chat.say("تفراوت")
    chat.expect_reply(t.gettext("Which of these communes is it?"))
    chat.press("تافراوت (تيزنيت)")
    chat.expect_reply(t.gettext("Register this organisation?"))
    chat.press(t.gettext("Yes, register it"))
    chat.expect_reply(t.gettext("{name} is registered. You are its representative.").format(
        name=t.iso("جمعية تامونت للتنمية")))

    organisation, member, person = registered(served)
    assert (organisation.name, organisation.kind, organisation.commune_code) == (
        "جمعية تامونت للتنمية", "association", TAFRAOUT)
    assert (member.person_id, member.role, member.status) == (person.id, "representative",
                                                              "active")
    assert person.roles == "representative"
