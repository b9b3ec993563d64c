"""Guesses a person's language before they choose one."""

from __future__ import annotations

import re

from bot.i18n import LANGUAGES
from bot.i18n.text import normalize, script_of

_FRENCH = {"bonjour", "salut", "bonsoir", "merci", "oui", "coucou", "svp", "je", "suis", "aide"}
_ENGLISH = {"hello", "hi", "hey", "thanks", "yes", "good", "morning", "help", "please", "i", "am"}
# Darija typed in Latin letters (Arabizi) is read as Arabic.
_ARABIZI = {"salam", "slm", "salamo", "labas", "mrhba", "marhba", "wach", "wash", "kifach",
            "3afak", "afak", "chokran", "choukran", "bghit", "smahli", "ahlan", "mre7ba"}
# A word mixing letters with 3 (ع), 7 (ح) or 9 (ق): "3afak", "7bes", "m9ada".
_ARABIZI_WORD = re.compile(r"(?=.*[a-z])(?=.*[379])[a-z2-9]+")
_TELEGRAM_CODES = {"ar": "ar", "fr": "fr", "en": "en", "zgh": "zgh", "tzm": "zgh", "ber": "zgh",
                   "kab": "zgh", "shi": "zgh", "rif": "zgh"}


def detect_language(text: str | None, telegram_code: str | None = None) -> str | None:
    """Returns the language a first message suggests, or None when nothing does."""
    if telegram_code:
        language = _TELEGRAM_CODES.get(telegram_code.lower().split("-")[0])
        if language:
            return language
    if not text:
        return None
    script = script_of(text)
    if script == "tifinagh":
        return "zgh"
    if script == "arabic":
        return "ar"
    if script == "latin":
        return _latin_language(normalize(text))
    return None


def _latin_language(folded: str) -> str | None:
    words = set(folded.split())
    if words & _ARABIZI or any(_ARABIZI_WORD.fullmatch(word) for word in words):
        return "ar"
    if words & _FRENCH:
        return "fr"
    if words & _ENGLISH:
        return "en"
    return None


assert set(_TELEGRAM_CODES.values()) <= set(LANGUAGES)
