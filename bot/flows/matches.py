"""How a proposal reads: to the expert (the need, the project, the place, the reasons) and
to the organisation (an anonymised summary of the interested expert)."""

from __future__ import annotations

from babel.dates import format_date

from bot.choices import pick
from bot.flows.cards import MODES, quantity, skill_name
from bot.flows.engine import Context, Step
from bot.flows.profile import country_name, language_name
from bot.i18n import FORMAT_LOCALES, N_
from bot.messages import Choice, Inbound
from core.proposals import Candidate, Facts, Offer

LEVELS = {"learning": N_("learning"), "practised": N_("practised"), "expert": N_("expert")}
WORKS = {"remote": N_("works remotely"), "on_site": N_("works on site"),
         "both": N_("works remotely or on site")}
YOU_WORK = {"remote": N_("you work remotely"), "on_site": N_("you work on site"),
            "both": N_("you work remotely or on site")}


def month(ctx: Context, day: object) -> str:
    """Names a month and year in the reader's language: "août 2027"."""
    return format_date(day, "LLLL y", locale=FORMAT_LOCALES.get(ctx.person.language, "en"))


def reasons_text(ctx: Context, reasons: tuple[str, ...], facts: Facts, skill: str,
                 *, expert_side: bool) -> str:
    """The reasons of a proposal in plain words, joined: "irrigation engineering; speaks
    Tamazight; in Morocco in August 2027"."""
    _ = ctx.t.gettext
    said = []
    for reason in reasons:
        if reason == "skill":
            said.append(skill)
        elif reason == "category":
            said.append(_("a skill close to {skill}").format(skill=skill))
        elif reason == "words":
            said.append(_("a skill you described in your own words") if expert_side
                        else _("a skill they described in their own words"))
        elif reason == "language" and facts.shared:
            spoken = ", ".join(language_name(ctx, code) for code in facts.shared)
            said.append(_("you speak {languages}").format(languages=spoken) if expert_side
                        else _("speaks {languages}").format(languages=spoken))
        elif reason == "available" and facts.hours:
            said.append(ctx.t.ngettext("{n} hour a month available",
                                       "{n} hours a month available", facts.hours).format(
                n=ctx.t.number(facts.hours)))
        elif reason == "mode" and facts.mode in WORKS:
            said.append(_((YOU_WORK if expert_side else WORKS)[facts.mode or ""]))
        elif reason == "visit" and facts.visit:
            said.append(_("in Morocco in {month}").format(month=ctx.t.iso(month(ctx,
                                                                              facts.visit))))
        elif reason == "origin":
            said.append(_("comes from this area") if not expert_side
                        else _("you come from this area"))
        elif reason == "follows":
            said.append(_("follows this area") if not expert_side
                        else _("you follow this area"))
        elif reason == "call":
            said.append(_("answered the call for experts") if not expert_side
                        else _("you answered the call for experts"))
    return "; ".join(said)


def offer_text(ctx: Context, offer: Offer) -> str:
    """The proposal as the expert reads it."""
    _ = ctx.t.gettext
    skill = ctx.t.iso(skill_name(ctx, offer.skill_code, offer.label))
    lines = [_("“{title}” in {commune} needs: {skill}.").format(
        title=ctx.t.iso(offer.title), commune=ctx.t.iso(ctx.local(offer.commune_fr,
                                                                    offer.commune_ar)),
        skill=skill)]
    details = []
    if offer.mode in MODES:
        details.append(_(MODES[offer.mode or ""]))
    if offer.unit in ("days", "hours") and offer.requested:
        details.append(quantity(ctx, offer.requested, offer.unit))
    if offer.wanted_by is not None:
        details.append(_("by {date}").format(date=ctx.t.iso(offer.wanted_by.isoformat())))
    if details:
        lines.append(", ".join(details))
    reasons = reasons_text(ctx, offer.reasons, offer.facts, skill, expert_side=True)
    if reasons:
        lines.append(_("Why you: {reasons}.").format(reasons=reasons))
    return "\n".join(lines)


def candidate_text(ctx: Context, candidate: Candidate) -> str:
    """The interested expert as the organisation reads them: no number, no surname."""
    _ = ctx.t.gettext
    need = ctx.t.iso(skill_name(ctx, candidate.skill_code, candidate.label))
    name = ctx.t.iso(candidate.first_name) if candidate.first_name else _("An expert")
    lines = [_("{name} is interested in helping “{title}” with: {skill}.").format(
        name=name, title=ctx.t.iso(candidate.title), skill=need)]
    skills = ", ".join(_("{skill} ({level})").format(
        skill=ctx.t.iso(skill_name(ctx, code, words)), level=_(LEVELS.get(level, level)))
        for code, words, level in candidate.skills)
    if skills:
        lines.append(_("Skills: {skills}").format(skills=skills))
    if candidate.languages:
        lines.append(_("Languages: {languages}").format(languages=", ".join(
            language_name(ctx, code) for code in candidate.languages)))
    if candidate.country:
        lines.append(_("Lives in: {country}").format(
            country=ctx.t.iso(country_name(ctx, candidate.country))))
    reasons = reasons_text(ctx, candidate.reasons, candidate.facts, need, expert_side=False)
    if reasons:
        lines.append(_("Why: {reasons}.").format(reasons=reasons))
    return "\n".join(lines)


def open_listed(msg: Inbound, ctx: Context, choices: tuple[Choice, ...], key: str,
                gone: str, card: str) -> Step:
    """Opens the proposal picked from a list whose keys are a letter and its id; a button
    of one no longer listed gets `gone` as the hint."""
    choice = pick(msg, choices)
    if choice is None:
        listed = msg.choice is not None and msg.choice[1:].isdigit()
        return Step.stay(gone if listed else ctx.t.gettext(
            "Please choose a number from the list."))
    if choice.key == "menu":
        ctx.data.pop(key, None)
        return Step(next="menu.main")
    ctx.data[key] = int(choice.key[1:])
    return Step(next=card)
