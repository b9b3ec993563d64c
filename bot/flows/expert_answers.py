"""Registering as an expert: the states, the scratch answers, the order of the questions,
the edit mode, and the profile command built from the answers."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.cards import skill_name
from bot.flows.common import kept
from bot.flows.engine import Context, Step
from bot.i18n import N_
from bot.messages import Choice, Inbound, Reply
from core.commands import SaveExpertProfile, SkillOffered
from core.domain.experts import (
    DEFAULT_PROPOSALS_PER_MONTH,
    MAX_HOURS_PER_MONTH,
    MAX_PROPOSALS_PER_MONTH,
    MAX_SKILLS,
    MAX_VISITS,
    SPOKEN,
    Level,
    Mode,
)
from core.domain.projects import THEMES
from core.domain.text import fold


class S(StrEnum):
    SKILL = "expert.skill"
    SKILL_PICK = "expert.skill_pick"
    LEVEL = "expert.level"
    MORE_SKILLS = "expert.more_skills"
    LANGUAGES = "expert.languages"
    COUNTRY = "expert.country"
    COUNTRY_PICK = "expert.country_pick"
    CITY = "expert.city"
    TIMEZONE = "expert.timezone"
    TIMEZONE_PICK = "expert.timezone_pick"
    ORIGIN = "expert.origin"
    ORIGIN_PICK = "expert.origin_pick"
    THEMES = "expert.themes"
    HOURS = "expert.hours"
    MODE = "expert.mode"
    VISITS = "expert.visits"
    VISITS_MORE = "expert.visits_more"
    PROPOSALS = "expert.proposals"
    CONSENT = "expert.consent"
    CONFIRM = "expert.confirm"


KEY = "expert"  # the answers so far, in ctx.data
MAIN_MENU = "menu.main"
PROFILE = "profile.view"  # bot/flows/profile.py
#: The fields in the order they are asked, and the first question of each.
FIELDS = {"skills": S.SKILL, "languages": S.LANGUAGES, "country": S.COUNTRY,
          "origin": S.ORIGIN, "themes": S.THEMES, "hours": S.HOURS, "mode": S.MODE,
          "visits": S.VISITS, "proposals": S.PROPOSALS, "consent": S.CONSENT}
LEVELS = {Level.LEARNING: N_("Learning"), Level.PRACTISED: N_("Practised"),
          Level.EXPERT: N_("Expert")}
SPOKEN_LABELS = {"ar": N_("Arabic"), "darija": N_("Darija"), "zgh": N_("Tamazight"),
                 "fr": N_("French"), "en": N_("English"), "es": N_("Spanish"),
                 "de": N_("German"), "nl": N_("Dutch"), "it": N_("Italian")}
_SEVERAL = re.compile(r"[0-9]{1,2}(?: [0-9]{1,2})+")
_AND = re.compile(r"(?<!\S)(?:و|et|and|w)(?!\S)")


def answers(ctx: Context) -> dict[str, Any]:
    """The expert's answers so far."""
    return kept(ctx, KEY)


def advance(ctx: Context, field: str, say: list[Reply] | None = None) -> Step:
    """Goes on after a field's last question: to the next field, or, when editing that
    field, saves the whole profile and goes back to it."""
    if answers(ctx).get("edit") == field:
        return save_edit(ctx, say or [])
    fields = list(FIELDS)
    following = fields.index(field) + 1
    nxt = FIELDS[fields[following]] if following < len(fields) else S.CONFIRM
    return Step(next=nxt, say=say or [])


def save_edit(ctx: Context, say: list[Reply]) -> Step:
    """Saves the edited profile whole, and shows it again."""
    _ = ctx.t.gettext
    command = profile_command(ctx)
    ctx.data.pop(KEY, None)
    if command is None:
        return Step(next=S.SKILL, say=[Reply(_("Some answers are missing. Let us start "
                                                 "again."))])
    return Step(next=PROFILE, say=[*say, Reply(_("Saved."))], commands=[command])


def several(text: str | None) -> list[int] | None:
    """Reads "1 3", "١ ٣", "1,3" or "1 و 3" as several numbers; None otherwise."""
    if not text or len(text) > 100:
        return None
    folded = " ".join(_AND.sub(" ", fold(text)).split())
    return [int(n) for n in folded.split()] if _SEVERAL.fullmatch(folded) else None


def toggled(ctx: Context, field: str, allowed: tuple[str, ...], keys: list[str]) -> Step:
    """Ticks or unticks items of a multiple choice, keeping them in `allowed` order."""
    ticked = ticks(ctx, field, allowed)
    for key in keys:
        ticked = [k for k in ticked if k != key] if key in ticked else [*ticked, key]
    answers(ctx)[field] = [k for k in allowed if k in ticked]
    return Step(say=[Reply(ctx.t.gettext("Noted. Choose another number, or “Done” when "
                                         "finished."))])


def on_ticks(msg: Inbound, ctx: Context, field: str, allowed: tuple[str, ...],
             choices: tuple[Choice, ...], at_least: str) -> Step:
    """Ticks or unticks the items picked (one, or several numbers at once) until "done";
    `at_least` is the hint when "done" comes with nothing ticked."""
    _ = ctx.t.gettext
    numbers = several(msg.text) if msg.choice is None else None
    if numbers is not None:
        if not all(1 <= n <= len(allowed) for n in numbers):
            return Step.stay(_("Please choose numbers from the list."))
        return toggled(ctx, field, allowed, [allowed[n - 1] for n in numbers])
    choice = pick(msg, choices)
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key != "done":
        return toggled(ctx, field, allowed, [choice.key])
    if not ticks(ctx, field, allowed):
        return Step.stay(at_least)
    return advance(ctx, field)


def ticks(ctx: Context, field: str, allowed: tuple[str, ...]) -> list[str]:
    """The items of a multiple choice ticked so far."""
    ticked = answers(ctx).get(field)
    return [k for k in allowed if isinstance(ticked, list) and k in ticked]


# --- reading the answers back -------------------------------------------------------------

def skills(ctx: Context) -> list[list[Any]]:
    """The skills offered so far, as [code or None, words, level]."""
    raw = answers(ctx).get("skills")
    return [list(s) for s in raw[:MAX_SKILLS] if isinstance(s, list) and len(s) == 3
            and s[2] in set(Level)] if isinstance(raw, list) else []


def skill_line(ctx: Context, skill: list[object]) -> str:
    """One skill with its level: "Irrigation engineering (Expert)"."""
    code, words, level = skill
    name = skill_name(ctx, code if isinstance(code, str) else None, str(words))
    return ctx.t.gettext("{skill} ({level})").format(
        skill=ctx.t.iso(name), level=ctx.t.gettext(LEVELS.get(Level(str(level)), "")))


def visits(ctx: Context) -> list[tuple[date, date]]:
    """The stays in Morocco so far, as dates."""
    raw = answers(ctx).get("visits")
    found: list[tuple[date, date]] = []
    for visit in raw[:MAX_VISITS] if isinstance(raw, list) else []:
        try:
            found.append((date.fromisoformat(visit[0]), date.fromisoformat(visit[1])))
        except (TypeError, ValueError, IndexError):
            continue
    return found


def origin(ctx: Context) -> list[str] | None:
    """The commune of origin as [code, name fr, name ar, province fr, province ar]."""
    raw = answers(ctx).get("origin")
    return [str(part) for part in raw] if isinstance(raw, list) and len(raw) == 5 else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def profile_command(ctx: Context) -> SaveExpertProfile | None:
    """Builds the whole profile from the answers; None when some are missing."""
    a = answers(ctx)
    offered = tuple(SkillOffered(code if isinstance(code, str) else None, str(words), level)
                    for code, words, level in skills(ctx))
    languages = tuple(ticks(ctx, "languages", SPOKEN))
    themes = tuple(ticks(ctx, "themes", tuple(THEMES)))
    hours = a.get("hours")
    proposals = a.get("proposals", DEFAULT_PROPOSALS_PER_MONTH)
    consent = a.get("consent")
    if (not offered or not languages or not themes or not isinstance(consent, bool)
            or not isinstance(proposals, int)
            or not 0 <= proposals <= MAX_PROPOSALS_PER_MONTH):
        return None
    place = origin(ctx)
    country = _text(a.get("country"))
    return SaveExpertProfile(
        skills=offered, languages=languages,
        country=country if country and len(country) == 2 else None,
        city=_text(a.get("city")), timezone=_text(a.get("timezone")),
        origin_code=place[0] if place else None, themes=themes,
        hours_per_month=hours if isinstance(hours, int)
        and 0 < hours <= MAX_HOURS_PER_MONTH else None,
        mode=a.get("mode") if a.get("mode") in set(Mode) else None,
        visits=tuple(visits(ctx)), proposals_per_month=proposals, accepts_proposals=consent)
