"""One turn of a conversation: global words first, then the current state's step."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.flows.engine import STATES, Context, Step
from bot.flows.menu import S as Menu
from bot.flows.menu import human_requested
from bot.flows.onboarding import S as Onboarding
from bot.i18n.keywords import Word, global_word
from bot.messages import Inbound, Reply
from core.commands import Command, KeepReferral, OptIn, OptOut

_REFERRAL = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HISTORY_DEPTH = 10


@dataclass
class Outcome:
    """The decision of one turn, before core carries out its commands."""

    state: str
    say: list[Reply] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    ask: bool = True
    hint: str | None = None
    back: bool = False  # the move walks the BACK trail


def start_state(ctx: Context) -> str:
    """Returns where a person who is not in the middle of anything belongs."""
    if ctx.person.has_consented and ctx.person.chosen_role:
        return Menu.MAIN
    if ctx.person.has_consented:
        return Onboarding.ROLE
    return Onboarding.LANGUAGE


def respond(msg: Inbound, ctx: Context, current: str | None) -> Outcome:
    """Decides one turn for the message `msg` received in state `current`."""
    if current not in STATES:  # new, erased or idle for too long
        if msg.command == "start":
            return _start(msg, ctx)
        word = global_word(msg.text)
        if word is Word.STOP or word is Word.START:  # these work even then
            return _global(word, ctx, start_state(ctx))
        return _begin(msg, ctx)
    if msg.command == "start":
        return _start(msg, ctx)
    word = global_word(msg.text) if msg.choice is None else None
    if word is not None:
        return _global(word, ctx, current)
    spec = STATES[current]
    if msg.choice is not None and msg.choice_scope not in (None, current):
        hint = ctx.t.gettext("That button belongs to an earlier question. Here is the current one:")
        return Outcome(current, hint=hint)
    if msg.is_empty and not spec.accepts_media:
        return Outcome(current, hint=_unreadable_hint(msg, ctx))
    return _follow(spec.handle(msg, ctx), ctx, current)


def _begin(msg: Inbound, ctx: Context) -> Outcome:
    """Greets someone who has no conversation yet (new, erased, or idle for too long)."""
    outcome = Outcome(start_state(ctx), commands=_referral(msg))
    if ctx.person.has_consented:
        outcome.say.append(Reply(ctx.t.gettext("Welcome back!")))
    return outcome


def _start(msg: Inbound, ctx: Context) -> Outcome:
    """Handles /start (with or without a deep-link payload)."""
    outcome = _begin(msg, ctx)
    if ctx.person.opted_out:
        outcome.commands.append(OptIn())
    return outcome


def _global(word: Word, ctx: Context, current: str) -> Outcome:
    """Carries out a global word, in any state."""
    _ = ctx.t.gettext
    onboarded = start_state(ctx) == Menu.MAIN
    if word is Word.STOP:
        say = Reply(_("Done: you will receive no more news or reminders. I will still answer "
                      "when you write to me. Send START to receive them again."))
        return Outcome(current, say=[say], commands=[OptOut()], ask=False)
    if word is Word.START:
        say = [Reply(_("Welcome back! You will receive news and reminders again."))]
        commands: list[Command] = [OptIn()] if ctx.person.opted_out else []
        return Outcome(start_state(ctx) if onboarded else current, say=say if commands else [],
                       commands=commands)
    if word is Word.HELP:
        return Outcome(current, say=[Reply(_help_text(ctx))])
    if word is Word.LANGUAGE:
        return Outcome(Onboarding.LANGUAGE)
    if word is Word.HUMAN:
        step = human_requested(ctx)
        return Outcome(step.next or current, say=step.say, commands=step.commands,
                       ask=step.ask)
    if word is Word.BACK:
        history = [s for s in ctx.data.get("history") or [] if s in STATES]
        if history:
            return Outcome(history[-1], back=True)
        return Outcome(current, hint=_("There is no earlier step to go back to."))
    if not onboarded:  # MENU and CANCEL before onboarding is finished
        return Outcome(current, hint=_("Let us finish getting to know each other first."))
    if word is Word.CANCEL and current != Menu.MAIN:
        return Outcome(Menu.MAIN, say=[Reply(_("Cancelled."))])
    return Outcome(Menu.MAIN)


def _follow(step: Step, ctx: Context, current: str) -> Outcome:
    return Outcome(step.next or current, step.say, step.commands, step.ask, step.hint)


def _referral(msg: Inbound) -> list[Command]:
    if msg.command == "start" and msg.payload and _REFERRAL.fullmatch(msg.payload):
        return [KeepReferral(msg.payload)]
    return []


def _unreadable_hint(msg: Inbound, ctx: Context) -> str:
    _ = ctx.t.gettext
    if msg.media or msg.location:
        return _("I cannot read voice notes, pictures, stickers or locations at this step. "
                 "Please answer with text or a number.")
    return _("I did not receive any text. Please answer with text or a number.")


def _help_text(ctx: Context) -> str:
    _ = ctx.t.gettext
    return _("You can write these words at any time:\n"
             "• MENU: the main menu\n"
             "• BACK: the previous question\n"
             "• CANCEL: leave what you are doing\n"
             "• LANGUAGE: change language\n"
             "• HUMAN: talk to a person\n"
             "• STOP: no more news or reminders; START to resume")


def push_history(ctx: Context, previous: str, nxt: str, back: bool) -> None:
    """Keeps the trail of states that BACK walks, short and without loops."""
    history: list[str] = list(ctx.data.get("history") or [])
    if nxt == Menu.MAIN:
        history = []
    elif back:
        history = history[:-1]
    elif nxt != previous and previous in STATES:
        history = (history + [previous])[-_HISTORY_DEPTH:]
    ctx.data["history"] = history
