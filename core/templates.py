"""The approved WhatsApp templates: what may be sent to someone whose last message is older
than 24 hours. Each purpose has a Content SID per language; a language without one falls
back to French, then Arabic.

The file (setting WHATSAPP_TEMPLATES_FILE) is JSON:

    {"team_message": {"fr": "HX…", "ar": "HX…"}, "proposal": {"fr": "HX…"}}

Each template takes one variable, {{1}}: the project's title.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PURPOSES = ("proposal", "candidate", "decision", "team_message", "ticket", "call", "news")
FALLBACK = ("fr", "ar")
WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Templates:
    sids: dict[str, dict[str, str]] = field(default_factory=dict)

    def sid(self, purpose: str, language: str) -> str | None:
        """The Content SID for a purpose in a language, or its fallback; None if none."""
        found = self.sids.get(purpose, {})
        for code in (language, *FALLBACK):
            if found.get(code):
                return found[code]
        return None

    def per_language(self, purpose: str, variables: dict[str, str]) -> dict[str, dict[str, Any]]:
        """A purpose's templates as a broadcast keeps them: {language: {sid, variables}}."""
        return {language: {"sid": sid, "variables": dict(variables)}
                for language, sid in self.sids.get(purpose, {}).items()}

    def gaps(self) -> list[tuple[str, str]]:
        """Lists (purpose, language) without a template of their own."""
        return [(p, lang) for p in PURPOSES for lang in ("ar", "zgh", "fr", "en")
                if not self.sids.get(p, {}).get(lang)]


def load(path: str) -> Templates:
    """Reads the templates file; an empty path means no template."""
    if not path:
        return Templates()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("the templates file holds an object of purposes")
    sids: dict[str, dict[str, str]] = {}
    for purpose, by_language in data.items():
        if purpose not in PURPOSES or not isinstance(by_language, dict):
            raise ValueError(f"unknown template purpose {purpose!r}")
        sids[purpose] = {str(k): str(v) for k, v in by_language.items() if v}
    return Templates(sids)


def window_closed(channel: str, last_inbound_at: datetime | None, now: datetime) -> bool:
    """Tells whether WhatsApp allows only a template: 24 hours after the last message."""
    return channel == "whatsapp" and (last_inbound_at is None
                                      or now - last_inbound_at > WINDOW)
