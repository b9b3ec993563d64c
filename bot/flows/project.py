"""Declaring a project: organisation, title, then on to the description; at the end, the
confirmation that saves it and goes on to the diagnosis. The steps between live in
project_description.py, project_theme.py and project_commune.py."""

from __future__ import annotations

from typing import Any

from bot.choices import pick
from bot.flows.cards import KINDS, PCD, PEERS, THEMES, place_name
from bot.flows.engine import STATES, Context, Step, state
from bot.flows.membership import where
from bot.flows.organisation import free_text, leave_choices, left
from bot.flows.project_answers import (
    KEY,
    MAIN_MENU,
    S,
    clean_text,
    declaration,
    described,
    media,
    received,
    restart,
    started,
    text,
)
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import Attachment, CreateProject
from core.domain.projects import MAX_TITLE, reference

DIAGNOSIS = "diagnosis.problem"  # bot/flows/diagnosis.py
REGISTER, JOIN = "organisation.name", "membership.search"


# --- organisation -------------------------------------------------------------------------

def _represented(ctx: Context) -> list[Any]:
    return [r for r in list(ctx.facts.get("represented") or [])[:9] if hasattr(r, "id")]


def organisation_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    represented = _represented(ctx)
    if not represented:
        return (Choice("register", _("Register my organisation")),
                Choice("join", _("Join an organisation already registered")),
                *leave_choices(ctx))
    return (*(Choice(str(r.id), where(ctx, r.name, r.commune_fr, r.commune_ar))
              for r in represented), *leave_choices(ctx))


def ask_organisation(ctx: Context) -> Reply:
    """Asks for which organisation the project is declared."""
    _ = ctx.t.gettext
    if not _represented(ctx):
        return Reply(_("To declare a project, you must first register your organisation or "
                       "join one already registered."), organisation_choices(ctx))
    return Reply(_("For which organisation?"), organisation_choices(ctx))


@state(S.ORGANISATION, ask_organisation)
def on_organisation(msg: Inbound, ctx: Context) -> Step:
    """Keeps the organisation the project belongs to."""
    choice = pick(msg, organisation_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key in ("register", "join", "menu"):
        ctx.data.pop(KEY, None)
        return Step(next={"register": REGISTER, "join": JOIN}.get(choice.key, MAIN_MENU))
    chosen = next(r for r in _represented(ctx) if str(r.id) == choice.key)
    ctx.data[KEY] = {"organisation": [
        chosen.id, chosen.name, chosen.commune_code, chosen.commune_fr, chosen.commune_ar,
        chosen.province_fr, chosen.province_ar]}
    return Step(next=S.TITLE)


# --- title --------------------------------------------------------------------------------

def ask_title(ctx: Context) -> Reply:
    """Asks for the project's title."""
    return free_text(ctx, ctx.t.gettext(
        "What is the title of the project? A few words, for example: Drinking water for "
        "the douar."))


@state(S.TITLE, ask_title)
def on_title(msg: Inbound, ctx: Context) -> Step:
    """Keeps the project's title."""
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    title = clean_text(msg.text, MAX_TITLE, letters=1)
    if title is None or "\n" in title or len(title) < 3:
        return Step.stay(ctx.t.gettext(
            "Please write a title in letters, on one line (from 3 to {limit} characters)."
        ).format(limit=ctx.t.iso(MAX_TITLE)))
    answers = declaration(ctx)
    answers.update(title=title, text="", media=[])
    return Step(next=S.DESCRIPTION)



# --- confirmation -------------------------------------------------------------------------

def confirm_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes, save it"), YES),
            Choice("change", _("Change something"), ("modifier", "changer", "بدل", "تعديل")),
            Choice("cancel", _("Cancel"), NO))


def _complete(ctx: Context) -> dict[str, Any] | None:
    """The answers when all are there and make sense, else None."""
    answers = declaration(ctx)
    commune = answers.get("commune")
    if (not started(ctx) or not described(ctx) or answers.get("theme") not in THEMES
            or answers.get("kind") not in KINDS or answers.get("pcd") not in PCD
            or not isinstance(commune, list) or len(commune) != 5
            or (answers.get("kind") == "exchange" and answers.get("peer") not in PEERS)):
        return None
    return answers


def summary(ctx: Context, answers: dict[str, Any]) -> str:
    """Sums up the project declared, one line per answer."""
    _, iso = ctx.t.gettext, ctx.t.iso
    organisation, commune = answers["organisation"], answers["commune"]
    pcd = _(PCD[answers["pcd"]])
    if answers["pcd"] == "yes" and answers.get("pcd_reference"):
        pcd += f" ({iso(answers['pcd_reference'])})"
    lines = [_("Save this project?"),
             _("• Title: {title}").format(title=iso(answers["title"])),
             _("• Organisation: {organisation}").format(organisation=iso(organisation[1])),
             _("• Commune: {commune}").format(commune=place_name(ctx, *commune[1:])),
             _("• Theme: {theme}").format(theme=_(THEMES[answers["theme"]])),
             _("• Kind: {kind}").format(kind=_(KINDS[answers["kind"]]))]
    if answers["kind"] == "exchange":
        lines.append(_("• Peer sought: {peer}").format(peer=_(PEERS[answers["peer"]])))
    lines.append(_("• Plan: {pcd}").format(pcd=pcd))
    written = text(ctx)
    if written:
        excerpt = written if len(written) <= 100 else written[:100].rstrip() + "…"
        lines.append(_("• Description: {excerpt}").format(excerpt=iso(excerpt.replace("\n", " "))))
    lines += [f"• {line}" for line in received(ctx, with_text=False)]
    return "\n".join(lines)


def ask_confirm(ctx: Context) -> Reply:
    """Sums up the project and asks to save it."""
    answers = _complete(ctx)
    if answers is None:
        return Reply(ctx.t.gettext("Save this project?"), confirm_choices(ctx))
    return Reply(summary(ctx, answers), confirm_choices(ctx))


@state(S.CONFIRM, ask_confirm)
def on_confirm(msg: Inbound, ctx: Context) -> Step:
    """Saves the project as a draft once the person confirms, then starts the diagnosis."""
    _ = ctx.t.gettext
    choice = pick(msg, confirm_choices(ctx))
    if choice is None:
        return Step.stay(_("Please answer 1 to save it, 2 to change something or 3 to cancel."))
    if choice.key == "cancel":
        ctx.data.pop(KEY, None)
        return Step(next=MAIN_MENU, say=[Reply(_("Nothing was saved."))])
    answers = _complete(ctx)
    if answers is None:
        return restart(ctx)
    if choice.key == "change":
        ctx.data[KEY] = {"organisation": answers["organisation"]}
        return Step(next=S.TITLE)
    return _saved(msg, ctx, answers)


def _saved(msg: Inbound, ctx: Context, answers: dict[str, Any]) -> Step:
    ref = reference(f"{msg.provider_id}:{ctx.person.id}")
    command = CreateProject(
        ref=ref, organisation_id=int(answers["organisation"][0]),
        commune_code=answers["commune"][0], title=answers["title"], description=text(ctx),
        theme=answers["theme"], kind=answers["kind"],
        peer=answers.get("peer") if answers["kind"] == "exchange" else None,
        pcd=answers["pcd"], pcd_reference=answers.get("pcd_reference") or None,
        media=tuple(Attachment(str(k), str(ch), str(r), m) for k, ch, r, m in media(ctx)))
    ctx.data["project_ref"] = ref
    ctx.data.pop(KEY, None)
    said = Reply(ctx.t.gettext("Your project is saved as a draft (reference {ref}). Now a few "
                               "questions to find out what it needs.").format(ref=ctx.t.iso(ref)))
    return Step(next=DIAGNOSIS if DIAGNOSIS in STATES else MAIN_MENU, say=[said],
                commands=[command])
