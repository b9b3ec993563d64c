"""Browsing projects, the filters' questions: a theme, a kind, a region or province (found
through the name of one of its communes), a skill needed, words to search."""

from __future__ import annotations

from bot.choices import pick
from bot.flows.browse_state import (
    MAX_WORDS,
    S,
    leaving,
    listing,
    place_label,
    place_row,
    scratch,
    searched,
    set_filters,
)
from bot.flows.cards import KINDS, THEMES, skill_name
from bot.flows.common import visible
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import free_text
from bot.flows.project_theme import KIND_ALIASES, THEME_ALIASES, listed
from bot.messages import Choice, Inbound, Reply

MAX_CANDIDATES = 5
MAX_PLACES = 8  # 3 provinces, 2 regions and 3 communes, at most, after one search


# --- theme and kind -----------------------------------------------------------------------

def ask_theme(ctx: Context) -> Reply:
    """Asks which theme the projects are about."""
    return Reply(ctx.t.gettext("Projects about which theme?"),
                 listed(ctx, THEMES, THEME_ALIASES))


@state(S.THEME, ask_theme)
def on_theme(msg: Inbound, ctx: Context) -> Step:
    """Shows the projects of the theme chosen."""
    choice = pick(msg, listed(ctx, THEMES, THEME_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the themes in the list."))
    set_filters(ctx, theme=choice.key)
    return listing(ctx)


def ask_kind(ctx: Context) -> Reply:
    """Asks which kind of projects to show."""
    return Reply(ctx.t.gettext("Which kind of projects?"), listed(ctx, KINDS, KIND_ALIASES))


@state(S.KIND, ask_kind)
def on_kind(msg: Inbound, ctx: Context) -> Step:
    """Shows the projects of the kind chosen."""
    choice = pick(msg, listed(ctx, KINDS, KIND_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the kinds in the list."))
    set_filters(ctx, kind=choice.key)
    return listing(ctx)


# --- region, province or commune ----------------------------------------------------------

def ask_place(ctx: Context) -> Reply:
    """Asks which region, province or commune."""
    return free_text(ctx, ctx.t.gettext(
        "Which province or region? Write the name of a town or a commune in it, for "
        "example: Tiznit."))


def _places(found: list[object]) -> list[list[str]]:
    """The provinces, regions and communes a commune search points to, provinces first."""
    provinces: list[list[str]] = []
    regions: list[list[str]] = []
    communes: list[list[str]] = []
    for candidate in found:
        code, name_fr, name_ar, province_fr, province_ar, region_fr, region_ar = (
            str(getattr(candidate, name, "") or "") for name in (
                "code", "name_fr", "name_ar", "province_fr", "province_ar", "region_fr",
                "region_ar"))
        parts = code.split(".")
        if len(parts) < 2 or not name_fr:
            continue
        province, region = ".".join(parts[:2]), parts[0]
        if province_fr and all(p[0] != province for p in provinces):
            provinces.append([province, "province", province_fr, province_ar, "", ""])
        if region_fr and all(r[0] != region for r in regions):
            regions.append([region, "region", region_fr, region_ar, "", ""])
        communes.append([code, "commune", name_fr, name_ar, province_fr, province_ar])
    return provinces[:3] + regions[:2] + communes[:3]


@state(S.PLACE, ask_place)
def on_place(msg: Inbound, ctx: Context) -> Step:
    """Searches the communes whose name looks like what the person wrote."""
    leave = leaving(msg, ctx)
    if leave is not None:
        return leave
    text, search = searched(msg), ctx.facts.get("communes")
    found = list(search(text) or [])[:MAX_CANDIDATES] if text and callable(search) else []
    places = _places(found)
    if not places:
        return Step.stay(ctx.t.gettext(
            "I found no place with that name. Please check the spelling, or write it another "
            "way (in Arabic or Latin letters)."))
    scratch(ctx)["places"] = places
    return Step(next=S.PLACE_PICK)


def _candidates(ctx: Context) -> list[list[str]]:
    raw = scratch(ctx).get("places")
    rows = [place_row(r) for r in (raw if isinstance(raw, list) else [])[:MAX_PLACES]]
    return [r for r in rows if r is not None]


def place_choices(ctx: Context) -> tuple[Choice, ...]:
    found = tuple(Choice(r[0], place_label(ctx, r)) for r in _candidates(ctx))
    return (*found, Choice("again", ctx.t.gettext("None of these, search again")))


def ask_place_pick(ctx: Context) -> Reply:
    """Shows the provinces, regions and communes found and asks which one."""
    return Reply(ctx.t.gettext("Projects in which of these places?"), place_choices(ctx))


@state(S.PLACE_PICK, ask_place_pick)
def on_place_pick(msg: Inbound, ctx: Context) -> Step:
    """Shows the projects of the place chosen, or searches again."""
    choice = pick(msg, place_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.PLACE)
    set_filters(ctx, territory=choice.key)
    answers = scratch(ctx)
    answers["place"] = next(r for r in _candidates(ctx) if r[0] == choice.key)
    answers.pop("places", None)
    return listing(ctx)


# --- skill needed -------------------------------------------------------------------------

def ask_skill(ctx: Context) -> Reply:
    """Asks which skill the projects need."""
    return free_text(ctx, ctx.t.gettext(
        "Projects that need which skill? Describe it in a few words, for example: drip "
        "irrigation."))


@state(S.SKILL, ask_skill)
def on_skill(msg: Inbound, ctx: Context) -> Step:
    """Searches the skills that fit the person's words."""
    leave = leaving(msg, ctx)
    if leave is not None:
        return leave
    text, search = searched(msg), ctx.facts.get("skills")
    found = list(search(text) or [])[:MAX_CANDIDATES] if text and callable(search) else []
    codes = [str(m.skill.code) for m in found if hasattr(getattr(m, "skill", None), "code")]
    if not codes:
        return Step.stay(ctx.t.gettext(
            "I found no skill with those words. Please try other words, for example: "
            "accounting, or solar energy."))
    scratch(ctx)["skills"] = codes
    return Step(next=S.SKILL_PICK)


def _skills(ctx: Context) -> list[str]:
    raw = scratch(ctx).get("skills")
    return [c for c in (raw if isinstance(raw, list) else [])[:MAX_CANDIDATES]
            if isinstance(c, str) and 0 < len(c) <= 64]


def skill_choices(ctx: Context) -> tuple[Choice, ...]:
    found = tuple(Choice(code, skill_name(ctx, code)) for code in _skills(ctx))
    return (*found, Choice("again", ctx.t.gettext("Search again")))


def ask_skill_pick(ctx: Context) -> Reply:
    """Shows the skills found and asks which one."""
    return Reply(ctx.t.gettext("Projects that need which of these skills?"), skill_choices(ctx))


@state(S.SKILL_PICK, ask_skill_pick)
def on_skill_pick(msg: Inbound, ctx: Context) -> Step:
    """Shows the projects that need the skill chosen, or searches again."""
    choice = pick(msg, skill_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.SKILL)
    set_filters(ctx, skill=choice.key)
    scratch(ctx).pop("skills", None)
    return listing(ctx)


# --- words --------------------------------------------------------------------------------

def ask_text(ctx: Context) -> Reply:
    """Asks which words to search in the projects."""
    return free_text(ctx, ctx.t.gettext(
        "Which words should I look for in the projects? For example: well, or olive oil."))


@state(S.TEXT, ask_text)
def on_text(msg: Inbound, ctx: Context) -> Step:
    """Shows the projects whose title or description holds the words."""
    leave = leaving(msg, ctx)
    if leave is not None:
        return leave
    raw = msg.text or ""
    words = " ".join(visible(raw).split()) if len(raw) <= 4 * MAX_WORDS else ""
    if len(words) > MAX_WORDS or sum(c.isalnum() for c in words) < 2:
        return Step.stay(ctx.t.gettext(
            "Please write a few words (at most {limit} characters), for example: well.").format(
            limit=ctx.t.number(MAX_WORDS)))
    set_filters(ctx, text=words)
    return listing(ctx)
