"""Registering as an expert, what and when: the themes that motivate, hours a month, remote or
on site, the stays in Morocco, how many proposals a month, and consent to receive them."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date

from bot.choices import pick
from bot.flows.cards import THEMES
from bot.flows.engine import Context, Step, labels, state
from bot.flows.expert_answers import KEY, S, advance, answers, on_ticks, ticks, visits
from bot.flows.organisation import leave_choices, left
from bot.flows.project_theme import THEME_ALIASES
from bot.i18n import FORMAT_LOCALES, N_
from bot.i18n.keywords import NO, YES
from bot.i18n.periods import parse_period
from bot.i18n.quantities import parse_count, parse_effort
from bot.messages import Choice, Inbound, Reply
from core.domain.experts import (
    DEFAULT_PROPOSALS_PER_MONTH,
    MAX_HOURS_PER_MONTH,
    MAX_PROPOSALS_PER_MONTH,
    MAX_VISITS,
)
from core.domain.text import fold

MAX_YEARS = 5  # a stay further away is a typo
MAX_STAY = 366  # days
_THEME_KEYS = tuple(THEMES)
MODES = {"remote": N_("Remotely"), "on_site": N_("On site in Morocco"), "both": N_("Both")}
_MODE_ALIASES = {"remote": ("à distance", "distance", "عن بعد", "online", "b3id", "men b3id"),
                 "on_site": ("sur place", "فالمغرب", "في المغرب", "f lmaghrib", "on site"),
                 "both": ("les deux", "بجوج", "جوج", "الاثنين", "bjouj", "ⵙⵏⴰⵜ")}
_PER = frozenset(fold(w) for w in ("par", "per", "a", "each", "mois", "month", "في", "الشهر",
                                   "شهر", "ف", "f", "fchhar", "chhar", "kol", "كل", "ⴳ",
                                   "ⵡⴰⵢⵢⵓⵔ", "ⴰⵢⵢⵓⵔ", "/"))
PROPOSALS = (1, 2, 3, 5, 0)
_UNKNOWN = ("je ne sais pas", "sais pas", "ما عرفتش", "ماعرفتش", "لا أعرف", "ma3rftch",
            "i don't know", "dont know", "ⵓⵔ ⵙⵙⵉⵏⵖ")


# --- themes ---------------------------------------------------------------------------------

def theme_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    ticked = ticks(ctx, "themes", _THEME_KEYS)
    items = tuple(Choice(key, ("✓ " if key in ticked else "") + _(label),
                         THEME_ALIASES.get(key, ())) for key, label in THEMES.items())
    return (*items, Choice("done", _("Done")))


def ask_themes(ctx: Context) -> Reply:
    """Asks which themes motivate the person, showing those ticked so far."""
    return Reply(ctx.t.gettext(
        "Which themes motivate you? Choose each number that applies (several at once if you "
        "like: 1 3), then “Done”."), theme_choices(ctx))


@state(S.THEMES, ask_themes)
def on_themes(msg: Inbound, ctx: Context) -> Step:
    """Ticks or unticks themes, until the person is done."""
    return on_ticks(msg, ctx, "themes", _THEME_KEYS, theme_choices(ctx),
                    ctx.t.gettext("Please choose at least one theme."))


# --- hours and mode -------------------------------------------------------------------------

def parse_hours(text: str | None) -> int | None:
    """Reads hours a month: "10", "10h", "10 ساعات", "١٠", "10 heures par mois"."""
    if not text or len(text) > 100:
        return None
    words = [w for w in text.replace("/", " / ").split() if fold(w) not in _PER]
    effort = parse_effort(" ".join(words))
    if effort is None or (effort[1] != "hours" and parse_count(" ".join(words)) is None):
        return None
    if effort[1] != "hours" and not fold(" ".join(words)).isdigit():
        return None
    return effort[0]


def ask_hours(ctx: Context) -> Reply:
    """Asks how many hours a month the person can give."""
    _ = ctx.t.gettext
    return Reply(_("How many hours a month can you give?"), leave_choices(ctx),
                 hint=_("Write a number of hours, for example: 10."))


@state(S.HOURS, ask_hours)
def on_hours(msg: Inbound, ctx: Context) -> Step:
    """Keeps the hours a month; a number is always hours, never the menu button."""
    hours = parse_hours(msg.text) if msg.choice is None else None
    if hours is None and (msg.choice is not None or not (msg.text or "").strip().isdigit()):
        leave = left(msg, ctx, KEY)
        if leave is not None:
            return leave
    if hours is None or not 1 <= hours <= MAX_HOURS_PER_MONTH:
        return Step.stay(ctx.t.gettext("Please write a number of hours a month, from 1 to "
                                       "{most}.").format(most=ctx.t.number(MAX_HOURS_PER_MONTH)))
    answers(ctx)["hours"] = hours
    return advance(ctx, "hours")


def mode_choices(ctx: Context) -> tuple[Choice, ...]:
    return tuple(Choice(c.key, c.label, _MODE_ALIASES[c.key])
                 for c in labels(ctx, list(MODES.items())))


def ask_mode(ctx: Context) -> Reply:
    """Asks whether the person helps remotely, on site in Morocco, or both."""
    return Reply(ctx.t.gettext("How can you help?"), mode_choices(ctx))


@state(S.MODE, ask_mode)
def on_mode(msg: Inbound, ctx: Context) -> Step:
    """Keeps how the person can help."""
    choice = pick(msg, mode_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    answers(ctx)["mode"] = choice.key
    return advance(ctx, "mode")


# --- stays in Morocco -----------------------------------------------------------------------

def period_text(ctx: Context, starts: date, ends: date) -> str:
    """Says a stay in the reader's language: "August 2027", "1 July 2027 – 20 August 2027"."""
    locale = FORMAT_LOCALES.get(ctx.person.language, "en")
    whole = starts.day == 1 and (ends + timedelta(days=1)).day == 1
    pattern = "MMMM y" if whole else "d MMMM y"
    first, last = (format_date(d, format=pattern, locale=locale) for d in (starts, ends))
    if first == last:
        return ctx.t.iso(first)
    return ctx.t.gettext("{first} – {last}").format(first=ctx.t.iso(first),
                                                    last=ctx.t.iso(last))


def visit_choices(ctx: Context) -> tuple[Choice, ...]:
    return (*leave_choices(ctx), Choice("unknown", ctx.t.gettext("I don't know yet"), _UNKNOWN))


def ask_visits(ctx: Context) -> Reply:
    """Asks when the person will be in Morocco."""
    _ = ctx.t.gettext
    return Reply(_("When will you be in Morocco? For example: July–August 2027."),
                 visit_choices(ctx), hint=_("Write the dates, reply 1 to go back to the menu, "
                                            "or 2 if you do not know yet."))


@state(S.VISITS, ask_visits)
def on_visits(msg: Inbound, ctx: Context) -> Step:
    """Keeps a stay in Morocco, or goes on without one."""
    _ = ctx.t.gettext
    choice = pick(msg, visit_choices(ctx))
    if choice is not None and choice.key == "unknown":
        return advance(ctx, "visits")
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    today = ctx.now.date()
    period = parse_period(msg.text, today)
    if period is None:
        return Step.stay(_("Please write the dates of your stay, for example: July–August "
                           "2027, or from 1 to 20 August."))
    starts, ends = period
    if ends < today:
        return Step.stay(_("Those dates have passed. Please write dates to come."))
    if (ends - starts).days >= MAX_STAY or starts > today + timedelta(days=365 * MAX_YEARS):
        return Step.stay(_("Please write a stay of at most a year, within {years} years.")
                         .format(years=ctx.t.number(MAX_YEARS)))
    kept = [[s.isoformat(), e.isoformat()] for s, e in visits(ctx)]
    answers(ctx)["visits"] = [*kept, [starts.isoformat(), ends.isoformat()]][-MAX_VISITS:]
    if len(answers(ctx)["visits"]) >= MAX_VISITS:
        return advance(ctx, "visits")
    return Step(next=S.VISITS_MORE)


def more_visit_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("add", _("Add another period")),
            Choice("done", _("That's all"), ("c'est tout", "safi", "صافي", "ⵙⴰⴼⵉ")))


def ask_visits_more(ctx: Context) -> Reply:
    """Lists the stays so far and asks whether there is another."""
    lines = [f"• {period_text(ctx, s, e)}" for s, e in visits(ctx)]
    return Reply("\n".join([ctx.t.gettext("You will be in Morocco:"), *lines]),
                 more_visit_choices(ctx))


@state(S.VISITS_MORE, ask_visits_more)
def on_visits_more(msg: Inbound, ctx: Context) -> Step:
    """Asks for another stay, or goes on."""
    choice = pick(msg, more_visit_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "add" and len(visits(ctx)) < MAX_VISITS:
        return Step(next=S.VISITS)
    return advance(ctx, "visits")


# --- proposals and consent ------------------------------------------------------------------

def proposals_label(ctx: Context, count: int) -> str:
    """Says how many proposals a month: "2 a month", "none for now"."""
    if count == 0:
        return ctx.t.gettext("None for now")
    return ctx.t.ngettext("{n} a month", "{n} a month", count).format(n=ctx.t.number(count))


def proposal_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return tuple(Choice(str(n), _("{count} (recommended)").format(
        count=proposals_label(ctx, n)) if n == DEFAULT_PROPOSALS_PER_MONTH
        else proposals_label(ctx, n)) for n in PROPOSALS)


def ask_proposals(ctx: Context) -> Reply:
    """Asks how many proposals a month the person accepts."""
    _ = ctx.t.gettext
    return Reply(_("How many proposals of projects a month do you accept?"),
                 proposal_choices(ctx), hint=_("Write a number of proposals a month (for "
                                               "example: 2), or 0 for none for now."))


@state(S.PROPOSALS, ask_proposals)
def on_proposals(msg: Inbound, ctx: Context) -> Step:
    """Keeps how many proposals a month; a number typed is that many."""
    text = fold(msg.text or "") if msg.choice is None and len(msg.text or "") < 10 else ""
    if text.isdigit() and text.isascii():
        count: int | None = int(text) if int(text) <= MAX_PROPOSALS_PER_MONTH else None
    else:
        choice = pick(msg, proposal_choices(ctx))
        count = int(choice.key) if choice is not None else None
    if count is None:
        return Step.stay(ctx.t.gettext("Please write a number from 0 to {most}.").format(
            most=ctx.t.number(MAX_PROPOSALS_PER_MONTH)))
    answers(ctx)["proposals"] = count
    return advance(ctx, "proposals")


def consent_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes"), YES), Choice("no", _("No"), NO))


def ask_consent(ctx: Context) -> Reply:
    """Asks whether proposals may be sent."""
    return Reply(ctx.t.gettext("May I send you proposals of projects that need your skills?"),
                 consent_choices(ctx))


@state(S.CONSENT, ask_consent)
def on_consent(msg: Inbound, ctx: Context) -> Step:
    """Keeps whether proposals may be sent."""
    choice = pick(msg, consent_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 for yes, or 2 for no."))
    answers(ctx)["consent"] = choice.key == "yes"
    return advance(ctx, "consent")
