"""What declaring a project keeps so far (in ctx.data, until it is saved): the states, the
organisation chosen, the title, the description's text and media; shared by its steps."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.flows.common import MEDIA_KINDS, kept, visible
from bot.flows.engine import Context, Step
from bot.messages import Reply
from core.domain.projects import MAX_MEDIA


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
KEY = "declare"  # where the answers so far are kept in ctx.data
_DESCRIBING = ("voice", "audio", "photo", "video")  # enough on their own to describe


def declaration(ctx: Context) -> dict[str, Any]:
    """The answers so far."""
    return kept(ctx, KEY)


def organisation(ctx: Context) -> list[Any] | None:
    """The organisation chosen: [id, name, commune code, fr, ar, province fr, province ar]."""
    chosen = declaration(ctx).get("organisation")
    return chosen if isinstance(chosen, list) and len(chosen) == 7 else None


def started(ctx: Context) -> bool:
    """Whether the organisation and the title are known."""
    return organisation(ctx) is not None and isinstance(declaration(ctx).get("title"), str)


def restart(ctx: Context) -> Step:
    """Forgets the answers and starts again, saying so."""
    ctx.data.pop(KEY, None)
    return Step(next=S.ORGANISATION, say=[Reply(ctx.t.gettext(
        "Some answers are missing. Let us start again."))])


def clean_text(text: str | None, limit: int, letters: int = 3) -> str | None:
    """Returns text tidied (invisible and control characters gone, spaces folded, lines
    kept), or None when it is too long or has fewer than `letters` letters."""
    if not text or len(text) > 4 * limit:
        return None
    lines = [" ".join(line.split()) for line in visible(text).split("\n")]
    tidy = "\n".join(line for line in lines if line)
    if len(tidy) > limit or sum(c.isalpha() for c in tidy) < letters:
        return None
    return tidy


def text(ctx: Context) -> str:
    """The description's text so far."""
    written = declaration(ctx).get("text")
    return written if isinstance(written, str) else ""


def media(ctx: Context) -> list[list[Any]]:
    """The description's media so far, as [kind, channel, ref, mime]."""
    raw = declaration(ctx).get("media")
    if not isinstance(raw, list):
        return []
    return [m for m in raw if isinstance(m, list) and len(m) == 4
            and m[0] in MEDIA_KINDS][:MAX_MEDIA]


def described(ctx: Context) -> bool:
    """Whether the description says something: some text, a voice note, a photo, a video."""
    return bool(text(ctx)) or any(m[0] in _DESCRIBING for m in media(ctx))


def received(ctx: Context, *, with_text: bool = True) -> list[str]:
    """Lists what the description holds so far, one line per kind."""
    t = ctx.t
    kinds = [m[0] for m in media(ctx)]
    voices, photos = kinds.count("voice") + kinds.count("audio"), kinds.count("photo")
    videos, documents = kinds.count("video"), kinds.count("document")
    lines = [line.format(n=t.number(n)) for n, line in (
        (voices, t.ngettext("{n} voice note", "{n} voice notes", voices)),
        (photos, t.ngettext("{n} photo", "{n} photos", photos)),
        (videos, t.ngettext("{n} video", "{n} videos", videos)),
        (documents, t.ngettext("{n} document", "{n} documents", documents))) if n]
    if with_text and text(ctx):
        n = len(text(ctx))
        lines.insert(0, t.ngettext("text of {n} character", "text of {n} characters",
                                   n).format(n=t.number(n)))
    return lines
