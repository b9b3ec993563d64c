"""Joining an organisation already registered, and deciding such requests."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.common import kept
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import clean_name, free_text, leave_choices, left
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import DecideMembership, RequestToJoin


class S(StrEnum):
    SEARCH = "membership.search"
    PICK = "membership.pick"
    NOTE = "membership.note"
    REQUESTS = "membership.requests"
    DECIDE = "membership.decide"


MAIN_MENU = "menu.main"
MAX_CANDIDATES = 5
MAX_NOTE = 200
_KEY = "membership"  # what this flow keeps in ctx.data


def _kept(ctx: Context) -> dict[str, Any]:
    return kept(ctx, _KEY)


def where(ctx: Context, name: str, commune_fr: str, commune_ar: str) -> str:
    """Names an organisation with its commune: "Coopérative Tamount (Tafraout)"."""
    return ctx.t.gettext("{organisation} ({commune})").format(
        organisation=ctx.t.iso(name), commune=ctx.t.iso(ctx.local(commune_fr, commune_ar)))


# --- asking to join: search, pick, say who you are ----------------------------------------

def ask_search(ctx: Context) -> Reply:
    """Asks for the name of the organisation to join."""
    return free_text(ctx, ctx.t.gettext("Which organisation do you want to join? "
                                        "Write its name."))


@state(S.SEARCH, ask_search)
def on_search(msg: Inbound, ctx: Context) -> Step:
    """Finds the organisations whose name looks like what the person wrote."""
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    search = ctx.facts.get("organisations")
    found = list(search(msg.text or ""))[:MAX_CANDIDATES] if callable(search) else []
    if not found:
        return Step.stay(ctx.t.gettext(
            "I found no registered organisation with that name. Check the spelling, or "
            "register it yourself from the menu."))
    _kept(ctx)["candidates"] = [[f.id, f.name, f.commune_fr, f.commune_ar] for f in found]
    return Step(next=S.PICK)


def _candidates(ctx: Context) -> list[list[Any]]:
    raw = _kept(ctx).get("candidates")
    return [c for c in raw if isinstance(c, list) and len(c) == 4][:MAX_CANDIDATES] \
        if isinstance(raw, list) else []


def pick_choices(ctx: Context) -> tuple[Choice, ...]:
    found = tuple(Choice(str(c[0]), where(ctx, str(c[1]), str(c[2]), str(c[3])))
                  for c in _candidates(ctx))
    return (*found, Choice("again", ctx.t.gettext("None of these, search again")))


def ask_pick(ctx: Context) -> Reply:
    """Shows the organisations found and asks which one."""
    return Reply(ctx.t.gettext("Which of these organisations?"), pick_choices(ctx))


@state(S.PICK, ask_pick)
def on_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the organisation picked, or searches again."""
    choice = pick(msg, pick_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.SEARCH)
    _kept(ctx)["chosen"] = next(c for c in _candidates(ctx) if str(c[0]) == choice.key)
    return Step(next=S.NOTE)


def ask_note(ctx: Context) -> Reply:
    """Asks the person to say who they are, for the representatives."""
    return free_text(ctx, ctx.t.gettext(
        "Tell its representatives who you are: your name and your role in the organisation "
        "(for example: Fatima, treasurer). They will see what you write."))


@state(S.NOTE, ask_note)
def on_note(msg: Inbound, ctx: Context) -> Step:
    """Sends the request to join, with what the person said of themselves."""
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    note = clean_name(msg.text)
    chosen = _kept(ctx).get("chosen")
    if note is None or len(note) > MAX_NOTE:
        return Step.stay(ctx.t.gettext("Please write a few words in letters (at most {limit} "
                                       "characters).").format(limit=ctx.t.iso(MAX_NOTE)))
    ctx.data.pop(_KEY, None)
    if not isinstance(chosen, list) or len(chosen) != 4:
        return Step(next=S.SEARCH)
    sent = Reply(ctx.t.gettext("Your request to join {organisation} was sent to its "
                               "representatives. I will tell you their answer.").format(
        organisation=ctx.t.iso(chosen[1])))
    return Step(next=MAIN_MENU, say=[sent], commands=[RequestToJoin(int(chosen[0]), note)])


# --- deciding requests --------------------------------------------------------------------

def _requests(ctx: Context) -> list[Any]:
    return list(ctx.facts.get("join_requests") or [])[:9]


def request_choices(ctx: Context) -> tuple[Choice, ...]:
    found = tuple(Choice(str(r.member_id), ctx.t.gettext("“{note}” → {organisation}").format(
        note=r.note, organisation=ctx.t.iso(r.organisation))) for r in _requests(ctx))
    return (*found, *leave_choices(ctx))


def ask_requests(ctx: Context) -> Reply:
    """Lists the requests to join the person may decide."""
    if not _requests(ctx):
        return Reply(ctx.t.gettext("There is no request to answer."), leave_choices(ctx))
    return Reply(ctx.t.gettext("Requests to join: which one do you want to answer?"),
                 request_choices(ctx))


@state(S.REQUESTS, ask_requests)
def on_requests(msg: Inbound, ctx: Context) -> Step:
    """Opens the request chosen."""
    choice = pick(msg, request_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    request = next(r for r in _requests(ctx) if str(r.member_id) == choice.key)
    _kept(ctx)["request"] = [request.member_id, request.note, request.organisation]
    return Step(next=S.DECIDE)


def decide_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("accept", _("Accept"), (*YES, "accepter", "قبول")),
            Choice("decline", _("Decline"), (*NO, "refuser", "رفض")),
            Choice("list", _("Back to the list")))


def _request(ctx: Context) -> list[Any] | None:
    kept = _kept(ctx).get("request")
    return kept if isinstance(kept, list) and len(kept) == 3 else None


def ask_decide(ctx: Context) -> Reply:
    """Asks whether to accept the request."""
    request = _request(ctx)
    if request is None:
        return Reply(ctx.t.gettext("Accept this request?"), decide_choices(ctx))
    return Reply(ctx.t.gettext("Accept “{note}” as a representative of {organisation}?").format(
        note=request[1], organisation=ctx.t.iso(request[2])), decide_choices(ctx))


@state(S.DECIDE, ask_decide)
def on_decide(msg: Inbound, ctx: Context) -> Step:
    """Accepts or declines the request."""
    _ = ctx.t.gettext
    choice = pick(msg, decide_choices(ctx))
    if choice is None:
        return Step.stay(_("Please answer 1 to accept, 2 to decline or 3 to go back."))
    request = _request(ctx)
    ctx.data.pop(_KEY, None)
    if choice.key == "list" or request is None:
        return Step(next=S.REQUESTS)
    accept = choice.key == "accept"
    said = _("Accepted: they are now a representative.") if accept else _("Declined.")
    return Step(next=MAIN_MENU, say=[Reply(said)],
                commands=[DecideMembership(int(request[0]), accept)])
