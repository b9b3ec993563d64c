"""Registering as an expert: the summary of every answer, then save, start again or cancel."""

from __future__ import annotations

from bot.choices import pick
from bot.flows.cards import THEMES
from bot.flows.engine import Context, Step, state
from bot.flows.expert_answers import (
    KEY,
    MAIN_MENU,
    SPOKEN_LABELS,
    S,
    profile_command,
    skill_line,
    skills,
    visits,
)
from bot.flows.expert_place import origin_text
from bot.flows.expert_time import MODES, period_text, proposals_label
from bot.i18n.countries import country_name, zone_city
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import SaveExpertProfile


def _skills(ctx: Context) -> str:
    return ", ".join(skill_line(ctx, s) for s in skills(ctx)) or "-"


def _languages(ctx: Context, command: SaveExpertProfile) -> str:
    return ", ".join(ctx.t.gettext(SPOKEN_LABELS[key]) for key in command.languages)


def _residence(ctx: Context, command: SaveExpertProfile) -> str:
    _ = ctx.t.gettext
    parts = [country_name(command.country, ctx.person.language) if command.country else "-"]
    if command.city:
        parts.append(command.city)
    where = ", ".join(ctx.t.iso(p) for p in parts)
    if not command.timezone:
        return where
    return _("{place} (time zone: {zone})").format(
        place=where, zone=ctx.t.iso(zone_city(command.timezone, ctx.person.language)))


def summary(ctx: Context, command: SaveExpertProfile) -> str:
    """Sums up the profile in the reader's language."""
    _ = ctx.t.gettext
    hours = command.hours_per_month
    stays = [period_text(ctx, s, e) for s, e in visits(ctx)]
    text = _("Your expert profile:\n• Skills: {skills}\n• Languages: {languages}\n"
             "• Lives in: {residence}\n• From: {origin}\n• Themes: {themes}\n"
             "• Time: {hours}, {mode}\n• In Morocco: {visits}\n• Proposals: {proposals}\n"
             "• Receives proposals: {consent}")
    return text.format(
        skills=_skills(ctx), languages=_languages(ctx, command),
        residence=_residence(ctx, command), origin=origin_text(ctx),
        themes=", ".join(_(THEMES[t]) for t in command.themes),
        hours=ctx.t.ngettext("{n} hour a month", "{n} hours a month", hours).format(
            n=ctx.t.number(hours)) if hours else "-",
        mode=_(MODES[command.mode]).lower() if command.mode in MODES else "-",
        visits=", ".join(stays) or _("dates not known yet"),
        proposals=proposals_label(ctx, command.proposals_per_month),
        consent=_("yes") if command.accepts_proposals else _("no"))


def confirm_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("save", _("Save"), YES), Choice("again", _("Start again")),
            Choice("cancel", _("Cancel"), NO))


def ask_confirm(ctx: Context) -> Reply:
    """Sums up the profile and asks to save it."""
    command = profile_command(ctx)
    if command is None:
        return Reply(ctx.t.gettext("Save your expert profile?"), confirm_choices(ctx))
    return Reply(summary(ctx, command) + "\n\n" + ctx.t.gettext("Save your expert profile?"),
                 confirm_choices(ctx))


@state(S.CONFIRM, ask_confirm)
def on_confirm(msg: Inbound, ctx: Context) -> Step:
    """Saves the profile once the person confirms, or starts again, or cancels."""
    _ = ctx.t.gettext
    choice = pick(msg, confirm_choices(ctx))
    if choice is None:
        return Step.stay(_("Please answer 1 to save, 2 to start again or 3 to cancel."))
    command = profile_command(ctx)
    ctx.data.pop(KEY, None)
    if choice.key == "cancel":
        return Step(next=MAIN_MENU, say=[Reply(_("Nothing was saved."))])
    if choice.key == "again" or command is None:
        say = [] if choice.key == "again" else [Reply(_("Some answers are missing. Let us "
                                                        "start again."))]
        return Step(next=S.SKILL, say=say)
    done = Reply(_("Your profile is saved. I will send you proposals of projects that need "
                   "your skills.") if command.accepts_proposals
                 else _("Your profile is saved. You can change it at any time from the menu."))
    return Step(next=MAIN_MENU, say=[done], commands=[command])
