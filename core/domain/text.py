"""Folds text for matching names typed in Arabic, Darija, Tamazight, French or English.

Standard library only, so that the domain and `core` can match text without `bot`.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi marks, isolates, zero-width characters and the BOM carry no meaning for matching.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# Hamza carriers, alif maqsura, ta marbuta, tatweel; the Moroccan gaf (گ ڭ) and ve (ڤ).
_ARABIC = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه",
     "ـ": None, "گ": "ك", "ڭ": "ك", "ک": "ك", "ڤ": "ف", "پ": "ب", "ی": "ي"}
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NOT_WORD = re.compile(r"[\W_]+")
_ARTICLE = re.compile(r"(?<!\S)ال(?=\S{3})")  # "الري" keeps its article, "السقي" loses it


def strip_invisible(text: str) -> str:
    """Removes bidi marks, isolates, zero-width characters and the BOM."""
    return text.translate(_INVISIBLE)


def ascii_digits(text: str) -> str:
    """Turns Arabic-Indic and Eastern Arabic-Indic digits into 0-9."""
    return text.translate(_DIGITS)


def fold(text: str) -> str:
    """Folds case, accents, tashkeel, hamza forms, digits, punctuation and spacing."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    text = "".join(char for char in decomposed if not unicodedata.combining(char))
    text = unicodedata.normalize("NFC", text).translate(_ARABIC).translate(_DIGITS)
    return _NOT_WORD.sub(" ", text).strip()


def drop_articles(folded: str) -> str:
    """Drops the Arabic article from words of three letters or more, in folded text."""
    return _ARTICLE.sub("", folded)


def match_key(text: str) -> str:
    """Folds a name for lookup, also dropping the Arabic article from longer words."""
    return drop_articles(fold(text))
