"""`comdev projects list|show|approve|reject`: the projects as animators see them, and their
review from the terminal, through the same command the chat runs (the representatives are
told in their language, matching reacts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from admin_cli.acting import AsOption, relay_for, staff_member
from admin_cli.invite import _unit_of_work

if TYPE_CHECKING:
    from core.models import ProjectEvent
    from core.projects import NeedView, ProjectCard
    from core.uow import UnitOfWork

app = typer.Typer(name="projects", help="Projects: list, show, approve, reject.",
                  no_args_is_help=True)

Ref = Annotated[str, typer.Argument(help="The project's reference, e.g. P-7K3QH2.")]
DIAGNOSIS = ("problem", "beneficiaries", "existing", "missing", "maintenance")


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(
        help="draft, awaiting_review, open, in_progress, completed, closed or rejected "
             "(default: all but drafts).")] = None,
    commune: Annotated[str | None, typer.Option(help="The commune's HCP code.")] = None,
    theme: Annotated[str | None, typer.Option(help="water, agriculture, education...")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_: AsOption = "",
) -> None:
    """Print the projects, the most recently changed first."""
    from sqlmodel import col, select

    from core import projects
    from core.domain.projects import THEMES, Status
    from core.models import Project

    if status is not None and status not in set(Status):
        _usage(f"--status must be one of {', '.join(Status)}")
    if theme is not None and theme not in THEMES:
        _usage(f"--theme must be one of {', '.join(THEMES)}")
    stmt = select(Project)
    stmt = stmt.where(Project.status == status) if status else stmt.where(
        Project.status != Status.DRAFT)
    if commune:
        stmt = stmt.where(Project.commune_code == commune)
    if theme:
        stmt = stmt.where(Project.theme == theme)
    stmt = stmt.order_by(col(Project.updated_at).desc(), col(Project.id).desc()).limit(limit)
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        found = projects.cards(uow, list(uow.session.exec(stmt)))
    if not found:
        typer.echo("no project fits")
        return
    table = Table("ref", "title", "commune", "theme", "status", "open needs", "submitted",
                  "updated")
    for card in found:
        table.add_row(Text(card.ref, no_wrap=True), card.title, card.commune_fr, card.theme,
                      card.status, str(len(card.open_needs)), _day(card.submitted_at),
                      _day(card.updated_at))
    Console().print(table)


@app.command("show")
def show(ref: Ref, as_: AsOption = "") -> None:
    """Print a project's card: its text, pre-diagnosis, needs, history and followers."""
    from core import projects

    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        card = projects.card(uow, ref.strip())
        if card is None:
            typer.echo(f"no project has the reference {ref}", err=True)
            raise typer.Exit(1)
        history = _history(projects.history(uow, card.ref))
        followers = _followers(uow, card.ref)
    console = Console()
    console.print(Panel(_summary(card, followers), title=f"{card.ref}  {card.title}",
                        title_align="left"))
    console.print(_needs(card.needs))
    console.print(history)


@app.command("approve")
def approve(ref: Ref, as_: AsOption) -> None:
    """Approve a project waiting for review: it opens, its representatives are told."""
    _review(ref, "approve", "", as_)


@app.command("reject")
def reject(
    ref: Ref,
    as_: AsOption,
    reason: Annotated[str, typer.Option(
        "--reason", help="Why: the representatives read it, change the project and send it "
                         "again.")],
) -> None:
    """Reject a project waiting for review, with a reason its representatives are told."""
    if not reason.strip():
        _usage("--reason must say why the project is not approved")
    _review(ref, "reject", reason.strip(), as_)


def _review(ref: str, decision: str, text: str, as_: str) -> None:
    """Runs the animator's decision as the chat's review does, or stops with exit code 1."""
    from bot.effects import perform
    from core import media, projects
    from core.commands import Refused, ReviewProject
    from core.domain.projects import Status

    now = datetime.now(UTC)
    with _unit_of_work() as (settings, uow):
        animator = staff_member(uow, as_)
        noted = projects.lock(uow, ref.strip())
        if noted is None:
            _refuse(f"no project has the reference {ref}")
        if noted[0] != Status.AWAITING_REVIEW:
            _refuse(f"{ref} is {noted[0]}, not awaiting review: nothing to decide")
        try:
            perform(uow, animator, [ReviewProject(ref.strip(), decision, text)], now,
                    relay_for(settings), lambda media_id: media.url(settings, media_id))
        except (Refused, ValueError) as error:  # NotAllowed is a Refused
            _refuse(f"refused: {error}")
        card = projects.card(uow, ref.strip())
        told = len([p for p in projects.representatives(uow, ref.strip()) if p != animator.id])
        uow.commit()
    assert card is not None
    typer.echo(f"{card.ref} {'approved' if decision == 'approve' else 'rejected'}: now "
               f"{card.status}; representatives told: {told}")


# --- rendering -------------------------------------------------------------------------------

def _summary(card: ProjectCard, followers: int) -> Group:
    lines = [
        f"organisation: {card.organisation} (#{card.organisation_id})",
        f"commune: {card.commune_fr} / {card.commune_ar} ({card.commune_code}), province "
        f"{card.province_fr or '-'}",
        f"theme: {card.theme}; kind: {card.kind}" + (f" with {card.peer}" if card.peer else ""),
        f"PCD: {card.pcd}" + (f", reference {card.pcd_reference}" if card.pcd_reference else ""),
        f"status: {card.status}; submitted {_day(card.submitted_at)}; updated "
        f"{_day(card.updated_at)}",
        f"followers: {followers}; progress updates: {card.updates}; media: {len(card.media)}",
    ]
    if card.reject_reason:
        lines.append(f"rejected because: {card.reject_reason}")
    if card.question:
        lines.append(f"question waiting for an answer: {card.question}")
    parts: list[Text] = [Text("\n".join(lines)), Text(""), Text("Description", style="bold"),
                         Text(card.description or "-"), Text(""),
                         Text("Pre-diagnosis", style="bold"), Text(_diagnosis(card.diagnosis))]
    return Group(*parts)


def _diagnosis(answers: dict[str, object]) -> str:
    lines = []
    for key in DIAGNOSIS:
        answer = answers.get(key)
        if isinstance(answer, list):
            answer = ", ".join(str(a) for a in answer)
        if isinstance(answer, str) and answer.strip():
            lines.append(f"{key}: {answer.strip()}")
    return "\n".join(lines) or "not filled in"


def _needs(needs: tuple[NeedView, ...]) -> Table | str:
    if not needs:
        return "no needs"
    table = Table("need", "kind", "skill / what", "mode", "requested", "committed",
                  "fulfilled", "unit", "status", title="Needs", title_justify="left")
    for need in needs:
        table.add_row(str(need.id), need.kind, need_what(need.skill_code, need.label),
                      need.mode or "", str(need.requested), str(need.committed),
                      str(need.fulfilled), need.unit, need.status)
    return table


def _history(events: list[ProjectEvent]) -> Table:
    table = Table("at", "by person", "action", "status", "note", title="History",
                  title_justify="left")
    for event in events:
        moved = f"{event.from_status or '-'} → {event.to_status}" if event.to_status else ""
        table.add_row(f"{event.at:%Y-%m-%d %H:%M}", str(event.person_id or "-"), event.action,
                      moved, event.note or "")
    return table


def need_what(skill_code: str | None, label: str) -> str:
    """A need's skill code and the representatives' words, whichever there are."""
    return " — ".join(part for part in (skill_code, label) if part) or "-"


def _followers(uow: UnitOfWork, ref: str) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from core.domain.experts import FollowKind
    from core.models import Follow

    return int(uow.session.execute(select(func.count()).select_from(Follow).where(
        Follow.kind == FollowKind.PROJECT, Follow.key == ref)).scalar_one())


def _day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment else "-"


def _usage(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _refuse(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)
