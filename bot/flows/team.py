"""A project's team: its members talk through the assistant, each in their own app; each
chooses to stay masked (relay) or to share their own contact; anyone may leave; an animator
may read the history and join."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.common import attachments, visible
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import leave_choices
from bot.i18n import N_
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import ChooseContact, JoinTeam, LeaveTeam, ReadTeam, SayToTeam
from core.domain.projects import MAX_TEXT
from core.domain.proposals import SHARED, Contact
from core.teams import Said, Team


class S(StrEnum):
    LIST = "team.list"
    CARD = "team.card"
    CONTACT = "team.contact"
    CHAT = "team.chat"
    LEAVE = "team.leave"


MAIN_MENU = "menu.main"
MAX_LISTED = 8
SHOWN = 10  # messages of the history shown on opening a team
_KEY = "team"
# TRANSLATORS: roles in a project's team, after a member's first name: "Amina (volunteer
# expert)".
ROLES = {"expert": N_("volunteer expert"), "representative": N_("representative"),
         "animator": N_("animator")}


def _teams(ctx: Context) -> list[Team]:
    return [t for t in list(ctx.facts.get("teams") or []) if isinstance(t, Team)]


def _ref(ctx: Context) -> str | None:
    kept = ctx.data.get(_KEY)
    ref = kept.get("ref") if isinstance(kept, dict) else None
    return ref if isinstance(ref, str) else None


def _open(ctx: Context) -> Team | None:
    read = ctx.facts.get("team")
    ref = _ref(ctx)
    return read(ref) if callable(read) and ref else None


def _me(ctx: Context, team: Team) -> Any:
    member = team.member(ctx.person.id)
    return member if member is not None and member.active else None


def who(ctx: Context, name: str, role: str) -> str:
    """Names a member as the others see them: "Fatima (representative)"."""
    _ = ctx.t.gettext
    shown = ctx.t.iso(name) if name else _("A member")
    if role not in ROLES:  # someone no longer in the team
        return shown
    return _("{name} ({role})").format(name=shown, role=_(ROLES[role]))


# --- the list -------------------------------------------------------------------------------

def list_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    listed = []
    for team in _teams(ctx)[:MAX_LISTED]:
        label = _("“{title}”").format(title=ctx.t.iso(team.title))
        if team.unread:
            label = _("{team} — {count} new").format(team=label, count=ctx.t.number(team.unread))
        listed.append(Choice(team.ref, label))
    return (*listed, *leave_choices(ctx))


def ask_list(ctx: Context) -> Reply:
    """Lists the teams the person belongs to (every team, for an animator)."""
    _ = ctx.t.gettext
    if not _teams(ctx):
        return Reply(_("You are not in any project team yet. A team forms when an "
                       "organisation and an expert have both said yes."), leave_choices(ctx))
    return Reply(_("Project teams. Which one do you want to open?"), list_choices(ctx))


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the team picked: how to be reached first, if not chosen yet."""
    choice = pick(msg, list_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu":
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU)
    ctx.data[_KEY] = {"ref": choice.key}
    team = next(t for t in _teams(ctx) if t.ref == choice.key)
    me = _me(ctx, team)
    read = [ReadTeam(team.ref)] if me is not None else []
    return Step(next=S.CONTACT if me is not None and me.contact is None else S.CARD,
                commands=read)


# --- one team -------------------------------------------------------------------------------

def card_choices(ctx: Context, team: Team | None) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    if team is None:
        return leave_choices(ctx)
    if _me(ctx, team) is None:  # an animator who has not joined
        return (Choice("join", _("Join this team")), Choice("list", _("Other teams")),
                *leave_choices(ctx))
    return (Choice("write", _("Write to the team")),
            Choice("contact", _("How the team reaches me")),
            Choice("leave", _("Leave the team")),
            Choice("list", _("Other teams")), *leave_choices(ctx))


def said_line(ctx: Context, said: Said) -> str:
    text = ctx.t.iso(said.text) if said.text else ""
    if said.media:
        text = (text + " " if text else "") + ctx.t.ngettext(
            "[{n} attachment]", "[{n} attachments]", len(said.media)).format(
                n=ctx.t.number(len(said.media)))
    return f"• {who(ctx, said.first_name, said.role)}: {text}"


def ask_card(ctx: Context) -> Reply:
    """Shows the team: its members, the contacts shared, the last messages."""
    _ = ctx.t.gettext
    team = _open(ctx)
    if team is None:
        return Reply(_("This team is no longer available."), leave_choices(ctx))
    lines = [_("Team of “{title}”").format(title=ctx.t.iso(team.title))]
    for member in team.members:
        if not member.active:
            continue
        line = "• " + who(ctx, member.first_name, member.role)
        shared = (ctx.facts.get("contact") or (lambda _pid, _kind: []))(
            member.person_id, member.contact) if member.contact in SHARED else []
        if shared:
            line += " — " + ", ".join(ctx.t.iso(c) for c in shared)
        lines.append(line)
    history = (ctx.facts.get("team_history") or (lambda _pid: []))(team.project_id)
    if history:
        lines += ["", _("Last messages:")] + [said_line(ctx, s) for s in history[-SHOWN:]]
    return Reply("\n".join(lines), card_choices(ctx, team))


@state(S.CARD, ask_card)
def on_card(msg: Inbound, ctx: Context) -> Step:
    """Goes on to writing, choosing how to be reached, leaving, or joining."""
    team = _open(ctx)
    choice = pick(msg, card_choices(ctx, team))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu" or team is None:
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU)
    moves = {"write": S.CHAT, "contact": S.CONTACT, "leave": S.LEAVE, "list": S.LIST}
    if choice.key == "join":
        return Step(say=[Reply(ctx.t.gettext("You joined the team."))],
                    commands=[JoinTeam(team.ref)])
    return Step(next=moves[choice.key])


# --- how to be reached ----------------------------------------------------------------------

def contact_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    own = (_("Share my WhatsApp number with the team") if ctx.channel == "whatsapp"
           else _("Share my Telegram username with the team"))
    return (Choice("relay", _("Talk through the assistant (my number stays hidden)"),
                   ("relay", "assistant")),
            Choice("share", own, ("share", "partager", "شارك")))


def ask_contact(ctx: Context) -> Reply:
    """Asks how the member wants the team to reach them."""
    _ = ctx.t.gettext
    team = _open(ctx)
    title = ctx.t.iso(team.title) if team else "-"
    return Reply(_("You are in the team of “{title}”. How do you want to talk with the "
                   "team? Through the assistant, nobody sees your number or username; each "
                   "message reaches the others in their own app.").format(title=title),
                 contact_choices(ctx))


@state(S.CONTACT, ask_contact)
def on_contact(msg: Inbound, ctx: Context) -> Step:
    """Records the choice: relay, or share their own contact with the team."""
    _ = ctx.t.gettext
    team = _open(ctx)
    if team is None or _me(ctx, team) is None:
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU, say=[Reply(_("This team is no longer available."))])
    choice = pick(msg, contact_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "share" and ctx.channel == "telegram" and not ctx.facts.get("handle"):
        return Step.stay(_("You have no Telegram username, so there is nothing to share. "
                           "Set one in Telegram's settings and try again, or talk through "
                           "the assistant."))
    if choice.key == "relay":
        return Step(next=S.CARD, commands=[ChooseContact(team.ref, Contact.RELAY)],
                    say=[Reply(_("Your number stays hidden: the team talks through me."))])
    kind = Contact.NUMBER if ctx.channel == "whatsapp" else Contact.HANDLE
    return Step(next=S.CARD, commands=[ChooseContact(team.ref, kind)],
                say=[Reply(_("Your contact is shared with the team."))])


# --- writing to the team --------------------------------------------------------------------

def chat_choices(ctx: Context) -> tuple[Choice, ...]:
    return (Choice("done", ctx.t.gettext("Done writing")),)


def ask_chat(ctx: Context) -> Reply:
    """Asks for the message to relay to the team."""
    _ = ctx.t.gettext
    team = _open(ctx)
    title = ctx.t.iso(team.title) if team else "-"
    return Reply(_("Write to the team of “{title}”: text, photos, voice notes or documents. "
                   "Each member receives it in their own app.").format(title=title),
                 chat_choices(ctx),
                 hint=_("Everything you send now goes to the team. Reply 1 when you are "
                        "done."))


@state(S.CHAT, ask_chat, accepts_media=True)
def on_chat(msg: Inbound, ctx: Context) -> Step:
    """Relays what the member sent to the rest of the team."""
    _ = ctx.t.gettext
    team = _open(ctx)
    if not msg.media and pick(msg, chat_choices(ctx)) is not None:
        return Step(next=S.CARD)
    if team is None or _me(ctx, team) is None:
        return Step.stay(_("This team is no longer available: nothing was passed on. "
                           "Write MENU to go back to the menu."))
    media = attachments(msg, ctx)
    text = visible(msg.text or "", " \t\n").strip()
    if media is None:
        return Step.stay(_("Stickers and locations cannot be passed on. Send text, a photo, "
                           "a voice note or a document."))
    if len(text) > MAX_TEXT:
        return Step.stay(_("That message is too long: please send at most {most} characters "
                           "at a time.").format(most=ctx.t.number(MAX_TEXT)))
    if not text and not media:
        return Step.stay(_("I did not receive anything to pass on. Send text, a photo, a "
                           "voice note or a document."))
    return Step(say=[Reply(_("✓ Sent to the team."))], ask=False,
                commands=[SayToTeam(team.ref, text, media)])


# --- leaving --------------------------------------------------------------------------------

def leave_team_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes, leave the team"), YES), Choice("no", _("No, stay"), NO))


def ask_leave(ctx: Context) -> Reply:
    """Asks to confirm leaving the team."""
    return Reply(ctx.t.gettext("Leave this team? You will no longer receive its messages."),
                 leave_team_choices(ctx))


@state(S.LEAVE, ask_leave)
def on_leave(msg: Inbound, ctx: Context) -> Step:
    """Leaves the team once confirmed."""
    _ = ctx.t.gettext
    choice = pick(msg, leave_team_choices(ctx))
    if choice is None:
        return Step.stay(_("Please answer 1 to leave the team, or 2 to stay."))
    team = _open(ctx)
    if choice.key == "no" or team is None:
        return Step(next=S.CARD if team else MAIN_MENU)
    ctx.data.pop(_KEY, None)
    return Step(next=MAIN_MENU, say=[Reply(_("You left the team."))],
                commands=[LeaveTeam(team.ref)])
