"""Maps what a person typed or pressed to one of the choices they were offered."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bot.i18n.text import normalize
from bot.messages import Choice, Inbound

FUZZY_CUTOFF = 85  # "englsh" → English (92); "machine" ≠ "machi" (83)
MAX_ANSWER = 300  # characters; longer texts are not read as a choice
FUZZY_MIN_LENGTH = 5  # shorter names ("oui", "non", "yes") must be typed exactly
_NUMBER = re.compile(r"[0-9]{1,3}")


def pick(message: Inbound, choices: tuple[Choice, ...]) -> Choice | None:
    """Returns the choice meant by a button, a digit, a keyword or a near-miss of a label."""
    if message.choice is not None:
        return next((c for c in choices if c.key == message.choice), None)
    if not message.text or len(message.text) > MAX_ANSWER:
        return None  # no label is that long: a pasted text is not a menu answer
    text = normalize(message.text)
    if not text:
        return None
    if _NUMBER.fullmatch(text):  # normalize() already turned ٢ into 2
        index = int(text)
        return choices[index - 1] if 1 <= index <= len(choices) else None
    if text.isdigit():  # other digits (⓵, ², a 100 kB number): not a menu number
        return None
    for choice in choices:
        names = (choice.key, choice.label, *choice.aliases)
        if text in {normalize(name) for name in names}:
            return choice
    return _fuzzy(text, choices)


def _fuzzy(text: str, choices: tuple[Choice, ...]) -> Choice | None:
    """Matches a near-miss of a whole name (a typo), never a name merely contained in it."""
    if len(text) < FUZZY_MIN_LENGTH:
        return None
    names = {normalize(name): choice for choice in choices
             for name in (choice.label, *choice.aliases)
             if len(normalize(name)) >= FUZZY_MIN_LENGTH}
    best = process.extract(text, list(names), scorer=fuzz.ratio, limit=2,
                           score_cutoff=FUZZY_CUTOFF)
    if not best:
        return None
    if len(best) == 2 and names[best[0][0]] != names[best[1][0]] and best[0][1] - best[1][1] < 5:
        return None  # two different choices fit about as well: ask again rather than guess
    return names[best[0][0]]
