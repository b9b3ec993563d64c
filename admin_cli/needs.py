"""`comdev needs list`: the needs of the projects, with how far each has come."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from admin_cli.acting import AsOption, staff_member
from admin_cli.invite import _unit_of_work
from admin_cli.projects import need_what

app = typer.Typer(name="needs", help="Needs of the projects.", no_args_is_help=True)


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="open, fulfilled or closed.")] = None,
    kind: Annotated[str | None, typer.Option(
        help="skill, money, materials or partner.")] = None,
    skill: Annotated[str | None, typer.Option(
        help="A skill code (water.irrigation_engineering) or a category (water).")] = None,
    project: Annotated[str | None, typer.Option(help="A project's reference.")] = None,
    commune: Annotated[str | None, typer.Option(help="The commune's HCP code.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=5000)] = 200,
    as_: AsOption = "",
) -> None:
    """Print the needs, newest first; those of drafts only with --project."""
    from sqlmodel import col, or_, select

    from core.domain.projects import NeedKind, NeedStatus, Status
    from core.models import Need, Project

    if status is not None and status not in set(NeedStatus):
        _usage(f"--status must be one of {', '.join(NeedStatus)}")
    if kind is not None and kind not in set(NeedKind):
        _usage(f"--kind must be one of {', '.join(NeedKind)}")
    stmt = select(Need, Project.ref).join(Project, col(Project.id) == Need.project_id)
    if project:
        stmt = stmt.where(Project.ref == project.strip())
    else:  # a draft's needs are still being written by its representatives
        stmt = stmt.where(Project.status != Status.DRAFT)
    if status:
        stmt = stmt.where(Need.status == status)
    if kind:
        stmt = stmt.where(Need.kind == kind)
    if skill:
        code = skill.strip().lower()
        stmt = stmt.where(or_(Need.skill_code == code,
                              col(Need.skill_code).startswith(f"{code}.", autoescape=True)))
    if commune:
        stmt = stmt.where(Project.commune_code == commune.strip())
    stmt = stmt.order_by(col(Need.id).desc()).limit(limit)
    table = Table("need", "project", "kind", "skill / what", "mode",
                  "requested / committed / fulfilled", "status")
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        for need, ref in uow.session.exec(stmt):
            counters = f"{need.requested} / {need.committed} / {need.fulfilled} {need.unit}"
            table.add_row(str(need.id), Text(ref, no_wrap=True), need.kind,
                          need_what(need.skill_code, need.label), need.mode or "",
                          counters.strip(), need.status)
    if not table.row_count:
        typer.echo("no need fits")
        return
    Console().print(table)


def _usage(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)
