"""`comdev broadcast create|preview|send|status|list|cancel` on a migrated SQLite database:
what each command writes and prints, its JSON against core.broadcasts, `send --wait` with the
server's worker sending meanwhile, `send --dispatch` through the fake Telegram and Twilio, and
every command refused to someone who is not staff."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import col, select
from typer.testing import CliRunner, Result

from admin_cli.broadcast import app as broadcast_app
from core import broadcasts, outbox
from core.db import make_engine
from core.domain.audience import Audience, Kind
from core.domain.outbox import SendOutcome, SendResult
from core.models import Broadcast, ChannelIdentity, ExpertProfile, Need, OutboxMessage, Person
from core.uow import UnitOfWork
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.unit.test_proposals_core import REF, SKILL, World

ANIMATOR, STRANGER = "telegram:5004", "telegram:5005"  # World's animator; a representative
HX = "HX" + "0" * 32


def zone_at(hour: int) -> str:
    """A time zone where it is now about `hour` o'clock: the CLI runs on the real clock, and
    quiet hours (21:00-08:00 where people live) defer their messages."""
    offset = (hour - datetime.now(UTC).hour + 12) % 24 - 12  # -12 .. +11 hours
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


@pytest.fixture
def world(engine: Engine) -> World:
    built = World(lambda: UnitOfWork(engine))
    with UnitOfWork(engine) as uow:  # everyone built by World agreed to our terms
        for person in uow.session.exec(select(Person)):
            person.consent_at = datetime.now(UTC) - timedelta(days=30)
        uow.commit()
    return built


def expert(world: World, name: str, *, reads: str = "fr", speaks: str = "fr",
           identity: str | None = None, hour: int = 12, consent: bool = True,
           **kwargs: Any) -> int:
    """An irrigation engineer awake now (unless `hour` says otherwise), who wrote an hour
    ago, reading the bot in `reads`."""
    pid = world.expert(name, identity=identity, timezone=zone_at(hour), **kwargs)
    with world.uow_factory() as uow:
        person, profile = uow.session.get(Person, pid), uow.session.get(ExpertProfile, pid)
        assert person is not None and profile is not None
        person.language, profile.languages = reads, speaks
        person.consent_at = datetime.now(UTC) - timedelta(days=30) if consent else None
        link = uow.session.exec(select(ChannelIdentity).where(
            ChannelIdentity.person_id == pid)).one()
        link.last_inbound_at = datetime.now(UTC) - timedelta(hours=1)
        uow.commit()
    return pid


@pytest.fixture
def comdev(sqlite_url: str, world: World, monkeypatch: pytest.MonkeyPatch
           ) -> Callable[..., Result]:
    """Runs `comdev broadcast ...` as the animator (COMDEV_AS), wide enough for the tables."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("COMDEV_AS", ANIMATOR)
    monkeypatch.delenv("WHATSAPP_TEMPLATES_FILE", raising=False)
    app = typer.Typer()
    app.add_typer(broadcast_app)

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["broadcast", *args])

    return run


def created(result: Result) -> int:
    assert result.exit_code == 0, result.output
    found = re.search(r"broadcast (\d+) created", result.output)
    assert found, result.output
    return int(found.group(1))


def stored(world: World, broadcast_id: int) -> Broadcast:
    with world.uow_factory() as uow:
        found = uow.session.get(Broadcast, broadcast_id)
        assert found is not None
        uow.session.expunge(found)
        return found


def news(comdev: Callable[..., Result], *args: str) -> int:
    return created(comdev("create", "--text", "fr=Formation samedi", "--text",
                          "ar=تكوين يوم السبت", *args))


# --- create ------------------------------------------------------------------------------------

def test_create_writes_a_draft_with_its_texts_audience_image_and_templates(
        comdev: Callable[..., Result], world: World, tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text("Training on Saturday\nat 10:00", encoding="utf-8")
    broadcast_id = created(comdev(
        "create", "--text", "fr=Formation samedi", "--text-file", f"en={tmp_path / 'en.txt'}",
        "--image", "https://example.org/affiche.jpg", "--skill", "water", "--language", "zgh",
        "--language", "fr", "--country", "fr", "--origin", "09.581", "--theme", "water",
        "--role", "expert", "--channel", "telegram", "--followers", REF,
        "--template", f"fr={HX}", "--template-var", "fr:2=Tafraout"))
    found = stored(world, broadcast_id)
    assert (found.kind, found.status, found.created_by) == ("news", "draft", world.animator)
    assert json.loads(found.texts) == {"fr": "Formation samedi",
                                       "en": "Training on Saturday\nat 10:00"}
    assert found.image == "https://example.org/affiche.jpg"
    assert Audience.from_json(found.audience) == Audience(
        skills=("water",), languages=("zgh", "fr"), countries=("FR",), origins=("09.581",),
        themes=("water",), roles=("expert",), channel="telegram", project=REF)
    assert json.loads(found.templates) == {
        "fr": {"sid": HX, "variables": {"1": "Formation samedi", "2": "Tafraout"}}}


def test_create_at_a_time_schedules_it_in_utc(comdev: Callable[..., Result],
                                              world: World) -> None:
    result = comdev("create", "--text", "fr=Salam", "--at", "2026-12-01 09:00+01:00")
    found = stored(world, created(result))
    assert found.status == "scheduled" and "scheduled for 2026-12-01 08:00 UTC" in result.output
    assert found.scheduled_at is not None
    assert found.scheduled_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    plain = stored(world, created(comdev("create", "--text", "fr=Salam", "--at",
                                         "2026-12-01 09:00")))
    assert plain.scheduled_at is not None and plain.scheduled_at.hour == 9  # UTC


def test_a_call_goes_to_the_needs_skill_with_the_templates_files_call_template(
        comdev: Callable[..., Result], world: World, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "templates.json"
    path.write_text(json.dumps({"call": {"fr": HX, "ar": "HX" + "1" * 32}}), encoding="utf-8")
    monkeypatch.setenv("WHATSAPP_TEMPLATES_FILE", str(path))
    found = stored(world, created(comdev("create", "--kind", "call", "--need",
                                         str(world.need), "--language", "zgh")))
    assert (found.kind, found.need_id) == ("call", world.need)
    assert Audience.from_json(found.audience) == Audience(skills=(SKILL,), languages=("zgh",))
    assert json.loads(found.templates) == {  # {{1}}: the project's title, as in the chat
        "fr": {"sid": HX, "variables": {"1": "Eau de Tazka"}},
        "ar": {"sid": "HX" + "1" * 32, "variables": {"1": "Eau de Tazka"}}}
    wider = stored(world, created(comdev("create", "--kind", "call", "--need",
                                         str(world.need), "--skill", "water")))
    assert Audience.from_json(wider.audience).skills == ("water",)


@pytest.mark.parametrize(("args", "reason"), [
    ((), "a broadcast needs a text"),
    (("--text", "de=Hallo"), "the language is one of ar, zgh, fr, en"),
    (("--text", "fr"), "--text takes LANG=VALUE"),
    (("--text-file", "fr=/nowhere.txt"), "cannot read /nowhere.txt"),
    (("--kind", "poll", "--text", "fr=x"), "--kind must be one of news, call"),
    (("--kind", "call"), "a call needs --need ID"),
    (("--kind", "call", "--need", "999"), "no need has the number 999"),
    (("--need", "1", "--text", "fr=x"), "--need is for a call"),
    (("--text", "fr=x", "--skill", "plumbing.golden"), "neither a skill code"),
    (("--text", "fr=x", "--language", "klingon"), "--language is one of"),
    (("--text", "fr=x", "--country", "FRA"), "two-letter code"),
    (("--text", "fr=x", "--origin", "99.999"), "no region, province or commune"),
    (("--text", "fr=x", "--theme", "space"), "--theme is one of"),
    (("--text", "fr=x", "--role", "king"), "--role is one of"),
    (("--text", "fr=x", "--channel", "sms"), "--channel is telegram or whatsapp"),
    (("--text", "fr=x", "--followers", "P-NOPE"), "no project has the reference P-NOPE"),
    (("--text", "fr=x", "--image", "affiche.jpg"), "--image takes the image's URL"),
    (("--text", "fr=x", "--template", "fr=XX12"), "give a Content SID (HX…)"),
    (("--text", "fr=x", "--template-var", "fr:1=y"), "no template in 'fr'"),
    (("--text", "fr=x", "--template", f"fr={HX}", "--template-var", "fr=y"), "LANG:N=VALUE"),
    (("--text", "fr=x", "--at", "next tuesday"), "--at: not a time"),
])
def test_create_refuses_what_cannot_be_sent_with_exit_2_and_the_reason(
        comdev: Callable[..., Result], world: World, args: tuple[str, ...],
        reason: str) -> None:
    result = comdev("create", *args)
    assert result.exit_code == 2, result.output
    assert reason in result.stderr
    with world.uow_factory() as uow:
        assert uow.session.exec(select(Broadcast)).first() is None


def test_a_call_about_a_need_that_is_not_an_open_skill_need_is_refused(
        comdev: Callable[..., Result], world: World) -> None:
    with world.uow_factory() as uow:
        need = uow.session.get(Need, world.need)
        assert need is not None
        need.status = "fulfilled"
        uow.commit()
    result = comdev("create", "--kind", "call", "--need", str(world.need))
    assert result.exit_code == 2 and "an open skill need" in result.stderr


# --- preview -----------------------------------------------------------------------------------

def test_the_preview_prints_what_core_counts_with_the_reasons_named(
        comdev: Callable[..., Result], world: World) -> None:
    expert(world, "Amina", reads="zgh", speaks="zgh,fr")
    expert(world, "Brahim", speaks="zgh", identity="whatsapp:+33600000001")
    expert(world, "Chloé", speaks="zgh", hour=2)  # 02:00 where she lives: in the morning
    expert(world, "Driss", speaks="zgh", opted_out=True)
    expert(world, "Hassan", speaks="zgh", consent=False)
    expert(world, "Ito", speaks="fr")  # does not speak Tamazight: not selected
    broadcast_id = news(comdev, "--language", "zgh", "--role", "expert")
    result = comdev("preview", str(broadcast_id), "--json")
    assert result.exit_code == 0, result.output
    with world.uow_factory() as uow:
        expected = broadcasts.preview(
            uow, Kind.NEWS, Audience(languages=("zgh",), roles=("expert",)),
            datetime.now(UTC), texts={"fr": "Formation samedi", "ar": "تكوين يوم السبت"})
    assert json.loads(result.output) == expected.to_dict()
    assert expected.reached == 3 and expected.deferred == 1
    assert expected.by_channel == {"telegram": 2, "whatsapp": 1}
    assert expected.by_language == {"fr": 3}  # Amina reads Tamazight: the French text
    assert expected.excluded == {"opted_out": 1, "no_consent": 1}
    tables = comdev("preview", str(broadcast_id)).output
    for shown in ("reached", "deferred to 08:00", "By channel", "whatsapp", "By language",
                  "sent STOP", "never agreed to our terms"):
        assert shown in tables


# --- send, status, list, cancel ----------------------------------------------------------------

def test_send_schedules_now_and_tells_that_the_servers_worker_sends_it(
        comdev: Callable[..., Result], world: World) -> None:
    broadcast_id = news(comdev)
    result = comdev("send", str(broadcast_id))
    assert result.exit_code == 0, result.output
    assert "within 2 s" in result.output and "comdev worker" in result.output
    found = stored(world, broadcast_id)
    assert found.status == "scheduled" and found.scheduled_at is not None
    assert datetime.now(UTC) - found.scheduled_at.replace(tzinfo=UTC) < timedelta(minutes=1)
    later = news(comdev)
    assert comdev("send", str(later), "--at", "2026-12-24 18:00").exit_code == 0
    at = stored(world, later).scheduled_at
    assert at is not None and at.replace(tzinfo=UTC) == datetime(2026, 12, 24, 18, 0, tzinfo=UTC)
    refused = comdev("send", str(later), "--at", "2099-01-01 10:00", "--wait")
    assert refused.exit_code == 2 and "--wait follows a broadcast sent now" in refused.stderr
    assert comdev("send", "999").exit_code == 1


class ServersWorker:
    """The server's dispatcher, sending meanwhile in a thread: claims the outbox and records
    every row sent."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(0.05):
            with UnitOfWork(self.engine) as uow:
                now = datetime.now(UTC)
                for row in outbox.claim(uow, now):
                    outbox.record_result(uow, row, SendResult(SendOutcome.SENT, "p"), now)

    def __enter__(self) -> ServersWorker:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(10)
        self.engine.dispose()


def test_send_wait_queues_from_here_and_follows_until_nothing_waits(
        comdev: Callable[..., Result], world: World, sqlite_url: str) -> None:
    people = [expert(world, f"E{i}") for i in range(3)]
    expert(world, "Night", hour=23)
    broadcast_id = news(comdev, "--role", "expert")
    with ServersWorker(sqlite_url):
        result = comdev("send", str(broadcast_id), "--wait")
    assert result.exit_code == 0, result.output
    assert (f"broadcast {broadcast_id} done: 3 sent, 0 failed, 1 deferred (sent later by the "
            f"server's worker), 0 waiting, 0 skipped, of 4") in result.output
    with world.uow_factory() as uow:
        sent = uow.session.exec(select(OutboxMessage.person_id).where(
            OutboxMessage.status == "sent").order_by(col(OutboxMessage.person_id))).all()
    assert list(sent) == people


@pytest.fixture
def fakes() -> Iterator[tuple[FakeTelegram, FakeTwilio]]:
    telegram, twilio = FakeTelegram().start(), FakeTwilio().start()
    yield telegram, twilio
    telegram.stop()
    twilio.stop()


def test_send_dispatch_sends_through_telegram_and_twilio_in_each_readers_language(
        comdev: Callable[..., Result], world: World,
        fakes: tuple[FakeTelegram, FakeTwilio], monkeypatch: pytest.MonkeyPatch) -> None:
    telegram, twilio = fakes
    for name, value in (("TELEGRAM_BOT_TOKEN", "123:cli"), ("TELEGRAM_WEBHOOK_SECRET", "s"),
                        ("TELEGRAM_API_BASE_URL", telegram.url + "/bot"),
                        ("TWILIO_ACCOUNT_SID", "AC" + "0" * 32), ("TWILIO_AUTH_TOKEN", "t"),
                        ("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886"),
                        ("TWILIO_API_BASE_URL", twilio.url)):
        monkeypatch.setenv(name, value)
    expert(world, "Amina", reads="zgh", identity="telegram:7001")
    expert(world, "Karim", reads="ar", identity="telegram:7002")
    expert(world, "Brahim", reads="en", identity="whatsapp:+33600000001")
    broadcast_id = news(comdev, "--role", "expert")
    result = comdev("send", str(broadcast_id), "--dispatch")
    assert result.exit_code == 0, result.output
    assert f"broadcast {broadcast_id} done: 3 sent, 0 failed" in result.output
    assert [c.params["text"] for c in telegram.messages(7001)] == ["Formation samedi"]
    assert [c.params["text"] for c in telegram.messages(7002)] == ["تكوين يوم السبت"]
    assert [c.params["Body"] for c in twilio.messages("whatsapp:+33600000001")] == [
        "Formation samedi"]  # English reader: no English text, French is the fallback
    status = comdev("status", str(broadcast_id), "--json")
    assert json.loads(status.output)["sent"] == 3


def test_send_dispatch_without_telegram_or_twilio_is_refused_before_anything_changes(
        comdev: Callable[..., Result], world: World) -> None:
    broadcast_id = news(comdev)
    result = comdev("send", str(broadcast_id), "--dispatch")
    assert result.exit_code == 2 and "none is set" in result.stderr
    assert stored(world, broadcast_id).status == "draft"


def test_status_prints_what_core_counts(comdev: Callable[..., Result], world: World,
                                        sqlite_url: str) -> None:
    expert(world, "Awake")
    expert(world, "Asleep", hour=3)
    broadcast_id = news(comdev, "--role", "expert")
    with ServersWorker(sqlite_url):
        assert comdev("send", str(broadcast_id), "--wait").exit_code == 0
    result = comdev("status", str(broadcast_id), "--json")
    with world.uow_factory() as uow:
        expected = broadcasts.progress(uow, broadcast_id, datetime.now(UTC))
    assert expected is not None and json.loads(result.output) == expected.to_dict()
    assert (expected.status, expected.sent, expected.deferred) == ("done", 1, 1)
    table = comdev("status", str(broadcast_id)).output
    assert all(word in table for word in ("Broadcast", "status", "done", "recipients"))
    assert comdev("status", "999").exit_code == 1


def table_rows(output: str) -> list[list[str]]:
    """The cells of a Rich table's body rows."""
    return [[cell.strip() for cell in line.strip("│").split("│")]
            for line in output.splitlines() if line.startswith("│")]


def test_list_shows_the_broadcasts_newest_first_with_their_counts(
        comdev: Callable[..., Result], world: World) -> None:
    assert comdev("list").output.strip() == "no broadcast yet"
    expert(world, "Awake")
    expert(world, "Asleep", hour=3)
    first = news(comdev, "--role", "expert")
    second = created(comdev("create", "--kind", "call", "--need", str(world.need)))
    with world.uow_factory() as uow:
        broadcasts.schedule(uow, first, None, datetime.now(UTC))
        uow.commit()
    with world.uow_factory() as uow:
        broadcasts.send_batch(uow, first, lambda b, r: "{}", datetime.now(UTC))
    rows = table_rows(comdev("list").output)
    assert [row[:3] for row in rows] == [[str(second), "call", "draft"],
                                         [str(first), "news", "done"]]
    assert rows[1][5:] == ["2", "0", "0", "1", "1"]  # recipients, sent, failed, deferred, waiting
    assert rows[0][4] == "-" and rows[1][4].startswith(f"{datetime.now(UTC):%Y-%m-%d}")


def test_cancel_stops_a_broadcast_not_fully_queued_and_refuses_a_done_one(
        comdev: Callable[..., Result], world: World) -> None:
    broadcast_id = news(comdev, "--at", "2026-12-24 18:00")
    result = comdev("cancel", str(broadcast_id))
    assert result.exit_code == 0 and "cancelled" in result.output
    assert stored(world, broadcast_id).status == "cancelled"
    again = comdev("cancel", str(broadcast_id))
    assert again.exit_code == 1 and "already done" in again.stderr
    assert comdev("cancel", "999").exit_code == 1


# --- permissions -------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ("create", "--text", "fr=Salam"), ("preview", "{id}"), ("preview", "{id}", "--json"),
    ("send", "{id}"), ("send", "{id}", "--wait"), ("status", "{id}"), ("list",),
    ("cancel", "{id}")])
def test_every_command_is_refused_to_someone_who_is_not_staff(
        comdev: Callable[..., Result], world: World, command: tuple[str, ...]) -> None:
    broadcast_id = news(comdev)
    args = [part.format(id=broadcast_id) for part in command]
    result = comdev(*args, "--as", STRANGER)
    assert result.exit_code == 3, result.output
    assert f"refused: {STRANGER} is not an animator" in result.stderr
    assert stored(world, broadcast_id).status == "draft"
    with world.uow_factory() as uow:
        assert len(uow.session.exec(select(Broadcast)).all()) == 1
