"""Declaring a project, its description: text, voice notes and photos over several messages,
until the person says that is all."""

from __future__ import annotations

from dataclasses import replace

from bot.choices import pick
from bot.flows.common import MEDIA_KINDS
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import free_text, left
from bot.flows.project_answers import (
    KEY,
    S,
    clean_text,
    declaration,
    described,
    media,
    received,
    restart,
    started,
    text,
)
from bot.i18n.keywords import YES
from bot.messages import Choice, Inbound, Media, Reply
from core.domain.projects import MAX_MEDIA, MAX_TEXT


def ask_description(ctx: Context) -> Reply:
    """Asks to describe the project, in writing or by voice notes and photos."""
    _ = ctx.t.gettext
    question = free_text(ctx, _("Describe the project: what, where, for whom. You can write, "
                                "or send voice notes and photos."))
    return replace(question, hint=_("Write, or send a voice note or a photo. Reply 1 to go "
                                    "back to the menu."))


def _added(msg: Inbound, ctx: Context) -> Step | None:
    """Adds a message's text and media to the description; a Step when it cannot."""
    _ = ctx.t.gettext
    if not started(ctx):
        return Step.stay(_("No project is being declared. Reply 1 to go back to the menu."))
    sent = [m for m in msg.media if m.kind in MEDIA_KINDS]
    words = clean_text(msg.text, MAX_TEXT)
    if not sent and words is None and (msg.text or "").strip():
        return Step.stay(_("Please write a few words in letters (at most {limit} characters), "
                           "or send a voice note or a photo.").format(limit=ctx.t.iso(MAX_TEXT)))
    if not sent and words is None:
        return Step.stay(_("I cannot use stickers or locations to describe a project. Please "
                           "write, or send a voice note or a photo."))
    return _keep(ctx, words, sent)  # a caption that says nothing is left out


def _keep(ctx: Context, words: str | None, sent: list[Media]) -> Step | None:
    _ = ctx.t.gettext
    written = "\n".join(part for part in (text(ctx), words or "") if part)
    if len(written) > MAX_TEXT:
        return Step.stay(_("The description is too long: at most {limit} characters in all. "
                           "Please go on with what you already sent.").format(
            limit=ctx.t.iso(MAX_TEXT)))
    kept = media(ctx) + [[m.kind, ctx.channel, m.ref, m.mime] for m in sent]
    if len(kept) > MAX_MEDIA:
        return Step.stay(_("You can send at most {limit} voice notes, photos or documents. "
                           "Please go on with what you already sent.").format(
            limit=ctx.t.iso(MAX_MEDIA)))
    declaration(ctx).update(text=written, media=kept)
    return None


@state(S.DESCRIPTION, ask_description, accepts_media=True)
def on_description(msg: Inbound, ctx: Context) -> Step:
    """Starts the description with the text, voice notes or photos received."""
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    return _added(msg, ctx) or Step(next=S.DESCRIPTION_MORE)


def more_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("done", _("That's all, continue"),
                   (*YES, "safi", "صافي", "c'est tout", "fini", "continuer", "kamel")),
            Choice("again", _("Start the description again"), ("recommencer", "عاود")))


def ask_description_more(ctx: Context) -> Reply:
    """Says what the description holds so far and asks for more or to continue."""
    _ = ctx.t.gettext
    lines = received(ctx)
    if not lines:
        return Reply(_("Nothing received yet. Send text, a voice note or a photo."),
                     more_choices(ctx))
    said = "\n".join([_("Received so far:"), *(f"• {line}" for line in lines),
                      _("You can send more text, voice notes or photos.")])
    return Reply(said, more_choices(ctx), hint=_(
        "Send more, reply 1 to continue, or 2 to start the description again."))



@state(S.DESCRIPTION_MORE, ask_description_more, accepts_media=True)
def on_description_more(msg: Inbound, ctx: Context) -> Step:
    """Adds more to the description, starts it again, or moves on."""
    _ = ctx.t.gettext
    choice = pick(msg, more_choices(ctx)) if not msg.media else None
    if choice is not None and choice.key == "again":
        declaration(ctx).update(text="", media=[])
        return Step(next=S.DESCRIPTION)
    if choice is not None and not started(ctx):
        return restart(ctx)
    if choice is not None and not described(ctx):
        return Step.stay(_("Please write at least a few words, or send a voice note or a "
                           "photo."))
    if choice is not None:
        return Step(next=S.THEME)
    return _added(msg, ctx) or Step(next=S.DESCRIPTION_MORE)

