"""An expert's profile: every field shown, a field changed, proposals paused or resumed."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta
from enum import StrEnum

from babel import Locale
from babel.dates import format_date

from bot.choices import pick
from bot.flows.cards import MODES, THEMES, skill_name
from bot.flows.engine import Context, Step, labels, state
from bot.flows.organisation import free_text, left
from bot.flows.supporter import territory_name
from bot.i18n import FORMAT_LOCALES, N_
from bot.i18n.quantities import MAX_TEXT, parse_month
from bot.messages import Choice, Inbound, Reply
from core.commands import PauseProposals
from core.domain.text import ascii_digits, fold
from core.experts import ProfileView


class S(StrEnum):
    VIEW = "profile.view"
    EDIT = "profile.edit"
    PAUSE = "profile.pause"


MAIN_MENU = "menu.main"
REGISTER = "expert.skill"  # the expert registration's first question
_KEY = "profile"

LEVELS = {"learning": N_("learning"), "practised": N_("practised"), "expert": N_("expert")}
#: The fields bot.flows.expert.begin_edit knows how to ask again.
FIELDS = [
    ("skills", N_("Skills")),
    ("languages", N_("Languages")),
    ("country", N_("Country, city and time zone")),
    ("origin", N_("Origin in Morocco")),
    ("themes", N_("Themes")),
    ("hours", N_("Hours a month")),
    ("mode", N_("Remotely or on site")),
    ("visits", N_("Periods in Morocco")),
    ("proposals", N_("Proposals a month")),
    ("consent", N_("Receiving proposals")),
]
_DARIJA = N_("Darija")  # Babel names no Moroccan Arabic in Arabic
#: "until September", "jusqu'en septembre", "حتى شتنبر": the words before the date.
_UNTIL = frozenset(fold(word) for word in (
    "until", "till", "jusqu", "jusque", "a", "حتى", "حتال", "إلى", "hta", "7ta", "7tal", "htal",
    "ⴰⵔ", "ⴰⵍ"))


def profile_of(ctx: Context) -> ProfileView | None:
    """The person's expert profile, or None when they have not registered their skills."""
    found = ctx.facts.get("profile")
    return found if isinstance(found, ProfileView) else None


def paused(ctx: Context, profile: ProfileView) -> bool:
    """Tells whether a pause is still on (it ends by itself on its date)."""
    return profile.paused_until is not None and ctx.now.date() < profile.paused_until


def day(ctx: Context, value: date) -> str:
    """Writes a day the way the reader's language does: "1 août 2027"."""
    locale = FORMAT_LOCALES.get(ctx.person.language, "en")
    return ctx.t.iso(format_date(value, "long", locale=locale))


# --- the profile, every field -------------------------------------------------------------

def _locale(ctx: Context) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(ctx.person.language, "en"))


def language_name(ctx: Context, code: str) -> str:
    """Names a spoken language in the reader's language."""
    if code == "darija":
        return ctx.t.gettext(_DARIJA)
    return str(_locale(ctx).languages.get(code) or Locale.parse("en").languages.get(code)
               or code)


def country_name(ctx: Context, code: str) -> str:
    """Names a country (ISO 3166 code) in the reader's language."""
    return str(_locale(ctx).territories.get(code) or code)


def _skills(ctx: Context, profile: ProfileView) -> str:
    _ = ctx.t.gettext
    return ", ".join(_("{skill} ({level})").format(
        skill=ctx.t.iso(skill_name(ctx, s.code, s.label)), level=_(LEVELS.get(s.level, s.level)))
        for s in profile.skills) or "-"


def _residence(ctx: Context, profile: ProfileView) -> str:
    place = ", ".join(filter(None, [profile.city and ctx.t.iso(profile.city),
                                    profile.country and country_name(ctx, profile.country)]))
    if profile.timezone:
        place = f"{place} ({ctx.t.iso(profile.timezone)})" if place else ctx.t.iso(
            profile.timezone)
    return place or "-"


def _availability(ctx: Context, profile: ProfileView) -> str:
    _ = ctx.t.gettext
    parts = []
    if profile.hours_per_month:
        parts.append(ctx.t.ngettext("{n} hour a month", "{n} hours a month",
                                    profile.hours_per_month).format(
            n=ctx.t.number(profile.hours_per_month)))
    mode = "either" if profile.mode == "both" else profile.mode
    if mode in MODES:
        parts.append(_(MODES[mode]))
    return ", ".join(parts) or _("not given")


def _visits(ctx: Context, profile: ProfileView) -> str:
    _ = ctx.t.gettext
    return "; ".join(_("{starts} to {ends}").format(starts=day(ctx, v.starts),
                                                     ends=day(ctx, v.ends))
                     for v in profile.visits) or _("none planned")


def _proposals(ctx: Context, profile: ProfileView) -> str:
    _ = ctx.t.gettext
    if not profile.accepts_proposals:
        return _("• Proposals: off")
    n = profile.proposals_per_month
    line = ctx.t.ngettext("• Proposals: on, at most {n} proposal a month",
                          "• Proposals: on, at most {n} proposals a month", n).format(
        n=ctx.t.number(n))
    if paused(ctx, profile):
        assert profile.paused_until is not None
        line += "\n" + _("• Paused until {date}: no proposals until then.").format(
            date=day(ctx, profile.paused_until))
    return line


def profile_text(ctx: Context, profile: ProfileView) -> str:
    """Shows every field of the profile, in the reader's language."""
    _ = ctx.t.gettext
    origin = (territory_name(ctx, profile.origin_code) if profile.origin_code
              else _("none in particular"))
    themes = ", ".join(_(THEMES.get(t, t)) for t in profile.themes) or "-"
    return "\n".join([
        _("Your expert profile:"),
        _("• Skills: {skills}").format(skills=_skills(ctx, profile)),
        _("• Languages: {languages}").format(languages=", ".join(
            language_name(ctx, code) for code in profile.languages) or "-"),
        _("• Lives in: {place}").format(place=_residence(ctx, profile)),
        _("• Origin in Morocco: {origin}").format(origin=origin),
        _("• Themes: {themes}").format(themes=themes),
        _("• Time to give: {availability}").format(availability=_availability(ctx, profile)),
        _("• In Morocco: {periods}").format(periods=_visits(ctx, profile)),
        _proposals(ctx, profile),
    ])


def view_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    profile = profile_of(ctx)
    back = Choice("menu", _("Back to the menu"))
    if profile is None:
        return (Choice("register", _("Register my skills")), back)
    choices = [Choice("edit", _("Change a field")), Choice("pause", _("Pause proposals"))]
    if paused(ctx, profile):
        choices.append(Choice("resume", _("Resume proposals now")))
    return (*choices, back)


def ask_view(ctx: Context) -> Reply:
    """Shows the expert profile and what can be done with it."""
    profile = profile_of(ctx)
    if profile is None:
        return Reply(ctx.t.gettext("You have not registered your skills yet."), view_choices(ctx))
    return Reply(profile_text(ctx, profile), view_choices(ctx))


@state(S.VIEW, ask_view)
def on_view(msg: Inbound, ctx: Context) -> Step:
    """Opens what the person chose to do with their profile."""
    _ = ctx.t.gettext
    choice = pick(msg, view_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "register":
        return Step(next=REGISTER)
    if choice.key == "edit":
        return Step(next=S.EDIT)
    if choice.key == "pause":
        return Step(next=S.PAUSE)
    if choice.key == "resume":
        done = Reply(_("Proposals will come to you again from now on."))
        return Step(next=MAIN_MENU, say=[done], commands=[PauseProposals(None)])
    return Step(next=MAIN_MENU)


# --- changing a field ---------------------------------------------------------------------

def edit_choices(ctx: Context) -> tuple[Choice, ...]:
    return (*labels(ctx, FIELDS), Choice("back", ctx.t.gettext("Back to my profile")))


def ask_edit(ctx: Context) -> Reply:
    """Asks which field of the profile to change."""
    return Reply(ctx.t.gettext("Which field would you like to change?"), edit_choices(ctx))


@state(S.EDIT, ask_edit)
def on_edit(msg: Inbound, ctx: Context) -> Step:
    """Asks the chosen field's question again, through the expert registration."""
    choice = pick(msg, edit_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the fields in the list."))
    profile = profile_of(ctx)
    if choice.key == "back" or profile is None:
        return Step(next=S.VIEW)
    from bot.flows import expert  # the registration asks each field; imported when needed

    begin_edit = getattr(expert, "begin_edit", None)
    if not callable(begin_edit):
        return Step.stay(ctx.t.gettext("This field cannot be changed yet. Please try later."))
    step: Step = begin_edit(ctx, profile, choice.key)
    return step


# --- pausing ------------------------------------------------------------------------------

def _day_written(text: str, found: date) -> bool:
    """Tells whether the text gave a day, not only a month ("30/09/2027", not "09/2027")."""
    if found.day != calendar.monthrange(found.year, found.month)[1]:
        return True  # parse_month gives a month's last day unless a day was written
    digits = ascii_digits(unicodedata.normalize("NFKC", text))
    return any(len(n) <= 2 and int(n) == found.day for n in re.findall(r"[0-9]+", digits))


def pause_until(text: str | None, today: date) -> date | None:
    """Reads until when proposals stop: the first day of the month named ("September": from
    1 September on they come again), or the day written; None when it is not a date."""
    if not text or len(text) > MAX_TEXT:
        return None
    text = " ".join(word for word in fold(text).split() if word not in _UNTIL)
    found = parse_month(text, today)
    if found is None:
        return None
    if _day_written(text, found):
        return found
    first = found.replace(day=1)
    if first <= today:  # "until September", said in September: the next one
        next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        later = parse_month(text, next_month)
        first = later.replace(day=1) if later is not None else first
    return first


def ask_pause(ctx: Context) -> Reply:
    """Asks until when proposals should stop."""
    return free_text(ctx, ctx.t.gettext("Until when? For example: September, or 15/09/2027"))


@state(S.PAUSE, ask_pause)
def on_pause(msg: Inbound, ctx: Context) -> Step:
    """Pauses proposals until the date the person wrote."""
    _ = ctx.t.gettext
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    if profile_of(ctx) is None:
        return Step(next=S.VIEW)
    today = ctx.now.date()
    until = pause_until(msg.text, today)
    if until is None:
        return Step.stay(_("Please write a month, such as September, or a date, such as "
                           "15/09/2027."))
    if until <= today:
        return Step.stay(_("That date has already come. Please write a later one."))
    done = Reply(_("No proposals until {date}. They will come again by themselves from that "
                   "date.").format(date=day(ctx, until)))
    return Step(next=MAIN_MENU, say=[done], commands=[PauseProposals(until)])
