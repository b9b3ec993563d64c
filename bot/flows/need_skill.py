"""Entering a skill a project needs: search the skills, pick one (or keep the person's own
words), how it can be given, how much time it takes, by when."""

from __future__ import annotations

from datetime import timedelta

from bot.choices import pick
from bot.flows.cards import MODES, quantity, skill_name
from bot.flows.diagnosis import blocked, need_scratch, unavailable
from bot.flows.engine import Context, Step, labels, state
from bot.flows.need_entry import S, add_need, draft, entered, question, short_text
from bot.flows.organisation import leave_choices
from bot.i18n.quantities import parse_effort, parse_month
from bot.messages import Choice, Inbound, Reply
from core.domain.projects import Mode

MAX_CANDIDATES = 5
MAX_YEARS = 5  # a date further away is a typo


def ask_skill(ctx: Context) -> Reply:
    """Asks which skill is needed."""
    return question(ctx, ctx.t.gettext(
        "Which skill is needed? Describe it in a few words, for example: drip irrigation."))


@state(S.SKILL, ask_skill)
def on_skill(msg: Inbound, ctx: Context) -> Step:
    """Searches the skills that fit the person's words."""
    answer = entered(msg, ctx) or short_text(msg, ctx)
    if isinstance(answer, Step):
        return answer
    search = ctx.facts.get("skills")
    found = list(search(answer) or [])[:MAX_CANDIDATES] if callable(search) else []
    scratch = need_scratch(ctx)
    scratch["words"] = answer
    scratch["candidates"] = [m.skill.code for m in found]
    return Step(next=S.SKILL_PICK)


def skill_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    codes = need_scratch(ctx).get("candidates")
    found = tuple(Choice(str(code), skill_name(ctx, str(code)))
                  for code in (codes if isinstance(codes, list) else [])[:MAX_CANDIDATES])
    return (*found, Choice("other", _("Other: keep my words")),
            Choice("again", _("Search again")))


def ask_skill_pick(ctx: Context) -> Reply:
    """Shows the skills found and asks which one it is."""
    _ = ctx.t.gettext
    choices = skill_choices(ctx)
    text = (_("Which of these skills is it?") if len(choices) > 2
            else _("I found no skill with those words. Keep your words, or search again?"))
    return unavailable(ctx) or Reply(text, choices)


@state(S.SKILL_PICK, ask_skill_pick)
def on_skill_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the skill picked, or the person's own words, or searches again."""
    leave = blocked(msg, ctx)
    if leave is not None:
        return leave
    choice = pick(msg, skill_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.SKILL)
    words = need_scratch(ctx).get("words")
    if choice.key == "other" and not isinstance(words, str):
        return Step(next=S.SKILL)
    code, label = (None, words) if choice.key == "other" else (choice.key, "")
    draft(ctx).update(kind="skill", skill_code=code, label=label)
    return Step(next=S.MODE)


def mode_choices(ctx: Context) -> tuple[Choice, ...]:
    return labels(ctx, [(mode.value, MODES[mode.value]) for mode in Mode])


def ask_mode(ctx: Context) -> Reply:
    """Asks whether the skill can be given remotely or on site."""
    return unavailable(ctx) or Reply(ctx.t.gettext("Can this help be given remotely, on site, "
                                                   "or either?"), mode_choices(ctx))


@state(S.MODE, ask_mode)
def on_mode(msg: Inbound, ctx: Context) -> Step:
    """Keeps how the skill can be given."""
    leave = blocked(msg, ctx)
    if leave is not None:
        return leave
    choice = pick(msg, mode_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    draft(ctx)["mode"] = choice.key
    return Step(next=S.EFFORT)


def ask_effort(ctx: Context) -> Reply:
    """Asks how much time the help will take."""
    return question(ctx, ctx.t.gettext(
        "How much time will it take? For example: 10 days, or 20 hours."))


@state(S.EFFORT, ask_effort)
def on_effort(msg: Inbound, ctx: Context) -> Step:
    """Keeps the time the help will take, and repeats it."""
    leave = entered(msg, ctx)
    if leave is not None:
        return leave
    effort = parse_effort(msg.text)
    if effort is None:
        return Step.stay(ctx.t.gettext(
            "Please write a number of days or hours, for example: 10 days, or 20 hours."))
    requested, unit = effort
    draft(ctx).update(requested=requested, unit=unit)
    noted = ctx.t.gettext("Noted: {effort}.").format(effort=quantity(ctx, requested, unit))
    return Step(next=S.DATE, say=[Reply(noted)])


def date_choices(ctx: Context) -> tuple[Choice, ...]:
    return (*leave_choices(ctx), Choice("none", ctx.t.gettext("No particular date")))


def ask_date(ctx: Context) -> Reply:
    """Asks by when the help is needed."""
    return unavailable(ctx) or Reply(ctx.t.gettext("By when? For example: June 2027."),
                                     date_choices(ctx))


@state(S.DATE, ask_date)
def on_date(msg: Inbound, ctx: Context) -> Step:
    """Adds the skill need, with the date by which it is wanted, if any."""
    _ = ctx.t.gettext
    leave = entered(msg, ctx)
    if leave is not None:
        return leave
    if pick(msg, date_choices(ctx)) is not None:
        return add_need(ctx, wanted_by=None)
    today = ctx.now.date()
    wanted = parse_month(msg.text, today)
    if wanted is None:
        return Step.stay(_("Please write a month and a year, for example: June 2027."))
    if wanted < today:
        return Step.stay(_("That date has passed. Please write a date to come."))
    if wanted > today + timedelta(days=365 * MAX_YEARS + 1):
        return Step.stay(_("That is more than {years} years away. Please write a nearer "
                           "date.").format(years=ctx.t.number(MAX_YEARS)))
    return add_need(ctx, wanted_by=wanted.isoformat())
