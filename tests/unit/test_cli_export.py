"""`comdev export projects|needs|experts --format csv|json` on a migrated SQLite database, the
world built through core services: every file parsed back; experts' contact details only for
those who agreed to be contacted; refused to anyone who is not an animator."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner, Result

from admin_cli import export
from bot.effects import perform
from bot.relay import Relay
from core import commands as c
from core import services, staff
from core.domain.identity import Identity
from core.domain.people import Role
from core.models import ChannelIdentity, Need, Organisation, Person, Territory
from core.uow import UnitOfWork

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
TIZNIT, TAFRAOUT, NOWHERE = "09.581", "09.581.01.05", "99.999.99.99"
IRRIGATION = "water.irrigation_engineering"
ANIMATOR, REP = "telegram:1001", "whatsapp:+212600000001"
AMINA, AMINA_WHATSAPP, AMINA_LOST = ("telegram:2001", "whatsapp:+33600000001",
                                     "whatsapp:+33600000009")
SAID = "whatsapp:+212600000006"  # consented, WhatsApp only
NO_PROPOSALS, STOPPED, PAUSED, SILENT = ("whatsapp:+212600000002", "telegram:2003",
                                         "telegram:2004", "telegram:2005")
CONTACTABLE = (AMINA, SAID)
NOT_CONTACTABLE = (NO_PROPOSALS, STOPPED, PAUSED, SILENT)
EXPERTS = (AMINA, NO_PROPOSALS, STOPPED, PAUSED, SILENT, SAID)  # in the order they register


@dataclass
class World:
    engine: Engine
    ids: dict[str, int]

    def run(self, identity: str, *commands: c.Command, at: datetime = NOW) -> None:
        with UnitOfWork(self.engine) as uow:
            person = uow.session.get(Person, self.ids[identity])
            assert person is not None
            perform(uow, person, list(commands), at, Relay())
            uow.commit()


def profile(accepts: bool = True, city: str | None = None) -> c.SaveExpertProfile:
    return c.SaveExpertProfile(
        skills=(c.SkillOffered(IRRIGATION, "", "expert"),
                c.SkillOffered(None, "khettara restoration", "practised")),
        languages=("fr", "darija"), country="FR", city=city, timezone="Europe/Paris",
        origin_code=TAFRAOUT, themes=("water", "agriculture"), hours_per_month=20,
        mode="both", visits=(), proposals_per_month=2, accepts_proposals=accepts)


@pytest.fixture
def world(engine: Engine) -> World:
    """An association with an open project (two needs) and a draft (one need); six experts,
    two of whom agreed to be contacted, one each who did not consent, said no to proposals,
    wrote STOP or paused them."""
    ids: dict[str, int] = {}
    with UnitOfWork(engine) as uow:
        uow.session.add_all([
            Territory(code=TIZNIT, kind="province", name_fr="Tiznit", name_ar="تيزنيت"),
            Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout", name_ar="تافراوت",
                      province_code=TIZNIT),
            Territory(code=NOWHERE, kind="commune", name_fr="Nowhere", name_ar="لا مكان")])
        staff.grant(uow, Identity.parse(ANIMATOR), Role.ANIMATOR, "fr", NOW)
        for identity in (ANIMATOR, REP, *EXPERTS):
            name, handle = {AMINA: ("Amina Tazi", "amina_fr"),
                            STOPPED: ("Omar", "omar_stop")}.get(identity, (None, None))
            ids[identity] = services.register_contact(uow, identity, "fr", NOW, name,
                                                      handle).id or 0
        uow.session.add_all([
            ChannelIdentity(id=AMINA_WHATSAPP, person_id=ids[AMINA], channel="whatsapp"),
            ChannelIdentity(id=AMINA_LOST, person_id=ids[AMINA], channel="whatsapp",
                            unreachable=True)])  # their old number, which refused our messages
        uow.commit()
    world = World(engine, ids)
    for identity in (REP, *EXPERTS):
        if identity != SILENT:
            world.run(identity, c.GiveConsent())
    world.run(AMINA, profile(city="Paris"))
    world.run(SAID, profile())
    world.run(NO_PROPOSALS, profile(accepts=False))
    world.run(STOPPED, profile(), c.OptOut())
    world.run(PAUSED, profile(), c.PauseProposals(date(2099, 1, 1)))
    world.run(SILENT, profile())
    world.run(REP, c.RegisterOrganisation("Tamount", "association", TAFRAOUT))
    with UnitOfWork(engine) as uow:
        organisation = uow.session.exec(select(Organisation.id)).one() or 0
    world.run(REP, c.CreateProject("P-WATER1", organisation, TAFRAOUT, "Water for Tazka",
                                   "A well", "water", "local", None, "yes", "PCD 12"),
              c.AddNeed("P-WATER1", "skill", skill_code=IRRIGATION, mode="on_site",
                        unit="days", requested=10),
              c.AddNeed("P-WATER1", "money", label="the pump; pipes", unit="MAD",
                        requested=40_000),
              c.SubmitProject("P-WATER1"))
    world.run(ANIMATOR, c.ReviewProject("P-WATER1", "approve"), at=NOW + timedelta(hours=1))
    with UnitOfWork(engine) as uow:
        pump = uow.session.exec(select(Need.id).where(Need.kind == "money")).one() or 0
    world.run(REP, c.SetNeedStatus(pump, "fulfilled"), at=NOW + timedelta(hours=2))
    world.run(REP, c.CreateProject("P-DRAFT1", organisation, NOWHERE, "Still a draft", "",
                                   "youth", "exchange", "artists", "unknown", None),
              c.AddNeed("P-DRAFT1", "partner", label="a twin village"),
              at=NOW + timedelta(hours=3))
    return world


@pytest.fixture
def comdev(sqlite_url: str, world: World, monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Result]:
    """Runs `comdev export ...` on the test's database."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    app = typer.Typer()
    app.add_typer(export.app, name="export")

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["export", *args])

    return run


def exported(comdev: Callable[..., Result], kind: str, format_: str) -> list[dict[str, Any]]:
    """Runs an export to stdout and parses it back."""
    result = comdev(kind, "--format", format_, "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    if format_ == "json":
        found = json.loads(result.stdout)
        assert isinstance(found, list)
        return found
    return list(csv.DictReader(io.StringIO(result.stdout)))


def by(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {str(row[key]): row for row in rows}


# --- projects --------------------------------------------------------------------------------

def test_projects_are_exported_with_their_place_and_needs_in_csv_and_json(
        comdev: Callable[..., Result]) -> None:
    water = {"ref": "P-WATER1", "title": "Water for Tazka", "commune_code": TAFRAOUT,
             "commune": "Tafraout", "province_code": TIZNIT, "province": "Tiznit",
             "theme": "water", "kind": "local", "status": "open", "pcd": "yes",
             "pcd_reference": "PCD 12", "created_at": NOW.isoformat(),
             "updated_at": (NOW + timedelta(hours=2)).isoformat(), "needs": 2,
             "needs_open": 1, "needs_fulfilled": 1}
    draft = {"ref": "P-DRAFT1", "title": "Still a draft", "commune_code": NOWHERE,
             "commune": "Nowhere", "province_code": "", "province": "", "theme": "youth",
             "kind": "exchange", "status": "draft", "pcd": "unknown", "pcd_reference": "",
             "created_at": (NOW + timedelta(hours=3)).isoformat(),
             "updated_at": (NOW + timedelta(hours=3)).isoformat(), "needs": 1,
             "needs_open": 1, "needs_fulfilled": 0}
    assert exported(comdev, "projects", "json") == [draft, water]  # by reference
    rows = exported(comdev, "projects", "csv")
    assert rows == [{k: str(v) for k, v in row.items()} for row in (draft, water)]
    assert tuple(rows[0]) == export.PROJECT_COLUMNS


# --- needs -----------------------------------------------------------------------------------

def test_needs_are_exported_with_their_project_and_counters_in_csv_and_json(
        comdev: Callable[..., Result]) -> None:
    found = exported(comdev, "needs", "json")
    assert [(n["project"], n["kind"]) for n in found] == [
        ("P-WATER1", "skill"), ("P-WATER1", "money"), ("P-DRAFT1", "partner")]
    skill, money, partner = found
    assert skill | {"id": 0} == {"id": 0, "project": "P-WATER1", "kind": "skill",
                                 "skill": IRRIGATION, "label": "", "mode": "on_site",
                                 "unit": "days", "requested": 10, "committed": 0,
                                 "fulfilled": 0, "status": "open"}
    assert (money["label"], money["requested"], money["fulfilled"], money["status"]) == (
        "the pump; pipes", 40_000, 40_000, "fulfilled")
    assert (partner["label"], partner["unit"], partner["requested"]) == (
        "a twin village", "", 1)
    assert len({skill["id"], money["id"], partner["id"]}) == 3
    rows = exported(comdev, "needs", "csv")
    assert tuple(rows[0]) == export.NEED_COLUMNS
    assert rows == [{k: str(v) for k, v in need.items()} for need in found]


# --- experts ---------------------------------------------------------------------------------

def test_experts_contact_details_are_filled_only_for_those_who_agreed_to_be_contacted(
        comdev: Callable[..., Result], world: World) -> None:
    found = by(exported(comdev, "experts", "json"), "person_id")
    assert list(found) == [str(world.ids[e]) for e in EXPERTS]
    amina = found[str(world.ids[AMINA])]
    assert amina == {
        "person_id": world.ids[AMINA], "first_name": "Amina",
        "skills": [f"{IRRIGATION}:expert", "khettara restoration:practised"],
        "languages": ["fr", "darija"], "country": "FR", "city": "Paris",
        "origin_code": TAFRAOUT, "origin": "Tafraout", "themes": ["water", "agriculture"],
        "mode": "both", "hours_per_month": 20, "contact_consent": True,
        "identities": [AMINA, AMINA_WHATSAPP],  # not the number that refused our messages
        "telegram_handle": "@amina_fr"}
    said = found[str(world.ids[SAID])]
    assert (said["contact_consent"], said["identities"], said["telegram_handle"]) == (
        True, [SAID], "")
    for identity in NOT_CONTACTABLE:
        row = found[str(world.ids[identity])]
        assert (row["contact_consent"], row["identities"], row["telegram_handle"]) == (
            False, [], ""), identity
        assert row["skills"] and row["country"] == "FR"  # the rest is there
    assert "omar_stop" not in json.dumps(list(found.values()))


def test_experts_in_csv_carry_the_same_rows_with_lists_joined(
        comdev: Callable[..., Result], world: World) -> None:
    rows = exported(comdev, "experts", "csv")
    assert tuple(rows[0]) == export.EXPERT_COLUMNS
    found = by(rows, "person_id")
    amina = found[str(world.ids[AMINA])]
    assert amina["skills"] == f"{IRRIGATION}:expert;khettara restoration:practised"
    assert (amina["identities"], amina["telegram_handle"], amina["contact_consent"]) == (
        f"{AMINA};{AMINA_WHATSAPP}", "@amina_fr", "yes")
    assert (amina["languages"], amina["themes"], amina["hours_per_month"]) == (
        "fr;darija", "water;agriculture", "20")
    for identity in NOT_CONTACTABLE:
        row = found[str(world.ids[identity])]
        assert (row["identities"], row["telegram_handle"], row["contact_consent"]) == (
            "", "", "no"), identity
    numbers = [AMINA_LOST, NO_PROPOSALS, STOPPED, PAUSED, SILENT]
    assert not any(number in comdev("experts", "--as", ANIMATOR).stdout for number in numbers)


def test_experts_are_read_a_batch_at_a_time_and_none_is_lost_between_batches(
        comdev: Callable[..., Result], world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "BATCH", 4)
    whole = exported(comdev, "experts", "json")
    monkeypatch.setattr(export, "BATCH", 1)
    assert exported(comdev, "experts", "json") == whole
    assert [row["person_id"] for row in whole] == [world.ids[e] for e in EXPERTS]


def test_an_erased_expert_is_not_exported(comdev: Callable[..., Result], world: World) -> None:
    world.run(AMINA, c.ErasePerson())
    found = exported(comdev, "experts", "json")
    assert world.ids[AMINA] not in [row["person_id"] for row in found] and len(found) == 5


# --- files and refusals ----------------------------------------------------------------------

@pytest.mark.parametrize("format_", ["csv", "json"])
def test_output_writes_the_file_and_nothing_on_stdout(
        comdev: Callable[..., Result], tmp_path: Path, format_: str) -> None:
    target = tmp_path / f"projects.{format_}"
    result = comdev("projects", "--format", format_, "--output", str(target), "--as",
                    ANIMATOR)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    refs = ([p["ref"] for p in json.loads(written)] if format_ == "json"
            else [row["ref"] for row in csv.DictReader(io.StringIO(written))])
    assert refs == ["P-DRAFT1", "P-WATER1"]


def test_an_empty_export_is_still_well_formed(comdev: Callable[..., Result],
                                              world: World) -> None:
    for identity in EXPERTS:
        world.run(identity, c.ErasePerson())
    assert exported(comdev, "experts", "json") == []
    result = comdev("experts", "--as", ANIMATOR)
    assert result.stdout.splitlines() == [",".join(export.EXPERT_COLUMNS)]


@pytest.mark.parametrize("kind", ["projects", "needs", "experts"])
@pytest.mark.parametrize("identity", [REP, AMINA, "telegram:999999"])
def test_exports_are_refused_to_anyone_who_is_not_an_animator(
        comdev: Callable[..., Result], tmp_path: Path, kind: str, identity: str) -> None:
    target = tmp_path / "out.csv"
    for args in (("--as", identity), ("--as", identity, "--output", str(target))):
        result = comdev(kind, *args)
        assert result.exit_code == 3, result.output
        assert "is not an animator" in result.stderr and result.stdout == ""
    assert not target.exists()


def test_an_unknown_format_is_refused(comdev: Callable[..., Result]) -> None:
    result = comdev("projects", "--format", "xlsx", "--as", ANIMATOR)
    assert result.exit_code == 2 and result.stdout == ""
