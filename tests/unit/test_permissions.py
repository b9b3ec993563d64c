"""The permission matrix: every animator command is refused to everyone else.

In chat: every state of every flow, for a person of each role who is not staff, given any
of the answers that pick something (numbers, yes, the buttons' keys), never yields a
staff-only command, and the animators' own states send them back to the menu, even when
their conversation holds a half-composed call or message and the facts would show
something. In core: each staff-only command run by each role is refused and changes
nothing; run by an animator, it is carried out. The terminal's side is in
tests/unit/test_cli_permissions.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.flows import respond
from bot.flows.engine import STATES
from core import commands as c
from core import services
from core.calls import NeedToCall
from core.domain.audience import Audience
from core.domain.people import Role
from core.models import Broadcast, HandoffRequest, Person, Project
from core.tickets import Ticket
from core.uow import UnitOfWork
from tests.unit.support import NOW, context, inbound, person
from tests.unit.test_proposals_core import REF, World

Uow = Callable[[], UnitOfWork]
STAFF_ONLY = (c.ReviewProject, c.AnswerTicket, c.CloseTicket, c.SendCall, c.Announce)
#: The states only animators may stand in: their flows' prefixes.
ANIMATOR_FLOWS = ("review.", "tickets.", "callout.", "announce.")
NOT_STAFF = [None, Role.REPRESENTATIVE, Role.EXPERT, Role.SUPPORTER, Role.VISITOR]
ANSWERS = [*(str(n) for n in range(1, 10)), "yes", "send", "approve", "close"]


def leaky_context(role: Role | None, state: str) -> Any:
    """A non-staff person's context as if the facts and their conversation held what an
    animator would see: a need to call for, a ticket, a half-composed call and message."""
    ctx = context(person("fr", consented=True, role=role), state=state)
    ctx.facts.update({
        "call_needs": [NeedToCall(1, REF, "Eau", "water.irrigation_engineering", "")],
        "tickets": [Ticket(3, 9, "zgh", "whatsapp", "menu.main", NOW, False, ())],
        "ticket": lambda ticket_id: Ticket(3, 9, "zgh", "whatsapp", "menu.main", NOW, False,
                                           ()),
        "review_queue": [], "calls": [], "offers": [], "candidates": [], "teams": []})
    ctx.data.update({"callout": {"need": 1, "languages": ["zgh"], "countries": [],
                                 "note": "", "field": False},
                     "announce": {"texts": {"fr": "Bonjour"}, "writing": "fr", "who": "all"},
                     "ticket": 3, "review": {"ref": REF}})
    return ctx


@pytest.mark.parametrize("state", sorted(STATES))
def test_no_answer_in_any_state_gives_a_non_animator_a_staff_only_command(state: str) -> None:
    for role in NOT_STAFF:
        for text in ANSWERS:
            outcome = respond(inbound(text), leaky_context(role, state), state)
            given = [type(cmd).__name__ for cmd in outcome.commands
                     if isinstance(cmd, STAFF_ONLY)]
            assert not given, (state, role, text, given)
            if state.startswith(ANIMATOR_FLOWS):
                assert not outcome.state.startswith(ANIMATOR_FLOWS), (state, role, text)


def test_a_non_animators_menu_has_no_animator_entry() -> None:
    for role in NOT_STAFF:
        ctx = leaky_context(role, "menu.main")
        shown = STATES["menu.main"].ask(ctx)
        keys = {choice.key for choice in shown.choices}
        assert not keys & {"review", "tickets", "callout", "announce"}, (role, keys)
    animator = context(person("fr", consented=True, role=Role.SUPPORTER,
                              extra_roles=frozenset({Role.ANIMATOR})), state="menu.main")
    keys = {choice.key for choice in STATES["menu.main"].ask(animator).choices}
    assert {"callout", "announce"} <= keys


# --- core ----------------------------------------------------------------------------------

@pytest.fixture
def world(uow_factory: Uow) -> World:
    built = World(uow_factory)
    with uow_factory() as uow:
        project = uow.session.exec(select(Project).where(Project.ref == REF)).one()
        project.status = "awaiting_review"
        asker = uow.session.get(Person, built.stranger)
        assert asker is not None
        uow.session.add(HandoffRequest(person_id=asker.id or 0, state="menu.main",
                                       created_at=NOW))
        uow.commit()
    return built


def staff_commands(world: World, uow: UnitOfWork) -> list[c.Command]:
    ticket = uow.session.exec(select(HandoffRequest)).one().id or 0
    everyone = Audience().to_json()
    return [c.ReviewProject(REF, "approve"), c.AnswerTicket(ticket, "Bonjour"),
            c.CloseTicket(ticket), c.SendCall(world.need, everyone),
            c.Announce((("fr", "Bonjour"),), everyone)]


def snapshot(uow: UnitOfWork) -> tuple[Any, ...]:
    project = uow.session.exec(select(Project).where(Project.ref == REF)).one()
    ticket = uow.session.exec(select(HandoffRequest)).one()
    return (project.status, ticket.answered_by, ticket.closed_at,
            len(list(uow.session.exec(select(Broadcast)))))


@pytest.mark.parametrize("role", ["", "representative", "expert", "supporter", "visitor"])
def test_every_staff_only_command_is_refused_to_every_other_role(world: World,
                                                                 role: str) -> None:
    with world.uow_factory() as uow:
        who = services.register_contact(uow, "telegram:777", "fr", NOW)
        who.roles, who.consent_at = role, NOW
        uow.commit()
        before = snapshot(uow)
        for command in staff_commands(world, uow):
            with pytest.raises(c.Refused):
                services.execute(command, uow, who, NOW)
            uow.rollback()
            who = services.find_person(uow, "telegram:777")
            assert who is not None
        assert snapshot(uow) == before


def test_an_animator_may_run_every_staff_only_command(world: World) -> None:
    with world.uow_factory() as uow:
        animator = uow.session.get(Person, world.animator)
        assert animator is not None
        for step, command in enumerate(staff_commands(world, uow)):
            services.execute(command, uow, animator, NOW + timedelta(minutes=step))
        uow.commit()
        status, answered_by, closed_at, broadcasts = snapshot(uow)
    assert (status, answered_by, broadcasts) == ("open", world.animator, 2)
    assert closed_at is not None
