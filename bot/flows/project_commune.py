"""Declaring a project, its commune: the organisation's, or another one searched and picked."""

from __future__ import annotations

from bot.choices import pick
from bot.flows.cards import place_name
from bot.flows.common import commune_candidates, found_communes
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import free_text, left
from bot.flows.project_answers import KEY, S, declaration, organisation
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply

MAX_CANDIDATES = 5


def commune_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes"), YES), Choice("other", _("Another commune"), NO))


def ask_commune(ctx: Context) -> Reply:
    """Asks whether the project is in the organisation's commune."""
    chosen = organisation(ctx)
    if chosen is None:
        return Reply(ctx.t.gettext("Is the project in the commune of your organisation?"),
                     commune_choices(ctx))
    place = place_name(ctx, *map(str, chosen[3:7]))
    return Reply(ctx.t.gettext("Is the project in {commune}?").format(commune=place),
                 commune_choices(ctx))


@state(S.COMMUNE, ask_commune)
def on_commune(msg: Inbound, ctx: Context) -> Step:
    """Keeps the organisation's commune, or asks for another one."""
    choice = pick(msg, commune_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 for yes, or 2 for another commune."))
    chosen = organisation(ctx)
    if choice.key == "other" or chosen is None:
        return Step(next=S.COMMUNE_SEARCH)
    declaration(ctx)["commune"] = [str(part) for part in chosen[2:7]]
    return Step(next=S.CONFIRM)


def ask_commune_search(ctx: Context) -> Reply:
    """Asks for the name of the project's commune."""
    return free_text(ctx, ctx.t.gettext(
        "In which commune is the project? Please write the name of the commune."))


@state(S.COMMUNE_SEARCH, ask_commune_search)
def on_commune_search(msg: Inbound, ctx: Context) -> Step:
    """Searches the communes whose name looks like what the person wrote."""
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    found = found_communes(msg, ctx)
    if isinstance(found, Step):
        return found
    declaration(ctx)["candidates"] = found
    return Step(next=S.COMMUNE_PICK)


def _candidates(ctx: Context) -> list[list[str]]:
    return commune_candidates(declaration(ctx).get("candidates"), MAX_CANDIDATES)


def pick_choices(ctx: Context) -> tuple[Choice, ...]:
    places = tuple(Choice(c[0], place_name(ctx, *c[1:])) for c in _candidates(ctx))
    return (*places, Choice("again", ctx.t.gettext("None of these, search again")))


def ask_commune_pick(ctx: Context) -> Reply:
    """Shows the communes found and asks which one it is."""
    return Reply(ctx.t.gettext("Which of these communes is it?"), pick_choices(ctx))


@state(S.COMMUNE_PICK, ask_commune_pick)
def on_commune_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the commune picked, or searches again."""
    choice = pick(msg, pick_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "again":
        return Step(next=S.COMMUNE_SEARCH)
    answers = declaration(ctx)
    answers["commune"] = next(c for c in _candidates(ctx) if c[0] == choice.key)
    answers.pop("candidates", None)
    return Step(next=S.CONFIRM)

