"""`comdev skills`: search and list the skills taxonomy."""

from __future__ import annotations

from typing import Annotated

import typer

from core.domain.skills import LANGUAGES

app = typer.Typer(help="Skills taxonomy: search and list.", no_args_is_help=True)

Lang = Annotated[str, typer.Option("--lang", help="Label language: ar, zgh, fr or en.")]


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        typer.echo(f"--lang must be one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(2)
    return lang


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="What the person typed, in any language.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=50)] = 5,
    lang: Lang = "en",
) -> None:
    """Print the skills that fit TEXT, best first, with their codes."""
    from core.skills import default_index

    lang = _language(lang)
    index = default_index()
    matches = index.search(text, limit)
    if not matches:
        typer.echo("no skill fits: keep it as 'other: free text'")
        return
    for rank, match in enumerate(matches, start=1):
        category = index.taxonomy.category(match.skill.category)
        assert category is not None  # the taxonomy was validated when loaded
        typer.echo(f"{rank}. {match.skill.code}\t{category.label(lang)}\t"
                   f"{match.skill.label(lang)}\t({match.kind.name.lower()} {match.score:g}: "
                   f"{match.name})")


@app.command("list")
def list_skills(
    category: Annotated[str | None, typer.Option("--category", help="A category code.")] = None,
    lang: Lang = "en",
) -> None:
    """Print every skill, grouped by category, or the skills of one category."""
    from core.skills import default_index

    lang = _language(lang)
    taxonomy = default_index().taxonomy
    categories = taxonomy.categories
    if category is not None:
        found = taxonomy.category(category)
        if found is None:
            codes = ", ".join(c.code for c in categories)
            typer.echo(f"unknown category {category!r}; known: {codes}", err=True)
            raise typer.Exit(2)
        categories = (found,)
    for each in categories:
        typer.echo(f"{each.code}\t{each.label(lang)}")
        for skill in taxonomy.in_category(each.code):
            typer.echo(f"  {skill.code}\t{skill.label(lang)}")
