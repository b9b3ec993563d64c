"""`comdev import projects FILE.csv`: a commune's PCD list, every row checked before anything
is written, all of it in one transaction, nothing twice; and the needs syntax it reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, func
from sqlmodel import col, select
from typer.testing import CliRunner, Result

from admin_cli.imports import app as import_app
from core import projects, services
from core.domain.imports import NeedSpec, parse_need, parse_needs
from core.models import (
    ExpertProfile,
    ExpertSkill,
    Need,
    Organisation,
    OrganisationMember,
    Project,
    ProjectEvent,
    Proposal,
    Territory,
)
from core.skills import default_index
from core.uow import UnitOfWork

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "pcd_projects.csv"
TAFRAOUT, AMMELNE = "09.581.01.05", "09.581.09.05"
ANIMATOR, STRANGER = "telegram:1001", "telegram:1002"
HEADER = "commune,title,description,theme,kind,peer,pcd_reference,needs\n"
SKILLS = frozenset(skill.code for skill in default_index().taxonomy.skills)


@pytest.fixture
def world(engine: Engine) -> dict[str, int]:
    """Communes of Tiznit (two named Tafraout...), two Sidi Bouzid in two provinces, an
    animator and someone who is not one."""
    now = datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        uow.session.add_all([
            Territory(code="09.581", kind="province", name_fr="Tiznit", name_ar="تيزنيت"),
            Territory(code="09.163", kind="province", name_fr="Chtouka Ait Baha",
                      name_ar="اشتوكة آيت باها"),
            Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout", name_ar="تافراوت",
                      province_code="09.581"),
            Territory(code="09.581.03.11", kind="commune", name_fr="Tafraout El Mouloud",
                      name_ar="تفراوت المولود", province_code="09.581"),
            Territory(code=AMMELNE, kind="commune", name_fr="Ammelne", name_ar="أملن",
                      province_code="09.581"),
            Territory(code="09.581.11.13", kind="commune", name_fr="Sidi Bouzid",
                      name_ar="سيدي بوزيد", province_code="09.581"),
            Territory(code="09.163.05.01", kind="commune", name_fr="Sidi Bouzid",
                      name_ar="سيدي بوزيد", province_code="09.163")])
        animator = services.register_contact(uow, ANIMATOR, "fr", now)
        stranger = services.register_contact(uow, STRANGER, "fr", now)
        animator.roles, stranger.roles = "animator", "representative"
        uow.commit()
        return {"animator": animator.id or 0, "stranger": stranger.id or 0}


@pytest.fixture
def comdev(sqlite_url: str, world: dict[str, int], monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Result]:
    """Runs `comdev import ...` on the test's database, in a wide terminal."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "400")  # no reason wraps in its cell
    app = typer.Typer()
    app.add_typer(import_app)

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["import", *args])

    return run


def csv_file(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "pcd.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def counts(engine: Engine) -> tuple[int, int, int, int]:
    """How many projects, needs, organisations and audit events there are."""
    with UnitOfWork(engine) as uow:
        return tuple(  # type: ignore[return-value]
            uow.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Project, Need, Organisation, ProjectEvent))


def line_of(output: str, text: str) -> str:
    return next(line for line in output.splitlines() if text in line)


# --- the sample file -------------------------------------------------------------------------

def test_the_sample_is_imported_open_for_the_communes_with_its_needs_and_audit_trail(
        comdev: Callable[..., Result], engine: Engine, world: dict[str, int]) -> None:
    result = comdev("projects", str(SAMPLE), "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    assert "imported: 4, skipped (already there): 0" in result.output
    assert "organisation created: Commune Tafraout" in result.output
    assert "organisation created: Commune Ammelne" in result.output
    with UnitOfWork(engine) as uow:
        found = list(uow.session.exec(select(Project).order_by(col(Project.id))))
        rows = [(p.commune_code, p.title, p.theme, p.kind, p.peer, p.pcd, p.pcd_reference,
                 p.status, p.created_by) for p in found]
        owners = {p.ref: uow.session.get(Organisation, p.organisation_id) for p in found}
        kinds = {(o.name, o.kind, o.commune_code) for o in owners.values() if o}
        irrigation = projects.card(uow, found[0].ref)
        trail = [(e.action, e.person_id, e.from_status, e.to_status, e.note)
                 for e in projects.history(uow, found[0].ref)]
        members = uow.session.execute(
            select(func.count()).select_from(OrganisationMember)).scalar_one()
    animator = world["animator"]
    assert rows == [
        (TAFRAOUT, "Irrigation goutte-à-goutte des vergers d'amandiers", "agriculture", "local",
         None, "yes", "PCD-TAF-2023-04", "open", animator),
        (AMMELNE, "Eau potable du douar Tagdicht", "water", "local", None, "yes",
         "PCD-AML-2023-01", "open", animator),
        (AMMELNE, "Coopérative d'huile d'argan des femmes", "women", "investment", None, "yes",
         "PCD-AML-2023-07", "open", animator),
        (TAFRAOUT, "Échange avec un lycée agricole", "education", "exchange", "young_people",
         "yes", "PCD-TAF-2023-11", "open", animator)]
    assert kinds == {("Commune Tafraout", "commune", TAFRAOUT),
                     ("Commune Ammelne", "commune", AMMELNE)}
    assert members == 0  # the animator imports; they do not become a representative
    assert irrigation is not None
    assert [(n.kind, n.skill_code, n.label, n.mode, n.unit, n.requested, n.status)
            for n in irrigation.needs] == [
        ("skill", "water.drip_irrigation", "", "on_site", "days", 15, "open"),
        ("money", None, "the pump", None, "MAD", 40_000, "open")]
    assert trail[0] == ("imported", animator, None, "open", "PCD import from "
                        "pcd_projects.csv, line 2")
    assert [t[:2] for t in trail[1:]] == [("need_added", animator)] * 2
    for ref in owners:
        assert ref in line_of(result.output, ref) and "Commune" in line_of(result.output, ref)


def test_imported_skill_needs_go_to_matching_at_once(
        comdev: Callable[..., Result], engine: Engine) -> None:
    now = datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        expert = services.register_contact(uow, "telegram:2001", "fr", now)
        expert.roles, expert.consent_at = "expert", now
        uow.session.flush()
        uow.session.add(ExpertProfile(person_id=expert.id or 0, country="FR",
                                      timezone="Europe/Paris", languages="fr",
                                      accepts_proposals=True))
        uow.session.add(ExpertSkill(person_id=expert.id or 0,
                                    skill_code="water.drip_irrigation", level="expert"))
        uow.commit()
        expert_id = expert.id
    result = comdev("projects", str(SAMPLE), "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    with UnitOfWork(engine) as uow:
        proposed = list(uow.session.exec(
            select(Proposal.expert_id, Need.skill_code).join(Need,
                                                            col(Need.id) == Proposal.need_id)))
    assert (expert_id, "water.drip_irrigation") in proposed
    assert f"experts asked by matching: {len(proposed)}" in result.output


def test_importing_the_same_file_twice_skips_every_project_already_there(
        comdev: Callable[..., Result], engine: Engine) -> None:
    assert comdev("projects", str(SAMPLE), "--as", ANIMATOR).exit_code == 0
    after_first = counts(engine)
    again = comdev("projects", str(SAMPLE), "--as", ANIMATOR)
    assert again.exit_code == 0, again.output
    assert "imported: 0, skipped (already there): 4" in again.output
    assert counts(engine) == after_first
    with UnitOfWork(engine) as uow:
        ref = uow.session.exec(select(Project.ref).where(
            Project.pcd_reference == "PCD-AML-2023-01")).one()
    assert ref in line_of(again.output, "Eau potable du douar Tagdicht")


def test_a_project_repeated_in_the_file_or_already_declared_by_chat_is_skipped(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    with UnitOfWork(engine) as uow:
        organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
        uow.session.add(organisation)
        uow.session.flush()
        uow.session.add(Project(ref="P-CHAT22", organisation_id=organisation.id or 0,
                                commune_code=TAFRAOUT, title="Piste de Tazka", theme="water",
                                kind="local", pcd_reference="PCD-7", status="awaiting_review"))
        uow.commit()
    path = csv_file(tmp_path,
                    "Tafraout,Piste  de tazka,,infrastructure,,,pcd-7,",
                    "Tafraout,École de Tazka,,education,,,PCD-8,",
                    "09.581.01.05,école de Tazka,,education,,,PCD-8,",
                    "Ammelne,École de Tazka,,education,,,PCD-8,")  # another commune's
    result = comdev("projects", str(path), "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    assert "imported: 2, skipped (already there): 2" in result.output
    assert "P-CHAT22" in line_of(result.output, "Piste de tazka")
    assert "line 3 of this file" in line_of(result.output, "école de Tazka")


# --- nothing half-imported -------------------------------------------------------------------

def test_one_bad_row_rejects_the_file_and_each_problem_is_reported(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    before = counts(engine)
    path = csv_file(
        tmp_path,
        "Tafraout,Bonne ligne,Une description,water,local,,PCD-1,skill:drip_irrigation",
        "Nowhere Town,,,sport,local,artists,PCD-2,money:beaucoup",
        "Ammelne,Une autre bonne ligne,,health,,,PCD-3,partner:un hôpital")
    result = comdev("projects", str(path), "--as", ANIMATOR)
    assert result.exit_code == 1
    assert "1 rows rejected: nothing imported" in result.output
    assert counts(engine) == before
    reported = {(cells[1], cells[2]) for cells in (
        [c.strip() for c in line.split("│")] for line in result.output.splitlines()
        if line.startswith("│"))}
    assert {("3", "commune"), ("3", "title"), ("3", "theme"), ("3", "peer"),
            ("3", "needs")} <= reported
    assert "no commune is called 'Nowhere Town'" in result.output
    assert "'sport' is not one of water" in result.output
    assert "only an exchange looks for a peer" in result.output
    assert "'money:beaucoup': write whole dirhams" in result.output
    assert "Bonne ligne" not in result.output


def test_a_commune_is_found_by_code_or_by_a_name_that_means_one_commune_only(
        comdev: Callable[..., Result], tmp_path: Path) -> None:
    path = csv_file(tmp_path,
                    "Sidi Bouzid,A,,water,,,,", "09.581,B,,water,,,,", "09.999.99.99,C,,water,,,,",
                    "Tafrawt El Mouloud,D,,water,,,,")
    result = comdev("projects", str(path), "--as", ANIMATOR)
    assert result.exit_code == 1
    assert "'Sidi Bouzid' names 2 communes: 09.163.05.01 Sidi Bouzid (Chtouka Ait Baha), " \
           "09.581.11.13 Sidi Bouzid (Tiznit)" in result.output
    assert "09.581 is a province (Tiznit), not a commune" in result.output
    assert "no territory has the HCP code 09.999.99.99" in result.output
    assert "4 rows rejected" not in result.output and "3 rows rejected" in result.output


def test_a_semicolon_file_with_a_bom_and_arabic_names_is_read(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "pcd;.csv"
    path.write_text("\ufeffCommune;Title;Theme;Needs\n"
                    "تافراوت;Séguia de Tazka;water;skill:water_management 5 days|partner:ORMVA\n"
                    "\n"
                    "Sidi Bouzid Tiznit;\"Marché; hebdomadaire\";social_economy;\n",
                    encoding="utf-8")
    result = comdev("projects", str(path), "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    with UnitOfWork(engine) as uow:
        found = [(p.commune_code, p.title) for p in uow.session.exec(
            select(Project).order_by(col(Project.id)))]
        needs = [(n.kind, n.skill_code, n.label, n.requested, n.unit)
                 for n in uow.session.exec(select(Need).order_by(col(Need.id)))]
    assert found == [(TAFRAOUT, "Séguia de Tazka"), ("09.581.11.13", "Marché; hebdomadaire")]
    assert needs == [("skill", "water.water_management", "", 5, "days"),
                     ("partner", None, "ORMVA", 1, "")]


def test_a_file_that_cannot_be_read_is_refused_whole(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    before = counts(engine)
    missing = csv_file(tmp_path, "Tafraout,A", header="commune,title\n", name="short.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes((HEADER + "Tafraout,Réseau,,water,,,,\n").encode("latin-1"))
    shifted = csv_file(tmp_path, "Tafraout,Réseau,eau, forages,water,local,,PCD-1,partner:x",
                       name="shifted.csv")
    for path, said in ((missing, "missing columns: theme"), (latin1, "not UTF-8"),
                       (tmp_path / "nope.csv", "cannot read"),
                       (csv_file(tmp_path, name="empty.csv"), "no project below the header"),
                       (shifted, "1 cells more than the header has columns")):
        result = comdev("projects", str(path), "--as", ANIMATOR)
        assert result.exit_code == 1 and said in result.output, (path, result.output)
    assert counts(engine) == before


# --- options ---------------------------------------------------------------------------------

def test_a_dry_run_checks_and_shows_but_writes_nothing(
        comdev: Callable[..., Result], engine: Engine) -> None:
    before = counts(engine)
    result = comdev("projects", str(SAMPLE), "--as", ANIMATOR, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: 4 projects would be imported, 0 skipped; nothing written" in result.output
    assert "Commune Tafraout (new)" in line_of(result.output, "Irrigation goutte")
    assert counts(engine) == before


def test_the_organisation_named_is_used_and_its_representatives_own_the_projects(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    with UnitOfWork(engine) as uow:
        council = Organisation(name="Conseil communal de Tafraout", kind="commune",
                               commune_code=TAFRAOUT)
        uow.session.add(council)
        uow.commit()
        council_id = council.id
    path = csv_file(tmp_path, "Tafraout,Piste,,infrastructure,,,PCD-9,",
                    "Ammelne,Piste,,infrastructure,,,PCD-9,")
    result = comdev("projects", str(path), "--as", ANIMATOR, "--organisation",
                    "conseil communal  de TAFRAOUT")
    assert result.exit_code == 0, result.output
    with UnitOfWork(engine) as uow:
        owners = [(p.commune_code, p.organisation_id) for p in uow.session.exec(
            select(Project).order_by(col(Project.id)))]
        created = uow.session.exec(select(Organisation).where(
            Organisation.commune_code == AMMELNE)).one()
        assert (created.name, created.kind) == ("conseil communal de TAFRAOUT", "commune")
        assert owners == [(TAFRAOUT, council_id), (AMMELNE, created.id)]
    without = comdev("projects", str(csv_file(tmp_path, "Tafraout,École,,education,,,,",
                                              name="b.csv")), "--as", ANIMATOR)
    assert "Conseil communal de Tafraout" in line_of(without.output, "École")


@pytest.mark.parametrize("identity, code", [(STRANGER, 3), ("telegram:9999", 3),
                                            ("someone", 2)])
def test_an_import_is_refused_to_someone_who_is_not_an_animator(
        comdev: Callable[..., Result], engine: Engine, identity: str, code: int) -> None:
    before = counts(engine)
    result = comdev("projects", str(SAMPLE), "--as", identity)
    assert result.exit_code == code
    assert counts(engine) == before


# --- the needs syntax ------------------------------------------------------------------------

@pytest.mark.parametrize("text, need", [
    ("skill:irrigation_engineering",
     NeedSpec("skill", "water.irrigation_engineering", "", "either", "", 1)),
    ("Skill: water.drip_irrigation 20 hours remote",
     NeedSpec("skill", "water.drip_irrigation", "", "remote", "hours", 20)),
    ("skill:drip_irrigation on_site 3 days",
     NeedSpec("skill", "water.drip_irrigation", "", "on_site", "days", 3)),
    ("money:40000 MAD", NeedSpec("money", None, "", None, "MAD", 40_000)),
    ("money: 1 500 000 dh pour la station", NeedSpec("money", None, "la station", None, "MAD",
                                                     1_500_000)),
    ("money:250", NeedSpec("money", None, "", None, "MAD", 250)),
    ("materials:12 panneaux solaires", NeedSpec("materials", None, "panneaux solaires", None,
                                                "items", 12)),
    ("materials:un tracteur", NeedSpec("materials", None, "un tracteur", None, "items", 1)),
    ("partner:une école jumelée", NeedSpec("partner", None, "une école jumelée", None, "", 1)),
])
def test_each_kind_of_need_is_read(text: str, need: NeedSpec) -> None:
    assert parse_need(text, SKILLS) == (need, "")


@pytest.mark.parametrize("text, reason", [
    ("irrigation", "write kind:what"),
    ("food:bread", "write kind:what"),
    ("skill:", "say what skill is needed"),
    ("skill:juggling", "'juggling' is not a skill of the taxonomy"),
    ("skill:drip_irrigation 0 days", "a time between 1 and 10000"),
    ("skill:drip_irrigation soon", "'soon' is not understood"),
    ("money:40k", "write whole dirhams"),
    ("money:12,5 MAD", "write whole dirhams"),
    ("money:0", "an amount between 1 and"),
    ("money:2000000000", "an amount between 1 and"),
    ("materials:0 pumps", "a number of items between 1"),
    ("partner:" + "x" * 301, "at most 300 characters"),
])
def test_a_need_that_cannot_be_read_says_why(text: str, reason: str) -> None:
    need, said = parse_need(text, SKILLS)
    assert need is None and reason in said


def test_a_skill_named_by_the_end_of_several_codes_is_ambiguous() -> None:
    skills = {"water.pumps", "energy.pumps"}
    assert parse_need("skill:pumps", skills) == (
        None, "'pumps' is several skills: energy.pumps, water.pumps")


def test_needs_are_separated_by_semicolons_or_bars_and_capped() -> None:
    needs, problems = parse_needs(" partner:A ;; partner:B | money:10 ", SKILLS)
    assert ([n.label for n in needs], problems) == (["A", "B", ""], [])
    needs, problems = parse_needs(";".join(["partner:x"] * 21), SKILLS)
    assert needs == [] and problems == ["21 needs; at most 20 under one project"]
