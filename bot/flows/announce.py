"""News to the community by chat: an animator writes a message (news, an event, a training
session) in their language, may add it in other languages, chooses who receives it, reads
the preview and sends it. Each reader gets it in their language when it was written in it,
else in French, else in Arabic (core.domain.audience.pick_text); the worker streams it
through the outbox (core.broadcasts)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.calls import reach_lines
from bot.flows.common import staff_only, visible
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import leave_choices, left
from bot.i18n import LANGUAGES, N_, NATIVE_NAMES
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.broadcasts import MAX_TEXT, Preview
from core.commands import Announce
from core.domain.audience import Audience
from core.templates import Templates


class S(StrEnum):
    TEXT = "announce.text"
    MORE = "announce.more"
    LANGUAGE = "announce.language"
    WHO = "announce.who"
    PREVIEW = "announce.preview"


MAIN_MENU = "menu.main"
_KEY = "announce"  # the message being composed, in ctx.data
#: Who a message can go to from the chat (the terminal has every filter).
AUDIENCES = {"all": N_("Everyone"), "expert": N_("The experts"),
             "supporter": N_("The supporters"), "representative": N_("The representatives")}


def _draft(ctx: Context) -> dict[str, Any]:
    found = ctx.data.get(_KEY)
    if not isinstance(found, dict):
        found = ctx.data[_KEY] = {"texts": {}, "writing": ctx.person.language, "who": None}
    return found


def _texts(ctx: Context) -> dict[str, str]:
    return {k: v for k, v in dict(_draft(ctx).get("texts") or {}).items()
            if k in LANGUAGES and isinstance(v, str)}


def _refused(ctx: Context) -> Step | None:
    """Sends anyone who is not an animator back to the menu."""
    return staff_only(ctx, _KEY, ctx.t.gettext(
        "Only the team's animators send news to the community."))


# --- the text, in one language or more ---------------------------------------------------------

def ask_text(ctx: Context) -> Reply:
    """Asks for the message in the language being written."""
    writing = str(_draft(ctx).get("writing") or ctx.person.language)
    return Reply(ctx.t.gettext(
        "Write the message for the community (news, an event, a training session) in "
        "{language}, at most {most} characters.").format(
        language=NATIVE_NAMES.get(writing, writing), most=ctx.t.number(MAX_TEXT)),
        leave_choices(ctx), hint=ctx.t.gettext(
            "Write your answer, or reply 1 to go back to the menu."))


@state(S.TEXT, ask_text)
def on_text(msg: Inbound, ctx: Context) -> Step:
    """Keeps the message in the language being written."""
    refused = _refused(ctx) or left(msg, ctx, _KEY)
    if refused is not None:
        return refused
    text = visible(msg.text or "", " \t\n").strip()
    if not text or len(text) > MAX_TEXT:
        return Step.stay(ctx.t.gettext("Please write at most {most} characters of text.")
                         .format(most=ctx.t.number(MAX_TEXT)))
    draft = _draft(ctx)
    draft["texts"] = {**_texts(ctx), str(draft.get("writing") or ctx.person.language): text}
    return Step(next=S.MORE)


def more_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    others = () if len(_texts(ctx)) == len(LANGUAGES) else (
        Choice("language", _("Add it in another language")),)
    return (Choice("who", _("Choose who receives it"), YES), *others,
            Choice("cancel", _("Cancel the message"), NO))


def ask_more(ctx: Context) -> Reply:
    """Shows the languages written so far and what comes next."""
    _ = ctx.t.gettext
    written = ", ".join(NATIVE_NAMES[code] for code in LANGUAGES if code in _texts(ctx))
    return Reply(_("Written in: {languages}. People who read another language receive it "
                   "in French, else in Arabic, else as written.").format(languages=written),
                 more_choices(ctx))


@state(S.MORE, ask_more)
def on_more(msg: Inbound, ctx: Context) -> Step:
    """Adds a language, goes on to the audience, or cancels."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    if not _texts(ctx):
        return Step(next=S.TEXT)
    choice = pick(msg, more_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "cancel":
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU, say=[Reply(ctx.t.gettext(
            "Cancelled: the message was not sent."))])
    return Step(next=S.LANGUAGE if choice.key == "language" else S.WHO)


def language_choices(ctx: Context) -> tuple[Choice, ...]:
    written = _texts(ctx)
    return tuple(Choice(code, NATIVE_NAMES[code]) for code in LANGUAGES
                 if code not in written)


def ask_language(ctx: Context) -> Reply:
    """Asks which language the message is added in."""
    return Reply(ctx.t.gettext("In which language do you add it?"), language_choices(ctx))


@state(S.LANGUAGE, ask_language)
def on_language(msg: Inbound, ctx: Context) -> Step:
    """Writes the message next in the language chosen."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    choice = pick(msg, language_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    _draft(ctx)["writing"] = choice.key
    return Step(next=S.TEXT)


# --- who receives it ---------------------------------------------------------------------------

def who_choices(ctx: Context) -> tuple[Choice, ...]:
    return (*(Choice(key, ctx.t.gettext(label)) for key, label in AUDIENCES.items()),
            *leave_choices(ctx))


def ask_who(ctx: Context) -> Reply:
    """Asks who receives the message."""
    return Reply(ctx.t.gettext("Who receives it?"), who_choices(ctx))


@state(S.WHO, ask_who)
def on_who(msg: Inbound, ctx: Context) -> Step:
    """Keeps who receives the message, then shows the preview."""
    refused = _refused(ctx) or left(msg, ctx, _KEY)
    if refused is not None:
        return refused
    choice = pick(msg, who_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    _draft(ctx)["who"] = choice.key
    return Step(next=S.PREVIEW)


def audience(ctx: Context) -> Audience:
    who = _draft(ctx).get("who")
    return Audience(roles=(who,) if who in AUDIENCES and who != "all" else ())


def templates(ctx: Context) -> dict[str, dict[str, Any]]:
    """The approved WhatsApp templates of news, per language, with the message's first words:
    what people silent on WhatsApp for over 24 hours receive instead."""
    found, texts = ctx.facts.get("templates"), _texts(ctx)
    if not isinstance(found, Templates) or not texts:
        return {}
    first = next(iter(texts.values())).split("\n")[0][:60]
    return found.per_language("news", {"1": first})


def _preview(ctx: Context) -> Preview | None:
    read = ctx.facts.get("news_preview")
    if not callable(read):
        return None
    found = read(audience(ctx), _texts(ctx), templates(ctx))
    return found if isinstance(found, Preview) else None


def preview_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("send", _("Send now"), YES), Choice("who", _("Change who receives it")),
            Choice("text", _("Change the message")),
            Choice("cancel", _("Cancel the message"), NO))


def ask_preview(ctx: Context) -> Reply:
    """Shows the message and who it reaches before it goes."""
    _ = ctx.t.gettext
    texts, seen = _texts(ctx), _preview(ctx)
    if not texts or seen is None:
        return Reply(_("The message is empty."), leave_choices(ctx))
    mine = texts.get(ctx.person.language) or next(iter(texts.values()))
    who = str(_draft(ctx).get("who") or "all")
    lines = [ctx.t.iso(mine), "", _("To: {who}").format(who=_(AUDIENCES.get(who, "Everyone"))),
             *reach_lines(ctx, seen)]
    return Reply("\n".join(lines) + "\n\n" + _("Send it?"), preview_choices(ctx))


@state(S.PREVIEW, ask_preview)
def on_preview(msg: Inbound, ctx: Context) -> Step:
    """Sends the message now, or changes it."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    _ = ctx.t.gettext
    if not _texts(ctx):
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU)
    choice = pick(msg, preview_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "cancel":
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU, say=[Reply(_("Cancelled: the message was not sent."))])
    if choice.key == "who":
        return Step(next=S.WHO)
    if choice.key == "text":
        _draft(ctx).update(texts={}, writing=ctx.person.language)
        return Step(next=S.TEXT)
    seen = _preview(ctx)
    if seen is None or not seen.reached:
        return Step.stay(_("This message reaches nobody: choose other people."))
    command = Announce(tuple(sorted(_texts(ctx).items())), audience(ctx).to_json(),
                       json.dumps(templates(ctx)))
    ctx.data.pop(_KEY, None)
    return Step(next=MAIN_MENU, say=[Reply(ctx.t.ngettext(
        "The message is on its way to {n} person.", "The message is on its way to {n} people.",
        seen.reached).format(n=ctx.t.number(seen.reached)))], commands=[command])
