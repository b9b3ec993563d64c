"""Text normalisation shared by keyword, choice and language detection."""

from __future__ import annotations

import re
import unicodedata

_BIDI = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, *range(0x202A, 0x202F),
     *range(0x2066, 0x206A)]
)
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه", "ـ": None}
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def to_ascii_digits(text: str) -> str:
    """Turns Arabic-Indic and Eastern Arabic-Indic digits into 0-9."""
    return text.translate(_DIGITS)


def strip_controls(text: str) -> str:
    """Removes bidi marks, isolates and zero-width characters."""
    return text.translate(_BIDI)


def normalize(text: str) -> str:
    """Folds text for matching: case, accents, tashkeel, hamza forms, digits, punctuation."""
    text = strip_controls(unicodedata.normalize("NFKC", text)).translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = to_ascii_digits(unicodedata.normalize("NFC", text))
    text = _NOT_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def script_of(text: str) -> str | None:
    """Names the dominant script of a text: 'tifinagh', 'arabic', 'latin' or None."""
    counts = {"tifinagh": 0, "arabic": 0, "latin": 0}
    for char in text:
        code = ord(char)
        if 0x2D30 <= code <= 0x2D7F:
            counts["tifinagh"] += 1
        elif 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFC:
            counts["arabic"] += 1
        elif char.isascii() and char.isalpha() or 0x00C0 <= code <= 0x024F:
            counts["latin"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None
