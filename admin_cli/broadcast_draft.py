"""What `comdev broadcast create` reads from its options: the texts, the audience, the
WhatsApp templates and the time, each checked, or a ValueError saying what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from core.broadcasts import LANGUAGES
from core.domain.audience import Audience, Kind
from core.domain.experts import SPOKEN
from core.domain.people import Role
from core.domain.projects import THEMES
from core.models import Need, Project, Territory
from core.templates import Templates
from core.uow import UnitOfWork


@dataclass(frozen=True)
class Options:
    """The options as typed (lists may be empty)."""

    kind: str = "news"
    need: int | None = None
    texts: tuple[str, ...] = ()  # LANG=TEXT
    text_files: tuple[str, ...] = ()  # LANG=PATH
    image: str | None = None
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    channel: str | None = None
    followers: str | None = None
    templates: tuple[str, ...] = ()  # LANG=HX…
    template_vars: tuple[str, ...] = ()  # LANG:N=VALUE


@dataclass(frozen=True)
class Draft:
    """A broadcast ready for core.broadcasts.create."""

    kind: Kind
    need_id: int | None
    texts: dict[str, str]
    image: str | None
    audience: Audience
    templates: dict[str, dict[str, Any]]


def draft(uow: UnitOfWork, options: Options, templates: Templates) -> Draft:
    """Checks the options against the taxonomy, the territories and the projects."""
    if options.kind not in set(Kind):
        raise ValueError(f"--kind must be one of {', '.join(Kind)}")
    kind = Kind(options.kind)
    need = _need(uow, kind, options.need)
    texts = _texts(options.texts, options.text_files)
    skills = tuple(_skill(code) for code in options.skills)
    if need is not None and not skills and need.skill_code:
        skills = (need.skill_code,)  # a call goes to the need's skill unless told otherwise
    audience = Audience(
        skills=skills,
        languages=_among(options.languages, SPOKEN, "--language"),
        countries=tuple(_country(code) for code in options.countries),
        origins=tuple(_territory(uow, code) for code in options.origins),
        themes=_among(options.themes, THEMES, "--theme"),
        roles=_among(options.roles, tuple(Role), "--role"),
        channel=_channel(options.channel), project=_project(uow, options.followers))
    first = next(iter(texts.values()), "").split("\n")[0][:60]
    title = _title(uow, need) if need is not None else first
    return Draft(kind, need.id if need is not None else None, texts, _image(options.image),
                 audience, _templates(kind, options, templates, title))


def when(text: str) -> datetime:
    """Reads --at: "2026-12-01 09:00" in UTC, or with an offset ("...09:00+01:00")."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("T", " "))
    except ValueError as error:
        raise ValueError(f"--at: not a time: {text!r}; write \"2026-12-01 09:00\" (UTC) or "
                         f"\"2026-12-01 09:00+01:00\"") from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _pair(item: str, option: str, separator: str = "=") -> tuple[str, str]:
    key, found, value = item.partition(separator)
    if not found or not key.strip() or not value.strip():
        raise ValueError(f"{option} takes LANG{separator}VALUE, not {item!r}")
    return key.strip(), value.strip()


def _language(code: str, option: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(f"{option}: the language is one of {', '.join(LANGUAGES)}, "
                         f"not {code!r}")
    return code


def _texts(inline: tuple[str, ...], files: tuple[str, ...]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for item in inline:
        code, text = _pair(item, "--text")
        texts[_language(code, "--text")] = text
    for item in files:
        code, path = _pair(item, "--text-file")
        try:
            texts[_language(code, "--text-file")] = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"--text-file: cannot read {path}: {error}") from error
    return texts


def _need(uow: UnitOfWork, kind: Kind, need_id: int | None) -> Need | None:
    if kind is Kind.NEWS:
        if need_id is not None:
            raise ValueError("--need is for a call (--kind call)")
        return None
    if need_id is None:
        raise ValueError("a call needs --need ID, an open skill need (comdev needs list)")
    need = uow.session.get(Need, need_id)
    if need is None:
        raise ValueError(f"no need has the number {need_id}")
    return need


def _title(uow: UnitOfWork, need: Need) -> str:
    project = uow.session.get(Project, need.project_id)
    return project.title[:60] if project else ""


def _skill(code: str) -> str:
    from core.skills import default_index

    code = code.strip().lower()
    taxonomy = default_index().taxonomy
    if taxonomy.skill(code) is None and taxonomy.category(code) is None:
        raise ValueError(f"--skill: {code!r} is neither a skill code (water.irrigation_"
                         f"engineering) nor a category (water) of the taxonomy")
    return code


def _among(values: tuple[str, ...], known: tuple[str, ...], option: str) -> tuple[str, ...]:
    for value in values:
        if value not in known:
            raise ValueError(f"{option} is one of {', '.join(known)}, not {value!r}")
    return tuple(dict.fromkeys(values))


def _country(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"--country takes a two-letter code (FR, MA...), not {code!r}")
    return code


def _territory(uow: UnitOfWork, code: str) -> str:
    code = code.strip()
    if uow.session.get(Territory, code) is None:
        raise ValueError(f"--origin: no region, province or commune has the code {code!r}")
    return code


def _channel(channel: str | None) -> str | None:
    if channel not in (None, "telegram", "whatsapp"):
        raise ValueError("--channel is telegram or whatsapp")
    return channel


def _project(uow: UnitOfWork, ref: str | None) -> str | None:
    if ref is None:
        return None
    if uow.session.exec(select(Project.id).where(Project.ref == ref.strip())).first() is None:
        raise ValueError(f"--followers: no project has the reference {ref}")
    return ref.strip()


def _image(url: str | None) -> str | None:
    if url is not None and not url.startswith(("https://", "http://")):
        raise ValueError("--image takes the image's URL (https://...)")
    return url


def _templates(kind: Kind, options: Options, configured: Templates, first: str
               ) -> dict[str, dict[str, Any]]:
    """The templates given, else those of the templates file for news or calls, as the chat
    takes them; {{1}} is the text's first words (news) or the project's title (calls)."""
    found = configured.per_language(kind.value, {"1": first})
    given = dict(_pair(item, "--template") for item in options.templates)
    if given:
        found = {_language(code, "--template"): {"sid": sid, "variables": {"1": first}}
                 for code, sid in given.items()}
    for item in options.template_vars:
        where, value = _pair(item, "--template-var")
        code, _, number = where.partition(":")
        if not number.isdigit():
            raise ValueError(f"--template-var takes LANG:N=VALUE (fr:1=Tafraout), not {item!r}")
        if code not in found:
            raise ValueError(f"--template-var {item!r}: no template in {code!r} (--template "
                             f"{code}=HX...)")
        found[code]["variables"][number] = value
    return found
