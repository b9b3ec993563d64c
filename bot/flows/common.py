"""Helpers several flows share: scratch answers, free-text tidying, media, project cards."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from bot.flows.engine import Context, Step
from bot.i18n.text import strip_controls
from bot.messages import Inbound, Reply
from core.commands import Attachment
from core.domain.projects import MAX_MEDIA
from core.projects import ProjectCard

MEDIA_KINDS = ("voice", "audio", "photo", "video", "document")  # what a project can keep


def kept(ctx: Context, key: str) -> dict[str, Any]:
    """The answers a flow keeps under `key` in ctx.data, made a dict when it is not one."""
    answers = ctx.data.get(key)
    if not isinstance(answers, dict):
        answers = ctx.data[key] = {}
    return answers


def visible(text: str, keep: str = " \t\n") -> str:
    """Drops invisible and control characters from text, but for those in `keep`."""
    return "".join(c for c in strip_controls(text)
                   if unicodedata.category(c)[0] != "C" or c in keep)


def attachments(msg: Inbound, ctx: Context) -> tuple[Attachment, ...] | None:
    """The voice notes, photos and documents of a message; None when something else came
    (a sticker, a location) that cannot be kept."""
    if msg.location is not None or any(m.kind not in MEDIA_KINDS for m in msg.media):
        return None
    return tuple(Attachment(m.kind, ctx.channel, m.ref, m.mime)
                 for m in msg.media[:MAX_MEDIA] if m.ref)


def read_card(ctx: Context, ref: object) -> ProjectCard | None:
    """Reads a project afresh by its reference; None when there is none."""
    read = ctx.facts.get("project")
    if not isinstance(ref, str) or not ref or not callable(read):
        return None
    card = read(ref)
    return card if isinstance(card, ProjectCard) else None


def commune_rows(found: Iterable[Any]) -> list[list[str]]:
    """Keeps the communes a search found as [code, name fr, name ar, province fr, ar]."""
    return [[c.code, c.name_fr, c.name_ar, c.province_fr, c.province_ar] for c in found]


def commune_candidates(raw: object, most: int) -> list[list[str]]:
    """Reads back the communes kept by `commune_rows`, at most `most` of them."""
    if not isinstance(raw, list):
        return []
    return [list(map(str, c)) for c in raw[:most] if isinstance(c, list) and len(c) == 5]


MAX_COMMUNES = 5  # communes offered after a search
MAX_COMMUNE_SEARCH = 200  # characters: a commune's name is shorter


def found_communes(msg: Inbound, ctx: Context) -> list[list[str]] | Step:
    """Searches the communes whose name looks like what the person wrote: their rows (see
    `commune_rows`), or a Step re-asking with a hint when none was found."""
    search = ctx.facts.get("communes")
    text = (msg.text or "").strip()
    found = (list(search(text) or [])[:MAX_COMMUNES]
             if callable(search) and 0 < len(text) <= MAX_COMMUNE_SEARCH else [])
    if not found:
        return Step.stay(ctx.t.gettext(
            "I found no commune with that name. Please check the spelling, or write it "
            "another way (in Arabic or Latin letters)."))
    return commune_rows(found)


def staff_only(ctx: Context, key: str, refusal: str) -> Step | None:
    """Lets an animator go on (None); sends anyone else back to the menu with `refusal`,
    forgetting what the flow kept under `key`."""
    if ctx.person.is_animator:
        return None
    ctx.data.pop(key, None)
    return Step(next="menu.main", say=[Reply(refusal)])
