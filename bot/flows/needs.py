"""Entering a project's needs (a skill, money, materials, a partner), then the summary of its
needs, from which it is sent for review. The pre-diagnosis lives in bot/flows/diagnosis.py."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows import diagnosis  # noqa: F401  (registers its states)
from bot.flows.cards import MODES, NEED_KINDS, need_line, quantity, skill_name
from bot.flows.diagnosis import (
    MAIN_MENU,
    NEED_KEY,
    after_need,
    blocked,
    clean_answer,
    full,
    need_scratch,
    project,
    unavailable,
)
from bot.flows.engine import STATES, Context, Step, labels, state
from bot.flows.organisation import free_text, leave_choices, left
from bot.i18n.quantities import parse_amount, parse_count, parse_effort, parse_month
from bot.messages import Choice, Inbound, Reply
from core.commands import AddNeed, SetNeedStatus, SubmitProject
from core.domain.projects import MAX_AMOUNT, Mode
from core.projects import NeedView


class S(StrEnum):
    KIND = "need.kind"
    SKILL = "need.skill"
    SKILL_PICK = "need.skill_pick"
    MODE = "need.mode"
    EFFORT = "need.effort"
    DATE = "need.date"
    AMOUNT = "need.amount"
    PURPOSE = "need.purpose"
    MATERIALS = "need.materials"
    QUANTITY = "need.quantity"
    PARTNER = "need.partner"
    SUMMARY = "needs.summary"
    REMOVE = "needs.remove"


MINE_PROJECT = "mine.project"  # bot/flows/mine.py
MAX_LABEL = 300  # core.projects clips a need's label there
MAX_CANDIDATES = 5
MAX_YEARS = 5  # a date further away is a typo
_FIRST = {"skill": S.SKILL, "money": S.AMOUNT, "materials": S.MATERIALS, "partner": S.PARTNER}


def _draft(ctx: Context) -> dict[str, Any]:
    scratch = need_scratch(ctx)
    draft = scratch.get("draft")
    if not isinstance(draft, dict):
        draft = scratch["draft"] = {}
    return draft


def _question(ctx: Context, text: str) -> Reply:
    return unavailable(ctx) or free_text(ctx, text)


def _entered(msg: Inbound, ctx: Context) -> Step | None:
    """Leaves a free-text question for the menu, or re-asks when there is no project."""
    return left(msg, ctx, NEED_KEY) or blocked(msg, ctx)


def _text(msg: Inbound, ctx: Context) -> str | Step:
    """Reads a short free-text answer, or the step that re-asks for one."""
    answer = clean_answer(msg.text, MAX_LABEL)
    if answer is None:
        return Step.stay(ctx.t.gettext("Please answer in a few words (at most {limit} "
                                       "characters).").format(limit=ctx.t.number(MAX_LABEL)))
    return answer


def _add(ctx: Context, **fields: Any) -> Step:
    """Adds the need entered, says so, and goes on to the next proposal or the summary."""
    draft = {**_draft(ctx), **fields}
    need_scratch(ctx).pop("draft", None)
    kind = draft.get("kind")
    if kind not in _FIRST or kind == "skill" and not (draft.get("skill_code")
                                                      or draft.get("label")):
        return Step(next=S.KIND, say=[Reply(ctx.t.gettext(
            "Some answers are missing. Let us start again."))])
    wanted, requested = draft.get("wanted_by"), draft.get("requested")
    command = AddNeed(str(ctx.data.get("project_ref")), str(kind), str(draft.get("label", "")),
                      draft.get("skill_code"), draft.get("mode"), str(draft.get("unit", "")),
                      requested if isinstance(requested, int) and requested > 0 else 1,
                      date.fromisoformat(wanted) if isinstance(wanted, str) else None)
    view = NeedView(0, command.kind, command.label, command.skill_code, command.mode,
                    command.unit, command.requested, 0, 0, command.wanted_by, "open")
    said = Reply(ctx.t.gettext("Added: {need}").format(need=need_line(ctx, view)))
    return Step(next=after_need(ctx), say=[said], commands=[command])


# --- which kind of need -------------------------------------------------------------------------

def kind_choices(ctx: Context) -> tuple[Choice, ...]:
    return (*labels(ctx, list(NEED_KINDS.items())), Choice("back", ctx.t.gettext("Back")))


def ask_kind(ctx: Context) -> Reply:
    """Asks what kind of need to add."""
    return unavailable(ctx) or Reply(ctx.t.gettext("What does the project need?"),
                                     kind_choices(ctx))


@state(S.KIND, ask_kind)
def on_kind(msg: Inbound, ctx: Context) -> Step:
    """Starts entering a need of the kind chosen."""
    leave = blocked(msg, ctx)
    if leave is not None:
        return leave
    choice = pick(msg, kind_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    ctx.data.pop(NEED_KEY, None)  # proposals left from the diagnosis are not made any more
    if choice.key == "back":
        return Step(next=S.SUMMARY)
    ctx.data[NEED_KEY] = {"ref": ctx.data.get("project_ref"), "draft": {"kind": choice.key}}
    return full(ctx) or Step(next=_FIRST[choice.key])


# --- a skill: search, pick, mode, effort, date --------------------------------------------------

def ask_skill(ctx: Context) -> Reply:
    """Asks which skill is needed."""
    return _question(ctx, ctx.t.gettext(
        "Which skill is needed? Describe it in a few words, for example: drip irrigation."))


@state(S.SKILL, ask_skill)
def on_skill(msg: Inbound, ctx: Context) -> Step:
    """Searches the skills that fit the person's words."""
    answer = _entered(msg, ctx) or _text(msg, ctx)
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
    _draft(ctx).update(kind="skill", skill_code=code, label=label)
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
    _draft(ctx)["mode"] = choice.key
    return Step(next=S.EFFORT)


def ask_effort(ctx: Context) -> Reply:
    """Asks how much time the help will take."""
    return _question(ctx, ctx.t.gettext(
        "How much time will it take? For example: 10 days, or 20 hours."))


@state(S.EFFORT, ask_effort)
def on_effort(msg: Inbound, ctx: Context) -> Step:
    """Keeps the time the help will take, and repeats it."""
    leave = _entered(msg, ctx)
    if leave is not None:
        return leave
    effort = parse_effort(msg.text)
    if effort is None:
        return Step.stay(ctx.t.gettext(
            "Please write a number of days or hours, for example: 10 days, or 20 hours."))
    requested, unit = effort
    _draft(ctx).update(requested=requested, unit=unit)
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
    leave = _entered(msg, ctx)
    if leave is not None:
        return leave
    if pick(msg, date_choices(ctx)) is not None:
        return _add(ctx, wanted_by=None)
    today = ctx.now.date()
    wanted = parse_month(msg.text, today)
    if wanted is None:
        return Step.stay(_("Please write a month and a year, for example: June 2027."))
    if wanted < today:
        return Step.stay(_("That date has passed. Please write a date to come."))
    if wanted > today + timedelta(days=365 * MAX_YEARS + 1):
        return Step.stay(_("That is more than {years} years away. Please write a nearer "
                           "date.").format(years=ctx.t.number(MAX_YEARS)))
    return _add(ctx, wanted_by=wanted.isoformat())


# --- money --------------------------------------------------------------------------------------

def ask_amount(ctx: Context) -> Reply:
    """Asks how much money is needed."""
    return _question(ctx, ctx.t.gettext("How much money is needed, in dirhams?"))


@state(S.AMOUNT, ask_amount)
def on_amount(msg: Inbound, ctx: Context) -> Step:
    """Keeps the amount needed, and repeats it."""
    leave = _entered(msg, ctx)
    if leave is not None:
        return leave
    amount = parse_amount(msg.text)
    if amount is None or amount > MAX_AMOUNT:
        return Step.stay(ctx.t.gettext(
            "Please write an amount in dirhams, for example: 40000 or 40 000 DH."))
    _draft(ctx).update(kind="money", requested=amount, unit="MAD")
    noted = ctx.t.gettext("Noted: {amount}.").format(amount=ctx.t.amount(amount, "MAD"))
    return Step(next=S.PURPOSE, say=[Reply(noted)])


def ask_purpose(ctx: Context) -> Reply:
    """Asks what the money is for."""
    return _question(ctx, ctx.t.gettext("What is the money for?"))


@state(S.PURPOSE, ask_purpose)
def on_purpose(msg: Inbound, ctx: Context) -> Step:
    """Adds the money need with its purpose."""
    answer = _entered(msg, ctx) or _text(msg, ctx)
    return answer if isinstance(answer, Step) else _add(ctx, label=answer)


# --- materials ----------------------------------------------------------------------------------

def ask_materials(ctx: Context) -> Reply:
    """Asks which materials are needed."""
    return _question(ctx, ctx.t.gettext("Which materials are needed?"))


@state(S.MATERIALS, ask_materials)
def on_materials(msg: Inbound, ctx: Context) -> Step:
    """Keeps which materials are needed."""
    answer = _entered(msg, ctx) or _text(msg, ctx)
    if isinstance(answer, Step):
        return answer
    _draft(ctx).update(kind="materials", label=answer)
    return Step(next=S.QUANTITY)


def ask_quantity(ctx: Context) -> Reply:
    """Asks how many are needed."""
    return _question(ctx, ctx.t.gettext("How many are needed? Please write a number."))


@state(S.QUANTITY, ask_quantity)
def on_quantity(msg: Inbound, ctx: Context) -> Step:
    """Adds the materials need with how many are needed."""
    leave = _entered(msg, ctx)
    if leave is not None:
        return leave
    count = parse_count(msg.text, MAX_AMOUNT)
    if count is None:
        return Step.stay(ctx.t.gettext("Please write a number greater than zero, for "
                                       "example: 300."))
    return _add(ctx, unit="items", requested=count)


# --- a partner ----------------------------------------------------------------------------------

def ask_partner(ctx: Context) -> Reply:
    """Asks what kind of partner is sought."""
    return _question(ctx, ctx.t.gettext("What kind of partner are you looking for?"))


@state(S.PARTNER, ask_partner)
def on_partner(msg: Inbound, ctx: Context) -> Step:
    """Adds the partner need."""
    answer = _entered(msg, ctx) or _text(msg, ctx)
    if isinstance(answer, Step):
        return answer
    return _add(ctx, kind="partner", label=answer, unit="", requested=1)


# --- the summary --------------------------------------------------------------------------------

def summary_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    card = project(ctx)
    if card is None:
        return leave_choices(ctx)
    choices: tuple[Choice, ...] = ()
    if unavailable(ctx) is None:
        choices += (Choice("add", _("Add a need")),)
        if card.open_needs:
            choices += (Choice("remove", _("Remove a need")),)
    if card.status in ("draft", "rejected"):
        return (*choices, Choice("send", _("Send it for review")),
                Choice("later", _("Finish later")))
    return (*choices, Choice("done", _("Done")))


def ask_summary(ctx: Context) -> Reply:
    """Shows the project's needs and what can be done next."""
    _ = ctx.t.gettext
    card = project(ctx)
    if card is None:
        return unavailable(ctx) or Reply(_("No project is selected."), leave_choices(ctx))
    lines = [_("The needs of “{title}”:").format(title=ctx.t.iso(card.title))]
    lines += [f"• {need_line(ctx, n)}" for n in card.open_needs] or [_("No needs entered yet.")]
    return Reply("\n".join(lines), summary_choices(ctx))


@state(S.SUMMARY, ask_summary)
def on_summary(msg: Inbound, ctx: Context) -> Step:
    """Adds or removes a need, sends the project for review, or leaves it for later."""
    _ = ctx.t.gettext
    choice = pick(msg, summary_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    ctx.data.pop(NEED_KEY, None)
    ref = str(ctx.data.get("project_ref"))
    if choice.key == "add":
        return Step(next=S.KIND)
    if choice.key == "remove":
        return Step(next=S.REMOVE)
    if choice.key == "send":
        sent = Reply(_("Sent! An animator will review it; I will tell you the outcome here."))
        return Step(next=MAIN_MENU, say=[sent], commands=[SubmitProject(ref)])
    if choice.key == "later":
        kept = Reply(_("Your draft is kept. You will find it in “My projects”."))
        return Step(next=MAIN_MENU, say=[kept])
    return Step(next=MINE_PROJECT if MINE_PROJECT in STATES and choice.key == "done"
                else MAIN_MENU)


# --- removing a need ----------------------------------------------------------------------------

def remove_choices(ctx: Context) -> tuple[Choice, ...]:
    card = project(ctx)
    needs = card.open_needs if card is not None else ()
    return (*(Choice(str(n.id), need_line(ctx, n)) for n in needs),
            Choice("back", ctx.t.gettext("Back")))


def ask_remove(ctx: Context) -> Reply:
    """Asks which need to remove."""
    return unavailable(ctx) or Reply(ctx.t.gettext("Which need should be removed?"),
                                     remove_choices(ctx))


@state(S.REMOVE, ask_remove)
def on_remove(msg: Inbound, ctx: Context) -> Step:
    """Closes the need chosen."""
    leave = blocked(msg, ctx)
    if leave is not None:
        return leave
    choice = pick(msg, remove_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "back":
        return Step(next=S.SUMMARY)
    removed = Reply(ctx.t.gettext("Removed: {need}").format(need=choice.label))
    return Step(next=S.SUMMARY, say=[removed], commands=[SetNeedStatus(int(choice.key), "closed")])
