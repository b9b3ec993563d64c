"""Entering one of a project's needs: its kind, then money (amount, purpose), materials
(what, how many) or a partner; a skill's steps live in bot/flows/need_skill.py."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.cards import NEED_KINDS, need_line
from bot.flows.diagnosis import (
    NEED_KEY,
    SUMMARY,
    after_need,
    blocked,
    clean_answer,
    full,
    need_scratch,
    unavailable,
)
from bot.flows.engine import Context, Step, labels, state
from bot.flows.organisation import free_text, left
from bot.i18n.quantities import parse_amount, parse_count
from bot.messages import Choice, Inbound, Reply
from core.commands import AddNeed
from core.domain.projects import MAX_AMOUNT
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


MAX_LABEL = 300  # core.projects clips a need's label there
FIRST = {"skill": S.SKILL, "money": S.AMOUNT, "materials": S.MATERIALS, "partner": S.PARTNER}


def draft(ctx: Context) -> dict[str, Any]:
    """The need being entered, so far."""
    scratch = need_scratch(ctx)
    entry = scratch.get("draft")
    if not isinstance(entry, dict):
        entry = scratch["draft"] = {}
    return entry


def question(ctx: Context, text: str) -> Reply:
    """Asks a free-text question about the need, unless the project cannot be worked on."""
    return unavailable(ctx) or free_text(ctx, text)


def entered(msg: Inbound, ctx: Context) -> Step | None:
    """Leaves a free-text question for the menu, or re-asks when there is no project."""
    return left(msg, ctx, NEED_KEY) or blocked(msg, ctx)


def short_text(msg: Inbound, ctx: Context) -> str | Step:
    """Reads a short free-text answer, or the step that re-asks for one."""
    answer = clean_answer(msg.text, MAX_LABEL)
    if answer is None:
        return Step.stay(ctx.t.gettext("Please answer in a few words (at most {limit} "
                                       "characters).").format(limit=ctx.t.number(MAX_LABEL)))
    return answer


def add_need(ctx: Context, **fields: Any) -> Step:
    """Adds the need entered, says so, and goes on to the next proposal or the summary."""
    answers = {**draft(ctx), **fields}
    need_scratch(ctx).pop("draft", None)
    kind = answers.get("kind")
    if kind not in FIRST or kind == "skill" and not (answers.get("skill_code")
                                                     or answers.get("label")):
        return Step(next=S.KIND, say=[Reply(ctx.t.gettext(
            "Some answers are missing. Let us start again."))])
    wanted, requested = answers.get("wanted_by"), answers.get("requested")
    command = AddNeed(str(ctx.data.get("project_ref")), str(kind), str(answers.get("label", "")),
                      answers.get("skill_code"), answers.get("mode"), str(answers.get("unit", "")),
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
        return Step(next=SUMMARY)
    ctx.data[NEED_KEY] = {"ref": ctx.data.get("project_ref"), "draft": {"kind": choice.key}}
    return full(ctx) or Step(next=FIRST[choice.key])


# --- money --------------------------------------------------------------------------------------

def ask_amount(ctx: Context) -> Reply:
    """Asks how much money is needed."""
    return question(ctx, ctx.t.gettext("How much money is needed, in dirhams?"))


@state(S.AMOUNT, ask_amount)
def on_amount(msg: Inbound, ctx: Context) -> Step:
    """Keeps the amount needed, and repeats it."""
    leave = entered(msg, ctx)
    if leave is not None:
        return leave
    amount = parse_amount(msg.text)
    if amount is None or amount > MAX_AMOUNT:
        return Step.stay(ctx.t.gettext(
            "Please write an amount in dirhams, for example: 40000 or 40 000 DH."))
    draft(ctx).update(kind="money", requested=amount, unit="MAD")
    noted = ctx.t.gettext("Noted: {amount}.").format(amount=ctx.t.amount(amount, "MAD"))
    return Step(next=S.PURPOSE, say=[Reply(noted)])


def ask_purpose(ctx: Context) -> Reply:
    """Asks what the money is for."""
    return question(ctx, ctx.t.gettext("What is the money for?"))


@state(S.PURPOSE, ask_purpose)
def on_purpose(msg: Inbound, ctx: Context) -> Step:
    """Adds the money need with its purpose."""
    answer = entered(msg, ctx) or short_text(msg, ctx)
    return answer if isinstance(answer, Step) else add_need(ctx, label=answer)


# --- materials ----------------------------------------------------------------------------------

def ask_materials(ctx: Context) -> Reply:
    """Asks which materials are needed."""
    return question(ctx, ctx.t.gettext("Which materials are needed?"))


@state(S.MATERIALS, ask_materials)
def on_materials(msg: Inbound, ctx: Context) -> Step:
    """Keeps which materials are needed."""
    answer = entered(msg, ctx) or short_text(msg, ctx)
    if isinstance(answer, Step):
        return answer
    draft(ctx).update(kind="materials", label=answer)
    return Step(next=S.QUANTITY)


def ask_quantity(ctx: Context) -> Reply:
    """Asks how many are needed."""
    return question(ctx, ctx.t.gettext("How many are needed? Please write a number."))


@state(S.QUANTITY, ask_quantity)
def on_quantity(msg: Inbound, ctx: Context) -> Step:
    """Adds the materials need with how many are needed."""
    leave = entered(msg, ctx)
    if leave is not None:
        return leave
    count = parse_count(msg.text, MAX_AMOUNT)
    if count is None:
        return Step.stay(ctx.t.gettext("Please write a number greater than zero, for "
                                       "example: 300."))
    return add_need(ctx, unit="items", requested=count)


# --- a partner ----------------------------------------------------------------------------------

def ask_partner(ctx: Context) -> Reply:
    """Asks what kind of partner is sought."""
    return question(ctx, ctx.t.gettext("What kind of partner are you looking for?"))


@state(S.PARTNER, ask_partner)
def on_partner(msg: Inbound, ctx: Context) -> Step:
    """Adds the partner need."""
    answer = entered(msg, ctx) or short_text(msg, ctx)
    if isinstance(answer, Step):
        return answer
    return add_need(ctx, kind="partner", label=answer, unit="", requested=1)
