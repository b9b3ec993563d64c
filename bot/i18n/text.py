"""Text normalisation shared by keyword, choice and language detection.

The folding itself lives in `core.domain.text` (core needs it too, and may not import bot).
"""

from __future__ import annotations

from core.domain.text import ascii_digits, fold, strip_invisible


def to_ascii_digits(text: str) -> str:
    """Turns Arabic-Indic and Eastern Arabic-Indic digits into 0-9."""
    return ascii_digits(text)


def strip_controls(text: str) -> str:
    """Removes bidi marks, isolates and zero-width characters."""
    return strip_invisible(text)


def normalize(text: str) -> str:
    """Folds text for matching: case, accents, tashkeel, hamza forms, digits, punctuation."""
    return fold(text)


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
