"""A commune's list of projects from its communal development plan (PCD), as a CSV file:
reading the table and checking every row, before anything is written.

The file: UTF-8, a header row, columns separated by commas or semicolons.

| column        | required | what                                                            |
| ------------- | -------- | --------------------------------------------------------------- |
| commune       | yes      | the HCP code (09.581.01.05) or a name that names one commune     |
| title         | yes      | at most 120 characters                                           |
| description   | no       | at most 2,000 characters                                         |
| theme         | yes      | one of THEMES (water, agriculture, education...)                 |
| kind          | no       | local (when empty), investment or exchange                       |
| peer          | no       | for an exchange: one of PEERS                                    |
| pcd_reference | no       | the project's number in the PCD, at most 120 characters          |
| needs         | no       | what the project needs, in the syntax below                      |

Needs are separated by ";" (or "|", handy when the columns themselves are separated by
";" and the cell is not quoted); each is `kind:what`:

    skill:CODE [N days|N hours] [remote|on_site|either]
        a skill of the taxonomy, by its code (water.irrigation_engineering) or the part
        after the dot when only one skill has it (irrigation_engineering); the time it
        takes and how it can be given are optional (either, when not said)
    money:AMOUNT [MAD|DH] [for PURPOSE]
        whole dirhams, digits and spaces only: money:40000 MAD, money:40 000 for the pump
    materials:[N] WHAT
        things, counted: materials:12 solar panels (1 when no number is given)
    partner:WHO
        partner:a school twinned with ours

Example cell: `skill:irrigation_engineering 10 days on_site; money:40000 MAD for the pump`.

Standard library only: the rules, not the storage. Whether the commune exists and whether
a project is already there is for core/imports.py to say.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass

from core.domain.projects import (
    KINDS,
    MAX_AMOUNT,
    MAX_NEEDS,
    MAX_TEXT,
    MAX_TITLE,
    PEERS,
    THEMES,
    Mode,
    NeedKind,
)

REQUIRED = ("commune", "title", "theme")
COLUMNS = (*REQUIRED, "description", "kind", "peer", "pcd_reference", "needs")
MAX_REFERENCE = 120  # core.models.Project.pcd_reference
MAX_LABEL = 300  # core.models.Need.label
MAX_EFFORT = 10_000  # days or hours: more is a typo
MAX_ITEMS = 1_000_000
MAX_ROWS = 5_000  # a commune's plan has tens of projects; thousands is the wrong file
NEED_SEPARATORS = re.compile(r"[;|]")

_EFFORT_UNITS = {"day": "days", "days": "days", "d": "days", "hour": "hours", "hours": "hours",
                 "h": "hours"}
_MODES = {"remote": Mode.REMOTE, "on_site": Mode.ON_SITE, "on-site": Mode.ON_SITE,
          "onsite": Mode.ON_SITE, "either": Mode.EITHER}
_MONEY = re.compile(r"(?P<amount>\d[\d \u00a0\u202f]*?)\s*(?P<currency>mad|dh|dhs|dirhams?)?"
                    r"(?:\s+(?:for|pour)\s+(?P<purpose>.+))?", re.IGNORECASE | re.DOTALL)
_COUNT = re.compile(r"(?P<count>\d+)\s+(?P<what>.+)", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: its line in the file, the column, and the reason."""

    line: int
    column: str
    reason: str


@dataclass(frozen=True)
class Line:
    """A row as read: the line it starts on, its cells by column, and how many cells it
    has beyond the header's columns (a separator left unquoted)."""

    line: int
    cells: dict[str, str]
    extra: int = 0


@dataclass(frozen=True)
class NeedSpec:
    """A need as the file states it, ready to become core.commands.AddNeed."""

    kind: str  # NeedKind
    skill_code: str | None = None
    label: str = ""
    mode: str | None = None
    unit: str = ""
    requested: int = 1


@dataclass(frozen=True)
class ProjectRow:
    """A row that passed every check that needs no database."""

    line: int
    commune: str  # as written: a code or a name, resolved by core
    title: str
    description: str
    theme: str
    kind: str
    peer: str | None
    pcd_reference: str | None
    needs: tuple[NeedSpec, ...]

    @property
    def key(self) -> tuple[str, str]:
        """What makes two rows of one commune the same project: title and PCD reference."""
        return same_text(self.title), same_text(self.pcd_reference or "")


def same_text(text: str) -> str:
    """Folds case and spacing, so that re-importing a tidied file still finds its projects."""
    return " ".join(text.split()).casefold()


# --- the table -------------------------------------------------------------------------------

def read_table(text: str) -> list[Line]:
    """Reads the rows of a PCD file, each with the line it starts on, cells stripped and
    keyed by lower-case column names; raises ValueError when the table cannot be read
    (no header, a required column missing, too many rows)."""
    text = text.lstrip("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise ValueError("the file is empty")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Line] = []
    header: list[str] | None = None
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                continue
            named = dict(zip(header, cells[:len(header)], strict=False))
            rows.append(Line(start, {name: cell.strip() for name, cell in named.items()
                                     if name in COLUMNS},
                             sum(1 for cell in cells[len(header):] if cell.strip())))
            if len(rows) > MAX_ROWS:
                raise ValueError(f"more than {MAX_ROWS} rows: not one commune's plan")
    except csv.Error as error:
        raise ValueError(f"line {reader.line_num}: {error}") from error
    missing = [name for name in REQUIRED if name not in (header or [])]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)} (the header row names "
                         f"{', '.join(COLUMNS)})")
    return rows


def check_row(row: Line, skills: Collection[str]) -> tuple[ProjectRow | None, list[Problem]]:
    """Checks one row against the rules of a project (skills: the taxonomy's codes); returns
    the row, or every problem found in it."""
    line, cells = row.line, row.cells
    problems: list[Problem] = []

    def refuse(column: str, reason: str) -> None:
        problems.append(Problem(line, column, reason))

    if row.extra:
        refuse("(row)", f"{row.extra} cells more than the header has columns: quote a cell that "
                   f"holds the separator (\"a, b\")")
    commune = " ".join(cells.get("commune", "").split())
    if not commune:
        refuse("commune", "missing: give the commune's HCP code or its name")
    title = " ".join(cells.get("title", "").split())
    if not title:
        refuse("title", "missing")
    elif len(title) > MAX_TITLE:
        refuse("title", f"{len(title)} characters; at most {MAX_TITLE}")
    description = cells.get("description", "").strip()
    if len(description) > MAX_TEXT:
        refuse("description", f"{len(description)} characters; at most {MAX_TEXT}")
    theme = cells.get("theme", "").strip().lower()
    if theme not in THEMES:
        refuse("theme", f"{_shown(theme)} is not one of {', '.join(THEMES)}")
    kind = cells.get("kind", "").strip().lower() or "local"
    if kind not in KINDS:
        refuse("kind", f"{_shown(kind)} is not one of {', '.join(KINDS)}")
    peer = cells.get("peer", "").strip().lower() or None
    if peer is not None and kind != "exchange":
        refuse("peer", "only an exchange looks for a peer")
    elif peer is not None and peer not in PEERS:
        refuse("peer", f"{_shown(peer)} is not one of {', '.join(PEERS)}")
    reference = " ".join(cells.get("pcd_reference", "").split()) or None
    if reference is not None and len(reference) > MAX_REFERENCE:
        refuse("pcd_reference", f"{len(reference)} characters; at most {MAX_REFERENCE}")
    needs, reasons = parse_needs(cells.get("needs", ""), skills)
    problems += [Problem(line, "needs", reason) for reason in reasons]
    if problems:
        return None, problems
    return ProjectRow(line, commune, title, description, theme, kind, peer, reference,
                      tuple(needs)), []


def _shown(value: str) -> str:
    return repr(value[:40]) if value else "empty"


# --- needs -----------------------------------------------------------------------------------

def parse_needs(text: str, skills: Collection[str]) -> tuple[list[NeedSpec], list[str]]:
    """Reads a needs cell: the needs, or the reason each one that cannot be read is refused."""
    pieces = [p.strip() for p in NEED_SEPARATORS.split(text or "") if p.strip()]
    if len(pieces) > MAX_NEEDS:
        return [], [f"{len(pieces)} needs; at most {MAX_NEEDS} under one project"]
    needs: list[NeedSpec] = []
    reasons: list[str] = []
    for piece in pieces:
        need, reason = parse_need(piece, skills)
        if need is not None:
            needs.append(need)
        else:
            reasons.append(f"{_shown(piece)}: {reason}")
    return needs, reasons


def parse_need(text: str, skills: Collection[str]) -> tuple[NeedSpec | None, str]:
    """Reads one need written `kind:what`; returns it, or why it cannot be read."""
    kind_text, colon, what = text.partition(":")
    kind = kind_text.strip().lower()
    what = " ".join(what.split())
    if not colon or kind not in set(NeedKind):
        return None, "write kind:what, the kind being skill, money, materials or partner"
    if not what:
        return None, f"say what {kind} is needed after '{kind}:'"
    if kind == NeedKind.SKILL:
        return _skill(what, skills)
    if kind == NeedKind.MONEY:
        return _money(what)
    if kind == NeedKind.MATERIALS:
        return _materials(what)
    if len(what) > MAX_LABEL:
        return None, f"at most {MAX_LABEL} characters"
    return NeedSpec(NeedKind.PARTNER, label=what), ""


def skill_code(text: str, skills: Collection[str]) -> tuple[str | None, str]:
    """Finds a skill by its code, or by the part after the dot when one skill only has it."""
    code = text.strip().lower()
    if code in skills:
        return code, ""
    found = sorted(s for s in skills if s.partition(".")[2] == code)
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, f"{code!r} is several skills: {', '.join(found)}"
    return None, f"{code!r} is not a skill of the taxonomy (comdev skills search WORDS)"


def _skill(what: str, skills: Collection[str]) -> tuple[NeedSpec | None, str]:
    words = what.split()
    code, reason = skill_code(words[0], skills)
    if code is None:
        return None, reason
    requested, unit, mode = 1, "", Mode.EITHER
    rest = [w.lower() for w in words[1:]]
    while rest:
        if rest[0].isdigit() and len(rest) > 1 and rest[1] in _EFFORT_UNITS:
            requested, unit = int(rest[0]), _EFFORT_UNITS[rest[1]]
            if not 0 < requested <= MAX_EFFORT:
                return None, f"a time between 1 and {MAX_EFFORT} {unit}"
            rest = rest[2:]
        elif rest[0] in _MODES:
            mode, rest = _MODES[rest[0]], rest[1:]
        else:
            return None, (f"{rest[0]!r} is not understood: after the skill, write a time "
                          f"(10 days, 20 hours) and how (remote, on_site, either)")
    return NeedSpec(NeedKind.SKILL, skill_code=code, mode=mode, unit=unit,
                    requested=requested), ""


def _money(what: str) -> tuple[NeedSpec | None, str]:
    match = _MONEY.fullmatch(what)
    if match is None:
        return None, "write whole dirhams, digits and spaces only: money:40000 MAD for the pump"
    amount = int(re.sub(r"\D", "", match["amount"]))
    if not 0 < amount <= MAX_AMOUNT:
        return None, f"an amount between 1 and {MAX_AMOUNT:,} dirhams"
    purpose = (match["purpose"] or "").strip()
    if len(purpose) > MAX_LABEL:
        return None, f"the purpose has at most {MAX_LABEL} characters"
    return NeedSpec(NeedKind.MONEY, label=purpose, unit="MAD", requested=amount), ""


def _materials(what: str) -> tuple[NeedSpec | None, str]:
    match = _COUNT.fullmatch(what)
    count, label = (int(match["count"]), match["what"].strip()) if match else (1, what)
    if not 0 < count <= MAX_ITEMS:
        return None, f"a number of items between 1 and {MAX_ITEMS:,}"
    if len(label) > MAX_LABEL:
        return None, f"at most {MAX_LABEL} characters"
    return NeedSpec(NeedKind.MATERIALS, label=label, unit="items", requested=count), ""
