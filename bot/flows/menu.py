"""The main menu, and what a person can do about their own data."""

from __future__ import annotations

from enum import StrEnum

from bot.choices import pick
from bot.flows.engine import Context, Step, labels, state
from bot.flows.membership import S as Membership
from bot.flows.membership import where
from bot.flows.onboarding import S as Onboarding
from bot.flows.organisation import S as Organisation
from bot.i18n import N_, NATIVE_NAMES
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import ErasePerson, RequestHuman
from core.domain.people import Role


class S(StrEnum):
    MAIN = "menu.main"
    ERASE = "menu.erase"


_ROLE_NAMES = {
    Role.REPRESENTATIVE: N_("representative of an association, a commune or a cooperative"),
    Role.EXPERT: N_("expert offering skills"),
    Role.SUPPORTER: N_("supporter of projects"),
    Role.VISITOR: N_("visitor"),
    Role.ANIMATOR: N_("animator"),
    Role.ADMIN: N_("administrator"),
}
_MAIN = [
    ("data", N_("See what you know about me")),
    ("role", N_("Change how I take part")),
    ("language", N_("Change language")),
    ("human", N_("Talk to a person")),
    ("erase", N_("Erase my data")),
]
#: Entries only some roles see, first in their menu (the menu shows only what works).
_FOR_ROLE = {
    Role.REPRESENTATIVE: [("declare", N_("Declare a project")),
                          ("projects", N_("My projects")),
                          ("organisation", N_("Register my organisation")),
                          ("join", N_("Join an organisation already registered")),
                          ("browse", N_("Browse projects"))],
    Role.EXPERT: [("profile", N_("My expert profile")),
                  ("browse", N_("Browse projects")),
                  ("news", N_("What's new")),
                  ("follow", N_("Themes and places I follow"))],
    Role.SUPPORTER: [("browse", N_("Browse projects")),
                     ("news", N_("What's new")),
                     ("follow", N_("Themes and places I follow"))],
    Role.VISITOR: [("browse", N_("Browse projects"))],
}
#: Where the entries of other flows lead.
_ENTRIES = {"declare": "project.organisation", "projects": "mine.list",
            "organisation": Organisation.NAME, "join": Membership.SEARCH,
            "requests": Membership.REQUESTS, "review": "review.queue",
            "profile": "profile.view", "browse": "browse.filter", "news": "news.show",
            "follow": "supporter.follows", "offers": "offers.list",
            "candidates": "candidates.list", "teams": "team.list", "tickets": "tickets.list",
            "calls": "calls.list", "callout": "callout.need", "announce": "announce.text"}
HANDOFF = "handoff.chat"


def main_entries(ctx: Context) -> list[tuple[str, str]]:
    """Lists the main menu's entries for the person's role."""
    role = ctx.person.chosen_role
    return (_FOR_ROLE.get(role, []) if role else []) + _MAIN


def main_choices(ctx: Context) -> tuple[Choice, ...]:
    """The main menu; what waits for the person (projects to review, requests to join)
    comes first when there is some."""
    _ = ctx.t.gettext
    first: tuple[Choice, ...] = ()
    if ctx.person.is_animator:
        queue = len(list(ctx.facts.get("review_queue") or []))
        if queue:
            first += (Choice("review", _("Projects to review ({count})").format(
                count=ctx.t.iso(queue))),)
        asking = len(list(ctx.facts.get("tickets") or []))
        if asking:
            first += (Choice("tickets", _("Requests to talk to a person ({count})").format(
                count=ctx.t.iso(asking))),)
        first += (Choice("callout", _("Call for experts")),
                  Choice("announce", _("Send news to the community")))
    waiting = len(list(ctx.facts.get("join_requests") or []))
    if waiting:
        first += (Choice("requests", _("Requests to join ({count})").format(
            count=ctx.t.iso(waiting))),)
    offers = len(list(ctx.facts.get("offers") or []))
    if offers:
        first += (Choice("offers", _("Proposals for you ({count})").format(
            count=ctx.t.iso(offers))),)
    calls = len(list(ctx.facts.get("calls") or []))
    if calls:
        first += (Choice("calls", _("Calls for experts ({count})").format(
            count=ctx.t.iso(calls))),)
    interested = len(list(ctx.facts.get("candidates") or []))
    if interested:
        first += (Choice("candidates", _("Experts interested ({count})").format(
            count=ctx.t.iso(interested))),)
    teams = list(ctx.facts.get("teams") or [])
    if teams:
        unread = sum(getattr(team, "unread", 0) for team in teams)
        label = (_("Project teams ({count} new)").format(count=ctx.t.iso(unread)) if unread
                 else _("Project teams"))
        first += (Choice("teams", label),)
    return first + labels(ctx, main_entries(ctx))


def ask_main(ctx: Context) -> Reply:
    """Shows the main menu of the person's role."""
    _ = ctx.t.gettext
    role = ctx.person.chosen_role
    text = _("Main menu. You take part as: {role}.").format(
        role=_(_ROLE_NAMES[role]) if role else _("not chosen yet"))
    return Reply(text + "\n" + _("What would you like to do?"), main_choices(ctx))


@state(S.MAIN, ask_main)
def on_main(msg: Inbound, ctx: Context) -> Step:
    """Opens the menu entry the person chose."""
    choice = pick(msg, main_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the menu."))
    if choice.key in _ENTRIES:
        return Step(next=_ENTRIES[choice.key])
    if choice.key == "data":
        return Step(say=[describe_person(ctx)])
    if choice.key == "role":
        return Step(next=Onboarding.ROLE)
    if choice.key == "language":
        return Step(next=Onboarding.LANGUAGE)
    if choice.key == "human":
        return human_requested(ctx)
    return Step(next=S.ERASE)


def human_requested(ctx: Context) -> Step:
    """Tells the team that the person wants a human, and tells the person."""
    _ = ctx.t.gettext
    if not ctx.facts.get("animators"):
        return Step(say=[Reply(_("Nobody from the team can answer on the chat yet. "
                                 "Please try again later."))])
    told = Reply(_("I have told the team. A person will answer you here as soon as "
                   "possible."))
    if not ctx.person.has_consented:  # nothing they write is kept before they agreed
        return Step(say=[told], commands=[RequestHuman(ctx.state)])
    return Step(next=HANDOFF, say=[told], commands=[RequestHuman(ctx.state)])


def describe_person(ctx: Context) -> Reply:
    """Lists everything stored about the person."""
    _ = ctx.t.gettext
    person = ctx.person
    roles = ", ".join(_(_ROLE_NAMES[r]) for r in Role if r in person.roles) or _("none")
    lines = [
        _("Here is everything I keep about you:"),
        _("• Channels: {channels}").format(
            channels=", ".join(ctx.t.iso(i) for i in ctx.facts.get("identities", []))),
        _("• Language: {language}").format(language=NATIVE_NAMES[person.language]),
        _("• Taking part as: {roles}").format(roles=roles),
        _("• Agreed on: {date}").format(date=ctx.t.iso(_date(person.consent_at))),
        _("• With us since: {date}").format(date=ctx.t.iso(_date(person.created_at))),
        _("• News and reminders: {status}").format(
            status=_("stopped (send START to resume)") if person.opted_out else _("on")),
    ]
    if person.referral:
        lines.append(_("• Invitation code: {code}").format(code=ctx.t.iso(person.referral)))
    represented = [m for m in ctx.facts.get("memberships", []) if m.status == "active"]
    if represented:
        names = ", ".join(where(ctx, m.name, m.commune_fr, m.commune_ar) for m in represented)
        lines.append(_("• Organisations you represent: {organisations}").format(
            organisations=names))
    return Reply("\n".join(lines))


def _date(value: object) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else "-"


def erase_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes, erase everything"), YES),
            Choice("no", _("No, keep my data"), NO))


def ask_erase(ctx: Context) -> Reply:
    """Asks to confirm the erasure of everything stored."""
    return Reply(ctx.t.gettext("Erase everything I keep about you? This cannot be undone."),
                 erase_choices(ctx))


@state(S.ERASE, ask_erase)
def on_erase(msg: Inbound, ctx: Context) -> Step:
    """Erases the person's data once they confirm."""
    _ = ctx.t.gettext
    choice = pick(msg, erase_choices(ctx))
    if choice is None:
        return Step.stay(_("Please answer 1 to erase everything, or 2 to keep your data."))
    if choice.key == "no":
        return Step(next=S.MAIN, say=[Reply(_("Nothing was erased."))])
    done = Reply(_("Everything I kept about you has been erased. Goodbye! If you write to me "
                   "again, we will start from the beginning."))
    return Step(next=Onboarding.LANGUAGE, say=[done], commands=[ErasePerson()], ask=False)
