"""`comdev export projects|needs|experts --format csv|json [--output FILE]`: the projects,
their needs and the expert pool as files, streamed row by row (memory does not grow with
the database).

Experts' contact details (their identities, which carry a phone number or a chat id, and
their Telegram username) are written only for the experts who agreed to be contacted, read
as strictly as the data allows (`contactable`): they agreed to what we keep (consent at
onboarding), did not write STOP, said yes to "May I send you proposals of projects that need
your skills?", and have no pause running today. Even then an identity the person can no
longer be reached on (they blocked the bot, or their number refused our messages) is left
out. Everyone else gets empty contact columns. The file is for the NGO's staff, whom the
onboarding consent names; it is not to be passed on to anyone else."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from admin_cli.acting import AsOption, staff_member
from admin_cli.invite import _unit_of_work

if TYPE_CHECKING:
    from core.uow import UnitOfWork

app = typer.Typer(name="export", help="Export projects, needs or experts as CSV or JSON.",
                  no_args_is_help=True)

BATCH = 500  # experts read (with their skills, identities and themes) at a time

PROJECT_COLUMNS = ("ref", "title", "commune_code", "commune", "province_code", "province",
                   "theme", "kind", "status", "pcd", "pcd_reference", "created_at",
                   "updated_at", "needs", "needs_open", "needs_fulfilled")
NEED_COLUMNS = ("id", "project", "kind", "skill", "label", "mode", "unit", "requested",
                "committed", "fulfilled", "status")
EXPERT_COLUMNS = ("person_id", "first_name", "skills", "languages", "country", "city",
                  "origin_code", "origin", "themes", "mode", "hours_per_month",
                  "contact_consent", "identities", "telegram_handle")
#: What holds several values in a JSON list is joined with ";" in a CSV cell.
LISTS = frozenset({"skills", "languages", "themes", "identities"})


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="csv or json.")]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help="The file to write (default: stdout).")]


@app.command("projects")
def export_projects(as_: AsOption = "", format_: FormatOption = Format.CSV,
                    output: OutputOption = None) -> None:
    """Write every project, with its place and how many needs it has."""
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        with _writer(format_, output, PROJECT_COLUMNS) as write:
            for row in project_rows(uow):
                write(row)


@app.command("needs")
def export_needs(as_: AsOption = "", format_: FormatOption = Format.CSV,
                 output: OutputOption = None) -> None:
    """Write every need, with its project's reference and how far it has come."""
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        with _writer(format_, output, NEED_COLUMNS) as write:
            for row in need_rows(uow):
                write(row)


@app.command("experts")
def export_experts(as_: AsOption = "", format_: FormatOption = Format.CSV,
                   output: OutputOption = None) -> None:
    """Write the expert pool; contact details only for those who agreed to be contacted."""
    with _unit_of_work() as (_settings, uow):
        staff_member(uow, as_)
        with _writer(format_, output, EXPERT_COLUMNS) as write:
            for row in expert_rows(uow, datetime.now(UTC).date()):
                write(row)


# --- rows ----------------------------------------------------------------------------------

def project_rows(uow: UnitOfWork) -> Iterator[dict[str, Any]]:
    """Yields each project as a row, in reference order, reading the query as it goes."""
    from sqlalchemy import case, func, select
    from sqlalchemy.orm import aliased

    from core.domain.projects import NeedStatus
    from core.models import Need, Project, Territory

    counts = (select(Need.project_id, func.count().label("needs"),
                     func.sum(case((Need.status == NeedStatus.OPEN, 1), else_=0)).label("open"),
                     func.sum(case((Need.status == NeedStatus.FULFILLED, 1), else_=0))
                     .label("fulfilled"))
              .group_by(Need.project_id).subquery())
    commune, province = aliased(Territory), aliased(Territory)
    stmt = (select(Project, commune.name_fr, province.code, province.name_fr, counts.c.needs,
                   counts.c.open, counts.c.fulfilled)
            .outerjoin(commune, commune.code == Project.commune_code)
            .outerjoin(province, province.code == commune.province_code)
            .outerjoin(counts, counts.c.project_id == Project.id)
            .order_by(Project.ref).execution_options(yield_per=BATCH))
    for p, commune_name, province_code, province_name, total, open_, done in \
            uow.session.execute(stmt):
        yield {"ref": p.ref, "title": p.title, "commune_code": p.commune_code,
               "commune": commune_name or "", "province_code": province_code or "",
               "province": province_name or "", "theme": p.theme, "kind": p.kind,
               "status": p.status, "pcd": p.pcd, "pcd_reference": p.pcd_reference or "",
               "created_at": _moment(p.created_at), "updated_at": _moment(p.updated_at),
               "needs": int(total or 0), "needs_open": int(open_ or 0),
               "needs_fulfilled": int(done or 0)}


def need_rows(uow: UnitOfWork) -> Iterator[dict[str, Any]]:
    """Yields each need as a row, in id order, reading the query as it goes."""
    from sqlalchemy import select

    from core.models import Need, Project

    stmt = (select(Need, Project.ref).join(Project, Project.id == Need.project_id)
            .order_by(Need.id).execution_options(yield_per=BATCH))
    for need, ref in uow.session.execute(stmt):
        yield {"id": need.id, "project": ref, "kind": need.kind, "skill": need.skill_code or "",
               "label": need.label, "mode": need.mode or "", "unit": need.unit,
               "requested": need.requested, "committed": need.committed,
               "fulfilled": need.fulfilled, "status": need.status}


def expert_rows(uow: UnitOfWork, today: date) -> Iterator[dict[str, Any]]:
    """Yields each expert as a row, in person order, a batch of BATCH experts at a time."""
    after = 0
    while True:
        batch = _experts(uow, after)
        if not batch:
            return
        yield from _expert_batch(uow, batch, today)
        after = batch[-1][0].person_id


def contactable(consent_at: datetime | None, opted_out: bool, accepts_proposals: bool,
                paused_until: date | None, today: date) -> bool:
    """Tells whether an expert agreed to be contacted, on the strictest reading: consented
    to what we keep, no STOP, yes to receiving proposals, no pause running."""
    from core.domain.experts import may_receive_proposals

    return consent_at is not None and may_receive_proposals(
        accepts_proposals, paused_until, opted_out, today)


def _experts(uow: UnitOfWork, after: int) -> list[Any]:
    from sqlalchemy import select
    from sqlmodel import col

    from core.models import ExpertProfile, Person, Territory

    return list(uow.session.execute(
        select(ExpertProfile, Person, Territory.name_fr)
        .join(Person, Person.id == ExpertProfile.person_id)
        .outerjoin(Territory, Territory.code == ExpertProfile.origin_code)
        .where(col(ExpertProfile.person_id) > after)
        .order_by(ExpertProfile.person_id).limit(BATCH)).all())


def _expert_batch(uow: UnitOfWork, batch: list[Any], today: date
                  ) -> Iterator[dict[str, Any]]:
    from sqlalchemy import select
    from sqlmodel import col

    from core.domain.experts import FollowKind
    from core.models import ChannelIdentity, ExpertSkill, Follow

    ids = [profile.person_id for profile, _person, _origin in batch]
    skills: dict[int, list[str]] = {}
    for skill in uow.session.scalars(select(ExpertSkill).where(
            col(ExpertSkill.person_id).in_(ids)).order_by(col(ExpertSkill.id))):
        skills.setdefault(skill.person_id, []).append(
            f"{skill.skill_code or skill.label}:{skill.level}")
    themes: dict[int, list[str]] = {}
    for pid, key in uow.session.execute(select(Follow.person_id, Follow.key).where(
            col(Follow.person_id).in_(ids), Follow.kind == FollowKind.THEME)
            .order_by(col(Follow.id))):
        themes.setdefault(pid, []).append(key)
    reachable: dict[int, list[ChannelIdentity]] = {}
    for link in uow.session.scalars(select(ChannelIdentity).where(
            col(ChannelIdentity.person_id).in_(ids), col(ChannelIdentity.unreachable).is_(False))
            .order_by(col(ChannelIdentity.id))):
        reachable.setdefault(link.person_id, []).append(link)
    for profile, person, origin in batch:
        consent = contactable(person.consent_at, person.opted_out, profile.accepts_proposals,
                              profile.paused_until, today)
        links = reachable.get(profile.person_id, []) if consent else []
        yield {"person_id": profile.person_id, "first_name": person.first_name or "",
               "skills": skills.get(profile.person_id, []),
               "languages": [x for x in profile.languages.split(",") if x],
               "country": profile.country or "", "city": profile.city or "",
               "origin_code": profile.origin_code or "", "origin": origin or "",
               "themes": themes.get(profile.person_id, []), "mode": profile.mode or "",
               "hours_per_month": profile.hours_per_month, "contact_consent": consent,
               "identities": [link.id for link in links],
               "telegram_handle": next((f"@{link.handle}" for link in links
                                        if link.handle and link.channel == "telegram"), "")}


# --- writing -------------------------------------------------------------------------------

@contextmanager
def _writer(format_: Format, output: Path | None, columns: tuple[str, ...]
            ) -> Iterator[Any]:
    """Opens the destination and yields a function writing one row to it as it comes."""
    with _destination(output) as stream:
        if format_ is Format.CSV:
            table = csv.writer(stream)
            table.writerow(columns)
            yield lambda row: table.writerow([_cell(row[c]) for c in columns])
            return
        first = True

        def write(row: dict[str, Any]) -> None:
            nonlocal first
            stream.write(("[\n" if first else ",\n") + json.dumps(
                {c: row[c] for c in columns}, ensure_ascii=False))
            first = False

        yield write
        stream.write("[]\n" if first else "\n]\n")


@contextmanager
def _destination(output: Path | None) -> Iterator[IO[str]]:
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with output.open("w", encoding="utf-8", newline="") as stream:
        yield stream


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _moment(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
