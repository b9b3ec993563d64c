"""The pre-diagnosis of a project: what problem, for whom, what exists, what is missing, who
maintains it; then the needs its answers suggest, one at a time."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.common import kept, read_card, visible
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import free_text, leave_choices, left
from bot.i18n import N_
from bot.messages import Choice, Inbound, Reply
from core.commands import SaveDiagnosis
from core.domain.projects import (
    EDITABLE,
    MAX_NEEDS,
    MAX_TEXT,
    MISSING,
    STUDY_SKILL,
    needs_from_diagnosis,
)
from core.domain.text import fold
from core.projects import ProjectCard


class S(StrEnum):
    PROBLEM = "diagnosis.problem"
    BENEFICIARIES = "diagnosis.beneficiaries"
    EXISTING = "diagnosis.existing"
    MISSING = "diagnosis.missing"
    MAINTENANCE = "diagnosis.maintenance"
    PROPOSE = "needs.propose"


MAIN_MENU = "menu.main"
SUMMARY = "needs.summary"  # bot/flows/needs.py
_KEY = "diagnosis"  # the questionnaire's answers so far, in ctx.data
NEED_KEY = "need"  # the need being entered and the needs still to propose, in ctx.data

MISSING_LABELS = {"study": N_("A study"), "budget": N_("A budget"), "skill": N_("A skill"),
                  "equipment": N_("Equipment"), "partner": N_("A partner")}
_MISSING_ALIASES = {
    "study": ("étude", "etude", "دراسة", "dirasa", "ⵜⴰⵖⴰⵔⴰⵙⵜ"),
    "budget": ("ميزانية", "تمويل", "flous", "financement", "ⵜⴰⵙⵎⵉⴽⵙⵜ"),
    "skill": ("compétence", "كفاءة", "خبرة", "expertise", "ⵜⴰⵣⵎⵔⵜ"),
    "equipment": ("équipement", "matériel", "معدات", "تجهيزات", "ⵉⵎⴰⵙⵙⵏ"),
    "partner": ("partenaire", "شريك", "charik", "ⴰⵎⴷⴷⴰⴽⴽⵍ"),
}
#: How a proposed need reads: "Your answers suggest this need: {need}."
PROPOSED = {"study": N_("a feasibility study (a skill)"), "budget": N_("money for the budget"),
            "skill": N_("a skill"), "equipment": N_("equipment (materials)"),
            "partner": N_("a partner")}
#: Where adding a proposed need leads, and what is already known of it.
_FIRST_STEP = {"study": "need.mode", "skill": "need.skill", "budget": "need.amount",
               "equipment": "need.materials", "partner": "need.partner"}
_SEVERAL = re.compile(r"[0-9]{1,2}(?: [0-9]{1,2})+")
_AND = re.compile(r"(?<!\S)(?:و|et|and|w)(?!\S)")


# --- shared with bot/flows/needs.py -------------------------------------------------------------

def project(ctx: Context) -> ProjectCard | None:
    """Reads the project the person works on, fresh; None when there is none."""
    return read_card(ctx, ctx.data.get("project_ref"))


def unavailable(ctx: Context) -> Reply | None:
    """Says why the project cannot be worked on here (none, not found, closed), or None."""
    _ = ctx.t.gettext
    ref = ctx.data.get("project_ref")
    card = project(ctx)
    if not isinstance(ref, str) or not ref:
        text = _("No project is selected. You can open one from “My projects”.")
    elif card is None:
        text = _("I cannot find the project {ref}.").format(ref=ctx.t.iso(ref[:20]))
    elif card.status not in EDITABLE:
        text = _("The project {ref} can no longer be changed.").format(ref=ctx.t.iso(card.ref))
    else:
        return None
    return Reply(text, leave_choices(ctx))


def blocked(msg: Inbound, ctx: Context) -> Step | None:
    """Leaves for the menu, or re-asks, when the project cannot be worked on; else None."""
    reply = unavailable(ctx)
    if reply is None:
        return None
    ctx.data.pop(NEED_KEY, None)
    if pick(msg, leave_choices(ctx)) is not None:
        return Step(next=MAIN_MENU)
    return Step.stay(ctx.t.gettext("Please reply 1 to go back to the menu."))


def clean_answer(text: str | None, limit: int = MAX_TEXT, *, numbers: bool = False
                 ) -> str | None:
    """Tidies a free-text answer; None unless it has 2..limit characters and a letter
    (or a digit, when `numbers`)."""
    if not text or len(text) > 4 * limit:
        return None
    answer = " ".join(visible(text).split())
    meaningful = any(c.isalpha() or (numbers and c.isdigit()) for c in answer)
    return answer if 2 <= len(answer) <= limit and meaningful else None


def need_scratch(ctx: Context) -> dict[str, Any]:
    """The need being entered and the proposals left, for the current project only."""
    kept = ctx.data.get(NEED_KEY)
    if not isinstance(kept, dict) or kept.get("ref") != ctx.data.get("project_ref"):
        kept = ctx.data[NEED_KEY] = {"ref": ctx.data.get("project_ref")}
    return kept


def queue(ctx: Context) -> list[str]:
    """The needs the diagnosis suggests that were not proposed yet."""
    items = need_scratch(ctx).get("queue")
    return [i for i in items if i in MISSING] if isinstance(items, list) else []


def after_need(ctx: Context) -> str:
    """Where to go once a need was added or skipped: the next proposal, or the summary."""
    return S.PROPOSE if queue(ctx) else SUMMARY


def full(ctx: Context) -> Step | None:
    """Refuses a new need when the project has as many as allowed; else None."""
    card = project(ctx)
    if card is None or len(card.open_needs) < MAX_NEEDS:
        return None
    ctx.data.pop(NEED_KEY, None)
    text = ctx.t.gettext("This project already has {count} needs: remove one before adding "
                         "another.").format(count=ctx.t.number(MAX_NEEDS))
    return Step(next=SUMMARY, say=[Reply(text)])


# --- the free-text questions --------------------------------------------------------------------

def _answers(ctx: Context) -> dict[str, Any]:
    return kept(ctx, _KEY)


def _question(ctx: Context, text: str) -> Reply:
    return unavailable(ctx) or free_text(ctx, text)


def _keep(msg: Inbound, ctx: Context, key: str, nxt: str, *, numbers: bool = False) -> Step:
    """Keeps one free-text answer and moves on, or re-asks."""
    leave = left(msg, ctx, _KEY) or blocked(msg, ctx)
    if leave is not None:
        return leave
    answer = clean_answer(msg.text, numbers=numbers)
    if answer is None:
        return Step.stay(ctx.t.gettext("Please answer in a few words (at most {limit} "
                                       "characters).").format(limit=ctx.t.number(MAX_TEXT)))
    _answers(ctx)[key] = answer
    return Step(next=nxt)


def ask_problem(ctx: Context) -> Reply:
    """Asks what problem the project solves."""
    return _question(ctx, ctx.t.gettext("What problem does the project solve?"))


@state(S.PROBLEM, ask_problem)
def on_problem(msg: Inbound, ctx: Context) -> Step:
    """Keeps the problem the project solves."""
    return _keep(msg, ctx, "problem", S.BENEFICIARIES)


def ask_beneficiaries(ctx: Context) -> Reply:
    """Asks who will benefit, and how many."""
    return _question(ctx, ctx.t.gettext("Who will benefit, and about how many people?"))


@state(S.BENEFICIARIES, ask_beneficiaries)
def on_beneficiaries(msg: Inbound, ctx: Context) -> Step:
    """Keeps who will benefit."""
    return _keep(msg, ctx, "beneficiaries", S.EXISTING, numbers=True)


def ask_existing(ctx: Context) -> Reply:
    """Asks what exists already."""
    return _question(ctx, ctx.t.gettext(
        "What exists already: land, building, water source, equipment, a study...?"))


@state(S.EXISTING, ask_existing)
def on_existing(msg: Inbound, ctx: Context) -> Step:
    """Keeps what exists already."""
    return _keep(msg, ctx, "existing", S.MISSING)


# --- what is missing: numbered toggles ----------------------------------------------------------

def _ticked(ctx: Context) -> list[str]:
    ticked = _answers(ctx).get("missing")
    return [m for m in MISSING if isinstance(ticked, list) and m in ticked]


def missing_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    ticked = _ticked(ctx)
    items = tuple(Choice(key, ("✓ " if key in ticked else "") + _(label), _MISSING_ALIASES[key])
                  for key, label in MISSING_LABELS.items())
    return (*items, Choice("done", _("Done")), Choice("none", _("Nothing is missing")))


def ask_missing(ctx: Context) -> Reply:
    """Asks what is missing, showing what is ticked so far."""
    return unavailable(ctx) or Reply(ctx.t.gettext(
        "What is missing? Choose each number that applies (several at once if you like: "
        "1 3), then “Done”."), missing_choices(ctx))


def _several(text: str | None) -> list[int] | None:
    """Reads "1 3", "١ ٣", "1,3" or "1 و 3" as several numbers; None otherwise."""
    if not text or len(text) > 100:
        return None
    folded = " ".join(_AND.sub(" ", fold(text)).split())
    return [int(n) for n in folded.split()] if _SEVERAL.fullmatch(folded) else None


def _toggle(ctx: Context, keys: list[str]) -> Step:
    ticked = _ticked(ctx)
    for key in keys:
        ticked = [k for k in ticked if k != key] if key in ticked else [*ticked, key]
    _answers(ctx)["missing"] = [m for m in MISSING if m in ticked]
    return Step(hint=ctx.t.gettext("Noted. Choose another number, or “Done” when finished."))


@state(S.MISSING, ask_missing)
def on_missing(msg: Inbound, ctx: Context) -> Step:
    """Ticks or unticks what is missing, until the person is done."""
    leave = blocked(msg, ctx)
    if leave is not None:
        return leave
    keys = list(MISSING_LABELS)
    numbers = _several(msg.text) if msg.choice is None else None
    if numbers is not None:
        if not all(1 <= n <= len(keys) for n in numbers):
            return Step.stay(ctx.t.gettext("Please choose numbers from the list."))
        return _toggle(ctx, [keys[n - 1] for n in numbers])
    choice = pick(msg, missing_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "none":
        _answers(ctx)["missing"] = []
    elif choice.key != "done":
        return _toggle(ctx, [choice.key])
    return Step(next=S.MAINTENANCE)


# --- maintenance, then saving -------------------------------------------------------------------

def ask_maintenance(ctx: Context) -> Reply:
    """Asks who will run and maintain the project afterwards."""
    return _question(ctx, ctx.t.gettext("Who will run and maintain it afterwards?"))


@state(S.MAINTENANCE, ask_maintenance)
def on_maintenance(msg: Inbound, ctx: Context) -> Step:
    """Saves the diagnosis and goes on to the needs it suggests."""
    step = _keep(msg, ctx, "maintenance", SUMMARY)
    if step.next != SUMMARY:
        return step
    answers = ctx.data.pop(_KEY, {})
    ref = str(ctx.data.get("project_ref"))
    missing = tuple(_ticked_in(answers))
    save = SaveDiagnosis(ref, *(str(answers.get(k, "")) for k in
                                ("problem", "beneficiaries", "existing")),
                         missing, str(answers.get("maintenance", "")))
    ctx.data[NEED_KEY] = {"ref": ref, "queue": [item for item, _ in needs_from_diagnosis(
        list(missing))]}
    thanks = Reply(ctx.t.gettext("Thank you, your answers are saved."))
    return Step(next=after_need(ctx), say=[thanks], commands=[save])


def _ticked_in(answers: dict[str, Any]) -> list[str]:
    ticked = answers.get("missing")
    return [m for m in MISSING if isinstance(ticked, list) and m in ticked]


# --- the needs the answers suggest --------------------------------------------------------------

def propose_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    if not queue(ctx):
        return (Choice("next", _("Continue")),)
    return Choice("add", _("Add it")), Choice("skip", _("Skip it"))


def ask_propose(ctx: Context) -> Reply:
    """Proposes the next need the diagnosis suggests."""
    _ = ctx.t.gettext
    items = queue(ctx)
    if not items:
        return unavailable(ctx) or Reply(_("There is no other suggested need."),
                                         propose_choices(ctx))
    return unavailable(ctx) or Reply(_("Your answers suggest this need: {need}. Add it?").format(
        need=_(PROPOSED[items[0]])), propose_choices(ctx))


@state(S.PROPOSE, ask_propose)
def on_propose(msg: Inbound, ctx: Context) -> Step:
    """Adds the proposed need (entering its details) or skips it."""
    leave = blocked(msg, ctx)
    if leave is not None:
        return leave
    choice = pick(msg, propose_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 to add it, or 2 to skip it."))
    items = queue(ctx)
    if not items:
        return Step(next=SUMMARY)
    scratch = need_scratch(ctx)
    scratch["queue"] = items[1:]
    if choice.key == "skip":
        return Step(next=after_need(ctx))
    study = {"kind": "skill", "skill_code": STUDY_SKILL, "label": ""}
    scratch["draft"] = study if items[0] == "study" else {}
    return full(ctx) or Step(next=_FIRST_STEP[items[0]])
