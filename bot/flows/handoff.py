"""Talking to a person: the person writes to the team on their request; animators see the
requests, answer through the assistant and close them."""

from __future__ import annotations

from enum import StrEnum

from bot.choices import pick
from bot.flows.common import staff_only, visible
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import free_text, leave_choices, left
from bot.flows.profile import language_name
from bot.i18n import NATIVE_NAMES
from bot.messages import Choice, Inbound, Reply
from core.commands import AnswerTicket, CloseTicket, SayToTicket
from core.domain.projects import MAX_TEXT
from core.tickets import Ticket


class S(StrEnum):
    CHAT = "handoff.chat"
    LIST = "tickets.list"
    CARD = "tickets.card"
    ANSWER = "tickets.answer"


MAIN_MENU = "menu.main"
MAX_LISTED = 8
_KEY = "ticket"
CHANNELS = {"whatsapp": "WhatsApp", "telegram": "Telegram"}


# --- the person -----------------------------------------------------------------------------

def ask_chat(ctx: Context) -> Reply:
    """Asks the person to write what they want to tell the team."""
    _ = ctx.t.gettext
    return Reply(_("Write your question or your problem here: I pass it on to the team, and a "
                   "person will answer you here."), leave_choices(ctx),
                 hint=_("Reply 1 to go back to the menu."))


@state(S.CHAT, ask_chat)
def on_chat(msg: Inbound, ctx: Context) -> Step:
    """Passes what the person wrote on to the team."""
    _ = ctx.t.gettext
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    if not ctx.facts.get("my_ticket"):
        return Step(next=MAIN_MENU, say=[Reply(_(
            "Your request to talk to a person is closed. Write HUMAN whenever you need a "
            "person again."))])
    text = visible(msg.text or "").strip()
    if not text or len(text) > MAX_TEXT:
        return Step.stay(_("Please write your message in text, at most {most} characters.")
                         .format(most=ctx.t.number(MAX_TEXT)))
    return Step(say=[Reply(_("✓ Passed on to the team."))], ask=False,
                commands=[SayToTicket(text)])


# --- the animators --------------------------------------------------------------------------

def _tickets(ctx: Context) -> list[Ticket]:
    return [t for t in list(ctx.facts.get("tickets") or []) if isinstance(t, Ticket)]


def _open(ctx: Context) -> Ticket | None:
    read = ctx.facts.get("ticket")
    wanted = ctx.data.get(_KEY)
    found = read(wanted) if callable(read) and isinstance(wanted, int) else None
    return found if isinstance(found, Ticket) and not found.closed else None


def _refused(ctx: Context) -> Step | None:
    """Sends anyone who is not an animator back to the menu."""
    return staff_only(ctx, _KEY, ctx.t.gettext(
        "Only the team's animators answer requests."))


def title(ctx: Context, ticket: Ticket) -> str:
    """Names a request without the person's number: "Request #12 — ⵜⴰⵎⴰⵣⵉⵖⵜ, WhatsApp"."""
    return ctx.t.gettext("Request #{id} — {language}, {channel}").format(
        id=ctx.t.iso(ticket.id), language=NATIVE_NAMES.get(ticket.language, ticket.language),
        channel=CHANNELS.get(ticket.channel, ticket.channel))


def list_choices(ctx: Context) -> tuple[Choice, ...]:
    listed = tuple(Choice(f"t{t.id}", title(ctx, t)) for t in _tickets(ctx)[:MAX_LISTED])
    return (*listed, *leave_choices(ctx))


def ask_list(ctx: Context) -> Reply:
    """Lists the open requests to talk to a person, the oldest first."""
    _ = ctx.t.gettext
    if not _tickets(ctx):
        return Reply(_("No request is waiting for a person."), leave_choices(ctx))
    return Reply(_("Requests to talk to a person. Which one do you want to open?"),
                 list_choices(ctx))


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the request the animator picked."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    choice = pick(msg, list_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    ctx.data[_KEY] = int(choice.key[1:])
    return Step(next=S.CARD)


def card_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("answer", _("Answer")), Choice("close", _("Close the request")),
            Choice("list", _("Other requests")), *leave_choices(ctx))


def ask_card(ctx: Context) -> Reply:
    """Shows the request: who (by number), their language and app, what they wrote."""
    _ = ctx.t.gettext
    ticket = _open(ctx)
    if ticket is None:
        return Reply(_("This request is closed."), (Choice("list", _("Other requests")),
                                                   *leave_choices(ctx)))
    lines = [title(ctx, ticket), _("Speaks: {language}").format(
        language=language_name(ctx, ticket.language))]
    for said in ticket.messages:
        who = _("Team") if said.from_staff else _("Person")
        lines.append(f"• {who}: {ctx.t.iso(said.text)}")
    if not ticket.messages:
        lines.append(_("They have not written anything yet."))
    return Reply("\n".join(lines), card_choices(ctx))


@state(S.CARD, ask_card)
def on_card(msg: Inbound, ctx: Context) -> Step:
    """Goes on to answering, closes the request, or goes back."""
    _ = ctx.t.gettext
    refused = _refused(ctx)
    if refused is not None:
        return refused
    ticket = _open(ctx)
    choice = pick(msg, card_choices(ctx) if ticket else (
        Choice("list", _("Other requests")), *leave_choices(ctx)))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "menu":
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU)
    if choice.key == "list" or ticket is None:
        ctx.data.pop(_KEY, None)
        return Step(next=S.LIST)
    if choice.key == "answer":
        return Step(next=S.ANSWER)
    ctx.data.pop(_KEY, None)
    return Step(next=S.LIST, say=[Reply(_("Closed; the person is told."))],
                commands=[CloseTicket(ticket.id)])


def ask_answer(ctx: Context) -> Reply:
    """Asks for the answer to relay to the person."""
    return free_text(ctx, ctx.t.gettext(
        "Write your answer: I send it to the person in their app, without showing your "
        "number or name."))


@state(S.ANSWER, ask_answer)
def on_answer(msg: Inbound, ctx: Context) -> Step:
    """Relays the animator's answer to the person."""
    _ = ctx.t.gettext
    refused = _refused(ctx)
    if refused is not None:
        return refused
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    ticket = _open(ctx)
    if ticket is None:
        ctx.data.pop(_KEY, None)
        return Step(next=S.LIST, say=[Reply(_("This request is closed."))])
    text = visible(msg.text or "").strip()
    if not text or len(text) > MAX_TEXT or not any(ch.isalnum() for ch in text):
        return Step.stay(_("Please write your answer in text, at most {most} characters.")
                         .format(most=ctx.t.number(MAX_TEXT)))
    return Step(next=S.CARD, say=[Reply(_("Sent to the person."))],
                commands=[AnswerTicket(ticket.id, text)])
