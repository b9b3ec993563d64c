"""A representative's own projects: the list, a project's card and the actions its status
allows (answer the team, continue a draft, send it for review, needs, edits, status,
updates). The actions that change the project live in bot/flows/mine_changes.py."""

from __future__ import annotations

from bot.choices import pick
from bot.flows.cards import STATUSES, card_reply
from bot.flows.engine import Context, Step, labels, state
from bot.flows.mine_current import (
    KEY,
    MAIN_MENU,
    MOVE_LABELS,
    UPDATABLE,
    S,
    current,
    editable,
    go_away,
    guarded,
    kept,
    moves_of,
    my_projects,
    status_of,
)
from bot.i18n import N_
from bot.messages import Choice, Inbound, Media, Reply
from core.commands import CreateInvitation, SubmitProject
from core.invitations import new_code
from core.projects import ProjectCard

DECLARE = "project.organisation"  # bot/flows/project.py
DIAGNOSIS, NEEDS_SUMMARY, NEED_KIND = "diagnosis.problem", "needs.summary", "need.kind"
MAX_LISTED = 8


# --- the list -----------------------------------------------------------------------------

def _line(ctx: Context, card: ProjectCard) -> str:
    status = ctx.t.gettext(STATUSES.get(status_of(card), status_of(card)))
    line = ctx.t.gettext("“{title}” — {status}").format(title=ctx.t.iso(card.title), status=status)
    return "❓ " + line if card.question else line


def list_choices(ctx: Context) -> tuple[Choice, ...]:
    shown = tuple(Choice(p.ref, _line(ctx, p)) for p in my_projects(ctx)[:MAX_LISTED])
    return (*shown, *labels(ctx, [("declare", N_("Declare a project")),
                                  ("menu", N_("Back to the menu"))]))


def ask_list(ctx: Context) -> Reply:
    """Lists the person's projects, newest first."""
    _ = ctx.t.gettext
    projects = my_projects(ctx)
    if not projects:
        return Reply(_("You have no project yet."), list_choices(ctx))
    lines = [_("Your projects. Which one do you want to open?")]
    if len(projects) > MAX_LISTED:
        lines.append(_("Here are the {shown} most recent ones, of {total}.").format(
            shown=ctx.t.number(MAX_LISTED), total=ctx.t.number(len(projects))))
    if any(status_of(p) == "draft" for p in projects[:MAX_LISTED]):
        lines.append(_("A draft is not finished yet: open it to continue."))
    if any(p.question for p in projects[:MAX_LISTED]):
        lines.append(_("❓ The team has a question for you."))
    return Reply("\n".join(lines), list_choices(ctx))


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the project the person picked."""
    choice = pick(msg, list_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    ctx.data.pop(KEY, None)
    if choice.key == "declare":
        return Step(next=DECLARE)
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    ctx.data["project_ref"] = choice.key
    return Step(next=S.PROJECT)


# --- one project: its card and what can be done -------------------------------------------

def _actions(card: ProjectCard) -> list[tuple[str, str]]:
    """What a representative can do with a project, given its status."""
    status = status_of(card)
    actions = [("answer", N_("Answer the team's question"))] if card.question else []
    if status == "draft":
        actions.append(("continue", N_("Continue: what the project needs")))
    if status in ("draft", "rejected"):
        actions.append(("submit", N_("Send it for review")))
    if editable(card):
        actions.append(("need_add", N_("Add a need")))
        if card.open_needs:
            actions.append(("need_close", N_("Close a need or mark it received")))
        actions.append(("edit", N_("Change the title or the description")))
    actions += [(f"move:{target}", MOVE_LABELS[target]) for target in moves_of(card)]
    if status in UPDATABLE:
        actions.append(("update", N_("Post a progress update")))
    if status in ("open", "in_progress"):
        actions.append(("invite", N_("Invite people: a link and a QR code")))
    return actions + [("list", N_("Back to my projects")), ("menu", N_("Back to the menu"))]


def invited(msg: Inbound, ctx: Context, card: ProjectCard) -> Step:
    """Creates an invitation to the project and gives its links and QR code."""
    _ = ctx.t.gettext
    make = ctx.facts.get("invite_links")
    code = new_code(msg.provider_id)
    found = make(code) if callable(make) else None
    if found is None or found.first is None:
        return Step.stay(_("Invitations cannot be made at the moment. Please try later."))
    lines = [_("Share this to invite people to “{title}”. Whoever arrives through it is "
               "shown the project first.").format(title=ctx.t.iso(card.title))]
    if found.telegram:
        lines.append(_("Telegram: {link}").format(link=ctx.t.iso(found.telegram)))
    if found.whatsapp:
        lines.append(_("WhatsApp: {link}").format(link=ctx.t.iso(found.whatsapp)))
    qr = (Media("photo", found.qr, "image/png"),) if found.qr else ()
    return Step(say=[Reply("\n".join(lines), media=qr)],
                commands=[CreateInvitation(code, "project", card.ref)])


def ask_project(ctx: Context, card: ProjectCard) -> Reply:
    """Shows the project's card and what can be done with it."""
    reply = card_reply(ctx, card, labels(ctx, _actions(card)))
    return Reply(reply.text + "\n\n" + ctx.t.gettext("What would you like to do?"),
                 reply.choices, reply.media)


@state(S.PROJECT, guarded(S.PROJECT, ask_project))
def on_project(msg: Inbound, ctx: Context) -> Step:
    """Starts the action the person chose for their project."""
    card = current(ctx)
    if card is None:
        return go_away(msg, ctx)
    choice = pick(msg, labels(ctx, _actions(card)))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    ctx.data.pop(KEY, None)
    if choice.key.startswith("move:"):
        kept(ctx)["move"] = choice.key.removeprefix("move:")
        return Step(next=S.MOVE)
    if choice.key == "submit":
        sent = ctx.t.gettext("Sent! An animator will review it; I will tell you the outcome here.")
        return Step(next=S.PROJECT, say=[Reply(sent)], commands=[SubmitProject(card.ref)])
    if choice.key == "continue":
        return Step(next=NEEDS_SUMMARY if card.diagnosis else DIAGNOSIS)
    if choice.key == "invite":
        return invited(msg, ctx, card)
    return Step(next={"answer": S.ANSWER, "need_add": NEED_KIND, "need_close": S.NEED,
                      "edit": S.EDIT, "update": S.UPDATE, "list": S.LIST}.get(choice.key,
                                                                                MAIN_MENU))

