"""`comdev stats [--json]` on a migrated SQLite database: a varied community built through core
services (and bot.effects, as the chat runs them), whose figures must equal what separate SQL
queries count directly in the database (issue 6's acceptance)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, text
from sqlmodel import select
from typer.testing import CliRunner, Result

from admin_cli.stats import app as stats_app
from bot.effects import perform
from bot.relay import Relay
from core import commands as c
from core import services
from core.domain.people import Role
from core.domain.projects import THEMES, NeedStatus, Status
from core.domain.proposals import ProposalStatus
from core.models import ChannelIdentity, Need, Person, Proposal, Territory
from core.uow import UnitOfWork

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # daytime in Paris, Casablanca and Toronto
TIZNIT, TAROUDANT = "09.581", "09.273"
TAFRAOUT, IGHERM, NOWHERE = "09.581.01.05", "09.273.03.01", "99.999.99.99"
IRRIGATION, DRIP, AGRONOMY = ("water.irrigation_engineering", "water.drip_irrigation",
                              "agriculture.agronomy")
ANIMATOR, REP_A, REP_B = "telegram:1001", "whatsapp:+212600000001", "telegram:1002"
E_FR, E_MA, E_CA, E_NONE = ("telegram:2001", "whatsapp:+212600000002", "telegram:2003",
                            "whatsapp:+33600000004")
SUPPORTER, NEWCOMER, TWO, OPTED, ERASED = ("whatsapp:+212600000005", "telegram:3001",
                                           "telegram:3002", "whatsapp:+212600000007",
                                           "telegram:4001")
TWO_WHATSAPP = "whatsapp:+212600000006"
STRANGER = SUPPORTER


@dataclass
class Community:
    engine: Engine
    ids: dict[str, int]

    def run(self, identity: str, at: datetime, *commands: c.Command) -> None:
        """Runs commands as the person behind an identity, as the chat would, and commits."""
        with UnitOfWork(self.engine) as uow:
            person = uow.session.get(Person, self.ids[identity])
            assert person is not None
            perform(uow, person, list(commands), at, Relay())
            uow.commit()

    def proposal(self, identity: str, skill: str) -> int:
        """The proposal of the need for this skill made to this expert."""
        with UnitOfWork(self.engine) as uow:
            found = uow.session.exec(select(Proposal.id).join(
                Need, Need.id == Proposal.need_id).where(
                Proposal.expert_id == self.ids[identity], Need.skill_code == skill)).one()
            assert found is not None
            return found

    def need(self, label: str) -> int:
        with UnitOfWork(self.engine) as uow:
            found = uow.session.exec(select(Need.id).where(Need.label == label)).one()
            assert found is not None
            return found


def profile(skill: str, country: str | None, languages: tuple[str, ...],
            accepts: bool = True) -> c.SaveExpertProfile:
    return c.SaveExpertProfile(
        skills=(c.SkillOffered(skill, "", "expert"),), languages=languages, country=country,
        city=None, timezone=None, origin_code=None, themes=("water",), hours_per_month=40,
        mode="both", visits=(), proposals_per_month=5, accepts_proposals=accepts)


def project(ref: str, organisation: int, commune: str, theme: str) -> c.CreateProject:
    return c.CreateProject(ref, organisation, commune, f"Project {ref}", "About it", theme,
                           "local", None, "yes", None)


def organisation_of(engine: Engine, identity: str, commune: str) -> int:
    from core.models import Organisation, OrganisationMember

    with UnitOfWork(engine) as uow:
        found = uow.session.exec(select(Organisation.id).join(
            OrganisationMember, OrganisationMember.organisation_id == Organisation.id).join(
            ChannelIdentity, ChannelIdentity.person_id == OrganisationMember.person_id).where(
            ChannelIdentity.id == identity, Organisation.commune_code == commune)).one()
        assert found is not None
        return found


def people(engine: Engine) -> dict[str, int]:
    """Eleven people (and one more, erased later) of every role, language and channel."""
    before = T0 - timedelta(days=1)
    ids: dict[str, int] = {}
    with UnitOfWork(engine) as uow:
        uow.session.add_all([
            Territory(code=TIZNIT, kind="province", name_fr="Tiznit", name_ar="تيزنيت"),
            Territory(code=TAROUDANT, kind="province", name_fr="Taroudant", name_ar="تارودانت"),
            Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout", name_ar="تافراوت",
                      province_code=TIZNIT),
            Territory(code=IGHERM, kind="commune", name_fr="Igherm", name_ar="إغرم",
                      province_code=TAROUDANT),
            Territory(code=NOWHERE, kind="commune", name_fr="Nowhere", name_ar="لا مكان")])
        for identity, language in ((ANIMATOR, "fr"), (REP_A, "zgh"), (REP_B, "ar"),
                                   (E_FR, "fr"), (E_MA, "ar"), (E_CA, "en"), (E_NONE, "fr"),
                                   (SUPPORTER, "en"), (NEWCOMER, "ar"), (TWO, "zgh"),
                                   (OPTED, "fr"), (ERASED, "en")):
            ids[identity] = services.register_contact(uow, identity, language, before).id or 0
        uow.session.add(ChannelIdentity(id=TWO_WHATSAPP, person_id=ids[TWO],
                                        channel="whatsapp", created_at=before))
        uow.commit()
    return ids


@pytest.fixture
def community(engine: Engine) -> Community:
    """Builds the community: seven projects in every status but closed, in two provinces and
    a commune of none; needs of every status and unit; proposals accepted, refused,
    declined, put off and withdrawn; an open and a closed ticket; an erased expert."""
    world = Community(engine, people(engine))
    before = T0 - timedelta(days=1)
    with UnitOfWork(engine) as uow:
        from core import staff
        from core.domain.identity import Identity

        staff.grant(uow, Identity.parse(ANIMATOR), Role.ANIMATOR, "fr", before)
        uow.commit()
    for identity in world.ids:
        if identity != NEWCOMER:
            world.run(identity, before, c.GiveConsent())
    for identity, role in ((SUPPORTER, Role.SUPPORTER), (TWO, Role.SUPPORTER),
                           (OPTED, Role.SUPPORTER), (E_FR, Role.EXPERT)):
        world.run(identity, before, c.ChooseRole(role))
    world.run(OPTED, before, c.OptOut())
    world.run(REP_A, before, c.RegisterOrganisation("Tamount", "association", TAFRAOUT),
              c.RegisterOrganisation("Far away", "cooperative", NOWHERE))
    world.run(REP_B, before, c.RegisterOrganisation("Igherm youth", "association", IGHERM),
              profile("energy.solar_pv", "BE", ("ar", "fr")))
    world.run(E_FR, before, profile(IRRIGATION, "FR", ("fr", "darija")))
    world.run(E_MA, before, profile(IRRIGATION, "MA", ("ar", "zgh")))
    world.run(E_CA, before, profile(IRRIGATION, "CA", ("en",)))
    world.run(E_NONE, before, profile(IRRIGATION, None, ("fr",), accepts=False))
    world.run(ERASED, before, profile(AGRONOMY, "FR", ("en",)))
    org_a, org_far = (organisation_of(engine, REP_A, TAFRAOUT),
                      organisation_of(engine, REP_A, NOWHERE))
    org_b = organisation_of(engine, REP_B, IGHERM)

    # The irrigation need of P-WATER1: declined, put off, accepted after two hours.
    world.run(REP_A, T0, project("P-WATER1", org_a, TAFRAOUT, "water"),
              c.AddNeed("P-WATER1", "skill", skill_code=IRRIGATION, mode="on_site",
                        unit="days", requested=10),
              c.AddNeed("P-WATER1", "money", label="the pump", unit="MAD", requested=40_000),
              c.SubmitProject("P-WATER1"),
              project("P-HEALTH", org_a, TAFRAOUT, "health"), c.SubmitProject("P-HEALTH"),
              project("P-YOUTH1", org_a, TAFRAOUT, "youth"), c.SubmitProject("P-YOUTH1"))
    world.run(ANIMATOR, T0 + timedelta(minutes=10), c.ReviewProject("P-WATER1", "approve"),
              c.ReviewProject("P-YOUTH1", "reject", "Which douar?"))
    world.run(E_MA, T0 + timedelta(minutes=30),
              c.AnswerProposal(world.proposal(E_MA, IRRIGATION), "not_for_me"))
    world.run(E_CA, T0 + timedelta(minutes=40),
              c.AnswerProposal(world.proposal(E_CA, IRRIGATION), "not_now"))
    world.run(E_FR, T0 + timedelta(hours=1),
              c.AnswerProposal(world.proposal(E_FR, IRRIGATION), "interested"))
    world.run(REP_A, T0 + timedelta(hours=2),
              c.DecideProposal(world.proposal(E_FR, IRRIGATION), True))
    world.run(REP_A, T0 + timedelta(hours=2), c.SetNeedStatus(world.need("the pump"), "closed"))

    # The drip irrigation need of P-SCHOOL: one refused, one accepted five hours after.
    world.run(REP_B, T0 + timedelta(hours=3), project("P-SCHOOL", org_b, IGHERM, "education"),
              c.AddNeed("P-SCHOOL", "skill", skill_code=DRIP, unit="hours", requested=20),
              c.SubmitProject("P-SCHOOL"))
    world.run(ANIMATOR, T0 + timedelta(hours=3, minutes=10),
              c.ReviewProject("P-SCHOOL", "approve"))
    world.run(E_CA, T0 + timedelta(hours=4),
              c.AnswerProposal(world.proposal(E_CA, DRIP), "interested"))
    world.run(REP_B, T0 + timedelta(hours=4, minutes=30),
              c.DecideProposal(world.proposal(E_CA, DRIP), False))
    world.run(E_FR, T0 + timedelta(hours=5),
              c.AnswerProposal(world.proposal(E_FR, DRIP), "interested"))
    world.run(REP_B, T0 + timedelta(hours=8), c.DecideProposal(world.proposal(E_FR, DRIP), True),
              c.MoveProject("P-SCHOOL", "in_progress"))

    # A farm in a commune of no province, whose only candidate is erased with their ticket.
    world.run(REP_A, T0 + timedelta(hours=9), project("P-FARM01", org_far, NOWHERE,
                                                      "agriculture"),
              c.AddNeed("P-FARM01", "skill", skill_code=AGRONOMY, requested=3, unit="days"),
              c.SubmitProject("P-FARM01"))
    world.run(ANIMATOR, T0 + timedelta(hours=9), c.ReviewProject("P-FARM01", "approve"))
    world.proposal(ERASED, AGRONOMY)  # they were asked
    world.run(ERASED, T0 + timedelta(hours=10), c.RequestHuman("menu.main"))
    world.run(ERASED, T0 + timedelta(hours=10), c.ErasePerson())

    # A draft with a need, a completed project whose books came.
    world.run(REP_B, T0 + timedelta(hours=11), project("P-DRAFT1", org_b, IGHERM, "women"),
              c.AddNeed("P-DRAFT1", "partner", label="a twin village"),
              project("P-BOOKS1", org_b, IGHERM, "culture"),
              c.AddNeed("P-BOOKS1", "materials", label="books", unit="items", requested=300),
              c.SubmitProject("P-BOOKS1"))
    world.run(ANIMATOR, T0 + timedelta(hours=11), c.ReviewProject("P-BOOKS1", "approve"))
    world.run(REP_B, T0 + timedelta(hours=12), c.SetNeedStatus(world.need("books"),
                                                               "fulfilled"),
              c.MoveProject("P-BOOKS1", "completed"))

    # Tickets: one still open, one closed by the animator.
    world.run(SUPPORTER, T0 + timedelta(hours=12), c.RequestHuman("menu.main"))
    world.run(REP_A, T0 + timedelta(hours=12), c.RequestHuman("menu.main"))
    with UnitOfWork(engine) as uow:
        from core import tickets

        closing = tickets.open_request(uow, world.ids[REP_A])
        assert closing is not None and closing.id is not None
        ticket = closing.id
    world.run(ANIMATOR, T0 + timedelta(hours=13), c.CloseTicket(ticket))
    return world


@pytest.fixture
def comdev(sqlite_url: str, community: Community, monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Result]:
    """Runs `comdev stats ...` on the test's database, in a wide terminal."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "200")
    app = typer.Typer()
    app.add_typer(stats_app, name="stats")

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["stats", *args])

    return run


# --- what the database holds, counted directly -------------------------------------------

def rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(text(sql)).all())


def moment(value: str | datetime) -> datetime:
    found = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def ordered(counts: Counter[str], known: tuple[str, ...]) -> dict[str, int]:
    return {key: counts.get(key, 0) for key in known} | {
        key: n for key, n in sorted(counts.items()) if key not in known}


def counted(engine: Engine) -> dict[str, Any]:
    """Every figure of `comdev stats --json`, counted with SQL of the test's own."""
    persons = rows(engine, "SELECT id, roles, language, consent_at, opted_out FROM person")
    roles = Counter(role for _id, held, *_ in persons for role in (held.split(",")
                                                                   if held else ["none"]))
    channels = Counter(channel for _pid, channel in rows(
        engine, "SELECT DISTINCT i.person_id, i.channel FROM channel_identity i "
                "WHERE i.person_id IN (SELECT id FROM person)"))
    countries = Counter(country or "unknown" for _id, country in rows(
        engine, "SELECT p.id, e.country FROM person p "
                "LEFT JOIN expert_profile e ON e.person_id = p.id"))
    places = {code: (province, name) for code, province, name in rows(
        engine, "SELECT code, province_code, name_fr FROM territory")}
    projects = rows(engine, "SELECT status, theme, commune_code FROM project")
    provinces: Counter[str] = Counter()
    for _status, _theme, commune in projects:
        provinces[places.get(commune, (None, ""))[0] or "unknown"] += 1
    needs = rows(engine, "SELECT n.status, n.unit, n.requested, n.committed, n.fulfilled "
                         "FROM need n JOIN project p ON p.id = n.project_id "
                         "WHERE p.status <> 'draft'")
    units: dict[str, dict[str, int]] = {}
    for _status, unit, requested, committed, fulfilled in sorted(needs, key=lambda r: r[1]):
        sums = units.setdefault(unit or "none", dict.fromkeys(
            ("needs", "requested", "committed", "fulfilled"), 0))
        for key, value in zip(sums, (1, requested, committed, fulfilled), strict=True):
            sums[key] += value
    proposals = rows(engine, "SELECT status, sent_at, need_id, decided_at FROM proposal")
    by_status = Counter(status for status, *_ in proposals)
    decided = by_status["accepted"] + by_status["refused"]
    opened = dict(rows(engine, "SELECT id, created_at FROM need"))
    first: dict[int, datetime] = {}
    for status, _sent, need, at in proposals:
        if status == "accepted":
            first[need] = min(first.get(need, moment(at)), moment(at))
    waits = sorted((at - moment(opened[need])).total_seconds() for need, at in first.items())
    tickets = rows(engine, "SELECT closed_at FROM handoff_request")
    return {
        "people": {
            "total": len(persons), "consented": sum(1 for p in persons if p[3] is not None),
            "opted_out": sum(1 for p in persons if p[4]),
            "by_role": ordered(roles, (*(r.value for r in Role), "none")),
            "by_language": ordered(Counter(p[2] for p in persons), ("ar", "zgh", "fr", "en")),
            "by_channel": ordered(channels, ("telegram", "whatsapp")),
            "by_country": ordered(countries, ())},
        "projects": {
            "total": len(projects),
            "by_status": ordered(Counter(p[0] for p in projects), tuple(Status)),
            "by_theme": ordered(Counter(p[1] for p in projects), THEMES),
            "by_province": {code: {"name": places[code][1] if code in places else "unknown",
                                   "projects": n} for code, n in sorted(provinces.items())}},
        "needs": {"total": len(needs),
                  "by_status": ordered(Counter(n[0] for n in needs), tuple(NeedStatus)),
                  "by_unit": units},
        "proposals": {"total": len(proposals),
                      "sent": sum(1 for p in proposals if p[1] is not None),
                      "by_status": ordered(by_status, tuple(ProposalStatus)),
                      "decided": decided,
                      "acceptance_rate": by_status["accepted"] / decided if decided else None},
        "first_match": {
            "needs": len(waits),
            "median_seconds": waits[min(len(waits) - 1, len(waits) // 2)] if waits else None,
            "p90_seconds": waits[min(len(waits) - 1, int(0.9 * len(waits)))] if waits
            else None},
        "tickets": {"open": sum(1 for (closed,) in tickets if closed is None),
                    "closed": sum(1 for (closed,) in tickets if closed is not None)},
    }


def figures(comdev: Callable[..., Result]) -> dict[str, Any]:
    result = comdev("--as", ANIMATOR, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert isinstance(found, dict)
    return found


# --- the figures -----------------------------------------------------------------------------

def test_the_json_figures_equal_what_the_database_holds_counted_directly(
        comdev: Callable[..., Result], engine: Engine) -> None:
    found = figures(comdev)
    at = found.pop("at")
    assert abs(datetime.fromisoformat(at) - datetime.now(UTC)) < timedelta(minutes=1)
    assert found == counted(engine)


def test_the_community_is_as_varied_as_the_figures_say(comdev: Callable[..., Result]) -> None:
    """The figures are those of the community built, not only equal to a second count."""
    found = figures(comdev)
    people, projects, needs = found["people"], found["projects"], found["needs"]
    assert (people["total"], people["consented"], people["opted_out"]) == (11, 10, 1)
    assert people["by_role"] == {"representative": 2, "expert": 5, "supporter": 3,
                                 "visitor": 0, "animator": 1, "admin": 0, "none": 1}
    assert people["by_language"] == {"ar": 3, "zgh": 2, "fr": 4, "en": 2}
    assert people["by_channel"] == {"telegram": 6, "whatsapp": 6}
    assert people["by_country"] == {"BE": 1, "CA": 1, "FR": 1, "MA": 1, "unknown": 7}
    assert projects["by_status"] == {"draft": 1, "awaiting_review": 1, "open": 2,
                                     "in_progress": 1, "completed": 1, "closed": 0,
                                     "rejected": 1}
    assert list(projects["by_theme"]) == list(THEMES)
    assert projects["by_theme"]["water"] == 1 and projects["by_theme"]["women"] == 1
    assert list(projects["by_province"]) == [TAROUDANT, TIZNIT, "unknown"]
    assert projects["by_province"] == {
        TAROUDANT: {"name": "Taroudant", "projects": 3},
        TIZNIT: {"name": "Tiznit", "projects": 3},
        "unknown": {"name": "unknown", "projects": 1}}
    assert needs["by_status"] == {"open": 3, "fulfilled": 1, "closed": 1}  # not the draft's
    assert list(needs["by_unit"]) == ["MAD", "days", "hours", "items"]
    assert needs["by_unit"]["MAD"] == {"needs": 1, "requested": 40_000, "committed": 0,
                                       "fulfilled": 0}
    assert needs["by_unit"]["days"] == {"needs": 2, "requested": 13, "committed": 10,
                                        "fulfilled": 0}
    proposals = found["proposals"]
    assert {k: v for k, v in proposals["by_status"].items() if v} == {
        "accepted": 2, "refused": 1, "declined": 1, "later": 1, "withdrawn": 1}
    assert proposals["acceptance_rate"] == pytest.approx(2 / 3)
    assert found["first_match"] == {"needs": 2, "median_seconds": 5 * 3600.0,
                                    "p90_seconds": 5 * 3600.0}
    assert found["tickets"] == {"open": 1, "closed": 1}


def test_an_erased_person_counts_nowhere(comdev: Callable[..., Result],
                                         community: Community, engine: Engine) -> None:
    before = figures(comdev)
    with UnitOfWork(engine) as uow:
        erased = uow.session.get(Person, community.ids[ERASED])
    assert erased is None
    community.run(E_CA, T0 + timedelta(days=1), c.ErasePerson())
    after = figures(comdev)
    assert after["people"]["total"] == before["people"]["total"] - 1
    assert after["people"]["by_role"]["expert"] == before["people"]["by_role"]["expert"] - 1
    assert after["people"]["by_country"].get("CA", 0) == 0
    assert after["people"]["by_language"]["en"] == before["people"]["by_language"]["en"] - 1
    assert after["proposals"]["by_status"]["refused"] == 0  # their proposals went with them
    assert after["proposals"]["acceptance_rate"] == 1.0
    after.pop("at")
    assert after == counted(engine)


def test_the_keys_are_stable_whatever_the_database_holds(
        sqlite_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty community still has every key, every known value at zero."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    with UnitOfWork(engine) as uow:
        from core import staff
        from core.domain.identity import Identity

        staff.grant(uow, Identity.parse(ANIMATOR), Role.ANIMATOR, "fr", T0)
        uow.commit()
    app = typer.Typer()
    app.add_typer(stats_app, name="stats")
    result = CliRunner().invoke(app, ["stats", "--json", "--as", ANIMATOR])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert list(found) == ["at", "people", "projects", "needs", "proposals", "first_match",
                           "tickets"]
    assert list(found["people"]["by_role"]) == [*(r.value for r in Role), "none"]
    assert list(found["projects"]["by_status"]) == list(Status)
    assert found["proposals"]["by_status"] == dict.fromkeys(ProposalStatus, 0)
    assert found["proposals"]["acceptance_rate"] is None
    assert found["first_match"] == {"needs": 0, "median_seconds": None, "p90_seconds": None}
    assert found["needs"] == {"total": 0, "by_status": {"open": 0, "fulfilled": 0, "closed": 0},
                              "by_unit": {}}


# --- the tables ------------------------------------------------------------------------------

def table(output: str, title: str) -> dict[str, list[str]]:
    """The rows of the table printed under a title: first cell → the other cells."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    found: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        if line.startswith("└"):
            return found
        if line.startswith("│"):
            first, *cells = [cell.strip() for cell in line.strip("│").split("│")]
            found[first] = cells
    raise AssertionError(f"no table under {title!r}")


def test_the_tables_show_the_same_numbers_as_the_json(comdev: Callable[..., Result]) -> None:
    found = figures(comdev)
    result = comdev("--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    out = result.output
    people = found["people"]
    assert (f"People: {people['total']}, consented {people['consented']}, opted out "
            f"{people['opted_out']}; by role") in out
    for title, counts in (("People: ", people["by_role"]),
                          ("People by language", people["by_language"]),
                          ("People by channel", people["by_channel"]),
                          ("People by country", people["by_country"]),
                          ("Projects: ", found["projects"]["by_status"]),
                          ("Projects by theme", found["projects"]["by_theme"]),
                          ("Needs (but drafts')", found["needs"]["by_status"]),
                          ("Tickets", found["tickets"])):
        assert table(out, title) == {k: [str(v)] for k, v in counts.items()}, title
    provinces = table(out, "Projects by province")
    assert provinces == {code: [p["name"], str(p["projects"])]
                         for code, p in found["projects"]["by_province"].items()}
    assert table(out, "Needs by unit") == {
        unit: [str(a[k]) for k in ("needs", "requested", "committed", "fulfilled")]
        for unit, a in found["needs"]["by_unit"].items()}
    proposals = table(out, "Proposals: ")
    for status, count in found["proposals"]["by_status"].items():
        assert proposals[status] == [str(count)]
    assert proposals["decided (accepted + refused)"] == ["3"]
    assert proposals["acceptance rate (accepted / decided)"] == ["66.7%"]
    assert table(out, "Time from a need") == {"needs matched": ["2", ""],
                                              "median": ["18000", "5h 0m"],
                                              "90th percentile": ["18000", "5h 0m"]}
    assert re.search(r"Pledges: not counted yet", out)


# --- who may read them -----------------------------------------------------------------------

@pytest.mark.parametrize("identity", [STRANGER, REP_A, E_FR, "telegram:999999"])
def test_the_figures_are_refused_to_anyone_who_is_not_an_animator(
        comdev: Callable[..., Result], identity: str) -> None:
    for args in (("--as", identity), ("--as", identity, "--json")):
        result = comdev(*args)
        assert result.exit_code == 3, result.output
        assert "is not an animator" in result.output and "people" not in result.stdout


def test_the_figures_need_someone_to_act(comdev: Callable[..., Result]) -> None:
    result = comdev("--json")
    assert result.exit_code == 2 and "--as IDENTITY" in result.output
