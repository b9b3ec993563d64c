"""A second member asks to join an organisation; a representative accepts, across apps."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.i18n import Translator
from core.models import OrganisationMember
from tests.e2e.harness import Chat, Served
from tests.e2e.test_organisation import load_territories


def register_tamount(chat: Chat) -> None:
    """Onboards a French representative on WhatsApp who registers Coopérative Tamount."""
    chat.say("Bonjour")
    chat.expect_reply()
    for answer in ("1", "1", "1", "3", "Coopérative Tamount", "3", "tafraout", "1", "oui"):
        chat.say(answer)  # language, consent, role, register, name, kind, commune, pick, yes
        chat.expect_reply()


def test_a_request_to_join_is_accepted_by_a_representative_on_another_app(
        served: Served) -> None:
    load_territories(served)
    first = Chat(served, "whatsapp:+212600000401")
    register_tamount(first)

    second = Chat(served, "telegram:7401", "en")
    en = Translator("en")
    second.say("Hello")
    second.expect_reply()
    for answer in ("1", "1", "1"):  # English, consent, representative
        second.say(answer)
        second.expect_reply()
    second.say("4")  # Join an organisation already registered
    second.expect_reply(en.gettext("Which organisation do you want to join? Write its name."))
    second.say("tamount")
    second.expect_reply(en.gettext("Which of these organisations?"))
    assert "Coopérative Tamount (Tafraout)" in second.transcript[-1]
    second.say("1")
    second.expect_reply("Tell its representatives who you are")
    second.say("Fatima, trésorière")
    second.expect_reply("Your request to join Coopérative Tamount was sent")

    alert = first.expect_reply("Quelqu'un demande à rejoindre Coopérative Tamount")
    assert "« Fatima, trésorière »" in alert and "7401" not in alert  # no chat id shown
    first.say("menu")
    menu = first.expect_reply("1. Demandes d'adhésion (1)")
    assert menu
    first.say("1")
    first.expect_reply("« Fatima, trésorière » → Coopérative Tamount")
    first.say("1")
    first.expect_reply("Accepter « Fatima, trésorière » comme représentant de Coopérative Tamount")
    first.say("1")
    first.expect_reply("Accepté")

    second.expect_reply("Good news: you are now a representative of Coopérative Tamount.")
    with Session(served.container.engine) as session:
        statuses = sorted(m.status for m in session.exec(select(OrganisationMember)))
    assert statuses == ["active", "active"]


def test_a_declined_request_is_told_kindly_and_leaves_no_membership(served: Served) -> None:
    load_territories(served)
    first = Chat(served, "whatsapp:+212600000402")
    register_tamount(first)
    second = Chat(served, "whatsapp:+212600000403")
    second.say("Bonjour")
    second.expect_reply()
    for answer in ("1", "1", "1", "4", "Tamount", "1", "Ahmed, membre"):
        second.say(answer)
        second.expect_reply()
    first.expect_reply("Quelqu'un demande à rejoindre")
    for answer in ("menu", "1", "1", "2"):  # open the requests, the first, decline
        first.say(answer)
        first.expect_reply()
    second.expect_reply("ont refusé votre demande")
    with Session(served.container.engine) as session:
        statuses = sorted(m.status for m in session.exec(select(OrganisationMember)))
    assert statuses == ["active", "declined"]
