"""Declaring a project, what it is about: its theme, its kind, the peer sought for an
exchange, and whether it is in the communal development plan."""

from __future__ import annotations

from bot.choices import pick
from bot.flows.cards import KINDS, PEERS, THEMES
from bot.flows.engine import Context, Step, state
from bot.flows.project_answers import KEY, MAIN_MENU, S, clean_text, declaration
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply

MAX_REFERENCE = 120

THEME_ALIASES = {
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
KIND_ALIASES = {
    "local": ("محلي", "تنمية محلية", "développement local", "local"),
    "investment": ("استثمار", "investissement", "stithmar"),
    "exchange": ("تبادل", "échange", "tabadol"),
}
PEER_ALIASES = {
    "officials": ("منتخبين", "المنتخبين", "élus"), "cooperatives": ("تعاونيات", "coopératives"),
    "associations": ("جمعيات", "الجمعيات"), "researchers": ("باحثين", "chercheurs"),
    "young_people": ("شباب", "jeunes", "chbab"), "artists": ("فنانين", "artistes"),
    "sport": ("رياضة", "الرياضة", "riyada"), "health": ("صحة", "santé", "أطباء", "médecins"),
}
_UNKNOWN = ("je ne sais pas", "sais pas", "ما عرفتش", "ماعرفتش", "لا أعرف", "لا اعرف",
            "ma3rftch", "ma3reftch", "i don't know", "dont know", "ⵓⵔ ⵙⵙⵉⵏⵖ")


# --- theme, kind, peer --------------------------------------------------------------------

def listed(ctx: Context, labels: dict[str, str],
           aliases: dict[str, tuple[str, ...]]) -> tuple[Choice, ...]:
    return tuple(Choice(key, ctx.t.gettext(label), aliases.get(key, ()))
                 for key, label in labels.items())


def ask_theme(ctx: Context) -> Reply:
    """Asks for the project's theme."""
    return Reply(ctx.t.gettext("What is the project's theme?"),
                 listed(ctx, THEMES, THEME_ALIASES))


@state(S.THEME, ask_theme)
def on_theme(msg: Inbound, ctx: Context) -> Step:
    """Keeps the project's theme."""
    choice = pick(msg, listed(ctx, THEMES, THEME_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the themes in the list."))
    declaration(ctx)["theme"] = choice.key
    return Step(next=S.KIND)


def ask_kind(ctx: Context) -> Reply:
    """Asks what kind of project it is."""
    return Reply(ctx.t.gettext("What kind of project is it?"), listed(ctx, KINDS, KIND_ALIASES))


@state(S.KIND, ask_kind)
def on_kind(msg: Inbound, ctx: Context) -> Step:
    """Keeps the kind of project; an exchange goes on to the peer sought."""
    choice = pick(msg, listed(ctx, KINDS, KIND_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the kinds in the list."))
    declaration(ctx).update(kind=choice.key, peer=None)
    return Step(next=S.PEER if choice.key == "exchange" else S.PCD)


def ask_peer(ctx: Context) -> Reply:
    """Asks with whom the exchange is sought."""
    return Reply(ctx.t.gettext("With whom would you like to exchange?"),
                 listed(ctx, PEERS, PEER_ALIASES))


@state(S.PEER, ask_peer)
def on_peer(msg: Inbound, ctx: Context) -> Step:
    """Keeps the peer sought for an exchange."""
    choice = pick(msg, listed(ctx, PEERS, PEER_ALIASES))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the peers in the list."))
    declaration(ctx)["peer"] = choice.key
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
    declaration(ctx).update(pcd=choice.key, pcd_reference=None)
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
        ctx.data.pop(KEY, None)
        return Step(next=MAIN_MENU, say=[Reply(ctx.t.gettext("Cancelled."))])
    if choice is not None:
        return Step(next=S.COMMUNE)
    found = clean_text(msg.text, MAX_REFERENCE, letters=1)
    if found is None or "\n" in found:
        return Step.stay(ctx.t.gettext(
            "Please write the reference on one line (at most {limit} characters), or reply 1 "
            "to skip.").format(limit=ctx.t.iso(MAX_REFERENCE)))
    declaration(ctx)["pcd_reference"] = found
    return Step(next=S.COMMUNE)

