"""A representative's own projects: the list, a project's card and what can be done with it
(answer the team, continue a draft, send it for review, needs, edits, status, updates)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.cards import STATUSES, card_reply, need_line
from bot.flows.engine import Context, Step, labels, state
from bot.flows.organisation import clean_name, free_text, left
from bot.i18n import N_
from bot.i18n.keywords import NO, YES
from bot.i18n.text import strip_controls
from bot.messages import Choice, Inbound, Reply
from core.commands import (
    AnswerQuestion,
    Attachment,
    EditProject,
    MoveProject,
    PostUpdate,
    SetNeedStatus,
    SubmitProject,
)
from core.domain.projects import (
    EDITABLE,
    MAX_MEDIA,
    MAX_TEXT,
    MAX_TITLE,
    REVIEWED,
    Actor,
    Status,
    moves,
)
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
DECLARE = "project.organisation"  # bot/flows/project.py
DIAGNOSIS, NEEDS_SUMMARY, NEED_KIND = "diagnosis.problem", "needs.summary", "need.kind"
MAX_LISTED = 8
MIN_TITLE = 3
MEDIA_KINDS = ("photo", "voice", "audio", "video", "document")
UPDATABLE = frozenset({"open", "in_progress", "completed"})
_KEY = "mine"  # what this flow keeps in ctx.data: the need or the move being decided

_MOVE_LABELS = {"in_progress": N_("Mark it as in progress"),
                "completed": N_("Mark it as completed"),
                "closed": N_("Close the project"), "open": N_("Open it again")}
_MOVE_QUESTIONS = {"in_progress": N_("Mark “{title}” as in progress?"),
                   "completed": N_("Mark “{title}” as completed?"),
                   "closed": N_("Close “{title}”? It will no longer be shown."),
                   "open": N_("Open “{title}” again?")}


# --- the project in hand ------------------------------------------------------------------

def _kept(ctx: Context) -> dict[str, Any]:
    kept = ctx.data.get(_KEY)
    if not isinstance(kept, dict):
        kept = ctx.data[_KEY] = {}
    return kept


def _status(card: ProjectCard) -> str:
    return str(card.status)


def _editable(card: ProjectCard) -> bool:
    return _status(card) in set(EDITABLE)


def _moves(card: ProjectCard) -> list[str]:
    """The status moves a representative may make, other than sending for review."""
    if _status(card) not in set(Status):
        return []
    return [str(t) for t in moves(Status(card.status), Actor.REPRESENTATIVE)
            if str(t) in _MOVE_LABELS]


def _move_target(ctx: Context, card: ProjectCard) -> str | None:
    target = _kept(ctx).get("move")
    return target if target in _moves(card) else None


def _open_need(ctx: Context, card: ProjectCard) -> NeedView | None:
    wanted = _kept(ctx).get("need")
    return next((n for n in card.open_needs if n.id == wanted), None)


#: When a state makes sense for a project (besides being one of the person's projects).
_FITS: dict[str, Callable[[Context, ProjectCard], bool]] = {
    S.ANSWER: lambda ctx, card: bool(card.question),
    S.NEED: lambda ctx, card: _editable(card),
    S.NEED_ACTION: lambda ctx, card: _editable(card) and _open_need(ctx, card) is not None,
    S.EDIT: lambda ctx, card: _editable(card),
    S.EDIT_TITLE: lambda ctx, card: _editable(card),
    S.EDIT_DESCRIPTION: lambda ctx, card: _editable(card),
    S.MOVE: lambda ctx, card: _move_target(ctx, card) is not None,
    S.UPDATE: lambda ctx, card: _status(card) in UPDATABLE,
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


def _fitting(ctx: Context, name: str) -> ProjectCard | None:
    card = current(ctx)
    fits = _FITS.get(name)
    return card if card is not None and (fits is None or fits(ctx, card)) else None


def _away_choices(ctx: Context) -> tuple[Choice, ...]:
    """The ways out when the project in hand is not available (or the action no longer fits)."""
    found = (Choice("project", ctx.t.gettext("Back to the project")),) if current(ctx) else ()
    return (*found, *labels(ctx, [("list", N_("Back to my projects")),
                                  ("menu", N_("Back to the menu"))]))


def _unavailable(ctx: Context) -> Reply:
    if current(ctx) is None:
        return Reply(ctx.t.gettext("This project is not available."), _away_choices(ctx))
    return Reply(ctx.t.gettext("This is no longer possible for this project."),
                 _away_choices(ctx))


def _go_away(msg: Inbound, ctx: Context) -> Step:
    """Handles an answer to the "not available" question."""
    choice = pick(msg, _away_choices(ctx))
    if choice is None:
        return Step.stay(_unavailable(ctx).text + " " + ctx.t.gettext(
            "Please choose a number from the list."))
    ctx.data.pop(_KEY, None)
    return Step(next={"project": S.PROJECT, "list": S.LIST}.get(choice.key, MAIN_MENU))


def _guarded(name: str, ask: Callable[[Context, ProjectCard], Reply]) -> Callable[[Context], Reply]:
    """Asks `ask` about the project in hand, or says that it is not available."""
    def guarded(ctx: Context) -> Reply:
        card = _fitting(ctx, name)
        return _unavailable(ctx) if card is None else ask(ctx, card)
    guarded.__doc__ = ask.__doc__
    return guarded


# --- the list -----------------------------------------------------------------------------

def _line(ctx: Context, card: ProjectCard) -> str:
    status = ctx.t.gettext(STATUSES.get(_status(card), _status(card)))
    line = ctx.t.gettext("“{title}” — {status}").format(title=ctx.t.iso(card.title), status=status)
    return "❓ " + line if card.question else line


def list_choices(ctx: Context) -> tuple[Choice, ...]:
    shown = tuple(Choice(p.ref, _line(ctx, p)) for p in my_projects(ctx)[:MAX_LISTED])
    return (*shown, *labels(ctx, [("declare", N_("Declare a project")),
                                  ("menu", N_("Back to the menu"))]))


def ask_list(ctx: Context) -> Reply:
    """Lists the person's projects, newest first."""
    _ = ctx.t.gettext
    projects = my_projects(ctx)
    if not projects:
        return Reply(_("You have no project yet."), list_choices(ctx))
    lines = [_("Your projects. Which one do you want to open?")]
    if len(projects) > MAX_LISTED:
        lines.append(_("Here are the {shown} most recent ones, of {total}.").format(
            shown=ctx.t.number(MAX_LISTED), total=ctx.t.number(len(projects))))
    if any(_status(p) == "draft" for p in projects[:MAX_LISTED]):
        lines.append(_("A draft is not finished yet: open it to continue."))
    if any(p.question for p in projects[:MAX_LISTED]):
        lines.append(_("❓ The team has a question for you."))
    return Reply("\n".join(lines), list_choices(ctx))


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the project the person picked."""
    choice = pick(msg, list_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    ctx.data.pop(_KEY, None)
    if choice.key == "declare":
        return Step(next=DECLARE)
    if choice.key == "menu":
        return Step(next=MAIN_MENU)
    ctx.data["project_ref"] = choice.key
    return Step(next=S.PROJECT)


# --- one project: its card and what can be done -------------------------------------------

def _actions(card: ProjectCard) -> list[tuple[str, str]]:
    """What a representative can do with a project, given its status."""
    status = _status(card)
    actions = [("answer", N_("Answer the team's question"))] if card.question else []
    if status == "draft":
        actions.append(("continue", N_("Continue: what the project needs")))
    if status in ("draft", "rejected"):
        actions.append(("submit", N_("Send it for review")))
    if _editable(card):
        actions.append(("need_add", N_("Add a need")))
        if card.open_needs:
            actions.append(("need_close", N_("Close a need or mark it received")))
        actions.append(("edit", N_("Change the title or the description")))
    actions += [(f"move:{target}", _MOVE_LABELS[target]) for target in _moves(card)]
    if status in UPDATABLE:
        actions.append(("update", N_("Post a progress update")))
    return actions + [("list", N_("Back to my projects")), ("menu", N_("Back to the menu"))]


def ask_project(ctx: Context, card: ProjectCard) -> Reply:
    """Shows the project's card and what can be done with it."""
    reply = card_reply(ctx, card, labels(ctx, _actions(card)))
    return Reply(reply.text + "\n\n" + ctx.t.gettext("What would you like to do?"),
                 reply.choices, reply.media)


@state(S.PROJECT, _guarded(S.PROJECT, ask_project))
def on_project(msg: Inbound, ctx: Context) -> Step:
    """Starts the action the person chose for their project."""
    card = current(ctx)
    if card is None:
        return _go_away(msg, ctx)
    choice = pick(msg, labels(ctx, _actions(card)))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    ctx.data.pop(_KEY, None)
    if choice.key.startswith("move:"):
        _kept(ctx)["move"] = choice.key.removeprefix("move:")
        return Step(next=S.MOVE)
    if choice.key == "submit":
        sent = ctx.t.gettext("Sent! An animator will review it; I will tell you the outcome here.")
        return Step(next=S.PROJECT, say=[Reply(sent)], commands=[SubmitProject(card.ref)])
    if choice.key == "continue":
        return Step(next=NEEDS_SUMMARY if card.diagnosis else DIAGNOSIS)
    return Step(next={"answer": S.ANSWER, "need_add": NEED_KIND, "need_close": S.NEED,
                      "edit": S.EDIT, "update": S.UPDATE, "list": S.LIST}.get(choice.key,
                                                                                MAIN_MENU))


# --- free text and media ------------------------------------------------------------------

def clean_text(text: str | None, limit: int = MAX_TEXT) -> str | None:
    """Returns a text tidied (line breaks kept), or None when it has no letter or digit or
    is longer than `limit`."""
    if not text or len(text) > 4 * limit:
        return None
    visible = "".join(c for c in strip_controls(text)
                      if unicodedata.category(c)[0] != "C" or c == "\n")
    tidy = "\n".join(" ".join(line.split()) for line in visible.splitlines()).strip()
    if not tidy or len(tidy) > limit or not any(c.isalnum() for c in tidy):
        return None
    return tidy


def attachments(msg: Inbound, ctx: Context) -> tuple[Attachment, ...] | None:
    """The voice notes, photos and documents of a message; None when something else came
    (a sticker, a location) that cannot be kept."""
    if msg.location is not None or any(m.kind not in MEDIA_KINDS for m in msg.media):
        return None
    return tuple(Attachment(m.kind, ctx.channel, m.ref, m.mime)
                 for m in msg.media[:MAX_MEDIA] if m.ref)


def _text_or_media(msg: Inbound, ctx: Context) -> tuple[str | None, tuple[Attachment, ...]
                                                        ] | str:
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


def _back_to_project(ctx: Context, said: str) -> Step:
    ctx.data.pop(_KEY, None)
    return Step(next=S.PROJECT, say=[Reply(said)])


# --- answering the team -------------------------------------------------------------------

def ask_answer(ctx: Context, card: ProjectCard) -> Reply:
    """Shows the team's question and asks for the answer."""
    return free_text(ctx, ctx.t.gettext("The team asks: {question}\nWrite your answer.").format(
        question=ctx.t.iso(card.question)))


@state(S.ANSWER, _guarded(S.ANSWER, ask_answer))
def on_answer(msg: Inbound, ctx: Context) -> Step:
    """Sends the answer to the team's question."""
    card = _fitting(ctx, S.ANSWER)
    if card is None:
        return _go_away(msg, ctx)
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    text = clean_text(msg.text)
    if text is None:
        return Step.stay(ctx.t.gettext("Please write your answer in words (at most {limit} "
                                       "characters).").format(limit=ctx.t.number(MAX_TEXT)))
    step = _back_to_project(ctx, ctx.t.gettext("Thank you, your answer is sent to the team."))
    step.commands.append(AnswerQuestion(card.ref, text))
    return step


# --- closing a need or marking it received ------------------------------------------------

def need_choices(ctx: Context, card: ProjectCard) -> tuple[Choice, ...]:
    found = tuple(Choice(str(n.id), need_line(ctx, n)) for n in card.open_needs[:9])
    return (*found, Choice("back", ctx.t.gettext("Back")))


def ask_need(ctx: Context, card: ProjectCard) -> Reply:
    """Asks which open need to close or mark received."""
    if not card.open_needs:
        return Reply(ctx.t.gettext("There is no open need."), need_choices(ctx, card))
    return Reply(ctx.t.gettext("Which need?"), need_choices(ctx, card))


@state(S.NEED, _guarded(S.NEED, ask_need))
def on_need(msg: Inbound, ctx: Context) -> Step:
    """Keeps the need the person picked."""
    card = _fitting(ctx, S.NEED)
    if card is None:
        return _go_away(msg, ctx)
    choice = pick(msg, need_choices(ctx, card))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "back":
        return Step(next=S.PROJECT)
    _kept(ctx)["need"] = int(choice.key)
    return Step(next=S.NEED_ACTION)


def need_action_choices(ctx: Context) -> tuple[Choice, ...]:
    return labels(ctx, [("fulfilled", N_("It has been fully received")),
                        ("closed", N_("It is no longer needed")), ("back", N_("Back"))])


def ask_need_action(ctx: Context, card: ProjectCard) -> Reply:
    """Asks what became of the need."""
    need = _open_need(ctx, card)
    line = need_line(ctx, need) if need else ""
    return Reply(ctx.t.gettext("{need}\nWhat became of this need?").format(need=line),
                 need_action_choices(ctx))


@state(S.NEED_ACTION, _guarded(S.NEED_ACTION, ask_need_action))
def on_need_action(msg: Inbound, ctx: Context) -> Step:
    """Marks the need received or closes it."""
    card = _fitting(ctx, S.NEED_ACTION)
    need = _open_need(ctx, card) if card else None
    if need is None:
        return _go_away(msg, ctx)
    choice = pick(msg, need_action_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "back":
        ctx.data.pop(_KEY, None)
        return Step(next=S.NEED)
    said = (ctx.t.gettext("Noted: this need has been received.") if choice.key == "fulfilled"
            else ctx.t.gettext("Noted: this need is closed."))
    step = _back_to_project(ctx, said)
    step.commands.append(SetNeedStatus(need.id, choice.key))
    return step


# --- changing the title or the description ------------------------------------------------

def _review_warning(ctx: Context, card: ProjectCard) -> str:
    if _status(card) not in set(REVIEWED):
        return ""
    return "\n" + ctx.t.gettext("After a change, the project is reviewed again before it is "
                                "shown.")


def edit_choices(ctx: Context) -> tuple[Choice, ...]:
    return labels(ctx, [("title", N_("The title")), ("description", N_("The description")),
                        ("back", N_("Back"))])


def ask_edit(ctx: Context, card: ProjectCard) -> Reply:
    """Asks what to change in the project."""
    return Reply(ctx.t.gettext("What do you want to change?") + _review_warning(ctx, card),
                 edit_choices(ctx))


@state(S.EDIT, _guarded(S.EDIT, ask_edit))
def on_edit(msg: Inbound, ctx: Context) -> Step:
    """Opens the change the person chose."""
    if _fitting(ctx, S.EDIT) is None:
        return _go_away(msg, ctx)
    choice = pick(msg, edit_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    return Step(next={"title": S.EDIT_TITLE, "description": S.EDIT_DESCRIPTION}.get(
        choice.key, S.PROJECT))


def ask_edit_title(ctx: Context, card: ProjectCard) -> Reply:
    """Asks for the project's new title."""
    return free_text(ctx, ctx.t.gettext("Now: “{title}”. Write the new title.").format(
        title=ctx.t.iso(card.title)) + _review_warning(ctx, card))


@state(S.EDIT_TITLE, _guarded(S.EDIT_TITLE, ask_edit_title))
def on_edit_title(msg: Inbound, ctx: Context) -> Step:
    """Changes the project's title."""
    card = _fitting(ctx, S.EDIT_TITLE)
    if card is None:
        return _go_away(msg, ctx)
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    title = clean_name(msg.text)
    if title is None or not MIN_TITLE <= len(title) <= MAX_TITLE:
        return Step.stay(ctx.t.gettext(
            "Please write a title in letters, from {least} to {most} characters.").format(
            least=ctx.t.number(MIN_TITLE), most=ctx.t.number(MAX_TITLE)))
    step = _back_to_project(ctx, ctx.t.gettext("The title is changed."))
    step.commands.append(EditProject(card.ref, title=title))
    return step


def ask_edit_description(ctx: Context, card: ProjectCard) -> Reply:
    """Asks for the project's new description, in words, voice notes or photos."""
    return free_text(ctx, ctx.t.gettext(
        "Write the new description of the project. You can also send voice notes or photos: "
        "they are added to the project.") + _review_warning(ctx, card))


@state(S.EDIT_DESCRIPTION, _guarded(S.EDIT_DESCRIPTION, ask_edit_description),
       accepts_media=True)
def on_edit_description(msg: Inbound, ctx: Context) -> Step:
    """Changes the project's description and adds the media sent."""
    card = _fitting(ctx, S.EDIT_DESCRIPTION)
    if card is None:
        return _go_away(msg, ctx)
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    read = _text_or_media(msg, ctx)
    if isinstance(read, str):
        return Step.stay(read)
    text, media = read
    step = _back_to_project(ctx, ctx.t.gettext("The description is changed.") if text
                            else ctx.t.gettext("Added to the project."))
    step.commands.append(EditProject(card.ref, description=text, media=media))
    return step


# --- moving the project on ----------------------------------------------------------------

def move_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes"), YES), Choice("no", _("No"), NO))


def ask_move(ctx: Context, card: ProjectCard) -> Reply:
    """Asks to confirm the change of status."""
    target = _move_target(ctx, card) or "closed"
    return Reply(ctx.t.gettext(_MOVE_QUESTIONS[target]).format(title=ctx.t.iso(card.title)),
                 move_choices(ctx))


@state(S.MOVE, _guarded(S.MOVE, ask_move))
def on_move(msg: Inbound, ctx: Context) -> Step:
    """Changes the project's status once the person confirms."""
    card = _fitting(ctx, S.MOVE)
    target = _move_target(ctx, card) if card else None
    if card is None or target is None:
        return _go_away(msg, ctx)
    choice = pick(msg, move_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 for yes or 2 for no."))
    if choice.key == "no":
        return _back_to_project(ctx, ctx.t.gettext("Nothing was changed."))
    step = _back_to_project(ctx, ctx.t.gettext("Done: the project is now {status}.").format(
        status=ctx.t.gettext(STATUSES[target])))
    step.commands.append(MoveProject(card.ref, target))
    return step


# --- progress updates ---------------------------------------------------------------------

def ask_update(ctx: Context, card: ProjectCard) -> Reply:
    """Asks for a progress update, in words and/or photos."""
    return free_text(ctx, ctx.t.gettext(
        "What is new with “{title}”? Write a few words and/or send photos.").format(
        title=ctx.t.iso(card.title)))


@state(S.UPDATE, _guarded(S.UPDATE, ask_update), accepts_media=True)
def on_update(msg: Inbound, ctx: Context) -> Step:
    """Saves the progress update for the project's followers."""
    card = _fitting(ctx, S.UPDATE)
    if card is None:
        return _go_away(msg, ctx)
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    read = _text_or_media(msg, ctx)
    if isinstance(read, str):
        return Step.stay(read)
    text, media = read
    step = _back_to_project(ctx, ctx.t.gettext(
        "Your update is saved. The project's followers will receive it."))
    step.commands.append(PostUpdate(card.ref, text or "", media))
    return step
