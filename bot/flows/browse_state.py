"""What browsing projects keeps (in ctx.data["browse"], as plain JSON): the filters, the
page, the project open, where it was opened from; and the helpers its steps share."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.cards import KINDS, THEMES, place, place_name, skill_name
from bot.flows.common import kept, read_card
from bot.flows.engine import Context, Step
from bot.flows.organisation import leave_choices
from bot.messages import Inbound, Reply
from core.domain.projects import PUBLIC
from core.experts import Filters, Page
from core.projects import ProjectCard


class S(StrEnum):
    FILTER = "browse.filter"
    THEME = "browse.theme"
    PLACE = "browse.place"
    PLACE_PICK = "browse.place_pick"
    SKILL = "browse.skill"
    SKILL_PICK = "browse.skill_pick"
    KIND = "browse.kind"
    TEXT = "browse.text"
    LIST = "browse.list"
    CARD = "browse.card"
    NEWS = "news.show"


MAIN_MENU = "menu.main"
FOLLOWS = "supporter.follows"  # bot/flows/supporter.py
KEY = "browse"  # where browsing keeps its state in ctx.data
MAX_SEARCH = 200  # characters: a place or a skill is said in fewer
MAX_WORDS = 100  # characters of a free-text search
MAX_TITLE = 48  # characters of a title on a button
_CODE = re.compile(r"[0-9]{2}(\.[0-9]{3}(\.[0-9]{2}\.[0-9]{2})?)?")  # region, province, commune
_ORIGINS = (S.LIST, S.NEWS, S.FILTER)  # where "Back to the list" leads from a card


def scratch(ctx: Context) -> dict[str, Any]:
    """What browsing keeps so far."""
    return kept(ctx, KEY)


def _kept_filters(ctx: Context) -> dict[str, Any]:
    raw = scratch(ctx).get("filters")
    return raw if isinstance(raw, dict) else {}


def filters(ctx: Context) -> Filters:
    """The filters chosen, each dropped when it is not one that can be."""
    raw = _kept_filters(ctx)
    theme, kind, territory = raw.get("theme"), raw.get("kind"), raw.get("territory")
    skill, words = raw.get("skill"), raw.get("text")
    return Filters(
        theme=theme if isinstance(theme, str) and theme in THEMES else None,
        territory=territory if isinstance(territory, str) and _CODE.fullmatch(territory)
        else None,
        skill=skill if isinstance(skill, str) and 0 < len(skill) <= 64 else None,
        kind=kind if isinstance(kind, str) and kind in KINDS else None,
        text=words if isinstance(words, str) and 0 < len(words) <= MAX_WORDS else None)


def set_filters(ctx: Context, *, replace: bool = False, **values: str) -> None:
    """Narrows the filters (or replaces them all) and goes back to the first page."""
    answers = scratch(ctx)
    answers["filters"] = {**({} if replace else _kept_filters(ctx)), **values}
    answers["page"] = 0
    if replace or "territory" in values:
        answers.pop("place", None)


def fetch(ctx: Context, page: int) -> Page | None:
    """Asks core for a page of the projects that match; None when it cannot say."""
    browse = ctx.facts.get("browse")
    found = browse(filters(ctx), page) if callable(browse) else None
    return found if isinstance(found, Page) else None


def current(ctx: Context) -> tuple[int, Page | None]:
    """The page shown now, back to the first one when projects closed meanwhile."""
    number = scratch(ctx).get("page")
    number = number if isinstance(number, int) and 0 <= number < 10_000 else 0
    found = fetch(ctx, number)
    if number and found is not None and not found.projects:
        number, found = 0, fetch(ctx, 0)
    return number, found


def listing(ctx: Context) -> Step:
    """Shows the first page of the projects that match; back to the filters when none does."""
    found = fetch(ctx, 0)
    if found is None or not found.total or not found.projects:
        return Step(next=S.FILTER, say=[Reply(ctx.t.gettext(
            "No open project matches. Try other filters."))])
    return Step(next=S.LIST)


def open_card(ctx: Context, ref: str, origin: str, latest: str | None = None) -> Step:
    """Opens a project's card, remembering where "Back to the list" leads."""
    answers = scratch(ctx)
    for key in ("seen", "following"):
        answers.pop(key, None)
    answers.update(ref=ref, origin=origin, latest=latest)
    return Step(next=S.CARD)


def origin(ctx: Context) -> str:
    """Where the project card was opened from."""
    came = scratch(ctx).get("origin")
    return came if isinstance(came, str) and came in _ORIGINS else S.LIST


def public_card(ctx: Context, ref: object) -> ProjectCard | None:
    """Reads an approved project by its reference; None when there is none to show."""
    card = read_card(ctx, ref)
    return card if card is not None and card.status in PUBLIC else None


def title(ctx: Context, card: ProjectCard) -> str:
    """A project's title, short enough for a button."""
    text = card.title if len(card.title) <= MAX_TITLE else card.title[:MAX_TITLE - 1] + "…"
    return ctx.t.iso(text)


def project_label(ctx: Context, card: ProjectCard) -> str:
    """Names a project on a button: “Title” — Commune (Province)."""
    # TRANSLATORS: a project on a button, e.g. “Water for the douar” — Tafraout (Tiznit).
    return ctx.t.gettext("“{title}” — {place}").format(title=title(ctx, card),
                                                       place=place(ctx, card))


def place_label(ctx: Context, row: list[str]) -> str:
    """Names a region, a province or a commune kept as [code, kind, fr, ar, province fr, ar]."""
    _ = ctx.t.gettext
    _code, kind, name_fr, name_ar, province_fr, province_ar = row
    name = ctx.t.iso(ctx.local(name_fr, name_ar))
    if kind == "region":
        return _("Region: {name}").format(name=name)
    if kind == "province":
        return _("Province: {name}").format(name=name)
    return place_name(ctx, name_fr, name_ar, province_fr, province_ar)


def place_row(raw: object) -> list[str] | None:
    """Reads back a place kept by the place search."""
    if not isinstance(raw, list) or len(raw) != 6 or not all(isinstance(p, str) for p in raw):
        return None
    return list(raw)


def described(ctx: Context) -> str | None:
    """Says which filters are chosen, or None when none is."""
    _ = ctx.t.gettext
    chosen = filters(ctx)
    parts = []
    if chosen.theme:
        parts.append(_(THEMES[chosen.theme]))
    if chosen.kind:
        parts.append(_(KINDS[chosen.kind]))
    if chosen.territory:
        row = place_row(scratch(ctx).get("place"))
        parts.append(place_label(ctx, row) if row and row[0] == chosen.territory
                     else ctx.t.iso(chosen.territory))
    if chosen.skill:
        parts.append(skill_name(ctx, chosen.skill))
    if chosen.text:
        parts.append(_("words “{words}”").format(words=ctx.t.iso(chosen.text)))
    if not parts:
        return None
    return _("Now showing: {filters}.").format(filters=", ".join(parts))


def leaving(msg: Inbound, ctx: Context) -> Step | None:
    """Goes back to the menu when the person chose to, from a free-text question."""
    if pick(msg, leave_choices(ctx)) is None:
        return None
    return Step(next=MAIN_MENU)


def searched(msg: Inbound) -> str | None:
    """The words of a search, or None when there are none or too many to be one."""
    text = " ".join((msg.text or "").split())
    if not text or len(text) > MAX_SEARCH or not any(c.isalnum() for c in text):
        return None
    return text

