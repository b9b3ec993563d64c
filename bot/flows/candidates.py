"""Experts interested in a need, as the organisation's representatives see them (first name,
skills, languages, country, reasons); they accept or decline each one."""

from __future__ import annotations

from enum import StrEnum

from bot.choices import pick
from bot.flows import cards
from bot.flows.engine import Context, Step, state
from bot.flows.matches import candidate_text, open_listed
from bot.flows.organisation import leave_choices
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import DecideProposal
from core.proposals import Candidate


class S(StrEnum):
    LIST = "candidates.list"
    CARD = "candidates.card"


MAIN_MENU = "menu.main"
TEAM_CONTACT = "team.contact"
MAX_LISTED = 5
_KEY = "candidate"  # the proposal open, in ctx.data


def _candidates(ctx: Context) -> list[Candidate]:
    return [c for c in list(ctx.facts.get("candidates") or []) if isinstance(c, Candidate)]


def _open(ctx: Context) -> Candidate | None:
    """Reads the open candidate afresh: another representative may have decided."""
    wanted = ctx.data.get(_KEY)
    return next((c for c in _candidates(ctx) if c.id == wanted), None)


def _name(ctx: Context, candidate: Candidate) -> str:
    return ctx.t.iso(candidate.first_name) if candidate.first_name else ctx.t.gettext(
        "An expert")


def list_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    listed = tuple(Choice(f"c{c.id}", _("{name} — {skill} — “{title}”").format(
        name=_name(ctx, c), skill=ctx.t.iso(cards.skill_name(ctx, c.skill_code, c.label)),
        title=ctx.t.iso(c.title))) for c in _candidates(ctx)[:MAX_LISTED])
    return (*listed, *leave_choices(ctx))


def ask_list(ctx: Context) -> Reply:
    """Lists the interested experts waiting for the organisation's answer."""
    t = ctx.t
    count = len(_candidates(ctx))
    if not count:
        return Reply(t.gettext("No expert is waiting for your answer."), leave_choices(ctx))
    text = t.ngettext("{count} expert is interested in your needs. Whom do you want to see?",
                      "{count} experts are interested in your needs. Whom do you want to see?",
                      count).format(count=t.number(count))
    return Reply(text, list_choices(ctx))


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the candidate the representative picked."""
    gone = ctx.t.gettext("Someone already answered about that expert. "
                         "Here are those still waiting.")
    return open_listed(msg, ctx, list_choices(ctx), _KEY, gone, S.CARD)


def card_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("accept", _("Accept"), (*YES, "accepter", "قبول")),
            Choice("decline", _("Decline"), (*NO, "refuser", "رفض")),
            Choice("list", _("Other experts")))


def gone_choices(ctx: Context) -> tuple[Choice, ...]:
    return (Choice("list", ctx.t.gettext("Other experts")), *leave_choices(ctx))


def ask_card(ctx: Context) -> Reply:
    """Shows the interested expert, anonymised, and asks for the decision."""
    _ = ctx.t.gettext
    candidate = _open(ctx)
    if candidate is None:
        return Reply(_("Someone already answered about this expert."), gone_choices(ctx))
    return Reply(candidate_text(ctx, candidate) + "\n\n" + _(
        "Do you accept? If you do, you will be introduced and work together in the "
        "project's team."), card_choices(ctx))


@state(S.CARD, ask_card)
def on_card(msg: Inbound, ctx: Context) -> Step:
    """Accepts or declines the expert."""
    _ = ctx.t.gettext
    candidate = _open(ctx)
    if candidate is None:
        ctx.data.pop(_KEY, None)
        choice = pick(msg, gone_choices(ctx))
        if choice is None:  # a decision about an expert someone else decided on
            return Step(next=S.LIST, say=[Reply(_("Someone already answered about this "
                                                  "expert."))])
        return Step(next=MAIN_MENU if choice.key == "menu" else S.LIST)
    choice = pick(msg, card_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "list":
        ctx.data.pop(_KEY, None)
        return Step(next=S.LIST)
    ctx.data.pop(_KEY, None)
    if choice.key == "decline":
        return Step(next=S.LIST if len(_candidates(ctx)) > 1 else MAIN_MENU,
                    say=[Reply(_("Noted. I will thank them kindly, and propose the need to "
                                 "someone else."))],
                    commands=[DecideProposal(candidate.id, False)])
    ctx.data["team"] = {"ref": candidate.ref}
    return Step(next=TEAM_CONTACT, say=[Reply(_(
        "Done: {name} joins the team of “{title}”.").format(
            name=_name(ctx, candidate), title=ctx.t.iso(candidate.title)))],
        commands=[DecideProposal(candidate.id, True)])
