"""How a project and its needs read in a chat, in the reader's language: the labels of
themes, kinds and statuses, a need's progress, a project card with its media."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.flows.engine import Context
from bot.i18n import N_
from bot.messages import Choice, Media, Reply
from core.projects import NeedView, ProjectCard
from core.skills import default_index

THEMES = {
    "water": N_("Water"), "agriculture": N_("Agriculture"), "education": N_("Education"),
    "health": N_("Health"), "women": N_("Women"), "youth": N_("Youth"),
    "culture": N_("Culture"), "tourism": N_("Tourism"), "environment": N_("Environment"),
    "infrastructure": N_("Infrastructure"), "digital": N_("Digital"),
    "social_economy": N_("Social economy"),
}
KINDS = {
    "local": N_("Local development project"),
    "investment": N_("Economic investment opportunity"),
    "exchange": N_("Exchange with a peer"),
}
PEERS = {
    "officials": N_("Elected officials"), "cooperatives": N_("Cooperatives"),
    "associations": N_("Associations"), "researchers": N_("Researchers"),
    "young_people": N_("Young people"), "artists": N_("Artists"), "sport": N_("Sport"),
    "health": N_("Health professionals"),
}
STATUSES = {
    "draft": N_("draft"), "awaiting_review": N_("waiting for review"), "open": N_("open"),
    "in_progress": N_("in progress"), "completed": N_("completed"), "closed": N_("closed"),
    "rejected": N_("not approved"),
}
NEED_KINDS = {"skill": N_("A skill"), "money": N_("Money"), "materials": N_("Materials"),
              "partner": N_("A partner")}
MODES = {"remote": N_("remotely"), "on_site": N_("on site"), "either": N_("remotely or on site")}
PCD = {"yes": N_("in the communal development plan"),
       "no": N_("not in the communal development plan"),
       "unknown": N_("link to the communal development plan not known")}
#: A Telegram file id or a Twilio URL is valid on its own channel only; elsewhere the
#: media is shown through this server (core.media).
MediaUrl = Callable[[int], str]


def skill_name(ctx: Context, code: str | None, words: str = "") -> str:
    """Names a skill of the taxonomy in the reader's language, or the person's own words."""
    skill = default_index().taxonomy.skill(code) if code else None
    if skill is None:
        return words or "-"
    return skill.label(ctx.person.language)


def progress_text(ctx: Context, need: NeedView) -> str:
    """Says how far a need has come: "40 000 MAD needed, 12 500 committed"."""
    _ = ctx.t.gettext
    progress = need.progress
    if need.unit == "MAD" or need.kind == "money":
        currency = need.unit if need.unit and need.unit.isupper() else "MAD"
        return _("{requested} needed, {committed} committed").format(
            requested=ctx.t.amount(progress.requested, currency),
            committed=ctx.t.amount(max(progress.committed, progress.fulfilled), currency))
    if need.kind == "partner":
        return _("found") if progress.percent >= 100 else _("still sought")
    return _("{requested} needed, {committed} committed").format(
        requested=quantity(ctx, need.requested, need.unit),
        committed=quantity(ctx, max(progress.committed, progress.fulfilled), need.unit))


def quantity(ctx: Context, value: int, unit: str) -> str:
    """Says a quantity with its unit: "10 days", "20 hours", "300 items"."""
    t = ctx.t
    if unit == "days":
        return t.ngettext("{n} day", "{n} days", value).format(n=t.number(value))
    if unit == "hours":
        return t.ngettext("{n} hour", "{n} hours", value).format(n=t.number(value))
    if unit and unit.isupper():
        return t.amount(value, unit)
    return t.number(value)


def need_line(ctx: Context, need: NeedView) -> str:
    """One line for a need: what, how, by when, and how far it has come."""
    _ = ctx.t.gettext
    if need.kind == "skill":
        what = skill_name(ctx, need.skill_code, need.label)
        if need.mode in MODES:
            what = _("{skill}, {mode}").format(skill=what, mode=_(MODES[need.mode]))
    elif need.kind == "money":
        what = (_("Money for: {purpose}").format(purpose=ctx.t.iso(need.label))
                if need.label else _("Money"))
    elif need.kind == "materials":
        what = _("Materials: {what}").format(what=ctx.t.iso(need.label))
    else:
        what = _("Partner: {who}").format(who=ctx.t.iso(need.label))
    line = f"{what} — {progress_text(ctx, need)}"
    if need.wanted_by is not None:
        line += " — " + _("by {date}").format(date=ctx.t.iso(need.wanted_by.isoformat()))
    if need.status == "fulfilled":
        line += " ✓"
    elif need.status == "closed":
        line += " — " + _("closed")
    return line


def place(ctx: Context, card: ProjectCard) -> str:
    """Names a project's commune with its province, in the reader's script."""
    return place_name(ctx, card.commune_fr, card.commune_ar, card.province_fr, card.province_ar)


def place_name(ctx: Context, name_fr: str, name_ar: str, province_fr: str, province_ar: str
               ) -> str:
    """Names a commune as "Name (Province)" in the reader's script."""
    commune, province = ctx.local(name_fr, name_ar), ctx.local(province_fr, province_ar)
    if not province:
        return ctx.t.iso(commune)
    return ctx.t.gettext("{commune} ({province})").format(commune=ctx.t.iso(commune),
                                                         province=ctx.t.iso(province))


def card_text(ctx: Context, card: ProjectCard, *, full: bool = True) -> str:
    """A project's card: title, place, theme, kind, status, description and needs."""
    _ = ctx.t.gettext
    lines = [f"« {ctx.t.iso(card.title)} »" if ctx.person.language == "fr"
             else f"“{ctx.t.iso(card.title)}”",
             _("{organisation} — {place}").format(organisation=ctx.t.iso(card.organisation),
                                                   place=place(ctx, card)),
             _("Theme: {theme}. Kind: {kind}.").format(
                 theme=_(THEMES.get(card.theme, card.theme)),
                 kind=_(KINDS.get(card.kind, card.kind))),
             _("Status: {status}.").format(status=_(STATUSES.get(card.status, card.status)))]
    if card.kind == "exchange" and card.peer in PEERS:
        lines.append(_("Peer sought: {peer}.").format(peer=_(PEERS[card.peer])))
    if full:
        pcd = _(PCD.get(card.pcd, PCD["unknown"]))
        if card.pcd == "yes" and card.pcd_reference:
            pcd += f" ({ctx.t.iso(card.pcd_reference)})"
        lines.append(_("Plan: {pcd}.").format(pcd=pcd))
        if card.description:
            lines += ["", ctx.t.iso(card.description)]
        if card.media:
            lines.append(ctx.t.ngettext("({n} voice note or photo attached)",
                                        "({n} voice notes or photos attached)",
                                        len(card.media)).format(n=ctx.t.number(len(card.media))))
    needs = [n for n in card.needs if n.status != "closed"] if not full else list(card.needs)
    if needs:
        lines += ["", _("Needs:")] + [f"• {need_line(ctx, n)}" for n in needs]
    elif full:
        lines += ["", _("No needs entered yet.")]
    if full and card.status == "rejected" and card.reject_reason:
        lines += ["", _("Reason given: {reason}").format(reason=ctx.t.iso(card.reject_reason))]
    if full and card.question:
        lines += ["", _("Question from the team: {question}").format(
            question=ctx.t.iso(card.question))]
    lines.append(_("Reference: {ref}").format(ref=ctx.t.iso(card.ref)))
    return "\n".join(lines)


def card_media(ctx: Context, card: ProjectCard) -> tuple[Media, ...]:
    """The project's voice notes and photos, as the reader's channel can receive them."""
    url: Any = ctx.facts.get("media_url")
    shown = []
    for item in card.media:
        if item.channel == ctx.channel:
            shown.append(Media(item.kind, item.ref, item.mime))
        elif callable(url):
            shown.append(Media(item.kind, url(item.id), item.mime))
    return tuple(shown)


def card_reply(ctx: Context, card: ProjectCard, choices: tuple[Choice, ...] = ()) -> Reply:
    """A project card, with its media, ending with the given choices."""
    return Reply(card_text(ctx, card), choices, media=card_media(ctx, card))

