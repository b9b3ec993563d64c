"""Registering as an expert, where: the country and city of residence, the time zone (derived,
then confirmed), and the origin in Morocco (a commune, or none in particular)."""

from __future__ import annotations

from babel.dates import format_time, get_timezone

from bot.choices import pick
from bot.flows.cards import place_name
from bot.flows.common import commune_candidates, found_communes, visible
from bot.flows.engine import Context, Step, state
from bot.flows.expert_answers import KEY, S, advance, answers, origin
from bot.flows.organisation import free_text, leave_choices, left
from bot.i18n import FORMAT_LOCALES
from bot.i18n.countries import (
    MAX_ZONES,
    country_name,
    exact_country,
    find_country,
    time_zones,
    zone_city,
    zone_for_city,
)
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply

MAX_CITY = 80
MAX_CANDIDATES = 5
_NONE = ("aucune", "aucun", "none", "walou", "والو", "لا شيء", "ⵓⵍⴰ ⵢⴰⵏ")


def origin_row(ctx: Context, code: str | None) -> list[str] | None:
    """Names a commune of origin kept by its code, as the commune search does."""
    read = ctx.facts.get("territory")
    row = read(code) if code and callable(read) else None
    if row is None:
        return [code, code, "", "", ""] if code else None
    parent = read(row.province_code) if row.province_code else None
    return [row.code, row.name_fr, row.name_ar, getattr(parent, "name_fr", ""),
            getattr(parent, "name_ar", "")]


# --- country --------------------------------------------------------------------------------

def ask_country(ctx: Context) -> Reply:
    """Asks in which country the person lives."""
    return free_text(ctx, ctx.t.gettext("In which country do you live?"))


@state(S.COUNTRY, ask_country)
def on_country(msg: Inbound, ctx: Context) -> Step:
    """Finds the country whose name looks like what the person wrote."""
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    code = exact_country(msg.text)
    if code is not None:
        answers(ctx).update(country=code, countries=[])
        return Step(next=S.CITY)
    found = find_country(msg.text, ctx.person.language)
    if not found:
        return Step.stay(ctx.t.gettext("I found no country with that name. Please check the "
                                       "spelling, or write it another way."))
    answers(ctx)["countries"] = [code for code, _name in found]
    return Step(next=S.COUNTRY_PICK)


def country_choices(ctx: Context) -> tuple[Choice, ...]:
    codes = answers(ctx).get("countries")
    found = tuple(Choice(str(code), country_name(str(code), ctx.person.language))
                  for code in (codes if isinstance(codes, list) else [])[:MAX_CANDIDATES])
    return (*found, Choice("again", ctx.t.gettext("None of these, search again")))


def ask_country_pick(ctx: Context) -> Reply:
    """Shows the countries found and asks which one it is."""
    return Reply(ctx.t.gettext("Which of these countries is it?"), country_choices(ctx))


@state(S.COUNTRY_PICK, ask_country_pick)
def on_country_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the country picked, or searches again."""
    choice = pick(msg, country_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.COUNTRY)
    answers(ctx).update(country=choice.key, countries=[])
    return Step(next=S.CITY)


# --- city and time zone ---------------------------------------------------------------------

def ask_city(ctx: Context) -> Reply:
    """Asks in which city the person lives."""
    return free_text(ctx, ctx.t.gettext("In which city do you live?"))


@state(S.CITY, ask_city)
def on_city(msg: Inbound, ctx: Context) -> Step:
    """Keeps the city and derives the time zone from it."""
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    text = msg.text or ""
    city = " ".join(visible(text).split()) if len(text) <= 4 * MAX_CITY else ""
    if not 2 <= len(city) <= MAX_CITY or not any(c.isalpha() for c in city):
        return Step.stay(ctx.t.gettext("Please write the name of your city (at most {limit} "
                                       "characters).").format(limit=ctx.t.number(MAX_CITY)))
    country = answers(ctx).get("country")
    zones = time_zones(country if isinstance(country, str) else None)
    zone = zones[0] if len(zones) == 1 else zone_for_city(country, city)
    answers(ctx).update(city=city, timezone=zone)
    if not zones:
        return advance(ctx, "country")
    return Step(next=S.TIMEZONE if zone else S.TIMEZONE_PICK)


def _zone_label(ctx: Context, zone: str) -> str:
    """Names a zone by its city, with its time now: "Toronto (10:30)"."""
    locale = FORMAT_LOCALES.get(ctx.person.language, "en")
    now = format_time(ctx.now, format="short", tzinfo=get_timezone(zone), locale=locale)
    return ctx.t.gettext("{city} (now {time})").format(city=ctx.t.iso(zone_city(
        zone, ctx.person.language)), time=ctx.t.iso(now))


def timezone_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes"), YES), Choice("other", _("Choose another"), NO))


def _zone(ctx: Context) -> str | None:
    zone = answers(ctx).get("timezone")
    try:
        return zone if isinstance(zone, str) and get_timezone(zone) else None
    except LookupError:
        return None


def ask_timezone(ctx: Context) -> Reply:
    """Asks the person to confirm the time zone derived from their city."""
    zone = _zone(ctx)
    if zone is None:
        return Reply(ctx.t.gettext("Which is your time zone?"), timezone_choices(ctx))
    return Reply(ctx.t.gettext("Your time zone: {zone}. Is that right?").format(
        zone=_zone_label(ctx, zone)), timezone_choices(ctx))


@state(S.TIMEZONE, ask_timezone)
def on_timezone(msg: Inbound, ctx: Context) -> Step:
    """Keeps the time zone, or lists the country's others."""
    choice = pick(msg, timezone_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 for yes, or 2 to choose another."))
    if choice.key == "other" or _zone(ctx) is None:
        return Step(next=S.TIMEZONE_PICK)
    return advance(ctx, "country")


def zone_choices(ctx: Context) -> tuple[Choice, ...]:
    country = answers(ctx).get("country")
    zones = time_zones(country if isinstance(country, str) else None)[:MAX_ZONES]
    listed = tuple(Choice(zone, _zone_label(ctx, zone)) for zone in zones)
    return (*listed, Choice("city", ctx.t.gettext("Search by city")))


def ask_timezone_pick(ctx: Context) -> Reply:
    """Lists the time zones of the person's country."""
    return Reply(ctx.t.gettext("Which of these time zones is yours?"), zone_choices(ctx))


@state(S.TIMEZONE_PICK, ask_timezone_pick)
def on_timezone_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the time zone picked, or asks for the city again."""
    choice = pick(msg, zone_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "city":
        return Step(next=S.CITY)
    answers(ctx)["timezone"] = choice.key
    return advance(ctx, "country")


# --- origin in Morocco ----------------------------------------------------------------------

def origin_choices(ctx: Context) -> tuple[Choice, ...]:
    return (*leave_choices(ctx), Choice("none", ctx.t.gettext("None in particular"), _NONE))


def ask_origin(ctx: Context) -> Reply:
    """Asks where in Morocco the person comes from."""
    _ = ctx.t.gettext
    return Reply(_("Where in Morocco are you from? Write the name of the commune."),
                 origin_choices(ctx), hint=_("Write the name of the commune, reply 1 to go "
                                             "back to the menu, or 2 for none in particular."))


@state(S.ORIGIN, ask_origin)
def on_origin(msg: Inbound, ctx: Context) -> Step:
    """Searches the communes whose name looks like what the person wrote."""
    choice = pick(msg, origin_choices(ctx))
    if choice is not None and choice.key == "none":
        answers(ctx)["origin"] = None
        return advance(ctx, "origin")
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    found = found_communes(msg, ctx)
    if isinstance(found, Step):
        return found
    answers(ctx)["communes"] = found
    return Step(next=S.ORIGIN_PICK)


def _communes(ctx: Context) -> list[list[str]]:
    return commune_candidates(answers(ctx).get("communes"), MAX_CANDIDATES)


def origin_pick_choices(ctx: Context) -> tuple[Choice, ...]:
    places = tuple(Choice(c[0], place_name(ctx, *c[1:])) for c in _communes(ctx))
    return (*places, Choice("again", ctx.t.gettext("None of these, search again")))


def ask_origin_pick(ctx: Context) -> Reply:
    """Shows the communes found and asks which one it is."""
    return Reply(ctx.t.gettext("Which of these communes is it?"), origin_pick_choices(ctx))


@state(S.ORIGIN_PICK, ask_origin_pick)
def on_origin_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the commune of origin picked, or searches again."""
    choice = pick(msg, origin_pick_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.ORIGIN)
    answers(ctx)["origin"] = next(c for c in _communes(ctx) if c[0] == choice.key)
    answers(ctx).pop("communes", None)
    return advance(ctx, "origin")


def origin_text(ctx: Context) -> str:
    """Names the commune of origin, or says there is none in particular."""
    place = origin(ctx)
    return place_name(ctx, *place[1:]) if place else ctx.t.gettext("none in particular")
