"""What's new: the approved projects that opened or moved lately in the themes, places and
projects a person follows, each opening its card."""

from __future__ import annotations

from datetime import timedelta

from bot.choices import pick
from bot.flows.browse_state import FOLLOWS, MAIN_MENU, S, open_card, project_label
from bot.flows.engine import Context, Step, state
from bot.messages import Choice, Inbound, Reply
from core.domain.projects import PUBLIC
from core.projects import ProjectCard

DAYS = 30  # how far back "what's new" looks
MAX_SHOWN = 9


def _news(ctx: Context) -> list[ProjectCard] | None:
    """The projects that moved lately in what the person follows; None when they follow
    nothing."""
    if not list(ctx.facts.get("follows") or []):
        return None
    whats_new = ctx.facts.get("whats_new")
    found = whats_new(ctx.now - timedelta(days=DAYS)) if callable(whats_new) else []
    return [card for card in list(found or [])
            if isinstance(card, ProjectCard) and card.status in PUBLIC][:MAX_SHOWN]


def news_choices(ctx: Context, news: list[ProjectCard] | None) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    menu = Choice("menu", _("Back to the menu"))
    follows = Choice("follows", _("Themes and places I follow"))
    browse = Choice("browse", _("Browse projects"))
    if news is None:
        return follows, browse, menu
    if not news:
        return browse, follows, menu
    return (*(Choice(card.ref, project_label(ctx, card)) for card in news), menu)


def ask_news(ctx: Context) -> Reply:
    """Lists what is new in the themes, places and projects the person follows."""
    _ = ctx.t.gettext
    news = _news(ctx)
    choices = news_choices(ctx, news)
    if news is None:
        return Reply(_("You follow no theme, place or project yet. Choose some, and their news "
                       "will come here."), choices)
    if not news:
        return Reply(_("Nothing new in the last {days} days in what you follow.").format(
            days=ctx.t.number(DAYS)), choices)
    text = ctx.t.ngettext(
        "In the last {days} days, {n} project opened or moved in what you follow:",
        "In the last {days} days, {n} projects opened or moved in what you follow:",
        len(news)).format(days=ctx.t.number(DAYS), n=ctx.t.number(len(news)))
    return Reply(text, choices)


@state(S.NEWS, ask_news)
def on_news(msg: Inbound, ctx: Context) -> Step:
    """Opens the project chosen, or what the person follows, or browsing."""
    choice = pick(msg, news_choices(ctx, _news(ctx)))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    if choice.key == "follows":
        return Step(next=FOLLOWS)
    if choice.key == "browse":
        return Step(next=S.FILTER)
    return open_card(ctx, choice.key, S.NEWS)
