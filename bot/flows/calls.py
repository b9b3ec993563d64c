"""Calls for experts by chat.

The animator picks an open skill need, narrows the audience (the skill or its whole field,
languages spoken, countries), adds a word of their own if they like, reads the preview (how
many people it reaches, by channel and language, who is left out and why, who receives it
in the morning because it is night where they live) and sends it. The experts who received
it find it under "Calls for experts" and answer interested (the organisation is asked, as
for a proposal) or not for me.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows import cards
from bot.flows.common import staff_only, visible
from bot.flows.engine import Context, Step, state
from bot.flows.expert_answers import SPOKEN_LABELS, several
from bot.flows.matches import offer_text, open_listed
from bot.flows.organisation import leave_choices, left
from bot.i18n import N_, NATIVE_NAMES
from bot.i18n.countries import country_name, exact_country, find_country
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.broadcasts import Preview
from core.calls import Call, NeedToCall
from core.commands import AnswerCall, SendCall
from core.domain.audience import Audience, Exclusion
from core.domain.experts import SPOKEN
from core.templates import Templates


class S(StrEnum):
    NEED = "callout.need"
    LANGUAGES = "callout.languages"
    COUNTRIES = "callout.countries"
    NOTE = "callout.note"
    PREVIEW = "callout.preview"
    LIST = "calls.list"
    CARD = "calls.card"


MAIN_MENU = "menu.main"
MAX_LISTED = 8
MAX_NOTE = 500
MAX_COUNTRIES = 8
_DRAFT = "callout"  # the call being composed, in ctx.data
_KEY = "call"  # the call an expert opened, in ctx.data
CHANNELS = {"whatsapp": "WhatsApp", "telegram": "Telegram"}
EXCLUSIONS = {Exclusion.OPTED_OUT: N_("sent STOP"),
              Exclusion.UNREACHABLE: N_("cannot be reached"),
              Exclusion.NO_CONSENT: N_("have not accepted our terms"),
              Exclusion.PAUSED: N_("paused their proposals"),
              Exclusion.CAP: N_("reached their proposals for the month"),
              Exclusion.ALREADY: N_("already asked, or on the project's side"),
              Exclusion.NO_TEMPLATE: N_("silent on WhatsApp for over 24 hours, no template")}


# --- the animator: which need ------------------------------------------------------------------

def _draft(ctx: Context) -> dict[str, Any]:
    found = ctx.data.get(_DRAFT)
    if not isinstance(found, dict):
        found = ctx.data[_DRAFT] = {}
    return found


def _needs(ctx: Context) -> list[NeedToCall]:
    return [n for n in list(ctx.facts.get("call_needs") or []) if isinstance(n, NeedToCall)]


def _chosen(ctx: Context) -> NeedToCall | None:
    wanted = _draft(ctx).get("need")
    return next((n for n in _needs(ctx) if n.id == wanted), None)


def _refused(ctx: Context) -> Step | None:
    """Sends anyone who is not an animator back to the menu."""
    return staff_only(ctx, _DRAFT, ctx.t.gettext(
        "Only the team's animators call for experts."))


def need_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    listed = tuple(Choice(f"n{n.id}", _("“{title}” — {skill}").format(
        title=ctx.t.iso(n.title), skill=ctx.t.iso(cards.skill_name(ctx, n.skill_code,
                                                                    n.label))))
        for n in _needs(ctx)[:MAX_LISTED])
    return (*listed, *leave_choices(ctx))


def ask_need(ctx: Context) -> Reply:
    """Lists the open skill needs a call can be about."""
    _ = ctx.t.gettext
    if not _needs(ctx):
        return Reply(_("No approved project has an open skill need to call experts for."),
                     leave_choices(ctx))
    return Reply(_("Call for experts. Which need is the call about?"), need_choices(ctx))


@state(S.NEED, ask_need)
def on_need(msg: Inbound, ctx: Context) -> Step:
    """Starts a call about the need the animator picked."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    step = open_listed(msg, ctx, need_choices(ctx), "_need", ctx.t.gettext(
        "That need is no longer open. Here are those still open."), S.LANGUAGES)
    picked = ctx.data.pop("_need", None)
    if isinstance(picked, int):
        ctx.data[_DRAFT] = {"need": picked, "field": False, "languages": [],
                            "countries": [], "note": ""}
    return step


# --- the animator: languages -------------------------------------------------------------------

def language_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    ticked = list(_draft(ctx).get("languages") or [])
    items = tuple(Choice(code, ("✓ " if code in ticked else "") + _(SPOKEN_LABELS[code]))
                  for code in SPOKEN)
    return (*items, Choice("done", _("Done")), *leave_choices(ctx))


def ask_languages(ctx: Context) -> Reply:
    """Asks which languages the experts called must speak."""
    return Reply(ctx.t.gettext(
        "Which languages must the experts speak? Tick each number that applies (several at "
        "once if you like: 1 3), then “Done”. Nothing ticked: any language."),
        language_choices(ctx))


@state(S.LANGUAGES, ask_languages)
def on_languages(msg: Inbound, ctx: Context) -> Step:
    """Ticks or unticks languages until the animator is done."""
    refused = _refused(ctx) or left(msg, ctx, _DRAFT)
    if refused is not None:
        return refused
    if _chosen(ctx) is None:
        return _gone(ctx)
    _ = ctx.t.gettext
    numbers = several(msg.text) if msg.choice is None else None
    if numbers is not None:
        if not all(1 <= n <= len(SPOKEN) for n in numbers):
            return Step.stay(_("Please choose numbers from the list."))
        keys = [SPOKEN[n - 1] for n in numbers]
    else:
        choice = pick(msg, language_choices(ctx))
        if choice is None:
            return Step.stay(_("Please choose a number from the list."))
        if choice.key == "done":
            return Step(next=S.COUNTRIES if "countries_asked" not in _draft(ctx)
                        else S.PREVIEW)
        keys = [choice.key]
    ticked = list(_draft(ctx).get("languages") or [])
    for key in keys:
        ticked = [k for k in ticked if k != key] if key in ticked else [*ticked, key]
    _draft(ctx)["languages"] = [code for code in SPOKEN if code in ticked]
    return Step(say=[Reply(_("Noted. Choose another number, or “Done” when finished."))])


# --- the animator: countries -------------------------------------------------------------------

def country_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("anywhere", _("Anywhere"), ("partout", "any", "كل مكان")),
            *leave_choices(ctx))


def ask_countries(ctx: Context) -> Reply:
    """Asks in which countries the experts must live."""
    return Reply(ctx.t.gettext(
        "In which countries must they live? Write the countries separated by commas "
        "(France, Canada), or choose “Anywhere”."), country_choices(ctx))


@state(S.COUNTRIES, ask_countries)
def on_countries(msg: Inbound, ctx: Context) -> Step:
    """Reads the countries named, each by its name in any of our languages."""
    refused = _refused(ctx) or left(msg, ctx, _DRAFT)
    if refused is not None:
        return refused
    if _chosen(ctx) is None:
        return _gone(ctx)
    _ = ctx.t.gettext
    _draft(ctx)["countries_asked"] = True
    choice = pick(msg, country_choices(ctx))
    if choice is not None:
        _draft(ctx)["countries"] = []
        return Step(next=S.PREVIEW)
    text = visible(msg.text or "").strip()
    names = [name.strip() for name in text.replace("،", ",").split(",") if name.strip()]
    if not names or len(text) > 300 or len(names) > MAX_COUNTRIES:
        return Step.stay(_("Please write country names separated by commas, or choose "
                           "“Anywhere”."))
    codes: list[str] = []
    for name in names:
        found = find_country(name, ctx.person.language)
        code = exact_country(name) or (found[0][0] if len(found) == 1 else None)
        if code is None:
            return Step.stay(_("I do not know the country “{name}”. Please write its name "
                               "in full.").format(name=ctx.t.iso(name[:40])))
        codes.append(code)
    _draft(ctx)["countries"] = list(dict.fromkeys(codes))
    return Step(next=S.PREVIEW)


# --- the animator: a word of their own ---------------------------------------------------------

def ask_note(ctx: Context) -> Reply:
    """Asks for the animator's own words, shown with the need."""
    _ = ctx.t.gettext
    return Reply(_("Write a few words for the experts, shown with the need (at most {most} "
                   "characters), or choose “No words of my own”.").format(
        most=ctx.t.number(MAX_NOTE)), note_choices(ctx))


def note_choices(ctx: Context) -> tuple[Choice, ...]:
    return (Choice("none", ctx.t.gettext("No words of my own")), *leave_choices(ctx))


@state(S.NOTE, ask_note)
def on_note(msg: Inbound, ctx: Context) -> Step:
    """Keeps the animator's words for the call."""
    refused = _refused(ctx) or left(msg, ctx, _DRAFT)
    if refused is not None:
        return refused
    if pick(msg, note_choices(ctx)) is not None:
        _draft(ctx)["note"] = ""
        return Step(next=S.PREVIEW)
    text = visible(msg.text or "").strip()
    if not text or len(text) > MAX_NOTE:
        return Step.stay(ctx.t.gettext("Please write at most {most} characters of text.")
                         .format(most=ctx.t.number(MAX_NOTE)))
    _draft(ctx)["note"] = text
    return Step(next=S.PREVIEW)


# --- the animator: preview and send ------------------------------------------------------------

def audience(ctx: Context) -> Audience | None:
    """The call's audience as composed so far."""
    need, draft = _chosen(ctx), _draft(ctx)
    if need is None:
        return None
    skill = need.skill_code or ""
    skills = (skill.partition(".")[0] if draft.get("field") else skill,) if skill else ()
    return Audience(skills=skills, languages=tuple(draft.get("languages") or ()),
                    countries=tuple(draft.get("countries") or ()))


def preview_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    need = _chosen(ctx)
    widen = (Choice("field", _("Only this very skill")) if _draft(ctx).get("field")
             else Choice("field", _("Whole field of this skill")))
    return (Choice("send", _("Send the call"), YES),
            *((widen,) if need and need.skill_code else ()),
            Choice("languages", _("Change the languages")),
            Choice("countries", _("Change the countries")),
            Choice("note", _("Add or change my words")),
            Choice("cancel", _("Cancel the call"), NO))


def preview_text(ctx: Context, need: NeedToCall, seen: Preview) -> str:
    """The call and who it reaches: counts by channel and language, who not and why."""
    _, t = ctx.t.gettext, ctx.t
    draft = _draft(ctx)
    skill = cards.skill_name(ctx, need.skill_code, need.label)
    lines = [_("Call for experts in {skill} for “{title}”.").format(
        skill=t.iso(skill) + (" (" + _("whole field") + ")" if draft.get("field") else ""),
        title=t.iso(need.title))]
    spoken = [_(SPOKEN_LABELS[code]) for code in draft.get("languages") or ()]
    lines.append(_("Languages: {languages}").format(
        languages=", ".join(spoken) if spoken else _("any")))
    places = [country_name(code, ctx.person.language) for code in draft.get("countries") or ()]
    lines.append(_("Countries: {countries}").format(
        countries=", ".join(places) if places else _("anywhere")))
    if draft.get("note"):
        lines.append(_("Your words: {note}").format(note=t.iso(draft["note"])))
    lines.append("")
    return "\n".join([*lines, *reach_lines(ctx, seen)])


def reach_lines(ctx: Context, seen: Preview) -> list[str]:
    """Who a message reaches: by channel and language, in the morning, left out and why."""
    _, t = ctx.t.gettext, ctx.t
    lines = [t.ngettext("It reaches {n} person.", "It reaches {n} people.",
                        seen.reached).format(n=t.number(seen.reached))]
    if seen.reached:
        lines.append(" • " + ", ".join(f"{CHANNELS.get(k, k)}: {t.number(v)}"
                                       for k, v in sorted(seen.by_channel.items())))
        lines.append(" • " + ", ".join(f"{NATIVE_NAMES.get(k, k)}: {t.number(v)}"
                                       for k, v in sorted(seen.by_language.items())))
    if seen.deferred:
        lines.append(t.ngettext("{n} of them receives it at 8 in the morning their time.",
                                "{n} of them receive it at 8 in the morning their time.",
                                seen.deferred).format(n=t.number(seen.deferred)))
    left_out = sum(seen.excluded.values())
    if left_out:
        lines.append(t.ngettext("Left out: {n} person.", "Left out: {n} people.",
                                left_out).format(n=t.number(left_out)))
        for reason, label in EXCLUSIONS.items():
            if seen.excluded.get(reason.value):
                lines.append(f" • {_(label)}: {t.number(seen.excluded[reason.value])}")
    return lines


def _preview(ctx: Context) -> Preview | None:
    need, wanted = _chosen(ctx), audience(ctx)
    read = ctx.facts.get("call_preview")
    if need is None or wanted is None or not callable(read):
        return None
    found = read(need.id, wanted, templates(ctx, need))
    return found if isinstance(found, Preview) else None


def templates(ctx: Context, need: NeedToCall) -> dict[str, dict[str, Any]]:
    """The approved WhatsApp templates of calls, per language, naming the project: what
    experts silent on WhatsApp for over 24 hours receive instead of the call."""
    found = ctx.facts.get("templates")
    return found.per_language("call", {"1": need.title[:60]}) if isinstance(
        found, Templates) else {}


def ask_preview(ctx: Context) -> Reply:
    """Shows the call and who it reaches before it goes."""
    need, seen = _chosen(ctx), _preview(ctx)
    if need is None or seen is None:
        return Reply(ctx.t.gettext("That need is no longer open."), leave_choices(ctx))
    return Reply(preview_text(ctx, need, seen) + "\n\n" + ctx.t.gettext("Send it?"),
                 preview_choices(ctx))


@state(S.PREVIEW, ask_preview)
def on_preview(msg: Inbound, ctx: Context) -> Step:
    """Sends the call, or changes it."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    _ = ctx.t.gettext
    need, wanted = _chosen(ctx), audience(ctx)
    if need is None or wanted is None:
        if pick(msg, leave_choices(ctx)) is not None:
            ctx.data.pop(_DRAFT, None)
            return Step(next=MAIN_MENU)
        return _gone(ctx)
    choice = pick(msg, preview_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "cancel":
        ctx.data.pop(_DRAFT, None)
        return Step(next=MAIN_MENU, say=[Reply(_("Cancelled: the call was not sent."))])
    if choice.key == "field":
        _draft(ctx)["field"] = not _draft(ctx).get("field")
        return Step()
    if choice.key in ("languages", "countries", "note"):
        return Step(next={"languages": S.LANGUAGES, "countries": S.COUNTRIES,
                          "note": S.NOTE}[choice.key])
    seen = _preview(ctx)
    if seen is None or not seen.reached:
        return Step.stay(_("This call reaches nobody: widen it before sending."))
    note = str(_draft(ctx).get("note") or "")
    ctx.data.pop(_DRAFT, None)
    return Step(next=MAIN_MENU, say=[Reply(ctx.t.ngettext(
        "The call is on its way to {n} person.", "The call is on its way to {n} people.",
        seen.reached).format(n=ctx.t.number(seen.reached)))],
        commands=[SendCall(need.id, wanted.to_json(),
                           ((ctx.person.language, note),) if note else (),
                           json.dumps(templates(ctx, need)))])


def _gone(ctx: Context) -> Step:
    ctx.data.pop(_DRAFT, None)
    return Step(next=S.NEED, say=[Reply(ctx.t.gettext(
        "That need is no longer open. Here are those still open."))])


# --- the expert: the calls they received -------------------------------------------------------

def _calls(ctx: Context) -> list[Call]:
    return [c for c in list(ctx.facts.get("calls") or []) if isinstance(c, Call)]


def _open(ctx: Context) -> Call | None:
    wanted = ctx.data.get(_KEY)
    return next((c for c in _calls(ctx) if c.broadcast_id == wanted), None)


def list_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    listed = tuple(Choice(f"c{c.broadcast_id}", _("“{title}” — {skill}").format(
        title=ctx.t.iso(c.offer.title), skill=ctx.t.iso(cards.skill_name(
            ctx, c.offer.skill_code, c.offer.label))))
        for c in _calls(ctx)[:MAX_LISTED])
    return (*listed, *leave_choices(ctx))


def ask_list(ctx: Context) -> Reply:
    """Lists the calls waiting for the expert's answer."""
    t = ctx.t
    count = len(_calls(ctx))
    if not count:
        return Reply(t.gettext("No call for experts is waiting for your answer."),
                     leave_choices(ctx))
    return Reply(t.ngettext("{count} call for experts waits for your answer. Which one do "
                            "you want to open?", "{count} calls for experts wait for your "
                            "answer. Which one do you want to open?", count).format(
        count=t.number(count)), list_choices(ctx))


@state(S.LIST, ask_list)
def on_list(msg: Inbound, ctx: Context) -> Step:
    """Opens the call the expert picked."""
    return open_listed(msg, ctx, list_choices(ctx), _KEY, ctx.t.gettext(
        "That call is no longer open. Here are those still waiting for you."), S.CARD)


def card_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("interested", _("I am interested"), (*YES, "interesse", "مهتم")),
            Choice("not_for_me", _("Not for me"), (*NO, "pas pour moi", "ماشي ليا")),
            Choice("details", _("More details"), ("details", "détails", "تفاصيل")),
            Choice("list", _("Other calls")), *leave_choices(ctx))


def ask_card(ctx: Context) -> Reply:
    """Shows the need of the call, why it fits them, and the animator's words."""
    _ = ctx.t.gettext
    found = _open(ctx)
    if found is None:
        return Reply(_("This call is no longer open: the need was filled or closed "
                       "meanwhile."), (Choice("list", _("Other calls")), *leave_choices(ctx)))
    parts = [_("Call for experts!"), offer_text(ctx, found.offer)]
    words = next((found.note[code] for code in (ctx.person.language, "fr", "ar",
                                                 *sorted(found.note)) if found.note.get(code)),
                 "")
    if words:
        parts.append(ctx.t.iso(words))
    parts.append(_("Would you like to help?"))
    return Reply("\n\n".join(parts), card_choices(ctx))


@state(S.CARD, ask_card)
def on_card(msg: Inbound, ctx: Context) -> Step:
    """Records the expert's answer to the call, or shows the project in full."""
    _ = ctx.t.gettext
    found = _open(ctx)
    if found is None:
        ctx.data.pop(_KEY, None)
        choice = pick(msg, (Choice("list", _("Other calls")), *leave_choices(ctx)))
        if choice is None:
            return Step(next=S.LIST, say=[Reply(_("This call is no longer open: the need "
                                                  "was filled or closed meanwhile."))])
        return Step(next=MAIN_MENU if choice.key == "menu" else S.LIST)
    choice = pick(msg, card_choices(ctx))
    if choice is None:
        return Step.stay(_("Please choose a number from the list."))
    if choice.key == "menu":
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU)
    if choice.key == "list":
        ctx.data.pop(_KEY, None)
        return Step(next=S.LIST)
    if choice.key == "details":
        read = ctx.facts.get("project")
        card = read(found.offer.ref) if callable(read) else None
        if card is None:
            return Step.stay(_("The project's details cannot be shown right now."))
        return Step(say=[cards.card_reply(ctx, card)])
    ctx.data.pop(_KEY, None)
    said = (_("Thank you! I have told the organisation. You will hear from me as soon as "
              "they answer; until then, nothing of yours is shown to them but your first "
              "name, skills, languages and country.") if choice.key == "interested"
            else _("Understood. Thank you for your answer."))
    return Step(next=S.LIST if len(_calls(ctx)) > 1 else MAIN_MENU, say=[Reply(said)],
                commands=[AnswerCall(found.broadcast_id, choice.key)])
