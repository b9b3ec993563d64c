"""`comdev stats [--json]`: the numbers an animator follows, as tables or as JSON (what each
figure counts is written in core/stats.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from admin_cli.acting import AsOption, staff_member
from admin_cli.invite import _unit_of_work

if TYPE_CHECKING:
    from core.stats import FirstMatch, Needs, Proposals, Stats

app = typer.Typer(name="stats", help="The community's numbers.", invoke_without_command=True)


@app.callback()
def stats(
    as_: AsOption = "",
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the figures as JSON on stdout, with stable keys.")] = False,
) -> None:
    """Print people, projects, needs, proposals, time to first match and tickets."""
    from core.stats import figures

    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        found = figures(uow, datetime.now(UTC))
    if as_json:
        typer.echo(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return
    console = Console()
    for title, table in tables(found):
        console.print(Text(title, style="bold"))
        console.print(table)
    console.print("Pledges: not counted yet (they arrive with issue 7).")


def tables(found: Stats) -> list[tuple[str, Table]]:
    """The figures as Rich tables, each with its title, one a dimension."""
    people, projects = found.people, found.projects
    provinces = Table("province", "name", "projects")
    for province in projects.by_province:
        provinces.add_row(province.code, province.name, str(province.projects))
    return [
        (f"People: {people.total}, consented {people.consented}, opted out "
         f"{people.opted_out}; by role", _counts("role", people.by_role)),
        ("People by language", _counts("language", people.by_language)),
        ("People by channel", _counts("channel", people.by_channel)),
        ("People by country", _counts("country", people.by_country)),
        (f"Projects: {projects.total}; by status", _counts("status", projects.by_status)),
        ("Projects by theme", _counts("theme", projects.by_theme)),
        ("Projects by province", provinces),
        *_needs(found.needs),
        (f"Proposals: {found.proposals.total}, sent {found.proposals.sent}; by status",
         _proposals(found.proposals)),
        ("Time from a need's creation to its first accepted expert",
         _first_match(found.first_match)),
        ("Tickets (requests to talk to a person)",
         _counts("tickets", {"open": found.tickets.open, "closed": found.tickets.closed})),
    ]


def _counts(label: str, counts: Mapping[str, int]) -> Table:
    table = Table(label, "count")
    for key, count in counts.items():
        table.add_row(key, str(count))
    return table


def _needs(needs: Needs) -> list[tuple[str, Table]]:
    units = Table("unit", "needs", "requested", "committed", "fulfilled")
    for unit, amounts in needs.by_unit.items():
        units.add_row(unit, str(amounts.needs), str(amounts.requested),
                      str(amounts.committed), str(amounts.fulfilled))
    return [(f"Needs (but drafts'): {needs.total}; by status",
             _counts("status", needs.by_status)), ("Needs by unit", units)]


def _proposals(proposals: Proposals) -> Table:
    table = _counts("status", proposals.by_status)
    rate = proposals.acceptance_rate
    table.add_section()
    table.add_row("decided (accepted + refused)", str(proposals.decided))
    table.add_row("acceptance rate (accepted / decided)",
                  "-" if rate is None else f"{rate:.1%}")
    return table


def _first_match(first: FirstMatch) -> Table:
    table = Table("time to first match", "seconds", "")
    table.add_row("needs matched", str(first.needs), "")
    for label, seconds in (("median", first.median), ("90th percentile", first.p90)):
        table.add_row(label, "-" if seconds is None else f"{seconds:.0f}", _duration(seconds))
    return table


def _duration(seconds: float | None) -> str:
    """Says a duration the way an animator reads it: 3d 4h, 2h 5m, 12m."""
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"
