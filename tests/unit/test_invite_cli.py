"""`comdev invite` and `comdev experts import` on a migrated SQLite database."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import segno
import typer
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner, Result

from admin_cli.invite import QR_BORDER, QR_SCALE, experts_app, invite_app
from bot.flows.engine import render
from bot.i18n import Translator
from bot.messages import Inbound, Reply
from bot.runner import Runner
from core import inbox, invitations, services
from core.domain.outbox import Priority
from core.locks import LocalLocks
from core.metrics import Metrics
from core.models import (
    ChannelIdentity,
    ExpertInvite,
    Invitation,
    Organisation,
    OutboxMessage,
    Person,
    Project,
    Territory,
)
from core.uow import UnitOfWork
from tests.unit.support import context, person

TAFRAOUT, REF = "09.581.01.05", "P-2026-0001"
WHATSAPP_FROM = "whatsapp:+212500000000"
HELLO = ("Hello {name}! ComDev connects the projects of Moroccan villages with people who can "
         "help them, like you. Would you like to join?")


@pytest.fixture
def comdev(engine: Engine, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Result]:
    """Runs `comdev invite ...` and `comdev experts ...` on the test's database."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    app = typer.Typer()
    app.add_typer(invite_app, name="invite")
    app.add_typer(experts_app, name="experts")
    with UnitOfWork(engine) as uow:
        uow.session.add(Territory(code="09.581", kind="province", name_fr="Tiznit",
                                  name_ar="تيزنيت"))
        uow.session.add(Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout",
                                  name_ar="تافراوت", province_code="09.581"))
        uow.session.flush()
        uow.session.add(Organisation(id=3, name="Tamount", kind="association",
                                     commune_code=TAFRAOUT))
        uow.session.flush()
        uow.session.add(Project(ref=REF, organisation_id=3, commune_code=TAFRAOUT,
                                title="Water for the douar", theme="water", kind="local",
                                status="open"))
        animator = services.register_contact(uow, "telegram:4001", "fr", datetime.now(UTC))
        animator.roles = "animator"
        uow.commit()
    monkeypatch.setenv("COMDEV_AS", "telegram:4001")  # imports write to people: staff only

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    return run


def invitation_codes(engine: Engine) -> list[str]:
    with UnitOfWork(engine) as uow:
        return list(uow.session.exec(select(Invitation.code).order_by(Invitation.created_at)))


def qr_png(link: str) -> bytes:
    """The PNG of the link's QR code, made again the same way."""
    out = io.BytesIO()
    segno.make(link).save(out, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return out.getvalue()


# --- comdev invite ----------------------------------------------------------------------------

def test_an_invitation_to_a_commune_prints_its_code_and_links_and_writes_its_qr_code(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_WHATSAPP_FROM", WHATSAPP_FROM)
    poster = tmp_path / "poster.png"
    result = comdev("invite", "--commune", TAFRAOUT, "--telegram-bot", "@ComDevBot",
                    "--out", str(poster))
    assert result.exit_code == 0, result.output
    (code,) = invitation_codes(engine)
    telegram = f"https://t.me/ComDevBot?start={code}"
    assert f"invitation: {code} (commune {TAFRAOUT})" in result.output
    assert telegram in result.output
    assert f"https://wa.me/212500000000?text=START%20{code}" in result.output
    assert poster.read_bytes() == qr_png(telegram)
    assert segno.make(telegram).matrix == segno.make(telegram, micro=False).matrix


def test_the_bot_name_comes_from_the_environment_when_not_given(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "ComDevBot")
    result = comdev("invite", "--project", REF)
    assert result.exit_code == 0, result.output
    (code,) = invitation_codes(engine)
    assert f"invitation: {code} (project {REF})" in result.output
    assert "WhatsApp: no link" in result.output
    written = tmp_path / f"invite-{code}.png"  # the tests run in tmp_path
    assert written.read_bytes() == qr_png(f"https://t.me/ComDevBot?start={code}")


def test_without_a_bot_name_the_start_command_is_printed_and_the_qr_holds_whatsapp(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_WHATSAPP_FROM", WHATSAPP_FROM)
    result = comdev("invite", "--commune", TAFRAOUT)
    assert result.exit_code == 0, result.output
    (code,) = invitation_codes(engine)
    assert f"send /start {code} to the bot" in result.output
    whatsapp = f"https://wa.me/212500000000?text=START%20{code}"
    assert (tmp_path / f"invite-{code}.png").read_bytes() == qr_png(whatsapp)


def test_without_any_link_no_qr_code_is_written(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    result = comdev("invite", "--commune", TAFRAOUT)
    assert result.exit_code == 0, result.output
    assert "QR code: none" in result.output
    assert list(tmp_path.glob("invite-*.png")) == []


@pytest.mark.parametrize("args", [["--commune", "09.581"], ["--commune", "99.999.99.99"],
                                  ["--project", "P-2020-0404"]])
def test_an_unknown_commune_or_project_creates_no_invitation(
        comdev: Callable[..., Result], engine: Engine, args: list[str]) -> None:
    result = comdev("invite", *args)
    assert result.exit_code == 1
    assert "no invitation created" in result.output
    assert invitation_codes(engine) == []


@pytest.mark.parametrize("args", [[], ["--commune", TAFRAOUT, "--project", REF]])
def test_exactly_one_of_commune_and_project_is_needed(
        comdev: Callable[..., Result], engine: Engine, args: list[str]) -> None:
    assert comdev("invite", *args).exit_code == 2
    assert invitation_codes(engine) == []


def test_stats_print_each_invitation_with_its_counts(
        comdev: Callable[..., Result], engine: Engine) -> None:
    assert "no invitations yet" in comdev("invite", "stats").output
    comdev("invite", "--commune", TAFRAOUT)
    comdev("invite", "--project", REF)
    commune, project = invitation_codes(engine)
    with UnitOfWork(engine) as uow:
        for _ in range(3):
            invitations.opened(uow, commune)
        uow.session.add(Person(language="fr", referral=commune))
        uow.session.flush()
        person = uow.session.exec(select(Person).where(Person.referral == commune)).one()
        invitations.registered(uow, person)
        uow.commit()
    result = comdev("invite", "stats")
    assert result.exit_code == 0, result.output
    cells = [[cell.strip() for cell in re.split("[│┃]", line)[1:-1]]
             for line in result.output.splitlines() if len(re.findall("[│┃]", line)) == 6]
    rows = {row[0]: row for row in cells}
    assert rows["code"] == ["code", "kind", "target", "opened", "registered"]
    assert rows[commune] == [commune, "commune", TAFRAOUT, "3", "1"]
    assert rows[project] == [project, "project", REF, "0", "0"]


# --- comdev experts import --------------------------------------------------------------------

CSV = """name,identity,language,skills,country
Amina Oufkir,whatsapp:+33612345678,fr,water.irrigation_engineering;hydraulique,FR
Youssef,telegram:424242,ar,,
Tiziri,whatsapp:+212611111111,zgh,weaving,ma
Bob,whatsapp:0612,en,,
,telegram:55,xx,,France
John,telegram:77,en,plumbing,GB
"""


def write_csv(tmp_path: Path, text: str = CSV, name: str = "network.csv",
              encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def outbox(engine: Engine) -> dict[str, tuple[int, str, str]]:
    """The messages queued, by identity: (priority, status, payload)."""
    with UnitOfWork(engine) as uow:
        return {m.identity: (m.priority, m.status, m.payload)
                for m in uow.session.exec(select(OutboxMessage))}


def test_an_import_invites_the_valid_rows_and_reports_the_others_by_line(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    result = comdev("experts", "import", str(write_csv(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "line 5: rejected: identity: not telegram:<chat id> or whatsapp:+<number>" \
        in result.output
    line6 = next(line for line in result.output.splitlines() if line.startswith("line 6:"))
    assert "name: missing" in line6 and "language: not one of ar, zgh, fr, en" in line6
    assert "country: not an ISO 3166 two-letter code" in line6
    assert "invited: 4, skipped (already known): 0, rejected: 2" in result.output
    with UnitOfWork(engine) as uow:
        invites = {i.identity: i for i in uow.session.exec(select(ExpertInvite))}
        assert set(invites) == {"whatsapp:+33612345678", "telegram:424242",
                                "whatsapp:+212611111111", "telegram:77"}
        amina = invites["whatsapp:+33612345678"]
        assert (amina.name, amina.language, amina.country) == ("Amina Oufkir", "fr", "FR")
        assert amina.skills == "water.irrigation_engineering;hydraulique"
        assert invites["whatsapp:+212611111111"].country == "MA"
        assert invites["telegram:424242"].country is None


def test_each_person_invited_exists_without_consent_waiting_at_the_consent_question(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    comdev("experts", "import", str(write_csv(tmp_path)))
    with UnitOfWork(engine) as uow:
        for identity, language in [("whatsapp:+33612345678", "fr"), ("telegram:424242", "ar"),
                                   ("whatsapp:+212611111111", "zgh"), ("telegram:77", "en")]:
            person = services.find_person(uow, identity)
            assert person is not None and person.id is not None
            assert (person.language, person.consent_at, person.roles) == (language, None, "")
            assert services.load_conversation(uow, person.id).state == "onboarding.consent"
            link = uow.session.get(ChannelIdentity, identity)
            assert link is not None and link.last_inbound_at is None  # they never wrote


@pytest.mark.parametrize("identity, language, name", [
    ("whatsapp:+33612345678", "fr", "Amina Oufkir"), ("telegram:424242", "ar", "Youssef"),
    ("whatsapp:+212611111111", "zgh", "Tiziri"), ("telegram:77", "en", "John")])
def test_each_person_gets_one_bulk_message_in_their_language_with_the_consent_question(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path, identity: str,
        language: str, name: str) -> None:
    comdev("experts", "import", str(write_csv(tmp_path)))
    priority, status, payload = outbox(engine)[identity]
    assert (priority, status) == (Priority.BULK, "pending")
    reply = Reply.from_json(payload)
    t = Translator(language)
    assert reply.text.startswith(t.gettext(HELLO).format(name=t.iso(name)))
    assert (language == "en") == reply.text.startswith("Hello")  # from the catalogs, not code
    consent = render("onboarding.consent", context(person(language)))
    assert reply.text.endswith("\n\n" + consent.text)
    assert [c.label for c in reply.choices] == [t.gettext("I agree"), t.gettext("No, thank you")]
    assert reply.scope == "onboarding.consent"


def test_a_second_import_skips_everyone_already_invited_or_known(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    with UnitOfWork(engine) as uow:
        services.register_contact(uow, "telegram:77", "en", datetime.now(UTC))
        uow.commit()
    first = comdev("experts", "import", str(write_csv(tmp_path)))
    assert "invited: 3, skipped (already known): 1, rejected: 2" in first.output
    again = comdev("experts", "import", str(write_csv(tmp_path)))
    assert "invited: 0, skipped (already known): 4, rejected: 2" in again.output
    assert len(outbox(engine)) == 3
    with UnitOfWork(engine) as uow:
        assert len(list(uow.session.exec(select(ExpertInvite)))) == 3


def test_the_same_person_twice_in_one_file_is_invited_once(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path) -> None:
    text = "identity,name,language\ntelegram:9,Ali,ar\ntelegram:9,Ali again,fr\n"
    result = comdev("experts", "import", str(write_csv(tmp_path, text)))
    assert "invited: 1, skipped (already known): 1, rejected: 0" in result.output


@pytest.mark.parametrize("name, text, encoding", [
    ("missing column", "name,identity\nAli,telegram:9\n", "utf-8"),
    ("not text", "name,identity,language\nAli,telegram:9,ar\n", "utf-16"),
    ("empty", "", "utf-8"),
])
def test_nothing_is_imported_from_a_file_that_cannot_be_read(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path, name: str, text: str,
        encoding: str) -> None:
    result = comdev("experts", "import", str(write_csv(tmp_path, text, encoding=encoding)))
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert outbox(engine) == {}


def test_a_missing_file_imports_nothing(comdev: Callable[..., Result], tmp_path: Path) -> None:
    result = comdev("experts", "import", str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 1 and "nothing imported" in result.output


@pytest.mark.parametrize("answer, state", [("1", "onboarding.role"), ("oui", "onboarding.role"),
                                           ("2", "onboarding.language")])
async def test_the_first_answer_of_someone_invited_is_read_by_the_consent_question(
        comdev: Callable[..., Result], engine: Engine, tmp_path: Path, answer: str,
        state: str) -> None:
    comdev("experts", "import", str(write_csv(tmp_path)))
    identity = "whatsapp:+33612345678"
    uow_factory = lambda: UnitOfWork(engine)  # noqa: E731
    now = datetime.now(UTC)
    runner = Runner(uow_factory, LocalLocks(), lambda: now, Metrics())
    msg = Inbound(identity, "twilio:SM1", now, text=answer)
    with uow_factory() as uow:
        inbox.record(uow, msg.provider_id, identity, "whatsapp", msg.to_json(), now)
        uow.commit()
    assert await runner.process(identity) == 1
    with uow_factory() as uow:
        person = services.find_person(uow, identity)
        if state == "onboarding.role":
            assert person is not None and person.id is not None
            assert person.consent_at is not None
            assert services.load_conversation(uow, person.id).state == state
        else:
            assert person is None  # declined: nothing kept
        replies = [json.loads(m.payload)["text"] for m in uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.identity == identity,
                                        OutboxMessage.priority == Priority.REPLY))]
        assert replies
