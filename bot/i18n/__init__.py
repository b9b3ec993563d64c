"""Translations through Babel: one catalog per language, loaded from `locales/`."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from bot.i18n.bidi import isolate

LANGUAGES = ("ar", "zgh", "fr", "en")
RTL = frozenset({"ar"})
LOCALES = Path(__file__).resolve().parents[2] / "locales"

#: The Babel locale that formats numbers and dates for each language, as read in Morocco.
FORMAT_LOCALES = {"ar": "ar_MA", "zgh": "zgh", "fr": "fr_MA", "en": "en"}
#: Each language named in its own script, for the language menu.
NATIVE_NAMES = {"ar": "العربية", "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ", "fr": "Français", "en": "English"}


def N_(message: str) -> str:
    """Marks a module-level label for extraction; it is translated when rendered."""
    return message


@cache
def catalog(language: str) -> NullTranslations:
    """Loads a language's catalog straight from its .po file (no compile step to forget)."""
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language not in LANGUAGES or not path.exists():
        return NullTranslations()
    with path.open("rb") as po_file:
        parsed = read_po(po_file, locale=None, domain="messages")
    buffer = io.BytesIO()
    write_mo(buffer, parsed, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


@dataclass(frozen=True)
class Translator:
    """The gettext functions of one person's language."""

    language: str

    def gettext(self, message: str) -> str:
        return catalog(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return catalog(self.language).ngettext(singular, plural, n)

    def iso(self, value: object) -> str:
        """Isolates an interpolated value when the text is right-to-left."""
        return isolate(value) if self.language in RTL else str(value)

    def number(self, value: int | float) -> str:
        """Formats a number the way the person's language writes it (40 000, 40.000...)."""
        return self.iso(format_decimal(value, locale=FORMAT_LOCALES.get(self.language, "en")))

    def amount(self, value: int | float, currency: str = "MAD") -> str:
        """Formats an amount of money with its currency, without cents for whole amounts."""
        locale = Locale.parse(FORMAT_LOCALES.get(self.language, "en"))
        pattern = None
        if float(value).is_integer():
            standard = locale.currency_formats["standard"].pattern
            pattern = standard.replace(".00", "").replace(",00", "")
        return self.iso(format_currency(value, currency, format=pattern, locale=locale,
                                        currency_digits=pattern is None))
