"""The animators' review queue: open a project waiting for review, then approve it, reject
it with a reason, or ask its representatives a question."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows import cards
from bot.flows.common import read_card, staff_only, visible
from bot.flows.engine import Context, Step, state
from bot.flows.organisation import free_text, leave_choices, left
from bot.i18n import N_
from bot.messages import Choice, Inbound, Reply
from core.commands import ReviewProject
from core.domain.projects import MAX_TEXT
from core.projects import ProjectCard


class S(StrEnum):
    QUEUE = "review.queue"
    CARD = "review.card"
    REASON = "review.reason"
    QUESTION = "review.question"


MAIN_MENU = "menu.main"
MAX_LISTED = 5
MAX_LISTED_TITLE = 60  # characters of a title in the list; the card shows it whole
MIN_TEXT = 3
WAITING = "awaiting_review"
_KEY = "review"  # what this flow keeps in ctx.data

#: What the pre-diagnosis may find missing (core.domain.projects.MISSING).
MISSING = {"study": N_("a study"), "budget": N_("a budget"), "skill": N_("a skill"),
           "equipment": N_("equipment"), "partner": N_("a partner")}
_DIAGNOSIS = [("problem", N_("Problem: {answer}")),
              ("beneficiaries", N_("Who benefits: {answer}")),
              ("existing", N_("What exists already: {answer}")),
              ("missing", N_("What is missing: {answer}")),
              ("maintenance", N_("Who will maintain it: {answer}"))]


# --- what the flow keeps and reads ----------------------------------------------------------

def _ref(ctx: Context) -> str | None:
    kept = ctx.data.get(_KEY)
    ref = kept.get("ref") if isinstance(kept, dict) else None
    return ref if isinstance(ref, str) and ref else None


def _queue(ctx: Context) -> list[ProjectCard]:
    return [card for card in list(ctx.facts.get("review_queue") or [])
            if isinstance(card, ProjectCard)]


def _card(ctx: Context) -> ProjectCard | None:
    """Reads the selected project afresh (another animator may have decided meanwhile)."""
    return read_card(ctx, _ref(ctx))


def _waiting(card: ProjectCard | None) -> bool:
    return card is not None and card.status == WAITING


def clean_text(text: str | None) -> str | None:
    """Returns a reason or a question tidied, or None when it is not words."""
    if not text or len(text) > 4 * MAX_TEXT:
        return None
    lines = [" ".join(line.split()) for line in visible(text).splitlines()]
    cleaned = "\n".join(line for line in lines if line)
    if not MIN_TEXT <= len(cleaned) <= MAX_TEXT or not any(c.isalpha() for c in cleaned):
        return None
    return cleaned


def _refused(ctx: Context) -> Step | None:
    """Sends anyone who is not an animator back to the menu."""
    return staff_only(ctx, _KEY, ctx.t.gettext(
        "Only the team's animators review projects."))


def _not_waiting(ctx: Context, card: ProjectCard | None) -> Step:
    """Goes back to the queue, saying the project was decided meanwhile (or is gone)."""
    ctx.data.pop(_KEY, None)
    _ = ctx.t.gettext
    said = (_("This project is no longer waiting for review: another animator decided "
              "meanwhile.") if card is not None else _("No project is selected."))
    return Step(next=S.QUEUE, say=[Reply(said)])


# --- the queue ------------------------------------------------------------------------------

def _short(title: str) -> str:
    return title if len(title) <= MAX_LISTED_TITLE else title[:MAX_LISTED_TITLE - 1] + "…"


def queue_choices(ctx: Context) -> tuple[Choice, ...]:
    listed = tuple(Choice(card.ref, ctx.t.gettext("“{title}” — {commune}").format(
        title=ctx.t.iso(_short(card.title)), commune=cards.place(ctx, card)))
        for card in _queue(ctx)[:MAX_LISTED])
    return (*listed, *leave_choices(ctx))


def ask_queue(ctx: Context) -> Reply:
    """Lists the projects waiting for review, the longest waiting first."""
    t = ctx.t
    if not ctx.person.is_animator:
        return Reply(t.gettext("Only the team's animators review projects."), leave_choices(ctx))
    waiting = len(_queue(ctx))
    if not waiting:
        return Reply(t.gettext("No project is waiting for review."), leave_choices(ctx))
    text = t.ngettext("{count} project is waiting for review. Which one do you want to open?",
                      "{count} projects are waiting for review, the longest waiting first. "
                      "Which one do you want to open?", waiting)
    return Reply(text.format(count=t.number(waiting)), queue_choices(ctx))


@state(S.QUEUE, ask_queue)
def on_queue(msg: Inbound, ctx: Context) -> Step:
    """Opens the project the animator picked."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    choice = pick(msg, queue_choices(ctx))
    if choice is None:
        if msg.choice and msg.choice.startswith("P-"):
            return Step.stay(ctx.t.gettext("That project is no longer waiting for review. "
                                           "Here are those still waiting."))
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "menu":
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU)
    ctx.data[_KEY] = {"ref": choice.key}
    return Step(next=S.CARD)


# --- one project ----------------------------------------------------------------------------

def card_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("approve", _("Approve"), ("approuver", "موافقة", "قبول")),
            Choice("reject", _("Reject, with a reason"), ("rejeter", "رفض")),
            Choice("question", _("Ask a question"), ("question", "سؤال")),
            Choice("next", _("Next project"), ("suivant", "التالي")),
            *leave_choices(ctx))


def gone_choices(ctx: Context) -> tuple[Choice, ...]:
    return (Choice("queue", ctx.t.gettext("Projects waiting for review")), *leave_choices(ctx))


def diagnosis_text(ctx: Context, diagnosis: dict[str, Any]) -> str:
    """The answers to the pre-diagnosis, under their heading."""
    _ = ctx.t.gettext
    lines = [_("Pre-diagnosis:")]
    for key, label in _DIAGNOSIS:
        answer = diagnosis.get(key)
        if key == "missing":
            items = answer if isinstance(answer, list) else []
            answer = ", ".join(_(MISSING[m]) for m in items if m in MISSING)
        if isinstance(answer, str) and answer.strip():
            lines.append("• " + _(label).format(answer=ctx.t.iso(answer.strip())))
    if len(lines) == 1:
        lines.append(_("not filled in"))
    return "\n".join(lines)


def ask_card(ctx: Context) -> Reply:
    """Shows the whole project, with its media and pre-diagnosis, and asks what to do."""
    _ = ctx.t.gettext
    card = _card(ctx)
    if not ctx.person.is_animator:
        return Reply(_("Only the team's animators review projects."), leave_choices(ctx))
    if card is None:
        return Reply(_("No project is selected."), gone_choices(ctx))
    if not _waiting(card):
        return Reply(_("This project is no longer waiting for review: another animator "
                       "decided meanwhile."), gone_choices(ctx))
    diagnosis = card.diagnosis if isinstance(card.diagnosis, dict) else {}
    reply = cards.card_reply(ctx, card, card_choices(ctx))
    text = "\n\n".join((reply.text, diagnosis_text(ctx, diagnosis), _("What do you decide?")))
    return Reply(text, reply.choices, reply.media)


@state(S.CARD, ask_card)
def on_card(msg: Inbound, ctx: Context) -> Step:
    """Approves the project, or goes on to rejecting it, asking a question, the next one."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    card = _card(ctx)
    if not _waiting(card):
        choice = pick(msg, gone_choices(ctx))
        if choice is not None and choice.key == "menu":
            ctx.data.pop(_KEY, None)
            return Step(next=MAIN_MENU)
        return _not_waiting(ctx, card)
    assert card is not None
    choice = pick(msg, card_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    return _decided(ctx, card, choice.key)


def _decided(ctx: Context, card: ProjectCard, key: str) -> Step:
    _ = ctx.t.gettext
    if key == "approve":
        ctx.data.pop(_KEY, None)
        said = _("Approved: the project is now visible, and its representatives are told.")
        return Step(next=S.QUEUE, say=[Reply(said)], commands=[ReviewProject(card.ref, "approve")])
    if key == "reject":
        return Step(next=S.REASON)
    if key == "question":
        return Step(next=S.QUESTION)
    if key == "next":
        return _next(ctx, card)
    ctx.data.pop(_KEY, None)
    return Step(next=MAIN_MENU)


def _next(ctx: Context, card: ProjectCard) -> Step:
    """Opens the project after this one in the queue (the first, after the last)."""
    refs = [c.ref for c in _queue(ctx)]
    after = refs[refs.index(card.ref) + 1:] if card.ref in refs else refs
    others = [ref for ref in after + refs if ref != card.ref]
    if not others:
        return Step(say=[Reply(ctx.t.gettext("No other project is waiting for review."))],
                    ask=False)
    ctx.data[_KEY] = {"ref": others[0]}
    return Step(next=S.CARD)


# --- a reason, a question -------------------------------------------------------------------

def _title(ctx: Context) -> str:
    card = _card(ctx)
    return ctx.t.iso(card.title) if card is not None else "-"


def ask_reason(ctx: Context) -> Reply:
    """Asks why the project is not approved."""
    return free_text(ctx, ctx.t.gettext(
        "Why is “{title}” not approved? Its representatives will read your reason, so that "
        "they can change the project and send it again.").format(title=_title(ctx)))


@state(S.REASON, ask_reason)
def on_reason(msg: Inbound, ctx: Context) -> Step:
    """Rejects the project with the reason written."""
    return _written(msg, ctx, "reject", ctx.t.gettext(
        "Rejected; the representatives are told the reason."))


def ask_question(ctx: Context) -> Reply:
    """Asks what to ask the project's representatives."""
    return free_text(ctx, ctx.t.gettext(
        "What do you want to ask the representatives of “{title}”? They will answer from "
        "“My projects”.").format(title=_title(ctx)))


@state(S.QUESTION, ask_question)
def on_question(msg: Inbound, ctx: Context) -> Step:
    """Sends the question written to the project's representatives."""
    return _written(msg, ctx, "question", ctx.t.gettext(
        "Your question is sent to the representatives. The project stays in the queue."))


def _written(msg: Inbound, ctx: Context, decision: str, done: str) -> Step:
    """Records a decision that comes with words: a reason, a question."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    text = clean_text(msg.text)
    if text is None:
        return Step.stay(ctx.t.gettext(
            "Please write a few words in letters (at least {least} and at most {most} "
            "characters).").format(least=ctx.t.number(MIN_TEXT), most=ctx.t.number(MAX_TEXT)))
    card = _card(ctx)
    if card is None or not _waiting(card):
        return _not_waiting(ctx, card)
    ctx.data.pop(_KEY, None)
    return Step(next=S.QUEUE, say=[Reply(done)], commands=[ReviewProject(card.ref, decision, text)])
