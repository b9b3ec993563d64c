"""Supporters: the themes, places and projects a person follows, to receive their news."""

from __future__ import annotations

from enum import StrEnum

from bot.choices import pick
from bot.flows.cards import THEMES, place_name
from bot.flows.common import commune_candidates, found_communes, kept, read_card
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import free_text, left
from bot.flows.project_theme import THEME_ALIASES
from bot.messages import Choice, Inbound, Reply
from core.commands import Command, FollowThing, UnfollowThing
from core.domain.experts import FollowKind


class S(StrEnum):
    FOLLOWS = "supporter.follows"
    THEME = "supporter.theme"
    PLACE = "supporter.place"
    PLACE_PICK = "supporter.place_pick"
    UNFOLLOW = "supporter.unfollow"


MAIN_MENU = "menu.main"
MAX_CANDIDATES = 5
_KEY = "supporter"  # where the flow keeps its answers in ctx.data


# --- what the person follows --------------------------------------------------------------

def _just_changed(ctx: Context) -> dict[str, bool]:
    """The follows changed in this very turn: ctx.facts were read before core made them."""
    just = kept(ctx, _KEY).get("just")
    if not isinstance(just, dict) or just.get("at") != ctx.now.isoformat():
        return {}
    changes = just.get("changes")
    return {str(k): bool(v) for k, v in changes.items()} if isinstance(changes, dict) else {}


def _change(ctx: Context, kind: str, key: str, on: bool) -> Command:
    """Notes a follow changed in this turn, and returns the command that changes it."""
    changes = {**_just_changed(ctx), f"{kind}:{key}": on}
    kept(ctx, _KEY)["just"] = {"at": ctx.now.isoformat(), "changes": changes}
    return FollowThing(kind, key) if on else UnfollowThing(kind, key)


def followed(ctx: Context) -> list[tuple[str, str]]:
    """Lists (kind, key) of what the person follows, oldest first."""
    found = [(str(f.kind), str(f.key)) for f in ctx.facts.get("follows") or []
             if hasattr(f, "kind") and hasattr(f, "key")]
    changes = _just_changed(ctx)
    found = [f for f in found if changes.get(f"{f[0]}:{f[1]}", True)]
    added = [(kind, key) for kind, _, key in (k.partition(":") for k, on in changes.items() if on)
             if (kind, key) not in found]
    return found + added


def territory_name(ctx: Context, code: str) -> str:
    """Names a region, province or commune (with its province) in the reader's script."""
    _ = ctx.t.gettext
    read = ctx.facts.get("territory")
    row = read(code) if callable(read) else None
    if row is None:
        return ctx.t.iso(code)
    name = ctx.t.iso(ctx.local(row.name_fr, row.name_ar))
    if row.kind == "province":
        return _("Province of {province}").format(province=name)
    if row.kind == "region":
        return _("Region of {region}").format(region=name)
    province = read(row.province_code) if row.province_code else None
    if province is None:
        return name
    return place_name(ctx, row.name_fr, row.name_ar, province.name_fr, province.name_ar)


def follow_line(ctx: Context, kind: str, key: str) -> str:
    """Names one thing followed: "Theme: Water", "Place: Tafraout (Tiznit)"..."""
    _ = ctx.t.gettext
    if kind == FollowKind.THEME:
        return _("Theme: {theme}").format(theme=_(THEMES.get(key, key)))
    if kind == FollowKind.TERRITORY:
        return _("Place: {place}").format(place=territory_name(ctx, key))
    card = read_card(ctx, key)
    return _("Project: {title}").format(title=ctx.t.iso(card.title if card else key))


def follows_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    stop = (Choice("unfollow", _("Stop following something")),) if followed(ctx) else ()
    return (Choice("theme", _("Follow a theme")), Choice("place", _("Follow a place")),
            *stop, Choice("menu", _("Back to the menu")))


def ask_follows(ctx: Context) -> Reply:
    """Lists what the person follows, and offers to follow more or less."""
    _ = ctx.t.gettext
    lines = [f"• {follow_line(ctx, kind, key)}" for kind, key in followed(ctx)]
    if not lines:
        return Reply(_("You do not follow anything yet. Follow themes and places to receive "
                       "their news here."), follows_choices(ctx))
    text = "\n".join([_("You follow:"), *lines, _("You receive their news here.")])
    return Reply(text, follows_choices(ctx))


@state(S.FOLLOWS, ask_follows)
def on_follows(msg: Inbound, ctx: Context) -> Step:
    """Opens what the person chose: follow a theme or a place, or stop following."""
    choice = pick(msg, follows_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    ctx.data.pop(_KEY, None)
    nxt = {"theme": S.THEME, "place": S.PLACE, "unfollow": S.UNFOLLOW}.get(choice.key)
    return Step(next=nxt or MAIN_MENU)


# --- themes -------------------------------------------------------------------------------

def theme_choices(ctx: Context) -> tuple[Choice, ...]:
    """The twelve themes, those followed marked ✓, and a way back."""
    mine = {key for kind, key in followed(ctx) if kind == FollowKind.THEME}
    themes = []
    for key, label in THEMES.items():
        name = ctx.t.gettext(label)
        shown = f"{name} ✓" if key in mine else name
        themes.append(Choice(key, shown, (*THEME_ALIASES.get(key, ()), name)))
    return (*themes, Choice("done", ctx.t.gettext("Done")))


def ask_theme(ctx: Context) -> Reply:
    """Asks which theme to follow, or to stop following."""
    return Reply(ctx.t.gettext("Which theme? Choose one to follow it, or one marked ✓ to stop "
                               "following it."), theme_choices(ctx))


@state(S.THEME, ask_theme)
def on_theme(msg: Inbound, ctx: Context) -> Step:
    """Follows the theme chosen, or stops following it when it was followed."""
    _ = ctx.t.gettext
    choice = pick(msg, theme_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose one of the themes in the list."))
    if choice.key == "done":
        return Step(next=S.FOLLOWS)
    theme = _(THEMES[choice.key])
    if (FollowKind.THEME.value, choice.key) in followed(ctx):
        said = _("You no longer follow {theme}.").format(theme=theme)
        return Step(say=[Reply(said)], commands=[_change(ctx, FollowKind.THEME, choice.key, False)])
    said = _("You now follow {theme}. You will receive its news.").format(theme=theme)
    return Step(say=[Reply(said)], commands=[_change(ctx, FollowKind.THEME, choice.key, True)])


# --- places: search, then pick a commune or its province ---------------------------------

def ask_place(ctx: Context) -> Reply:
    """Asks for the name of the place to follow."""
    return free_text(ctx, ctx.t.gettext(
        "Which place would you like to follow? Please write the name of a commune."))


@state(S.PLACE, ask_place)
def on_place(msg: Inbound, ctx: Context) -> Step:
    """Searches the communes whose name looks like what the person wrote."""
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    found = found_communes(msg, ctx)
    if isinstance(found, Step):
        return found
    kept(ctx, _KEY)["candidates"] = found
    return Step(next=S.PLACE_PICK)


def _places(ctx: Context) -> list[tuple[str, str, str]]:
    """The places found, as (code, label, name): each commune, then each one's province."""
    _ = ctx.t.gettext
    found = commune_candidates(kept(ctx, _KEY).get("candidates"), MAX_CANDIDATES)
    communes = [(c[0], place_name(ctx, *c[1:]), place_name(ctx, *c[1:])) for c in found]
    provinces: dict[str, tuple[str, str, str]] = {}
    for code, _fr, _ar, province_fr, province_ar in found:
        province = ".".join(code.split(".")[:2])
        name = ctx.t.iso(ctx.local(province_fr, province_ar))
        if province != code and name.strip() and province not in provinces:
            provinces[province] = (province,
                                   _("The whole province of {province}").format(province=name),
                                   _("Province of {province}").format(province=name))
    return communes + list(provinces.values())


def place_choices(ctx: Context) -> tuple[Choice, ...]:
    places = tuple(Choice(code, label) for code, label, _name in _places(ctx))
    return (*places, Choice("again", ctx.t.gettext("None of these, search again")))


def ask_place_pick(ctx: Context) -> Reply:
    """Shows the communes found, and their provinces, and asks which one to follow."""
    return Reply(ctx.t.gettext("Which place would you like to follow?"), place_choices(ctx))


@state(S.PLACE_PICK, ask_place_pick)
def on_place_pick(msg: Inbound, ctx: Context) -> Step:
    """Follows the commune or province picked, or searches again."""
    choice = pick(msg, place_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.PLACE)
    name = next(n for code, _label, n in _places(ctx) if code == choice.key)
    kept(ctx, _KEY).pop("candidates", None)
    said = ctx.t.gettext("You now follow {place}. You will receive its news.").format(place=name)
    return Step(next=S.FOLLOWS, say=[Reply(said)],
                commands=[_change(ctx, FollowKind.TERRITORY, choice.key, True)])


# --- stop following -----------------------------------------------------------------------

def unfollow_choices(ctx: Context) -> tuple[Choice, ...]:
    things = tuple(Choice(f"{kind}:{key}", follow_line(ctx, kind, key))
                   for kind, key in followed(ctx))
    return (*things, Choice("back", ctx.t.gettext("Back")))


def ask_unfollow(ctx: Context) -> Reply:
    """Asks what to stop following."""
    return Reply(ctx.t.gettext("What would you like to stop following?"), unfollow_choices(ctx))


@state(S.UNFOLLOW, ask_unfollow)
def on_unfollow(msg: Inbound, ctx: Context) -> Step:
    """Stops following the thing picked."""
    choice = pick(msg, unfollow_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "back":
        return Step(next=S.FOLLOWS)
    kind, _, key = choice.key.partition(":")
    said = ctx.t.gettext("You no longer follow this: {thing}.").format(thing=choice.label)
    return Step(next=S.FOLLOWS, say=[Reply(said)], commands=[_change(ctx, kind, key, False)])
