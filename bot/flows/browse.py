"""Browsing the open projects: which ones (filters), a page of them, a project's card, and
following it. The filters' own questions live in browse_filters.py; what's new in the
things a person follows, in browse_news.py."""

from __future__ import annotations

from dataclasses import replace

from bot.choices import pick
from bot.flows import browse_filters, browse_news  # noqa: F401  (registers their states)
from bot.flows.browse_state import (
    MAIN_MENU,
    S,
    current,
    described,
    listing,
    open_card,
    origin,
    project_label,
    public_card,
    scratch,
    set_filters,
    title,
)
from bot.flows.cards import card_media, card_text
from bot.flows.engine import Context, Step, state
from bot.messages import Choice, Inbound, Reply
from core.commands import FollowThing, UnfollowThing
from core.domain.experts import FollowKind
from core.experts import PAGE
from core.projects import ProjectCard

_FILTERS = {"theme": S.THEME, "place": S.PLACE, "skill": S.SKILL, "kind": S.KIND,
            "text": S.TEXT}
_ALIASES = {
    "all": ("tous", "tout", "الكل", "كلشي", "kolchi", "all"),
    "theme": ("thème", "موضوع", "مجال"),
    "place": ("région", "province", "جهة", "إقليم", "الإقليم", "الجهة"),
    "skill": ("compétence", "مهارة", "كفاءة"),
    "kind": ("type", "نوع"),
    "text": ("mots", "recherche", "بحث", "كلمات"),
}


# --- which projects -----------------------------------------------------------------------

def _invited(ctx: Context) -> tuple[Choice, ...]:
    """The commune or the project of the invitation the person came with, if any."""
    invitation = ctx.facts.get("invitation")
    kind, target = getattr(invitation, "kind", None), getattr(invitation, "target", None)
    if kind == "project":
        card = public_card(ctx, target)
        return (Choice("invited_project", project_label(ctx, card)),) if card else ()
    territory = ctx.facts.get("territory")
    row = territory(target) if kind == "commune" and callable(territory) else None
    if row is None or not isinstance(getattr(row, "name_fr", None), str):
        return ()
    name = ctx.t.iso(ctx.local(row.name_fr, row.name_ar or ""))
    return (Choice("invited_commune", ctx.t.gettext("Projects of {commune}").format(
        commune=name)),)


def filter_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    options = [("all", _("All open projects")), ("theme", _("By theme")),
               ("place", _("By region or province")), ("skill", _("By skill needed")),
               ("kind", _("By kind")), ("text", _("Search words"))]
    return (*_invited(ctx), *(Choice(key, label, _ALIASES[key]) for key, label in options),
            Choice("menu", _("Back to the menu")))


def ask_filter(ctx: Context) -> Reply:
    """Asks which projects the person wants to see."""
    _ = ctx.t.gettext
    text = _("Which projects do you want to see?")
    now = described(ctx)
    if now is not None:
        text += "\n" + now + "\n" + _("Choose a filter to narrow the list, or “All open "
                                      "projects” to start afresh.")
    return Reply(text, filter_choices(ctx))


@state(S.FILTER, ask_filter)
def on_filter(msg: Inbound, ctx: Context) -> Step:
    """Opens the filter chosen, or the projects of the invitation."""
    choice = pick(msg, filter_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    if choice.key in _FILTERS:
        return Step(next=_FILTERS[choice.key])
    invitation = ctx.facts.get("invitation")
    target = str(getattr(invitation, "target", ""))
    if choice.key == "invited_project":
        return open_card(ctx, target, S.FILTER)
    if choice.key == "invited_commune":
        set_filters(ctx, replace=True, territory=target)
    else:
        set_filters(ctx, replace=True)
    return listing(ctx)


# --- a page of projects -------------------------------------------------------------------

def _page(ctx: Context) -> tuple[str | None, tuple[Choice, ...]]:
    """The page shown now: its header (None when nothing matches) and its choices."""
    _ = ctx.t.gettext
    number, found = current(ctx)
    ending = (Choice("filters", _("Change the filters")), Choice("menu", _("Back to the menu")))
    if found is None or not found.total or not found.projects:
        return None, ending
    lines = [ctx.t.ngettext("{n} project", "{n} projects", found.total).format(
        n=ctx.t.number(found.total))]
    pages = -(-found.total // PAGE)
    if pages > 1:
        lines.append(_("Page {page} of {pages}.").format(page=ctx.t.number(number + 1),
                                                         pages=ctx.t.number(pages)))
    now = described(ctx)
    if now is not None:
        lines.append(now)
    shown = tuple(Choice(card.ref, project_label(ctx, card)) for card in found.projects[:PAGE])
    more = (Choice("more", _("More"), ("plus", "المزيد", "زيد", "ⵓⴳⴳⴰⵔ")),) \
        if (number + 1) * PAGE < found.total else ()
    return "\n".join(lines), (*shown, *more, *ending)


def ask_list(ctx: Context) -> Reply:
    """Shows a page of the projects that match."""
    header, choices = _page(ctx)
    if header is None:
        return Reply(ctx.t.gettext("No open project matches. Try other filters."), choices)
    return Reply(header + "\n\n" + ctx.t.gettext("Which project do you want to see?"), choices)


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the project chosen, shows more, or changes the filters."""
    _header, choices = _page(ctx)
    choice = pick(msg, choices)
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    if choice.key == "filters":
        return Step(next=S.FILTER)
    number, found = current(ctx)
    if choice.key == "more":
        scratch(ctx)["page"] = number + 1
        return Step(next=S.LIST)
    latest = found.latest.get(choice.key) if found is not None else None
    return open_card(ctx, choice.key, S.LIST, latest if isinstance(latest, str) else None)


# --- a project's card ---------------------------------------------------------------------

def _card(ctx: Context) -> ProjectCard | None:
    return public_card(ctx, scratch(ctx).get("ref"))


def _following(ctx: Context, ref: str) -> bool:
    """Whether the person follows the project (what they just chose counts first)."""
    chosen = scratch(ctx).get("following")
    if isinstance(chosen, list) and len(chosen) == 2 and chosen[0] == ref:
        return bool(chosen[1])
    return any(getattr(f, "kind", None) == FollowKind.PROJECT and getattr(f, "key", None) == ref
               for f in list(ctx.facts.get("follows") or []))


def _latest(ctx: Context, ref: str) -> str | None:
    """The text of the project's latest update, when it is known."""
    read = ctx.facts.get("latest")
    if callable(read):
        found = read(ref)
        return found if isinstance(found, str) and found else None
    answers = scratch(ctx)
    latest = answers.get("latest")
    return latest if answers.get("ref") == ref and isinstance(latest, str) and latest else None


def card_choices(ctx: Context, card: ProjectCard | None) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    ending = (Choice("back", _("Back to the list")), Choice("menu", _("Back to the menu")))
    if card is None:
        return ending
    if _following(ctx, card.ref):
        return (Choice("unfollow", _("Stop following"), ("unfollow", "ne plus suivre")),
                *ending)
    return (Choice("follow", _("Follow this project"), ("follow", "suivre", "تابع", "تبع")),
            *ending)


def ask_card(ctx: Context) -> Reply:
    """Shows the project's card: place, needs and their progress, latest news."""
    _ = ctx.t.gettext
    card = _card(ctx)
    choices = card_choices(ctx, card)
    if card is None:
        return Reply(_("This project cannot be shown: it is no longer open."), choices)
    if scratch(ctx).get("seen") == card.ref:  # shown already: do not send it all again
        return Reply(_("“{title}”: what would you like to do?").format(title=title(ctx, card)),
                     choices)
    shown = replace(card, question=None, reject_reason=None)  # between the team and them
    text = card_text(ctx, shown)
    latest = _latest(ctx, card.ref)
    if latest:
        text += "\n\n" + _("Latest news: {text}").format(text=ctx.t.iso(latest))
    return Reply(text, choices, media=card_media(ctx, card))


@state(S.CARD, ask_card)
def on_card(msg: Inbound, ctx: Context) -> Step:
    """Follows or stops following the project, or goes back."""
    _ = ctx.t.gettext
    card = _card(ctx)
    choice = pick(msg, card_choices(ctx, card))
    if card is not None:
        scratch(ctx)["seen"] = card.ref
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    if choice.key == "back" or card is None:
        return Step(next=origin(ctx))
    name = ctx.t.iso(card.title)
    scratch(ctx)["following"] = [card.ref, choice.key == "follow"]
    if choice.key == "follow":
        done = _("You follow “{title}”: you will receive its news.").format(title=name)
        return Step(say=[Reply(done)], commands=[FollowThing(FollowKind.PROJECT.value, card.ref)])
    done = _("You no longer follow “{title}”.").format(title=name)
    return Step(say=[Reply(done)], commands=[UnfollowThing(FollowKind.PROJECT.value, card.ref)])
