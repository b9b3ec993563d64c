"""Registering an organisation: name, kind, commune (searched, then picked), confirmation."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.common import commune_candidates, commune_rows, kept, visible
from bot.flows.engine import Context, Step, labels, state
from bot.i18n import N_
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import RegisterOrganisation


class S(StrEnum):
    NAME = "organisation.name"
    KIND = "organisation.kind"
    COMMUNE = "organisation.commune"
    COMMUNE_PICK = "organisation.commune_pick"
    CONFIRM = "organisation.confirm"


MAIN_MENU = "menu.main"
MAX_NAME = 120  # core.organisations.MAX_NAME
MAX_CANDIDATES = 5
_KEY = "organisation"  # where the answers so far are kept in ctx.data

_KINDS = [
    ("association", N_("Association")),
    ("commune", N_("Commune")),
    ("cooperative", N_("Cooperative")),
    ("economic_interest_group", N_("Economic interest group")),
    ("federation", N_("Federation")),
    ("enterprise", N_("Enterprise")),
    ("migrants_association", N_("Migrants' association")),
    ("other", N_("Other")),
]
KIND_ALIASES = {
    "association": ("جمعية", "jam3iya", "jamaiya", "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ"),
    "commune": ("جماعة", "jama3a", "jamaa"),
    "cooperative": ("coopérative", "تعاونية", "ta3awniya", "cooperativa"),
    "economic_interest_group": ("gie", "groupement d'intérêt économique"),
    "federation": ("fédération", "اتحاد", "جامعة"),
    "enterprise": ("entreprise", "company", "شركة", "مقاولة", "charika"),
    "migrants_association": ("migrants", "diaspora", "مهاجرين", "مهاجرون"),
    "other": ("autre", "أخرى", "آخر", "akhor"),
}


def _answers(ctx: Context) -> dict[str, Any]:
    return kept(ctx, _KEY)


def clean_name(text: str | None) -> str | None:
    """Returns the organisation name typed, tidied, or None when it cannot be a name."""
    if not text or len(text) > 4 * MAX_NAME:
        return None
    name = " ".join(visible(text).split())
    if len(name) < 2 or len(name) > MAX_NAME or not any(c.isalpha() for c in name):
        return None
    return name


def leave_choices(ctx: Context) -> tuple[Choice, ...]:
    """Offers a way out of a question answered in free text."""
    return (Choice("menu", ctx.t.gettext("Back to the menu")),)


def free_text(ctx: Context, question: str) -> Reply:
    """Asks a question answered in free text, with a button back to the menu."""
    hint = ctx.t.gettext("Write your answer, or reply 1 to go back to the menu.")
    return Reply(question, leave_choices(ctx), hint=hint)


def left(msg: Inbound, ctx: Context, key: str = _KEY) -> Step | None:
    """Goes back to the menu when the person chose to, from a free-text question, forgetting
    the answers a flow kept under `key`."""
    if pick(msg, leave_choices(ctx)) is None:
        return None
    ctx.data.pop(key, None)
    return Step(next=MAIN_MENU, say=[Reply(ctx.t.gettext("Cancelled."))])


# --- name ---------------------------------------------------------------------------------

def ask_name(ctx: Context) -> Reply:
    """Asks for the organisation's name."""
    return free_text(ctx, ctx.t.gettext("What is the name of your organisation?"))


@state(S.NAME, ask_name)
def on_name(msg: Inbound, ctx: Context) -> Step:
    """Keeps the organisation's name."""
    leave = left(msg, ctx)
    if leave is not None:
        return leave
    name = clean_name(msg.text)
    if name is None:
        return Step.stay(ctx.t.gettext(
            "Please write the name of your organisation in letters (at most {limit} "
            "characters).").format(limit=ctx.t.iso(MAX_NAME)))
    ctx.data[_KEY] = {"name": name}
    return Step(next=S.KIND)


# --- kind ---------------------------------------------------------------------------------

def kind_choices(ctx: Context) -> tuple[Choice, ...]:
    return tuple(Choice(c.key, c.label, KIND_ALIASES[c.key]) for c in labels(ctx, _KINDS))


def ask_kind(ctx: Context) -> Reply:
    """Asks what kind of organisation it is."""
    return Reply(ctx.t.gettext("What kind of organisation is it?"), kind_choices(ctx))


@state(S.KIND, ask_kind)
def on_kind(msg: Inbound, ctx: Context) -> Step:
    """Keeps the kind of organisation."""
    choice = pick(msg, kind_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the kinds in the list."))
    _answers(ctx)["kind"] = choice.key
    return Step(next=S.COMMUNE)


# --- commune: search, then pick -----------------------------------------------------------

def ask_commune(ctx: Context) -> Reply:
    """Asks in which commune the organisation is."""
    return free_text(ctx, ctx.t.gettext(
        "In which commune is it? Please write the name of the commune."))


@state(S.COMMUNE, ask_commune)
def on_commune(msg: Inbound, ctx: Context) -> Step:
    """Searches the communes whose name looks like what the person wrote."""
    leave = left(msg, ctx)
    if leave is not None:
        return leave
    search = ctx.facts.get("communes")
    found = list(search(msg.text or "") or [])[:MAX_CANDIDATES] if callable(search) else []
    if not found:
        return Step.stay(ctx.t.gettext(
            "I found no commune with that name. Please check the spelling, or write it "
            "another way (in Arabic or Latin letters)."))
    _answers(ctx)["candidates"] = commune_rows(found)
    return Step(next=S.COMMUNE_PICK)


def _place(ctx: Context, candidate: list[str]) -> str:
    """Names a candidate commune as "Name (Province)" in the person's script."""
    _code, name_fr, name_ar, province_fr, province_ar = candidate
    name = ctx.local(name_fr, name_ar)
    province = ctx.local(province_fr, province_ar)
    if not province:
        return name
    # TRANSLATORS: a commune and its province, e.g. "Tafraout (Tiznit)".
    return ctx.t.gettext("{commune} ({province})").format(commune=name, province=province)


def _candidates(ctx: Context) -> list[list[str]]:
    return commune_candidates(_answers(ctx).get("candidates"), MAX_CANDIDATES)


def commune_choices(ctx: Context) -> tuple[Choice, ...]:
    places = tuple(Choice(c[0], _place(ctx, c)) for c in _candidates(ctx))
    return (*places, Choice("again", ctx.t.gettext("None of these, search again")))


def ask_commune_pick(ctx: Context) -> Reply:
    """Shows the communes found and asks which one it is."""
    return Reply(ctx.t.gettext("Which of these communes is it?"), commune_choices(ctx))


@state(S.COMMUNE_PICK, ask_commune_pick)
def on_commune_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the commune the person picked, or searches again."""
    choice = pick(msg, commune_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.COMMUNE)
    picked = next(c for c in _candidates(ctx) if c[0] == choice.key)
    _answers(ctx)["commune"] = picked
    return Step(next=S.CONFIRM)


# --- confirmation -------------------------------------------------------------------------

def confirm_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes, register it"), YES),
            Choice("no", _("No, do not register it"), NO))


def _complete(ctx: Context) -> tuple[str, str, list[str]] | None:
    answers = _answers(ctx)
    name, kind, commune = answers.get("name"), answers.get("kind"), answers.get("commune")
    if (not isinstance(name, str) or kind not in dict(_KINDS)
            or not isinstance(commune, list) or len(commune) != 5):
        return None
    return name, str(kind), [str(part) for part in commune]


def ask_confirm(ctx: Context) -> Reply:
    """Sums up the organisation and asks to register it."""
    _ = ctx.t.gettext
    answers = _complete(ctx)
    if answers is None:
        return Reply(_("Register this organisation?"), confirm_choices(ctx))
    name, kind, commune = answers
    text = _("Register this organisation?\n• Name: {name}\n• Kind: {kind}\n• Commune: {commune}")
    return Reply(text.format(name=ctx.t.iso(name), kind=_(dict(_KINDS)[kind]),
                             commune=ctx.t.iso(_place(ctx, commune))), confirm_choices(ctx))


@state(S.CONFIRM, ask_confirm)
def on_confirm(msg: Inbound, ctx: Context) -> Step:
    """Registers the organisation once the person confirms."""
    _ = ctx.t.gettext
    choice = pick(msg, confirm_choices(ctx))
    if choice is None:
        return Step.stay(_("Please answer 1 to register it, or 2 to cancel."))
    answers = _complete(ctx)
    ctx.data.pop(_KEY, None)
    if choice.key == "no":
        return Step(next=MAIN_MENU, say=[Reply(_("Nothing was registered."))])
    if answers is None:
        return Step(next=S.NAME, say=[Reply(_("Some answers are missing. Let us start again."))])
    name, kind, commune = answers
    done = Reply(_("{name} is registered. You are its representative.").format(
        name=ctx.t.iso(name)))
    return Step(next=MAIN_MENU, say=[done], commands=[RegisterOrganisation(name, kind, commune[0])])
