"""Requests to talk to a person: tickets in core, the person's chat with the team and the
animators' answers, step by step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.flows import respond
from bot.flows.engine import render
from bot.i18n import Translator
from core import commands as c
from core import services, tickets
from core.domain.people import Role
from core.models import HandoffMessage, Person
from core.tickets import Said, Ticket
from core.uow import UnitOfWork
from tests.unit.support import LANGUAGES, NOW, context, inbound, member, person, sticker

Uow = Callable[[], UnitOfWork]
CHAT, LIST, CARD, ANSWER, MAIN = ("handoff.chat", "tickets.list", "tickets.card",
                                  "tickets.answer", "menu.main")


# --- core -----------------------------------------------------------------------------------

def people(uow_factory: Uow) -> tuple[int, int, int]:
    with uow_factory() as uow:
        asker = services.register_contact(uow, "whatsapp:+212600000555", "zgh", NOW)
        animator = services.register_contact(uow, "telegram:555", "fr", NOW)
        other = services.register_contact(uow, "telegram:556", "en", NOW)
        animator.roles, other.roles = "animator", "supporter"
        uow.commit()
        return asker.id or 0, animator.id or 0, other.id or 0


def run(uow_factory: Uow, who: int, command: c.Command, minutes: int = 0) -> None:
    with uow_factory() as uow:
        found = uow.session.get(Person, who)
        assert found is not None
        services.execute(command, uow, found, NOW + timedelta(minutes=minutes))
        uow.commit()


def test_a_request_opens_once_and_keeps_what_both_sides_said(uow_factory: Uow) -> None:
    asker, animator, _other = people(uow_factory)
    run(uow_factory, asker, c.RequestHuman("menu.main"))
    run(uow_factory, asker, c.RequestHuman("browse.filter"))  # the same request goes on
    run(uow_factory, asker, c.SayToTicket("  ⵎⴰⵏⵉ ⵖⴰ ⴰⴷ ⴰⴼⵖ?  "))
    with uow_factory() as uow:
        (open_,) = tickets.open_tickets(uow)
    assert (open_.person_id, open_.language, open_.channel, open_.state) == (
        asker, "zgh", "whatsapp", "menu.main")
    run(uow_factory, animator, c.AnswerTicket(open_.id, "Azul !"), minutes=1)
    with uow_factory() as uow:
        found = tickets.ticket(uow, open_.id)
    assert found is not None
    assert [(s.from_staff, s.text) for s in found.messages] == [
        (False, "ⵎⴰⵏⵉ ⵖⴰ ⴰⴷ ⴰⴼⵖ?"), (True, "Azul !")]
    run(uow_factory, animator, c.CloseTicket(open_.id), minutes=2)
    with uow_factory() as uow:
        assert tickets.open_tickets(uow) == []
        assert tickets.open_request(uow, asker) is None


def test_only_animators_answer_or_close_and_never_a_closed_request(uow_factory: Uow) -> None:
    asker, animator, other = people(uow_factory)
    run(uow_factory, asker, c.RequestHuman("menu.main"))
    with uow_factory() as uow:
        ticket_id = tickets.open_tickets(uow)[0].id
    for who, command in ((other, c.AnswerTicket(ticket_id, "hi")),
                         (asker, c.CloseTicket(ticket_id))):
        with pytest.raises(c.Refused):
            run(uow_factory, who, command)
    run(uow_factory, animator, c.CloseTicket(ticket_id))
    with pytest.raises(c.Refused):
        run(uow_factory, animator, c.AnswerTicket(ticket_id, "too late"))
    with pytest.raises(c.Refused):  # nothing open to write on
        run(uow_factory, asker, c.SayToTicket("hello?"))


def test_erasing_a_person_erases_their_requests_and_what_they_wrote(uow_factory: Uow) -> None:
    asker, animator, _other = people(uow_factory)
    run(uow_factory, asker, c.RequestHuman("menu.main"))
    run(uow_factory, asker, c.SayToTicket("my number is +212600000555"))
    run(uow_factory, asker, c.ErasePerson())
    with uow_factory() as uow:
        assert list(uow.session.exec(select(HandoffMessage))) == []
        assert tickets.open_tickets(uow) == []


# --- the person's chat with the team --------------------------------------------------------

def chat_ctx(language: str = "en", *, open_: bool = True) -> Any:
    ctx = context(member(language))
    ctx.facts = {**ctx.facts, "my_ticket": object() if open_ else None}
    return ctx


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_the_person_writes_goes_to_the_team(language: str) -> None:
    outcome = respond(inbound("Where is the water project?"), chat_ctx(language), CHAT)
    assert (outcome.state, outcome.commands) == (CHAT, [c.SayToTicket(
        "Where is the water project?")])
    assert [r.text for r in outcome.say] == [Translator(language).gettext(
        "✓ Passed on to the team.")]


@pytest.mark.parametrize("message", [inbound(""), inbound("x" * 2001), inbound("\u200f\u200e"),
                                     sticker()])
def test_nothing_readable_is_not_passed_on(message: Any) -> None:
    outcome = respond(message, chat_ctx(), CHAT)
    assert (outcome.state, outcome.commands) == (CHAT, [])
    assert outcome.hint


def test_once_the_request_is_closed_the_person_is_told_and_back_at_the_menu() -> None:
    outcome = respond(inbound("hello?"), chat_ctx(open_=False), CHAT)
    assert (outcome.state, outcome.commands) == (MAIN, [])
    assert "closed" in outcome.say[0].text


def test_one_goes_back_to_the_menu() -> None:
    assert respond(inbound("1"), chat_ctx(), CHAT).state == MAIN


# --- the animators --------------------------------------------------------------------------

def request(id_: int = 12, *said: Said, closed: bool = False) -> Ticket:
    return Ticket(id_, 40, "zgh", "whatsapp", "menu.main", datetime(2026, 3, 1, tzinfo=UTC),
                  closed, said)


def animator_ctx(*open_: Ticket, data: dict[str, Any] | None = None,
                 language: str = "en") -> Any:
    ctx = context(person(language, consented=True, role=Role.SUPPORTER,
                         extra_roles=frozenset({Role.ANIMATOR})))
    known = {t.id: t for t in open_}
    ctx.facts = {**ctx.facts, "tickets": [t for t in open_ if not t.closed],
                 "ticket": known.get}
    ctx.data.update(data or {})
    return ctx


def test_the_menu_shows_the_requests_waiting_to_animators_only() -> None:
    shown = [ch.label for ch in render(MAIN, animator_ctx(request())).choices]
    assert shown[0] == "Requests to talk to a person (1)"
    supporter = context(member())
    supporter.facts = {**supporter.facts, "tickets": []}
    assert all("Requests to talk" not in ch.label for ch in render(MAIN, supporter).choices)


def test_an_animator_opens_a_request_and_reads_it_without_the_number() -> None:
    ctx = animator_ctx(request(12, Said(False, "ⵎⴰⵏⵉ?", NOW)))
    assert respond(inbound("1"), ctx, LIST).state == CARD
    text = render(CARD, ctx).text
    assert "Request #12 — ⵜⴰⵎⴰⵣⵉⵖⵜ, WhatsApp" in text and "• Person: ⵎⴰⵏⵉ?" in text
    assert "+212" not in text


def test_an_animator_answers_and_closes() -> None:
    ctx = animator_ctx(request(12), data={"ticket": 12})
    assert respond(inbound("1"), ctx, CARD).state == ANSWER
    answered = respond(inbound("Azul, we are on it"), ctx, ANSWER)
    assert (answered.state, answered.commands) == (CARD, [c.AnswerTicket(12, "Azul, we are on it")])
    closed = respond(inbound("2"), ctx, CARD)
    assert (closed.state, closed.commands) == (LIST, [c.CloseTicket(12)])


@pytest.mark.parametrize("text", ["", "🙂🙂", "x" * 2001])
def test_an_answer_that_is_not_words_is_asked_again(text: str) -> None:
    outcome = respond(inbound(text), animator_ctx(request(12), data={"ticket": 12}), ANSWER)
    assert (outcome.state, outcome.commands) == (ANSWER, [])


def test_a_request_closed_meanwhile_is_not_answered() -> None:
    ctx = animator_ctx(request(12, closed=True), data={"ticket": 12})
    outcome = respond(inbound("Hello"), ctx, ANSWER)
    assert (outcome.state, outcome.commands) == (LIST, [])


def test_someone_who_is_not_an_animator_cannot_answer() -> None:
    ctx = context(member())
    ctx.facts = {**ctx.facts, "tickets": [request()], "ticket": {12: request()}.get}
    ctx.data["ticket"] = 12
    for state in (LIST, CARD, ANSWER):
        outcome = respond(inbound("1"), ctx, state)
        assert (outcome.state, outcome.commands) == (MAIN, [])
