"""Proposals to an expert: the needs matching found for them, each with its reasons; they
answer interested, not for me, not now, or ask for more details first."""

from __future__ import annotations

from enum import StrEnum

from bot.choices import pick
from bot.flows import cards
from bot.flows.engine import Context, Step, state
from bot.flows.matches import offer_text, open_listed
from bot.flows.organisation import leave_choices
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import AnswerProposal
from core.proposals import Offer


class S(StrEnum):
    LIST = "offers.list"
    CARD = "offers.card"


MAIN_MENU = "menu.main"
MAX_LISTED = 5
_KEY = "offer"  # the proposal open, in ctx.data


def _offers(ctx: Context) -> list[Offer]:
    return [o for o in list(ctx.facts.get("offers") or []) if isinstance(o, Offer)]


def _open(ctx: Context) -> Offer | None:
    """Reads the open proposal afresh: it may have expired or been withdrawn meanwhile."""
    wanted = ctx.data.get(_KEY)
    return next((o for o in _offers(ctx) if o.id == wanted), None)


# --- the list -------------------------------------------------------------------------------

def list_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    listed = tuple(Choice(f"o{o.id}", _("“{title}” — {skill}").format(
        title=ctx.t.iso(o.title), skill=ctx.t.iso(cards.skill_name(ctx, o.skill_code,
                                                                    o.label))))
        for o in _offers(ctx)[:MAX_LISTED])
    return (*listed, *leave_choices(ctx))


def ask_list(ctx: Context) -> Reply:
    """Lists the proposals waiting for the expert's answer."""
    t = ctx.t
    count = len(_offers(ctx))
    if not count:
        return Reply(t.gettext("No proposal is waiting for you. I will write to you when a "
                               "project needs what you offer."), leave_choices(ctx))
    text = t.ngettext("{count} project asks for your help. Which proposal do you want to "
                      "open?", "{count} projects ask for your help. Which proposal do you "
                      "want to open?", count).format(count=t.number(count))
    return Reply(text, list_choices(ctx))


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the proposal the expert picked."""
    gone = ctx.t.gettext("That proposal is no longer open. Here are those "
                         "still waiting for you.")
    return open_listed(msg, ctx, list_choices(ctx), _KEY, gone, S.CARD)


# --- one proposal ---------------------------------------------------------------------------

def card_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("interested", _("I am interested"), (*YES, "interesse", "مهتم")),
            Choice("not_for_me", _("Not for me"), (*NO, "pas pour moi", "ماشي ليا")),
            Choice("details", _("More details"), ("details", "détails", "تفاصيل")),
            Choice("not_now", _("Not now"), ("plus tard", "later", "من بعد")),
            Choice("list", _("Other proposals")))


def gone_choices(ctx: Context) -> tuple[Choice, ...]:
    return (Choice("list", ctx.t.gettext("Other proposals")), *leave_choices(ctx))


def gone_text(ctx: Context) -> str:
    return ctx.t.gettext("This proposal is no longer open: it expired, or the need was "
                         "filled or closed meanwhile.")


def ask_card(ctx: Context) -> Reply:
    """Shows the need, the project, the place and why the expert was chosen."""
    _ = ctx.t.gettext
    offer = _open(ctx)
    if offer is None:
        return Reply(gone_text(ctx), gone_choices(ctx))
    return Reply(offer_text(ctx, offer) + "\n\n" + _("Would you like to help?"),
                 card_choices(ctx))


@state(S.CARD, ask_card)
def on_card(msg: Inbound, ctx: Context) -> Step:
    """Records the expert's answer, or shows the project in full."""
    _ = ctx.t.gettext
    offer = _open(ctx)
    if offer is None:
        ctx.data.pop(_KEY, None)
        choice = pick(msg, gone_choices(ctx))
        if choice is None:  # an answer to a proposal that expired meanwhile
            return Step(next=S.LIST, say=[Reply(gone_text(ctx))])
        return Step(next=MAIN_MENU if choice.key == "menu" else S.LIST)
    choice = pick(msg, card_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "list":
        ctx.data.pop(_KEY, None)
        return Step(next=S.LIST)
    if choice.key == "details":
        return _details(ctx, offer)
    ctx.data.pop(_KEY, None)
    said = {"interested": _("Thank you! I have told the organisation. You will hear from me "
                            "as soon as they answer; until then, nothing of yours is shown to "
                            "them but your first name, skills, languages and country."),
            "not_for_me": _("Understood. I will propose it to someone else, and take it into "
                            "account next time."),
            "not_now": _("Understood: not now. I will propose it to someone else. To receive "
                         "no proposals for a while, pause them from “My expert profile”.")}
    return Step(next=S.LIST if len(_offers(ctx)) > 1 else MAIN_MENU,
                say=[Reply(said[choice.key])],
                commands=[AnswerProposal(offer.id, choice.key)])


def _details(ctx: Context, offer: Offer) -> Step:
    """Shows the project's card, then asks again."""
    read = ctx.facts.get("project")
    card = read(offer.ref) if callable(read) else None
    if card is None:
        return Step.stay(ctx.t.gettext("The project's details cannot be shown right now."))
    return Step(say=[cards.card_reply(ctx, card)])
