"""Declaring a project: organisation, title, description (text, voice notes, photos), theme,
kind, peer, communal plan, commune, confirmation; then on to the diagnosis."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from enum import StrEnum
from typing import Any

from bot.choices import pick
from bot.flows.cards import KINDS, PCD, PEERS, THEMES
from bot.flows.engine import STATES, Context, Step, state
from bot.flows.membership import where
from bot.flows.organisation import free_text, leave_choices, left
from bot.i18n.keywords import NO, YES
from bot.i18n.text import strip_controls
from bot.messages import Choice, Inbound, Media, Reply
from core.commands import Attachment, CreateProject
from core.domain.projects import MAX_MEDIA, MAX_TEXT, MAX_TITLE, reference


class S(StrEnum):
    ORGANISATION = "project.organisation"
    TITLE = "project.title"
    DESCRIPTION = "project.description"
    DESCRIPTION_MORE = "project.description_more"
    THEME = "project.theme"
    KIND = "project.kind"
    PEER = "project.peer"
    PCD = "project.pcd"
    PCD_REFERENCE = "project.pcd_reference"
    COMMUNE = "project.commune"
    COMMUNE_SEARCH = "project.commune_search"
    COMMUNE_PICK = "project.commune_pick"
    CONFIRM = "project.confirm"


MAIN_MENU = "menu.main"
DIAGNOSIS = "diagnosis.problem"  # bot/flows/needs.py
REGISTER, JOIN = "organisation.name", "membership.search"
MAX_REFERENCE = 120
MAX_CANDIDATES = 5
MAX_SEARCH = 200  # characters: a commune's name is shorter
_KEY = "declare"  # where the answers so far are kept in ctx.data
_MEDIA_KINDS = ("voice", "audio", "photo", "video", "document")
_DESCRIBING = ("voice", "audio", "photo", "video")  # enough on their own to describe

_THEME_ALIASES = {
    "water": ("ماء", "الماء", "لما", "lma", "eau", "ⴰⵎⴰⵏ", "maa"),
    "agriculture": ("فلاحة", "الفلاحة", "flaha", "fla7a", "agricole"),
    "education": ("تعليم", "التعليم", "ta3lim", "éducation", "enseignement", "ⴰⵙⴳⵎⵉ"),
    "health": ("صحة", "الصحة", "se77a", "sa7a", "santé", "ⵜⴰⴷⵓⵙⵉ"),
    "women": ("نساء", "النساء", "المرأة", "nsa", "femmes", "ⵜⵉⵎⵖⴰⵔⵉⵏ"),
    "youth": ("شباب", "الشباب", "chbab", "chabab", "jeunes", "jeunesse"),
    "culture": ("ثقافة", "الثقافة", "thaqafa", "ⵜⴰⴷⵍⵙⴰ"),
    "tourism": ("سياحة", "السياحة", "siya7a", "tourisme"),
    "environment": ("بيئة", "البيئة", "bi2a", "environnement"),
    "infrastructure": ("بنية تحتية", "البنية التحتية", "طرق", "طريق", "routes", "route",
                       "tri9", "infrastructures"),
    "digital": ("رقمي", "الرقمي", "رقمنة", "numérique", "internet"),
    "social_economy": ("اقتصاد اجتماعي", "الاقتصاد الاجتماعي", "économie sociale",
                       "economie sociale et solidaire"),
}
_KIND_ALIASES = {
    "local": ("محلي", "تنمية محلية", "développement local", "local"),
    "investment": ("استثمار", "investissement", "stithmar"),
    "exchange": ("تبادل", "échange", "tabadol"),
}
_PEER_ALIASES = {
    "officials": ("منتخبين", "المنتخبين", "élus"), "cooperatives": ("تعاونيات", "coopératives"),
    "associations": ("جمعيات", "الجمعيات"), "researchers": ("باحثين", "chercheurs"),
    "young_people": ("شباب", "jeunes", "chbab"), "artists": ("فنانين", "artistes"),
    "sport": ("رياضة", "الرياضة", "riyada"), "health": ("صحة", "santé", "أطباء", "médecins"),
}
_UNKNOWN = ("je ne sais pas", "sais pas", "ما عرفتش", "ماعرفتش", "لا أعرف", "لا اعرف",
            "ma3rftch", "ma3reftch", "i don't know", "dont know", "ⵓⵔ ⵙⵙⵉⵏⵖ")


def _declaration(ctx: Context) -> dict[str, Any]:
    answers = ctx.data.get(_KEY)
    if not isinstance(answers, dict):
        answers = ctx.data[_KEY] = {}
    return answers


def _organisation(ctx: Context) -> list[Any] | None:
    """The organisation chosen: [id, name, commune code, fr, ar, province fr, province ar]."""
    chosen = _declaration(ctx).get("organisation")
    return chosen if isinstance(chosen, list) and len(chosen) == 7 else None


def _started(ctx: Context) -> bool:
    return _organisation(ctx) is not None and isinstance(_declaration(ctx).get("title"), str)


def _restart(ctx: Context) -> Step:
    ctx.data.pop(_KEY, None)
    return Step(next=S.ORGANISATION, say=[Reply(ctx.t.gettext(
        "Some answers are missing. Let us start again."))])


def clean_text(text: str | None, limit: int, letters: int = 3) -> str | None:
    """Returns text tidied (invisible and control characters gone, spaces folded, lines
    kept), or None when it is too long or has fewer than `letters` letters."""
    if not text or len(text) > 4 * limit:
        return None
    visible = "".join(c for c in strip_controls(text)
                      if unicodedata.category(c)[0] != "C" or c in " \t\n")
    lines = [" ".join(line.split()) for line in visible.split("\n")]
    tidy = "\n".join(line for line in lines if line)
    if len(tidy) > limit or sum(c.isalpha() for c in tidy) < letters:
        return None
    return tidy


def _place(ctx: Context, name_fr: str, name_ar: str, province_fr: str, province_ar: str) -> str:
    """Names a commune as "Name (Province)" in the reader's script."""
    name, province = ctx.local(name_fr, name_ar), ctx.local(province_fr, province_ar)
    if not province:
        return ctx.t.iso(name)
    return ctx.t.gettext("{commune} ({province})").format(commune=ctx.t.iso(name),
                                                         province=ctx.t.iso(province))


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
        ctx.data.pop(_KEY, None)
        return Step(next={"register": REGISTER, "join": JOIN}.get(choice.key, MAIN_MENU))
    chosen = next(r for r in _represented(ctx) if str(r.id) == choice.key)
    ctx.data[_KEY] = {"organisation": [
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
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    title = clean_text(msg.text, MAX_TITLE, letters=1)
    if title is None or "\n" in title or len(title) < 3:
        return Step.stay(ctx.t.gettext(
            "Please write a title in letters, on one line (from 3 to {limit} characters)."
        ).format(limit=ctx.t.iso(MAX_TITLE)))
    answers = _declaration(ctx)
    answers.update(title=title, text="", media=[])
    return Step(next=S.DESCRIPTION)


# --- description: text, voice notes and photos over several messages ---------------------

def _text(ctx: Context) -> str:
    text = _declaration(ctx).get("text")
    return text if isinstance(text, str) else ""


def _media(ctx: Context) -> list[list[Any]]:
    raw = _declaration(ctx).get("media")
    if not isinstance(raw, list):
        return []
    return [m for m in raw if isinstance(m, list) and len(m) == 4
            and m[0] in _MEDIA_KINDS][:MAX_MEDIA]


def received(ctx: Context, *, text: bool = True) -> list[str]:
    """Lists what the description holds so far, one line per kind."""
    t = ctx.t
    kinds = [m[0] for m in _media(ctx)]
    voices, photos = kinds.count("voice") + kinds.count("audio"), kinds.count("photo")
    videos, documents = kinds.count("video"), kinds.count("document")
    lines = [line.format(n=t.number(n)) for n, line in (
        (voices, t.ngettext("{n} voice note", "{n} voice notes", voices)),
        (photos, t.ngettext("{n} photo", "{n} photos", photos)),
        (videos, t.ngettext("{n} video", "{n} videos", videos)),
        (documents, t.ngettext("{n} document", "{n} documents", documents))) if n]
    if text and _text(ctx):
        n = len(_text(ctx))
        lines.insert(0, t.ngettext("text of {n} character", "text of {n} characters",
                                   n).format(n=t.number(n)))
    return lines


def ask_description(ctx: Context) -> Reply:
    """Asks to describe the project, in writing or by voice notes and photos."""
    _ = ctx.t.gettext
    question = free_text(ctx, _("Describe the project: what, where, for whom. You can write, "
                                "or send voice notes and photos."))
    return replace(question, hint=_("Write, or send a voice note or a photo. Reply 1 to go "
                                    "back to the menu."))


def _added(msg: Inbound, ctx: Context) -> Step | None:
    """Adds a message's text and media to the description; a Step when it cannot."""
    _ = ctx.t.gettext
    if not _started(ctx):
        return Step.stay(_("No project is being declared. Reply 1 to go back to the menu."))
    media = [m for m in msg.media if m.kind in _MEDIA_KINDS]
    words = clean_text(msg.text, MAX_TEXT)
    if not media and words is None and (msg.text or "").strip():
        return Step.stay(_("Please write a few words in letters (at most {limit} characters), "
                           "or send a voice note or a photo.").format(limit=ctx.t.iso(MAX_TEXT)))
    if not media and words is None:
        return Step.stay(_("I cannot use stickers or locations to describe a project. Please "
                           "write, or send a voice note or a photo."))
    return _keep(ctx, words, media)  # a caption that says nothing is left out


def _keep(ctx: Context, words: str | None, media: list[Media]) -> Step | None:
    _ = ctx.t.gettext
    text = "\n".join(part for part in (_text(ctx), words or "") if part)
    if len(text) > MAX_TEXT:
        return Step.stay(_("The description is too long: at most {limit} characters in all. "
                           "Please go on with what you already sent.").format(
            limit=ctx.t.iso(MAX_TEXT)))
    kept = _media(ctx) + [[m.kind, ctx.channel, m.ref, m.mime] for m in media]
    if len(kept) > MAX_MEDIA:
        return Step.stay(_("You can send at most {limit} voice notes, photos or documents. "
                           "Please go on with what you already sent.").format(
            limit=ctx.t.iso(MAX_MEDIA)))
    _declaration(ctx).update(text=text, media=kept)
    return None


@state(S.DESCRIPTION, ask_description, accepts_media=True)
def on_description(msg: Inbound, ctx: Context) -> Step:
    """Starts the description with the text, voice notes or photos received."""
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    return _added(msg, ctx) or Step(next=S.DESCRIPTION_MORE)


def more_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("done", _("That's all, continue"),
                   (*YES, "safi", "صافي", "c'est tout", "fini", "continuer", "kamel")),
            Choice("again", _("Start the description again"), ("recommencer", "عاود")))


def ask_description_more(ctx: Context) -> Reply:
    """Says what the description holds so far and asks for more or to continue."""
    _ = ctx.t.gettext
    lines = received(ctx)
    if not lines:
        return Reply(_("Nothing received yet. Send text, a voice note or a photo."),
                     more_choices(ctx))
    text = "\n".join([_("Received so far:"), *(f"• {line}" for line in lines),
                      _("You can send more text, voice notes or photos.")])
    return Reply(text, more_choices(ctx), hint=_(
        "Send more, reply 1 to continue, or 2 to start the description again."))


def _described(ctx: Context) -> bool:
    return bool(_text(ctx)) or any(m[0] in _DESCRIBING for m in _media(ctx))


@state(S.DESCRIPTION_MORE, ask_description_more, accepts_media=True)
def on_description_more(msg: Inbound, ctx: Context) -> Step:
    """Adds more to the description, starts it again, or moves on."""
    _ = ctx.t.gettext
    choice = pick(msg, more_choices(ctx)) if not msg.media else None
    if choice is not None and choice.key == "again":
        _declaration(ctx).update(text="", media=[])
        return Step(next=S.DESCRIPTION)
    if choice is not None and not _started(ctx):
        return _restart(ctx)
    if choice is not None and not _described(ctx):
        return Step.stay(_("Please write at least a few words, or send a voice note or a "
                           "photo."))
    if choice is not None:
        return Step(next=S.THEME)
    return _added(msg, ctx) or Step(next=S.DESCRIPTION_MORE)


# --- theme, kind, peer --------------------------------------------------------------------

def _listed(ctx: Context, labels: dict[str, str],
            aliases: dict[str, tuple[str, ...]]) -> tuple[Choice, ...]:
    return tuple(Choice(key, ctx.t.gettext(label), aliases.get(key, ()))
                 for key, label in labels.items())


def ask_theme(ctx: Context) -> Reply:
    """Asks for the project's theme."""
    return Reply(ctx.t.gettext("What is the project's theme?"),
                 _listed(ctx, THEMES, _THEME_ALIASES))


@state(S.THEME, ask_theme)
def on_theme(msg: Inbound, ctx: Context) -> Step:
    """Keeps the project's theme."""
    choice = pick(msg, _listed(ctx, THEMES, _THEME_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the themes in the list."))
    _declaration(ctx)["theme"] = choice.key
    return Step(next=S.KIND)


def ask_kind(ctx: Context) -> Reply:
    """Asks what kind of project it is."""
    return Reply(ctx.t.gettext("What kind of project is it?"), _listed(ctx, KINDS, _KIND_ALIASES))


@state(S.KIND, ask_kind)
def on_kind(msg: Inbound, ctx: Context) -> Step:
    """Keeps the kind of project; an exchange goes on to the peer sought."""
    choice = pick(msg, _listed(ctx, KINDS, _KIND_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the kinds in the list."))
    _declaration(ctx).update(kind=choice.key, peer=None)
    return Step(next=S.PEER if choice.key == "exchange" else S.PCD)


def ask_peer(ctx: Context) -> Reply:
    """Asks with whom the exchange is sought."""
    return Reply(ctx.t.gettext("With whom would you like to exchange?"),
                 _listed(ctx, PEERS, _PEER_ALIASES))


@state(S.PEER, ask_peer)
def on_peer(msg: Inbound, ctx: Context) -> Step:
    """Keeps the peer sought for an exchange."""
    choice = pick(msg, _listed(ctx, PEERS, _PEER_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the peers in the list."))
    _declaration(ctx)["peer"] = choice.key
    return Step(next=S.PCD)


# --- communal development plan ------------------------------------------------------------

def pcd_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes"), YES), Choice("no", _("No"), NO),
            Choice("unknown", _("I don't know"), _UNKNOWN))


def ask_pcd(ctx: Context) -> Reply:
    """Asks whether the project is in the communal development plan."""
    return Reply(ctx.t.gettext("Is this project in the communal development plan (PCD)?"),
                 pcd_choices(ctx))


@state(S.PCD, ask_pcd)
def on_pcd(msg: Inbound, ctx: Context) -> Step:
    """Keeps whether the project is in the communal development plan."""
    choice = pick(msg, pcd_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 for yes, 2 for no or 3 if you do not "
                                       "know."))
    _declaration(ctx).update(pcd=choice.key, pcd_reference=None)
    return Step(next=S.PCD_REFERENCE if choice.key == "yes" else S.COMMUNE)


def reference_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("skip", _("Skip"), ("passer", "دوز", "fout", "sauter")),
            Choice("menu", _("Back to the menu")))


def ask_pcd_reference(ctx: Context) -> Reply:
    """Asks where the project appears in the plan, if the person knows."""
    _ = ctx.t.gettext
    return Reply(_("If you know it, write where the project appears in the plan (for example: "
                   "PCD 2023-2028, axis 2)."), reference_choices(ctx),
                 hint=_("Write the reference, reply 1 to skip, or 2 to go back to the menu."))


@state(S.PCD_REFERENCE, ask_pcd_reference)
def on_pcd_reference(msg: Inbound, ctx: Context) -> Step:
    """Keeps the plan's reference for the project, or goes on without one."""
    choice = pick(msg, reference_choices(ctx))
    if choice is not None and choice.key == "menu":
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU, say=[Reply(ctx.t.gettext("Cancelled."))])
    if choice is not None:
        return Step(next=S.COMMUNE)
    found = clean_text(msg.text, MAX_REFERENCE, letters=1)
    if found is None or "\n" in found:
        return Step.stay(ctx.t.gettext(
            "Please write the reference on one line (at most {limit} characters), or reply 1 "
            "to skip.").format(limit=ctx.t.iso(MAX_REFERENCE)))
    _declaration(ctx)["pcd_reference"] = found
    return Step(next=S.COMMUNE)


# --- commune: the organisation's, or another one searched and picked ----------------------

def commune_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes"), YES), Choice("other", _("Another commune"), NO))


def ask_commune(ctx: Context) -> Reply:
    """Asks whether the project is in the organisation's commune."""
    chosen = _organisation(ctx)
    if chosen is None:
        return Reply(ctx.t.gettext("Is the project in the commune of your organisation?"),
                     commune_choices(ctx))
    place = _place(ctx, *map(str, chosen[3:7]))
    return Reply(ctx.t.gettext("Is the project in {commune}?").format(commune=place),
                 commune_choices(ctx))


@state(S.COMMUNE, ask_commune)
def on_commune(msg: Inbound, ctx: Context) -> Step:
    """Keeps the organisation's commune, or asks for another one."""
    choice = pick(msg, commune_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please answer 1 for yes, or 2 for another commune."))
    chosen = _organisation(ctx)
    if choice.key == "other" or chosen is None:
        return Step(next=S.COMMUNE_SEARCH)
    _declaration(ctx)["commune"] = [str(part) for part in chosen[2:7]]
    return Step(next=S.CONFIRM)


def ask_commune_search(ctx: Context) -> Reply:
    """Asks for the name of the project's commune."""
    return free_text(ctx, ctx.t.gettext(
        "In which commune is the project? Please write the name of the commune."))


@state(S.COMMUNE_SEARCH, ask_commune_search)
def on_commune_search(msg: Inbound, ctx: Context) -> Step:
    """Searches the communes whose name looks like what the person wrote."""
    leave = left(msg, ctx, _KEY)
    if leave is not None:
        return leave
    search = ctx.facts.get("communes")
    text = (msg.text or "").strip()
    found = (list(search(text) or [])[:MAX_CANDIDATES]
             if callable(search) and 0 < len(text) <= MAX_SEARCH else [])
    if not found:
        return Step.stay(ctx.t.gettext(
            "I found no commune with that name. Please check the spelling, or write it "
            "another way (in Arabic or Latin letters)."))
    _declaration(ctx)["candidates"] = [
        [c.code, c.name_fr, c.name_ar, c.province_fr, c.province_ar] for c in found]
    return Step(next=S.COMMUNE_PICK)


def _candidates(ctx: Context) -> list[list[str]]:
    raw = _declaration(ctx).get("candidates")
    if not isinstance(raw, list):
        return []
    return [list(map(str, c)) for c in raw[:MAX_CANDIDATES]
            if isinstance(c, list) and len(c) == 5]


def pick_choices(ctx: Context) -> tuple[Choice, ...]:
    places = tuple(Choice(c[0], _place(ctx, *c[1:])) for c in _candidates(ctx))
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
    answers = _declaration(ctx)
    answers["commune"] = next(c for c in _candidates(ctx) if c[0] == choice.key)
    answers.pop("candidates", None)
    return Step(next=S.CONFIRM)


# --- confirmation -------------------------------------------------------------------------

def confirm_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("Yes, save it"), YES),
            Choice("change", _("Change something"), ("modifier", "changer", "بدل", "تعديل")),
            Choice("cancel", _("Cancel"), NO))


def _complete(ctx: Context) -> dict[str, Any] | None:
    """The answers when all are there and make sense, else None."""
    answers = _declaration(ctx)
    commune = answers.get("commune")
    if (not _started(ctx) or not _described(ctx) or answers.get("theme") not in THEMES
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
             _("• Commune: {commune}").format(commune=_place(ctx, *commune[1:])),
             _("• Theme: {theme}").format(theme=_(THEMES[answers["theme"]])),
             _("• Kind: {kind}").format(kind=_(KINDS[answers["kind"]]))]
    if answers["kind"] == "exchange":
        lines.append(_("• Peer sought: {peer}").format(peer=_(PEERS[answers["peer"]])))
    lines.append(_("• Plan: {pcd}").format(pcd=pcd))
    text = _text(ctx)
    if text:
        excerpt = text if len(text) <= 100 else text[:100].rstrip() + "…"
        lines.append(_("• Description: {excerpt}").format(excerpt=iso(excerpt.replace("\n", " "))))
    lines += [f"• {line}" for line in received(ctx, text=False)]
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
        ctx.data.pop(_KEY, None)
        return Step(next=MAIN_MENU, say=[Reply(_("Nothing was saved."))])
    answers = _complete(ctx)
    if answers is None:
        return _restart(ctx)
    if choice.key == "change":
        ctx.data[_KEY] = {"organisation": answers["organisation"]}
        return Step(next=S.TITLE)
    return _saved(msg, ctx, answers)


def _saved(msg: Inbound, ctx: Context, answers: dict[str, Any]) -> Step:
    ref = reference(f"{msg.provider_id}:{ctx.person.id}")
    command = CreateProject(
        ref=ref, organisation_id=int(answers["organisation"][0]),
        commune_code=answers["commune"][0], title=answers["title"], description=_text(ctx),
        theme=answers["theme"], kind=answers["kind"],
        peer=answers.get("peer") if answers["kind"] == "exchange" else None,
        pcd=answers["pcd"], pcd_reference=answers.get("pcd_reference") or None,
        media=tuple(Attachment(str(k), str(ch), str(r), m) for k, ch, r, m in _media(ctx)))
    ctx.data["project_ref"] = ref
    ctx.data.pop(_KEY, None)
    said = Reply(ctx.t.gettext("Your project is saved as a draft (reference {ref}). Now a few "
                               "questions to find out what it needs.").format(ref=ctx.t.iso(ref)))
    return Step(next=DIAGNOSIS if DIAGNOSIS in STATES else MAIN_MENU, say=[said],
                commands=[command])
