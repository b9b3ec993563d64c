"""Fails when a catalog is incomplete or the template is stale: `python -m bot.i18n.check`.

`make i18n` runs it after extracting and updating; the test suite runs `problems()`.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import denormalize, read_po

from bot.i18n import LANGUAGES, LOCALES

ROOT = LOCALES.parent
TEMPLATE = LOCALES / "messages.pot"
SOURCES = ("bot", "core")
#: The keywords `make i18n` gives pybabel (`-k gettext -k N_ -k ngettext:1,2`).
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext": None, "N_": None, "ngettext": (1, 2)}
#: CLDR's rules; zgh has none in CLDR, so it gets the two-form rule on purpose.
PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
          "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "zgh": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "en": "nplurals=2; plural=(n != 1);",
}
_HEADER = re.compile(r'^msgid ""\nmsgstr ((?:".*"\n?)+)', re.MULTILINE)

Key = tuple[str | tuple[str, ...], str | None]


def problems() -> list[str]:
    """Lists every problem of the template and the catalogs, one line each."""
    if not TEMPLATE.exists():
        return [f"{_name(TEMPLATE)}: missing; run `make i18n`"]
    template = _read(TEMPLATE)
    wanted = {_key(m): m for m in template if m.id}
    found = list(_stale(wanted))
    for language in LANGUAGES:
        found.extend(_catalog_problems(language, wanted))
    return found


def extracted() -> set[Key]:
    """Extracts the message ids of the code in memory, as `make i18n` does."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {(message, context)
            for source in SOURCES
            for _file, _line, message, _comments, context in extract_from_dir(
                str(ROOT / source), method_map, options_map, keywords=KEYWORDS)}


def _stale(wanted: dict[Key, Message]) -> Iterator[str]:
    in_code = extracted()
    for key in sorted(in_code - wanted.keys(), key=str):
        yield f"{_name(TEMPLATE)}: stale, {_show(key)} is in the code; run `make i18n`"
    for key in sorted(wanted.keys() - in_code, key=str):
        yield f"{_name(TEMPLATE)}: stale, {_show(key)} is no longer in the code; run `make i18n`"


def _catalog_problems(language: str, wanted: dict[Key, Message]) -> Iterator[str]:
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    name = _name(path)
    if not path.exists():
        yield f"{name}: missing; run `make i18n` and translate it"
        return
    catalog = _read(path)
    yield from _header_problems(name, language, path, catalog)
    have = {_key(m): m for m in catalog if m.id}
    for key in wanted:
        if key not in have:
            yield f"{name}: {_show(key)} is missing"
        else:
            yield from _message_problems(f"{name}: {_show(key)}", have[key], catalog.num_plurals)
    for key in sorted(have.keys() - wanted.keys(), key=str):
        yield f"{name}: {_show(key)} is not in the template; run `make i18n`"


def _header_problems(name: str, language: str, path: Path, catalog: Catalog) -> Iterator[str]:
    headers = _raw_headers(path)
    plural_forms = headers.get("Plural-Forms")
    if plural_forms is None:
        yield f"{name}: no Plural-Forms header"
    elif _squash(plural_forms) != _squash(PLURAL_FORMS[language]):
        yield f"{name}: Plural-Forms is {plural_forms!r}, expected {PLURAL_FORMS[language]!r}"
    if headers.get("Language") != language:
        yield f"{name}: Language header is {headers.get('Language')!r}, expected {language!r}"
    if catalog.charset.lower() != "utf-8":
        yield f"{name}: charset is {catalog.charset!r}, expected 'utf-8'"
    if catalog.fuzzy:
        yield f"{name}: the header is marked fuzzy"


def _message_problems(where: str, message: Message, plurals: int) -> Iterator[str]:
    if message.fuzzy:
        yield f"{where} is fuzzy"
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if isinstance(message.id, tuple) and len(strings) != plurals:
        yield f"{where} has {len(strings)} plural forms, the header says {plurals}"
    if any(not text for text in strings):
        yield f"{where} has an empty msgstr"
    expected = [_fields(text) for text in ids]
    if any(fields is None for fields in expected):
        return  # literal braces in the msgid: not a format string
    wanted = set().union(*expected)
    got = [_fields(text) for text in strings if text]
    if any(fields is None for fields in got):
        yield f"{where} has a translation with unbalanced braces"
    elif isinstance(message.id, tuple):
        if not all(fields <= wanted for fields in got) or set().union(*got) != wanted:
            yield f"{where} has placeholders {sorted(set().union(*got))}, expected {sorted(wanted)}"
    elif got and got[0] != wanted:
        yield f"{where} has placeholders {sorted(got[0])}, expected {sorted(wanted)}"


def _fields(text: str) -> set[str] | None:
    """Returns the `{placeholders}` of a format string, or None if its braces are broken."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    return {"{" + field + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            for _literal, field, spec, conv in parsed if field is not None}


def _raw_headers(path: Path) -> dict[str, str]:
    """Reads the header entry as written (babel fills in defaults for missing ones)."""
    match = _HEADER.search(path.read_text(encoding="utf-8"))
    if match is None:
        return {}
    lines = denormalize(match.group(1).strip()).splitlines()
    return {name.strip(): value.strip()
            for name, sep, value in (line.partition(":") for line in lines) if sep}


def _read(path: Path) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file)


def _key(message: Message) -> Key:
    return (message.id, message.context)


def _show(key: Key) -> str:
    message, context = key
    text = message[0] if isinstance(message, tuple) else message
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"msgid {text!r}" + (f" (context {context!r})" if context else "")


def _squash(value: str) -> str:
    return "".join(value.split()).rstrip(";")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} catalog problem(s)", file=sys.stderr)
        return 1
    print(f"catalogs complete: {', '.join(LANGUAGES)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
