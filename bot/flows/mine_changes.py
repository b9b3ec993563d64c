"""A representative's own projects, the actions on one of them: answer the team's question,
close a need or mark it received, change the title or the description, move its status on,
post a progress update."""

from __future__ import annotations

from bot.choices import pick
from bot.flows.cards import STATUSES, need_line
from bot.flows.engine import Context, Step, labels, state
from bot.flows.mine_current import (
    KEY,
    MOVE_QUESTIONS,
    S,
    back_to_project,
    clean_text,
    fitting,
    go_away,
    guarded,
    kept,
    move_target,
    open_need,
    status_of,
    text_or_media,
)
from bot.flows.organisation import clean_name, free_text, left
from bot.i18n import N_
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import (
    AnswerQuestion,
    Attachment,
    EditProject,
    MoveProject,
    PostUpdate,
    SetNeedStatus,
)
from core.domain.projects import MAX_TEXT, MAX_TITLE, REVIEWED
from core.projects import ProjectCard

MIN_TITLE = 3


# --- answering the team -------------------------------------------------------------------

def ask_answer(ctx: Context, card: ProjectCard) -> Reply:
    """Shows the team's question and asks for the answer."""
    return free_text(ctx, ctx.t.gettext("The team asks: {question}\nWrite your answer.").format(
        question=ctx.t.iso(card.question)))


@state(S.ANSWER, guarded(S.ANSWER, ask_answer))
def on_answer(msg: Inbound, ctx: Context) -> Step:
    """Sends the answer to the team's question."""
    card = fitting(ctx, S.ANSWER)
    if card is None:
        return go_away(msg, ctx)
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    text = clean_text(msg.text)
    if text is None:
        return Step.stay(ctx.t.gettext("Please write your answer in words (at most {limit} "
                                       "characters).").format(limit=ctx.t.number(MAX_TEXT)))
    step = back_to_project(ctx, ctx.t.gettext("Thank you, your answer is sent to the team."))
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


@state(S.NEED, guarded(S.NEED, ask_need))
def on_need(msg: Inbound, ctx: Context) -> Step:
    """Keeps the need the person picked."""
    card = fitting(ctx, S.NEED)
    if card is None:
        return go_away(msg, ctx)
    choice = pick(msg, need_choices(ctx, card))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "back":
        return Step(next=S.PROJECT)
    kept(ctx)["need"] = int(choice.key)
    return Step(next=S.NEED_ACTION)


def need_action_choices(ctx: Context) -> tuple[Choice, ...]:
    return labels(ctx, [("fulfilled", N_("It has been fully received")),
                        ("closed", N_("It is no longer needed")), ("back", N_("Back"))])


def ask_need_action(ctx: Context, card: ProjectCard) -> Reply:
    """Asks what became of the need."""
    need = open_need(ctx, card)
    line = need_line(ctx, need) if need else ""
    return Reply(ctx.t.gettext("{need}\nWhat became of this need?").format(need=line),
                 need_action_choices(ctx))


@state(S.NEED_ACTION, guarded(S.NEED_ACTION, ask_need_action))
def on_need_action(msg: Inbound, ctx: Context) -> Step:
    """Marks the need received or closes it."""
    card = fitting(ctx, S.NEED_ACTION)
    need = open_need(ctx, card) if card else None
    if need is None:
        return go_away(msg, ctx)
    choice = pick(msg, need_action_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "back":
        ctx.data.pop(KEY, None)
        return Step(next=S.NEED)
    said = (ctx.t.gettext("Noted: this need has been received.") if choice.key == "fulfilled"
            else ctx.t.gettext("Noted: this need is closed."))
    step = back_to_project(ctx, said)
    step.commands.append(SetNeedStatus(need.id, choice.key))
    return step


# --- changing the title or the description ------------------------------------------------

def _review_warning(ctx: Context, card: ProjectCard) -> str:
    if status_of(card) not in set(REVIEWED):
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


@state(S.EDIT, guarded(S.EDIT, ask_edit))
def on_edit(msg: Inbound, ctx: Context) -> Step:
    """Opens the change the person chose."""
    if fitting(ctx, S.EDIT) is None:
        return go_away(msg, ctx)
    choice = pick(msg, edit_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    return Step(next={"title": S.EDIT_TITLE, "description": S.EDIT_DESCRIPTION}.get(
        choice.key, S.PROJECT))


def ask_edit_title(ctx: Context, card: ProjectCard) -> Reply:
    """Asks for the project's new title."""
    return free_text(ctx, ctx.t.gettext("Now: “{title}”. Write the new title.").format(
        title=ctx.t.iso(card.title)) + _review_warning(ctx, card))


@state(S.EDIT_TITLE, guarded(S.EDIT_TITLE, ask_edit_title))
def on_edit_title(msg: Inbound, ctx: Context) -> Step:
    """Changes the project's title."""
    card = fitting(ctx, S.EDIT_TITLE)
    if card is None:
        return go_away(msg, ctx)
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    title = clean_name(msg.text)
    if title is None or not MIN_TITLE <= len(title) <= MAX_TITLE:
        return Step.stay(ctx.t.gettext(
            "Please write a title in letters, from {least} to {most} characters.").format(
            least=ctx.t.number(MIN_TITLE), most=ctx.t.number(MAX_TITLE)))
    step = back_to_project(ctx, ctx.t.gettext("The title is changed."))
    step.commands.append(EditProject(card.ref, title=title))
    return step


def ask_edit_description(ctx: Context, card: ProjectCard) -> Reply:
    """Asks for the project's new description, in words, voice notes or photos."""
    return free_text(ctx, ctx.t.gettext(
        "Write the new description of the project. You can also send voice notes or photos: "
        "they are added to the project.") + _review_warning(ctx, card))


@state(S.EDIT_DESCRIPTION, guarded(S.EDIT_DESCRIPTION, ask_edit_description),
       accepts_media=True)
def on_edit_description(msg: Inbound, ctx: Context) -> Step:
    """Changes the project's description and adds the media sent."""
    read = _written(msg, ctx, S.EDIT_DESCRIPTION)
    if isinstance(read, Step):
        return read
    card, text, media = read
    step = back_to_project(ctx, ctx.t.gettext("The description is changed.") if text
                            else ctx.t.gettext("Added to the project."))
    step.commands.append(EditProject(card.ref, description=text, media=media))
    return step


# --- moving the project on ----------------------------------------------------------------

def move_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes"), YES), Choice("no", _("No"), NO))


def ask_move(ctx: Context, card: ProjectCard) -> Reply:
    """Asks to confirm the change of status."""
    target = move_target(ctx, card) or "closed"
    return Reply(ctx.t.gettext(MOVE_QUESTIONS[target]).format(title=ctx.t.iso(card.title)),
                 move_choices(ctx))


@state(S.MOVE, guarded(S.MOVE, ask_move))
def on_move(msg: Inbound, ctx: Context) -> Step:
    """Changes the project's status once the person confirms."""
    card = fitting(ctx, S.MOVE)
    target = move_target(ctx, card) if card else None
    if card is None or target is None:
        return go_away(msg, ctx)
    choice = pick(msg, move_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 for yes or 2 for no."))
    if choice.key == "no":
        return back_to_project(ctx, ctx.t.gettext("Nothing was changed."))
    step = back_to_project(ctx, ctx.t.gettext("Done: the project is now {status}.").format(
        status=ctx.t.gettext(STATUSES[target])))
    step.commands.append(MoveProject(card.ref, target))
    return step


# --- progress updates ---------------------------------------------------------------------

def ask_update(ctx: Context, card: ProjectCard) -> Reply:
    """Asks for a progress update, in words and/or photos."""
    return free_text(ctx, ctx.t.gettext(
        "What is new with “{title}”? Write a few words and/or send photos.").format(
        title=ctx.t.iso(card.title)))


@state(S.UPDATE, guarded(S.UPDATE, ask_update), accepts_media=True)
def on_update(msg: Inbound, ctx: Context) -> Step:
    """Saves the progress update for the project's followers."""
    read = _written(msg, ctx, S.UPDATE)
    if isinstance(read, Step):
        return read
    card, text, media = read
    step = back_to_project(ctx, ctx.t.gettext(
        "Your update is saved. The project's followers will receive it."))
    step.commands.append(PostUpdate(card.ref, text or "", media))
    return step


def _written(msg: Inbound, ctx: Context, name: str
             ) -> tuple[ProjectCard, str | None, tuple[Attachment, ...]] | Step:
    """The project in hand with the text and media sent, or the step that leaves or re-asks."""
    card = fitting(ctx, name)
    if card is None:
        return go_away(msg, ctx)
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    read = text_or_media(msg, ctx)
    if isinstance(read, str):
        return Step.stay(read)
    return (card, *read)
