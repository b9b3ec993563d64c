"""A representative's own projects, what every step shares: the project in hand (read
fresh, and only when it is theirs), whether an action still fits it, the reply when it does
not, and reading text and media sent."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows import common
from bot.flows.common import attachments, visible
from bot.flows.engine import Context, Step, labels
from bot.i18n import N_
from bot.messages import Choice, Inbound, Reply
from core.commands import Attachment
from core.domain.projects import EDITABLE, MAX_TEXT, Actor, Status, moves
from core.projects import NeedView, ProjectCard


class S(StrEnum):
    LIST = "mine.list"
    PROJECT = "mine.project"
    ANSWER = "mine.answer"
    NEED = "mine.need"
    NEED_ACTION = "mine.need_action"
    EDIT = "mine.edit"
    EDIT_TITLE = "mine.edit_title"
    EDIT_DESCRIPTION = "mine.edit_description"
    MOVE = "mine.move"
    UPDATE = "mine.update"


MAIN_MENU = "menu.main"
UPDATABLE = frozenset({"open", "in_progress", "completed"})
KEY = "mine"  # what this flow keeps in ctx.data: the need or the move being decided

MOVE_LABELS = {"in_progress": N_("Mark it as in progress"),
               "completed": N_("Mark it as completed"),
               "closed": N_("Close the project"), "open": N_("Open it again")}
MOVE_QUESTIONS = {"in_progress": N_("Mark “{title}” as in progress?"),
                  "completed": N_("Mark “{title}” as completed?"),
                  "closed": N_("Close “{title}”? It will no longer be shown."),
                  "open": N_("Open “{title}” again?")}


# --- the project in hand ------------------------------------------------------------------

def kept(ctx: Context) -> dict[str, Any]:
    """What this flow keeps in ctx.data: the need or the move being decided."""
    return common.kept(ctx, KEY)


def status_of(card: ProjectCard) -> str:
    return str(card.status)


def editable(card: ProjectCard) -> bool:
    return status_of(card) in set(EDITABLE)


def moves_of(card: ProjectCard) -> list[str]:
    """The status moves a representative may make, other than sending for review."""
    if status_of(card) not in set(Status):
        return []
    return [str(t) for t in moves(Status(card.status), Actor.REPRESENTATIVE)
            if str(t) in MOVE_LABELS]


def move_target(ctx: Context, card: ProjectCard) -> str | None:
    target = kept(ctx).get("move")
    return target if target in moves_of(card) else None


def open_need(ctx: Context, card: ProjectCard) -> NeedView | None:
    wanted = kept(ctx).get("need")
    return next((n for n in card.open_needs if n.id == wanted), None)


#: When a state makes sense for a project (besides being one of the person's projects).
FITS: dict[str, Callable[[Context, ProjectCard], bool]] = {
    S.ANSWER: lambda ctx, card: bool(card.question),
    S.NEED: lambda ctx, card: editable(card),
    S.NEED_ACTION: lambda ctx, card: editable(card) and open_need(ctx, card) is not None,
    S.EDIT: lambda ctx, card: editable(card),
    S.EDIT_TITLE: lambda ctx, card: editable(card),
    S.EDIT_DESCRIPTION: lambda ctx, card: editable(card),
    S.MOVE: lambda ctx, card: move_target(ctx, card) is not None,
    S.UPDATE: lambda ctx, card: status_of(card) in UPDATABLE,
}


def my_projects(ctx: Context) -> list[ProjectCard]:
    """The projects of the person's organisations, newest first."""
    return [p for p in ctx.facts.get("my_projects") or [] if isinstance(p, ProjectCard)]


def current(ctx: Context) -> ProjectCard | None:
    """The person's project in hand, read fresh; None when it is missing or not theirs."""
    ref = ctx.data.get("project_ref")
    if not isinstance(ref, str) or not ref:
        return None
    listed = next((p for p in my_projects(ctx) if p.ref == ref), None)
    read = ctx.facts.get("project")
    card = read(ref) if callable(read) else listed
    if not isinstance(card, ProjectCard):
        return None
    # my_projects may predate a project created in this very step: its organisation counts.
    represented = {getattr(r, "id", None) for r in ctx.facts.get("represented") or []}
    return card if listed is not None or card.organisation_id in represented else None


def fitting(ctx: Context, name: str) -> ProjectCard | None:
    card = current(ctx)
    fits = FITS.get(name)
    return card if card is not None and (fits is None or fits(ctx, card)) else None


def away_choices(ctx: Context) -> tuple[Choice, ...]:
    """The ways out when the project in hand is not available (or the action no longer fits)."""
    found = (Choice("project", ctx.t.gettext("Back to the project")),) if current(ctx) else ()
    return (*found, *labels(ctx, [("list", N_("Back to my projects")),
                                  ("menu", N_("Back to the menu"))]))


def unavailable(ctx: Context) -> Reply:
    if current(ctx) is None:
        return Reply(ctx.t.gettext("This project is not available."), away_choices(ctx))
    return Reply(ctx.t.gettext("This is no longer possible for this project."),
                 away_choices(ctx))


def go_away(msg: Inbound, ctx: Context) -> Step:
    """Handles an answer to the "not available" question."""
    choice = pick(msg, away_choices(ctx))
    if choice is None:
        return Step.stay(unavailable(ctx).text + " " + ctx.t.gettext(
            "Please choose a number from the list."))
    ctx.data.pop(KEY, None)
    return Step(next={"project": S.PROJECT, "list": S.LIST}.get(choice.key, MAIN_MENU))


def guarded(name: str, ask: Callable[[Context, ProjectCard], Reply]) -> Callable[[Context], Reply]:
    """Asks `ask` about the project in hand, or says that it is not available."""
    def asked(ctx: Context) -> Reply:
        card = fitting(ctx, name)
        return unavailable(ctx) if card is None else ask(ctx, card)
    asked.__doc__ = ask.__doc__
    return asked


# --- free text and media ------------------------------------------------------------------

def clean_text(text: str | None, limit: int = MAX_TEXT) -> str | None:
    """Returns a text tidied (line breaks kept), or None when it has no letter or digit or
    is longer than `limit`."""
    if not text or len(text) > 4 * limit:
        return None
    lines = visible(text, keep="\n").splitlines()
    tidy = "\n".join(" ".join(line.split()) for line in lines).strip()
    if not tidy or len(tidy) > limit or not any(c.isalnum() for c in tidy):
        return None
    return tidy


def text_or_media(msg: Inbound, ctx: Context) -> tuple[str | None, tuple[Attachment, ...]] | str:
    """Reads text and/or media; returns why not (a hint) when there is nothing to keep."""
    _ = ctx.t.gettext
    media = attachments(msg, ctx)
    if media is None:
        return _("I cannot keep stickers or locations. Please write text, or send a voice "
                 "note or a photo.")
    text = clean_text(msg.text)
    if text is None and not media:
        return _("Please write a few words (at most {limit} characters), or send a voice "
                 "note or a photo.").format(limit=ctx.t.number(MAX_TEXT))
    return text, media


def back_to_project(ctx: Context, said: str) -> Step:
    """Goes back to the project's card, saying `said`."""
    ctx.data.pop(KEY, None)
    return Step(next=S.PROJECT, say=[Reply(said)])

