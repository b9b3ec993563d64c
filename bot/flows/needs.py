"""The summary of a project's needs, from which a need is added or removed and the project
is sent for review. Entering a need lives in bot/flows/need_entry.py and need_skill.py, the
pre-diagnosis in bot/flows/diagnosis.py."""

from __future__ import annotations

from enum import StrEnum

from bot.choices import pick
from bot.flows import diagnosis  # noqa: F401  (registers its states)
from bot.flows.cards import need_line
from bot.flows.diagnosis import MAIN_MENU, NEED_KEY, blocked, project, unavailable
from bot.flows.engine import STATES, Context, Step, state
from bot.flows.need_entry import S as Need
from bot.flows.organisation import leave_choices
from bot.messages import Choice, Inbound, Reply
from core.commands import SetNeedStatus, SubmitProject


class S(StrEnum):
    SUMMARY = "needs.summary"
    REMOVE = "needs.remove"


MINE_PROJECT = "mine.project"  # bot/flows/mine.py


# --- the summary --------------------------------------------------------------------------------

def summary_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    card = project(ctx)
    if card is None:
        return leave_choices(ctx)
    choices: tuple[Choice, ...] = ()
    if unavailable(ctx) is None:
        choices += (Choice("add", _("Add a need")),)
        if card.open_needs:
            choices += (Choice("remove", _("Remove a need")),)
    if card.status in ("draft", "rejected"):
        return (*choices, Choice("send", _("Send it for review")),
                Choice("later", _("Finish later")))
    return (*choices, Choice("done", _("Done")))


def ask_summary(ctx: Context) -> Reply:
    """Shows the project's needs and what can be done next."""
    _ = ctx.t.gettext
    card = project(ctx)
    if card is None:
        return unavailable(ctx) or Reply(_("No project is selected."), leave_choices(ctx))
    lines = [_("The needs of “{title}”:").format(title=ctx.t.iso(card.title))]
    lines += [f"• {need_line(ctx, n)}" for n in card.open_needs] or [_("No needs entered yet.")]
    return Reply("\n".join(lines), summary_choices(ctx))


@state(S.SUMMARY, ask_summary)
def on_summary(msg: Inbound, ctx: Context) -> Step:
    """Adds or removes a need, sends the project for review, or leaves it for later."""
    _ = ctx.t.gettext
    choice = pick(msg, summary_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    ctx.data.pop(NEED_KEY, None)
    ref = str(ctx.data.get("project_ref"))
    if choice.key == "add":
        return Step(next=Need.KIND)
    if choice.key == "remove":
        return Step(next=S.REMOVE)
    if choice.key == "send":
        sent = Reply(_("Sent! An animator will review it; I will tell you the outcome here."))
        return Step(next=MAIN_MENU, say=[sent], commands=[SubmitProject(ref)])
    if choice.key == "later":
        kept = Reply(_("Your draft is kept. You will find it in “My projects”."))
        return Step(next=MAIN_MENU, say=[kept])
    return Step(next=MINE_PROJECT if MINE_PROJECT in STATES and choice.key == "done"
                else MAIN_MENU)


# --- removing a need ----------------------------------------------------------------------------

def remove_choices(ctx: Context) -> tuple[Choice, ...]:
    card = project(ctx)
    needs = card.open_needs if card is not None else ()
    return (*(Choice(str(n.id), need_line(ctx, n)) for n in needs),
            Choice("back", ctx.t.gettext("Back")))


def ask_remove(ctx: Context) -> Reply:
    """Asks which need to remove."""
    return unavailable(ctx) or Reply(ctx.t.gettext("Which need should be removed?"),
                                     remove_choices(ctx))


@state(S.REMOVE, ask_remove)
def on_remove(msg: Inbound, ctx: Context) -> Step:
    """Closes the need chosen."""
    leave = blocked(msg, ctx)
    if leave is not None:
        return leave
    choice = pick(msg, remove_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "back":
        return Step(next=S.SUMMARY)
    removed = Reply(ctx.t.gettext("Removed: {need}").format(need=choice.label))
    return Step(next=S.SUMMARY, say=[removed], commands=[SetNeedStatus(int(choice.key), "closed")])
