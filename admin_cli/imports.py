"""`comdev import projects FILE.csv`: a commune's list of projects from its communal
development plan (PCD), every row checked before anything is written, all of it or nothing.
The file's columns and the needs syntax are described in core/domain/imports.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from admin_cli.acting import AsOption, relay_for, staff_member
from admin_cli.invite import _unit_of_work

if TYPE_CHECKING:
    from core.domain.imports import Problem
    from core.imports import Plan, Result, Skipped
    from core.uow import UnitOfWork

app = typer.Typer(name="import", help="Import lists made elsewhere.", no_args_is_help=True)


@app.command("projects")
def import_projects(
    file: Annotated[Path, typer.Argument(
        help="CSV (UTF-8, comma or semicolon): commune, title, description, theme, kind, "
             "peer, pcd_reference, needs; see docs/samples/pcd_projects.csv.")],
    as_: AsOption,
    organisation: Annotated[str | None, typer.Option(
        "--organisation", help="The organisation of the commune the projects belong to "
                               "(created when the commune has none of that name; default: "
                               "the commune council's, 'Commune <name>').")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check every row and say what would be imported; write nothing.")
    ] = False,
) -> None:
    """Import a commune's PCD projects, open at once: every row is checked first, and one
    rejected row means nothing is written. Projects already there are skipped."""
    from core import imports

    console = Console()
    now = datetime.now(UTC)
    with _unit_of_work() as (settings, uow):
        animator = staff_member(uow, as_)
        try:
            plan = imports.check(uow, imports.read(file))
        except ValueError as error:
            typer.echo(f"cannot read {file}: {error}; nothing imported", err=True)
            raise typer.Exit(1) from error
        if plan.problems:
            console.print(_problems(plan.problems))
            typer.echo(f"{len({p.line for p in plan.problems})} rows rejected: nothing "
                       f"imported; correct them and import the file again", err=True)
            raise typer.Exit(1)
        if plan.skipped:
            console.print(_skipped(plan.skipped))
        if dry_run:
            console.print(_planned(uow, plan, organisation))
            typer.echo(f"dry run: {len(plan.rows)} projects would be imported, "
                       f"{len(plan.skipped)} skipped; nothing written")
            return
        result = imports.apply(uow, plan, animator, now, organisation=organisation,
                               source=file.name)
        relay_for(settings).deliver_due(uow, now)  # what matching proposed goes out now
        uow.commit()
    if result.imported:
        console.print(_imported(result))
    for name in result.organisations_created:
        typer.echo(f"organisation created: {name}")
    typer.echo(f"imported: {len(result.imported)}, skipped (already there): "
               f"{len(plan.skipped)}, experts asked by matching: {result.proposals}")


def _problems(problems: list[Problem]) -> Table:
    table = Table("line", "column", "reason", title="Rejected rows", title_justify="left")
    for problem in problems:
        table.add_row(str(problem.line), problem.column, problem.reason)
    return table


def _skipped(skipped: list[Skipped]) -> Table:
    table = Table("line", "title", "already there as", title="Skipped: already there",
                  title_justify="left")
    for item in skipped:
        there = item.ref if item.ref else f"line {item.same_as_line} of this file"
        table.add_row(str(item.line), item.title, there)
    return table


def _imported(result: Result) -> Table:
    table = Table("line", "ref", "title", "commune", "organisation", "needs",
                  title="Imported, open", title_justify="left")
    for item in result.imported:
        table.add_row(str(item.line), item.ref, item.title,
                      f"{item.commune_name} ({item.commune_code})", item.organisation,
                      str(item.needs))
    return table


def _planned(uow: UnitOfWork, plan: Plan, organisation: str | None) -> Table:
    from core.imports import default_organisation_name, organisation_of

    table = Table("line", "title", "commune", "organisation", "needs",
                  title="Would be imported", title_justify="left")
    for checked in plan.rows:
        owner = organisation_of(uow, checked.commune_code, organisation)
        name = owner.name if owner else (
            default_organisation_name(checked.commune_name, organisation) + " (new)")
        table.add_row(str(checked.row.line), checked.row.title,
                      f"{checked.commune_name} ({checked.commune_code})", name,
                      str(len(checked.row.needs)))
    return table
