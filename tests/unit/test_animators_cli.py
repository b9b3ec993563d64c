"""`comdev animators add|remove|list` and core.staff on a migrated SQLite database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner, Result

from admin_cli.animators import app as animators_app
from core import services, staff
from core.domain.identity import Identity
from core.domain.people import Role
from core.models import ChannelIdentity, Person
from core.uow import UnitOfWork

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ALICE, BOB = "whatsapp:+212600000001", "telegram:4242"


@pytest.fixture
def comdev(sqlite_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Result]:
    """Runs `comdev animators ...` on the test's database."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "fr")
    app = typer.Typer()
    app.add_typer(animators_app, name="animators")

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["animators", *args])

    return run


def person_of(engine: Engine, identity: str) -> Person | None:
    with UnitOfWork(engine) as uow:
        person = services.find_person(uow, identity)
        if person is not None:
            uow.session.expunge(person)
        return person


def is_staff(engine: Engine, identity: str) -> bool:
    person = person_of(engine, identity)
    return person is not None and services.is_staff(person)


def register(engine: Engine, identity: str, language: str = "ar") -> None:
    with UnitOfWork(engine) as uow:
        services.register_contact(uow, identity, language, NOW)
        uow.commit()


# --- add ----------------------------------------------------------------------------------

def test_adding_an_unknown_identity_creates_an_animator_who_never_wrote(
        comdev: Callable[..., Result], engine: Engine) -> None:
    result = comdev("add", ALICE)
    assert result.exit_code == 0, result.output
    assert f"{ALICE} is now animator" in result.output
    person = person_of(engine, ALICE)
    assert person is not None and person.roles == "animator" and person.language == "fr"
    with UnitOfWork(engine) as uow:
        link = uow.session.get(ChannelIdentity, ALICE)
        assert link is not None and link.last_inbound_at is None and link.channel == "whatsapp"


def test_an_added_animator_is_staff_and_a_removed_one_is_not(
        comdev: Callable[..., Result], engine: Engine) -> None:
    assert not is_staff(engine, ALICE)
    assert comdev("add", ALICE).exit_code == 0
    assert is_staff(engine, ALICE)
    assert comdev("remove", ALICE).exit_code == 0
    assert not is_staff(engine, ALICE)


def test_adding_twice_changes_nothing_the_second_time(
        comdev: Callable[..., Result], engine: Engine) -> None:
    assert comdev("add", ALICE).exit_code == 0
    result = comdev("add", ALICE)
    assert result.exit_code == 0
    assert "already animator; nothing changed" in result.output
    with UnitOfWork(engine) as uow:
        assert len(uow.session.exec(select(Person)).all()) == 1


def test_adding_an_existing_person_keeps_their_role_and_language(
        comdev: Callable[..., Result], engine: Engine) -> None:
    register(engine, BOB, "zgh")
    with UnitOfWork(engine) as uow:
        person = services.find_person(uow, BOB)
        assert person is not None
        person.roles = "expert"
        uow.commit()
    assert comdev("add", BOB, "--lang", "en").exit_code == 0
    person = person_of(engine, BOB)
    assert person is not None and (person.roles, person.language) == ("expert,animator", "zgh")


def test_the_language_of_a_new_animator_can_be_given(
        comdev: Callable[..., Result], engine: Engine) -> None:
    assert comdev("add", BOB, "--lang", "zgh").exit_code == 0
    person = person_of(engine, BOB)
    assert person is not None and person.language == "zgh"


def test_an_unknown_language_is_refused(comdev: Callable[..., Result], engine: Engine) -> None:
    result = comdev("add", BOB, "--lang", "de")
    assert result.exit_code == 2
    assert "--lang must be one of ar, zgh, fr, en" in result.output
    assert person_of(engine, BOB) is None


def test_add_with_admin_makes_an_administrator(
        comdev: Callable[..., Result], engine: Engine) -> None:
    result = comdev("add", BOB, "--admin")
    assert result.exit_code == 0 and f"{BOB} is now admin" in result.output
    person = person_of(engine, BOB)
    assert person is not None and person.roles == "admin" and services.is_staff(person)


@pytest.mark.parametrize("command", ["add", "remove"])
@pytest.mark.parametrize("text", ["+212600000001", "whatsapp:0600", "telegram:abc", "sms:1"])
def test_a_bad_identity_is_refused_with_exit_code_2(
        comdev: Callable[..., Result], engine: Engine, command: str, text: str) -> None:
    result = comdev(command, text)
    assert result.exit_code == 2
    assert "not an identity" in result.output and "whatsapp:+<number>" in result.output
    with UnitOfWork(engine) as uow:
        assert uow.session.exec(select(Person)).first() is None


def test_logs_name_the_person_by_id_never_by_number(
        comdev: Callable[..., Result], engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="core")
    comdev("add", ALICE)
    comdev("remove", ALICE)
    person = person_of(engine, ALICE)
    assert person is not None
    assert f"person {person.id} granted animator" in caplog.text
    assert f"person {person.id} lost animator" in caplog.text
    assert "212600000001" not in caplog.text


# --- remove -------------------------------------------------------------------------------

def test_removing_keeps_the_person_and_their_other_roles(
        comdev: Callable[..., Result], engine: Engine) -> None:
    register(engine, BOB)
    with UnitOfWork(engine) as uow:
        person = services.find_person(uow, BOB)
        assert person is not None
        person.roles = "expert,animator"
        uow.commit()
    result = comdev("remove", BOB)
    assert result.exit_code == 0 and f"{BOB} is no longer animator" in result.output
    person = person_of(engine, BOB)
    assert person is not None and person.roles == "expert"


def test_removing_an_unknown_identity_is_refused(
        comdev: Callable[..., Result], engine: Engine) -> None:
    result = comdev("remove", ALICE)
    assert result.exit_code == 1
    assert f"no one is known as {ALICE}" in result.output
    assert person_of(engine, ALICE) is None


def test_removing_a_role_the_person_does_not_have_changes_nothing(
        comdev: Callable[..., Result], engine: Engine) -> None:
    register(engine, BOB)
    result = comdev("remove", BOB)
    assert result.exit_code == 0 and f"{BOB} was not animator; nothing changed" in result.output
    assert comdev("add", BOB).exit_code == 0
    result = comdev("remove", BOB, "--admin")
    assert result.exit_code == 0 and "was not admin" in result.output
    assert is_staff(engine, BOB)


def test_the_last_administrator_cannot_be_removed(
        comdev: Callable[..., Result], engine: Engine) -> None:
    assert comdev("add", ALICE, "--admin").exit_code == 0
    result = comdev("remove", ALICE, "--admin")
    assert result.exit_code == 1 and "last administrator" in result.output
    assert is_staff(engine, ALICE)
    assert comdev("add", BOB, "--admin").exit_code == 0
    assert comdev("remove", ALICE, "--admin").exit_code == 0
    assert not is_staff(engine, ALICE) and is_staff(engine, BOB)


# --- list ---------------------------------------------------------------------------------

def test_listing_with_no_staff_says_so(comdev: Callable[..., Result]) -> None:
    result = comdev("list")
    assert result.exit_code == 0 and "no animators yet" in result.output


def test_listing_shows_every_animator_and_admin_with_their_identities(
        comdev: Callable[..., Result], engine: Engine) -> None:
    register(engine, "telegram:7")  # not staff: not listed
    comdev("add", ALICE)
    comdev("add", BOB, "--admin")
    comdev("add", BOB)
    with UnitOfWork(engine) as uow:  # Bob also writes from WhatsApp
        bob = services.find_person(uow, BOB)
        assert bob is not None and bob.id is not None
        uow.session.add(ChannelIdentity(id="whatsapp:+212600000009", person_id=bob.id,
                                        channel="whatsapp", created_at=NOW))
        uow.commit()
    result = comdev("list")
    assert result.exit_code == 0, result.output
    for text in ("identity", "person id", "roles", "language", "since", ALICE, BOB,
                 "whatsapp:+212600000009", "animator, admin", "fr"):
        assert text in result.output
    assert "telegram:7" not in result.output
    with UnitOfWork(engine) as uow:
        members = staff.staff(uow)
    assert [m.identities for m in members] == [(ALICE,), (BOB, "whatsapp:+212600000009")]
    assert [m.roles for m in members] == [{Role.ANIMATOR}, {Role.ANIMATOR, Role.ADMIN}]


# --- core.staff ---------------------------------------------------------------------------

def test_only_staff_roles_are_granted_or_revoked(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        with pytest.raises(ValueError, match="chosen by the person"):
            staff.grant(uow, Identity.parse(ALICE), Role.EXPERT, "fr", NOW)
        with pytest.raises(ValueError, match="chosen by the person"):
            staff.revoke(uow, Identity.parse(ALICE), Role.REPRESENTATIVE)


def test_grant_and_revoke_tell_whether_anything_changed(engine: Engine) -> None:
    alice = Identity.parse(ALICE)
    with UnitOfWork(engine) as uow:
        assert staff.revoke(uow, alice, Role.ANIMATOR) is False  # unknown
        assert staff.grant(uow, alice, Role.ANIMATOR, "fr", NOW) is True
        assert staff.grant(uow, alice, Role.ANIMATOR, "fr", NOW) is False
        assert staff.revoke(uow, alice, Role.ANIMATOR) is True
        assert staff.revoke(uow, alice, Role.ANIMATOR) is False
