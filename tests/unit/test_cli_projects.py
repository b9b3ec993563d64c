"""`comdev projects list|show|approve|reject`, `comdev needs list` and `comdev tickets
list|show|reply|close` on a migrated SQLite database, the world built through core services."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import col, select
from typer.testing import CliRunner, Result

from admin_cli.needs import app as needs_app
from admin_cli.projects import app as projects_app
from admin_cli.tickets import app as tickets_app
from bot.i18n import Translator
from core import commands as c
from core import projects, services, tickets
from core.domain.experts import FollowKind
from core.models import (
    ExpertProfile,
    ExpertSkill,
    Follow,
    HandoffRequest,
    Need,
    Organisation,
    OrganisationMember,
    OutboxMessage,
    Person,
    Proposal,
    Territory,
)
from core.uow import UnitOfWork

TAFRAOUT, AMMELNE = "09.581.01.05", "09.581.09.05"
REP, ANIMATOR, STRANGER, ASKER = ("whatsapp:+212600000001", "telegram:1001", "telegram:1002",
                                  "telegram:1003")
WATER, SCHOOL, DRAFT = "P-WATER2", "P-SCHOOL", "P-DRAFT2"
SKILL = "water.irrigation_engineering"
APPROVED = ("Good news: your project “{title}” is approved. It is now visible to the experts "
            "and supporters of the community.")
REJECTED = ("Your project “{title}” was not approved. The reason: “{reason}”. You can change "
            "it and send it again from “My projects”.")
ANSWERED = ("Answer from the team: “{text}”\nTo reply, write here; if you have left this "
            "conversation, write HUMAN first.")
CLOSED = ("Your request to talk to a person is closed. Write HUMAN whenever you need a person "
          "again.")


@dataclass
class World:
    engine: Engine
    rep: int
    animator: int
    stranger: int
    asker: int
    organisation: int

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def run(self, person_id: int, *commands: c.Command, minutes: int = 0) -> None:
        """Runs commands as a person, as a chat step would, and commits."""
        with self.uow() as uow:
            who = uow.session.get(Person, person_id)
            assert who is not None
            for command in commands:
                services.execute(command, uow, who, now() + timedelta(minutes=minutes))
            uow.commit()


def now() -> datetime:
    """The time the CLI runs at: the people's 24-hour windows are measured from it."""
    return datetime.now(UTC)


def project(ref: str, organisation: int, title: str, theme: str = "water",
            commune: str = TAFRAOUT) -> c.CreateProject:
    return c.CreateProject(ref, organisation, commune, title, f"About {title}", theme, "local",
                           None, "yes", f"PCD {ref}")


@pytest.fixture
def world(engine: Engine) -> World:
    """A commune, a Tamazight-speaking representative's association with three projects
    (waiting for review, open, draft), an animator, a stranger and a person asking for a
    human."""
    with UnitOfWork(engine) as uow:
        uow.session.add_all([
            Territory(code="09.581", kind="province", name_fr="Tiznit", name_ar="تيزنيت"),
            Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout", name_ar="تافراوت",
                      province_code="09.581"),
            Territory(code=AMMELNE, kind="commune", name_fr="Ammelne", name_ar="أملن",
                      province_code="09.581")])
        people = {}
        for identity, language, roles in ((REP, "zgh", "representative"),
                                          (ANIMATOR, "fr", "animator"),
                                          (STRANGER, "en", "supporter"),
                                          (ASKER, "ar", "supporter")):
            person = services.register_contact(uow, identity, language, now())
            person.roles = roles
            people[identity] = person
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
        uow.session.add(organisation)
        uow.session.flush()
        uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                           person_id=people[REP].id or 0))
        uow.commit()
        built = World(engine, *(people[i].id or 0 for i in (REP, ANIMATOR, STRANGER, ASKER)),
                      organisation.id or 0)
    built.run(built.rep, project(WATER, built.organisation, "Water for Tazka"),
              c.AddNeed(WATER, "skill", skill_code=SKILL, mode="on_site", unit="days",
                        requested=10),
              c.AddNeed(WATER, "money", label="the pump", unit="MAD", requested=40_000),
              c.SubmitProject(WATER))
    built.run(built.rep, project(SCHOOL, built.organisation, "A school library", "education",
                                 AMMELNE),
              c.AddNeed(SCHOOL, "materials", label="books", unit="items", requested=300),
              c.SubmitProject(SCHOOL), minutes=1)
    built.run(built.animator, c.ReviewProject(SCHOOL, "approve"), minutes=2)
    built.run(built.rep, project(DRAFT, built.organisation, "Still a draft"), minutes=3)
    return built


@pytest.fixture
def comdev(sqlite_url: str, world: World, monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Result]:
    """Runs `comdev ...` on the test's database, in a terminal wide enough for the tables."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("COMDEV_AS", ANIMATOR)  # who reads; the actions name theirs with --as
    app = typer.Typer()
    for sub in (projects_app, needs_app, tickets_app):
        app.add_typer(sub)

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    return run


def sent_to(world: World, person_id: int) -> list[str]:
    """The texts queued in the outbox for a person, oldest first."""
    with world.uow() as uow:
        rows = uow.session.exec(select(OutboxMessage).where(
            OutboxMessage.person_id == person_id).order_by(col(OutboxMessage.id)))
        return [json.loads(row.payload)["text"] for row in rows]


def line_of(output: str, ref: str) -> str:
    return next(line for line in output.splitlines() if ref in line)


# --- projects list / show --------------------------------------------------------------------

def test_the_list_shows_every_project_but_drafts_most_recently_changed_first(
        comdev: Callable[..., Result]) -> None:
    result = comdev("projects", "list")
    assert result.exit_code == 0, result.output
    assert DRAFT not in result.output
    assert result.output.index(SCHOOL) < result.output.index(WATER)  # approved after
    water = line_of(result.output, WATER)
    assert all(word in water for word in ("Water for Tazka", "Tafraout", "water",
                                          "awaiting_review", f"{now():%Y-%m-%d}"))
    assert " 2 " in water  # open needs
    school = line_of(result.output, SCHOOL)
    assert all(word in school for word in ("Ammelne", "education", "open", " 1 "))


def test_the_list_filters_by_status_commune_and_theme(comdev: Callable[..., Result]) -> None:
    assert DRAFT in comdev("projects", "list", "--status", "draft").output
    by_commune = comdev("projects", "list", "--commune", AMMELNE).output
    assert SCHOOL in by_commune and WATER not in by_commune
    by_theme = comdev("projects", "list", "--theme", "water", "--status", "awaiting_review")
    assert WATER in by_theme.output and SCHOOL not in by_theme.output
    assert comdev("projects", "list", "--theme", "water", "--status", "open").output.strip() \
        == "no project fits"
    refused = comdev("projects", "list", "--status", "pending")
    assert refused.exit_code == 2 and "--status must be one of" in refused.output


def test_show_prints_the_card_its_needs_history_and_followers(
        comdev: Callable[..., Result], world: World) -> None:
    world.run(world.rep, c.SaveDiagnosis(WATER, "No water in summer", "60 families", "A well",
                                         ("budget", "skill"), "The association"))
    with world.uow() as uow:
        uow.session.add_all([Follow(person_id=world.stranger, kind=FollowKind.PROJECT,
                                    key=WATER),
                             Follow(person_id=world.asker, kind=FollowKind.PROJECT, key=WATER)])
        uow.commit()
    result = comdev("projects", "show", WATER)
    assert result.exit_code == 0, result.output
    out = result.output
    for shown in ("Water for Tazka", "Tamount", "Tafraout / تافراوت", "province Tiznit",
                  "theme: water; kind: local", "PCD: yes, reference PCD P-WATER2",
                  "About Water for Tazka", "problem: No water in summer",
                  "missing: budget, skill", "followers: 2"):
        assert shown in out, shown
    skill_need = line_of(out, SKILL)
    assert all(cell in skill_need for cell in ("skill", "on_site", "10", "days", "open"))
    assert "40000" in line_of(out, "the pump") and "MAD" in line_of(out, "the pump")
    assert "draft → awaiting_review" in line_of(out, "│ submitted")
    assert f"│ {world.rep} " in line_of(out, "│ submitted")


def test_show_of_an_unknown_project_exits_1(comdev: Callable[..., Result]) -> None:
    result = comdev("projects", "show", "P-NOPE22")
    assert result.exit_code == 1 and "no project has the reference P-NOPE22" in result.output


# --- approve / reject ------------------------------------------------------------------------

def an_expert(world: World) -> int:
    """An irrigation engineer in Paris who accepts proposals."""
    with world.uow() as uow:
        person = services.register_contact(uow, "telegram:2001", "fr", now())
        person.roles, person.consent_at = "expert", now()
        uow.session.flush()
        uow.session.add(ExpertProfile(person_id=person.id or 0, country="FR",
                                      timezone="Europe/Paris", languages="fr",
                                      accepts_proposals=True))
        uow.session.add(ExpertSkill(person_id=person.id or 0, skill_code=SKILL,
                                    level="expert"))
        uow.commit()
        return person.id or 0


def test_approve_opens_the_project_tells_its_representative_and_runs_matching(
        comdev: Callable[..., Result], world: World) -> None:
    expert = an_expert(world)
    before = sent_to(world, world.rep)
    result = comdev("projects", "approve", WATER, "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    assert f"{WATER} approved: now open; representatives told: 1" in result.output
    with world.uow() as uow:
        card = projects.card(uow, WATER)
        trail = [(e.action, e.person_id, e.to_status) for e in projects.history(uow, WATER)]
        proposed = list(uow.session.exec(select(Proposal.expert_id)))
    assert card is not None and card.status == "open"
    assert trail[-1] == ("approved", world.animator, "open")
    t = Translator("zgh")
    (notice,) = sent_to(world, world.rep)[len(before):]
    assert notice == t.gettext(APPROVED).format(title=t.iso("Water for Tazka"))
    assert proposed == [expert]


def test_reject_keeps_the_reason_and_tells_the_representative_in_their_language(
        comdev: Callable[..., Result], world: World) -> None:
    before = sent_to(world, world.rep)
    result = comdev("projects", "reject", WATER, "--reason", "Which douar exactly?",
                    "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    with world.uow() as uow:
        card = projects.card(uow, WATER)
    assert card is not None and (card.status, card.reject_reason) == (
        "rejected", "Which douar exactly?")
    t = Translator("zgh")
    assert sent_to(world, world.rep)[len(before):] == [t.gettext(REJECTED).format(
        title=t.iso("Water for Tazka"), reason=t.iso("Which douar exactly?"))]


def test_a_project_not_awaiting_review_or_unknown_is_refused_with_exit_1(
        comdev: Callable[..., Result], world: World) -> None:
    before = sent_to(world, world.rep)
    for ref, said in ((SCHOOL, f"{SCHOOL} is open, not awaiting review"),
                      (DRAFT, f"{DRAFT} is draft, not awaiting review"),
                      ("P-NOPE22", "no project has the reference P-NOPE22")):
        result = comdev("projects", "approve", ref, "--as", ANIMATOR)
        assert result.exit_code == 1 and said in result.output
    assert comdev("projects", "reject", SCHOOL, "--reason", "no", "--as",
                  ANIMATOR).exit_code == 1
    assert sent_to(world, world.rep) == before


def test_a_rejection_needs_a_reason(comdev: Callable[..., Result], world: World) -> None:
    result = comdev("projects", "reject", WATER, "--reason", "   ", "--as", ANIMATOR)
    assert result.exit_code == 2 and "--reason must say why" in result.output
    with world.uow() as uow:
        card = projects.card(uow, WATER)
    assert card is not None and card.status == "awaiting_review"


@pytest.mark.parametrize("args", [("approve", WATER), ("reject", WATER, "--reason", "No")])
def test_review_is_refused_to_someone_who_is_not_an_animator(
        comdev: Callable[..., Result], world: World, args: tuple[str, ...]) -> None:
    for identity in (STRANGER, REP):
        result = comdev("projects", *args, "--as", identity)
        assert result.exit_code == 3 and "is not an animator" in result.output
    with world.uow() as uow:
        card = projects.card(uow, WATER)
    assert card is not None and card.status == "awaiting_review"


# --- needs list ------------------------------------------------------------------------------

def test_needs_list_shows_each_need_with_its_counters_but_not_a_drafts(
        comdev: Callable[..., Result], world: World) -> None:
    world.run(world.rep, c.AddNeed(DRAFT, "partner", label="a twin village"))
    result = comdev("needs", "list")
    assert result.exit_code == 0, result.output
    assert "a twin village" not in result.output
    skill = line_of(result.output, SKILL)
    assert all(cell in skill for cell in (WATER, "skill", "on_site", "10 / 0 / 0 days",
                                          "open"))
    assert "300 / 0 / 0 items" in line_of(result.output, SCHOOL)
    assert "40000 / 0 / 0 MAD" in line_of(result.output, "the pump")
    assert "a twin village" in comdev("needs", "list", "--project", DRAFT).output


def test_needs_list_filters_by_status_kind_skill_project_and_commune(
        comdev: Callable[..., Result], world: World) -> None:
    world.run(world.rep, c.SetNeedStatus(_need_id(world, "the pump"), "fulfilled"))
    fulfilled = comdev("needs", "list", "--status", "fulfilled").output
    assert "the pump" in fulfilled and SKILL not in fulfilled
    assert "40000 / 0 / 40000 MAD" in fulfilled
    by_kind = comdev("needs", "list", "--kind", "materials").output
    assert SCHOOL in by_kind and WATER not in by_kind
    for skill in (SKILL, "water"):
        by_skill = comdev("needs", "list", "--skill", skill).output
        assert SKILL in by_skill and "the pump" not in by_skill and SCHOOL not in by_skill
    assert comdev("needs", "list", "--skill", "water.irrigation").output.strip() == \
        "no need fits"
    by_commune = comdev("needs", "list", "--commune", AMMELNE).output
    assert SCHOOL in by_commune and WATER not in by_commune
    by_project = comdev("needs", "list", "--project", WATER).output
    assert WATER in by_project and SCHOOL not in by_project
    assert comdev("needs", "list", "--kind", "food").exit_code == 2


def _need_id(world: World, label: str) -> int:
    with world.uow() as uow:
        (found,) = uow.session.exec(select(Need.id).where(Need.label == label))
        return found or 0


# --- tickets ---------------------------------------------------------------------------------

def a_ticket(world: World) -> int:
    """The Arabic-speaking person asks for a human and says something."""
    world.run(world.asker, c.RequestHuman("menu.main"),
              c.SayToTicket("أريد أن أتكلم مع شخص"))
    with world.uow() as uow:
        return tickets.open_tickets(uow)[0].id


def test_tickets_list_shows_open_tickets_by_person_id_never_their_address(
        comdev: Callable[..., Result], world: World) -> None:
    ticket = a_ticket(world)
    result = comdev("tickets", "list")
    assert result.exit_code == 0, result.output
    row = line_of(result.output, f"#{world.asker}")
    assert all(cell in row for cell in (str(ticket), "ar", "telegram", f"{now():%Y-%m-%d}"))
    assert "1003" not in result.output and "telegram:" not in result.output
    world.run(world.animator, c.CloseTicket(ticket))
    assert comdev("tickets", "list").output.strip() == "no open ticket"
    closed = line_of(comdev("tickets", "list", "--all").output, f"#{world.asker}")
    assert f"closed {now():%Y-%m-%d}" in closed and f"by #{world.animator}" in closed


def test_tickets_show_prints_everything_said_on_the_ticket(
        comdev: Callable[..., Result], world: World) -> None:
    ticket = a_ticket(world)
    world.run(world.animator, c.AnswerTicket(ticket, "Bonjour, je vous écoute"), minutes=1)
    result = comdev("tickets", "show", str(ticket))
    assert result.exit_code == 0, result.output
    assert f"ticket {ticket}: person #{world.asker}, ar, telegram" in result.output
    asked, answered = line_of(result.output, "أريد"), line_of(result.output, "je vous écoute")
    assert f"person #{world.asker}" in asked and f"team #{world.animator}" in answered
    assert result.output.index("أريد") < result.output.index("je vous écoute")
    assert comdev("tickets", "show", "999").exit_code == 1


def test_a_reply_from_the_terminal_reaches_the_person_in_their_language(
        comdev: Callable[..., Result], world: World) -> None:
    ticket = a_ticket(world)
    before = sent_to(world, world.asker)
    result = comdev("tickets", "reply", str(ticket), "Nous arrivons demain", "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    assert f"person #{world.asker} is told in their app" in result.output
    t = Translator("ar")
    assert sent_to(world, world.asker)[len(before):] == [
        t.gettext(ANSWERED).format(text=t.iso("Nous arrivons demain"))]
    with world.uow() as uow:
        row = uow.session.get(HandoffRequest, ticket)
        assert row is not None and row.answered_by == world.animator
        found = tickets.ticket(uow, ticket)
    assert found is not None and found.messages[-1].text == "Nous arrivons demain"


def test_closing_from_the_terminal_tells_the_person_and_a_closed_ticket_is_refused(
        comdev: Callable[..., Result], world: World) -> None:
    ticket = a_ticket(world)
    before = sent_to(world, world.asker)
    result = comdev("tickets", "close", str(ticket), "--as", ANIMATOR)
    assert result.exit_code == 0, result.output
    t = Translator("ar")
    assert sent_to(world, world.asker)[len(before):] == [t.gettext(CLOSED)]
    with world.uow() as uow:
        row = uow.session.get(HandoffRequest, ticket)
        assert row is not None and row.closed_by == world.animator
    for args in (("close", str(ticket)), ("reply", str(ticket), "Encore ?"),
                 ("reply", "999", "Allô ?")):
        refused = comdev("tickets", *args, "--as", ANIMATOR)
        assert refused.exit_code == 1, refused.output
    assert "is closed" in comdev("tickets", "close", str(ticket), "--as", ANIMATOR).output
    assert len(sent_to(world, world.asker)) == len(before) + 1


@pytest.mark.parametrize("args", [("reply", "{ticket}", "Bonjour"), ("close", "{ticket}")])
def test_answering_or_closing_is_refused_to_someone_who_is_not_an_animator(
        comdev: Callable[..., Result], world: World, args: tuple[str, ...]) -> None:
    ticket = a_ticket(world)
    before = sent_to(world, world.asker)
    command = [arg.format(ticket=ticket) for arg in args]
    result = comdev("tickets", *command, "--as", STRANGER)
    assert result.exit_code == 3 and "is not an animator" in result.output
    with world.uow() as uow:
        row = uow.session.get(HandoffRequest, ticket)
        assert row is not None and (row.answered_by, row.closed_at) == (None, None)
    assert sent_to(world, world.asker) == before
