"""Issue 5's acceptance: an expert registers and is proposed the Tafraout water need with its
reasons; says interested; the Arabic-speaking representative on WhatsApp accepts; both talk
through the assistant; a message and a photo go each way, each side in its own app; neither
ever sees the other's number or chat id. In the expert's four languages, from Telegram and
from WhatsApp."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.i18n import Translator
from core import commands as c
from core import services, territories
from core.clock import Clock
from core.models import Need, Organisation, OrganisationMember, Proposal
from tests.e2e.fakes import Call, FakeTelegram, FakeTwilio
from tests.e2e.harness import Chat, Served, serve, settings_for
from tests.e2e.test_experts import CHANNELS, register

TAFRAOUT = "09.581.01.05"
REF = "P-WATER5"
TITLE = "Eau de Tazka"
REPRESENTATIVE = "whatsapp:+212600000801"
ANIMATOR = "telegram:8001"
START = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # 11:00 in Paris: not quiet hours


def advancing(start: datetime) -> Clock:
    """A clock that starts at `start` and runs at real speed (rate limits refill)."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


@pytest.fixture
def app(fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> Iterator[Served]:
    telegram, twilio = fakes
    with serve(settings_for(sqlite_url, telegram, twilio), telegram, twilio,
               clock=advancing(START)) as served:
        with served.container.uow() as uow:
            territories.load(uow)
            uow.commit()
        yield served


def water_need(app: Served) -> None:
    """An approved water project in Tafraout that needs an irrigation engineer on site or
    remotely for 10 days, by the end of September 2027; its representative writes in Arabic
    from WhatsApp."""
    now = app.container.clock()
    with app.container.uow() as uow:
        rep = services.register_contact(uow, REPRESENTATIVE, "ar", now)
        animator = services.register_contact(uow, ANIMATOR, "fr", now)
        rep.roles, animator.roles, rep.consent_at = "representative", "animator", now
        uow.session.flush()
        organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
        uow.session.add(organisation)
        uow.session.flush()
        uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                           person_id=rep.id or 0))
        uow.session.flush()
        for command in (c.CreateProject(REF, organisation.id or 0, TAFRAOUT, TITLE, "Un puits",
                                        "water", "local", None, "no", None),
                        c.AddNeed(REF, "skill", skill_code="water.irrigation_engineering",
                                  unit="days", requested=10, wanted_by=date(2027, 9, 30)),
                        c.SubmitProject(REF)):
            services.execute(command, uow, rep, now)
        services.execute(c.ReviewProject(REF, "approve"), uow, animator, now)
        uow.commit()


def turn(chat: Chat, text: str, contains: str | None = None) -> str:
    chat.say(text)
    return chat.expect_reply(contains)


def texts(calls: list[Call]) -> list[str]:
    """Everything a person could read in what was sent to them: texts, captions, links,
    template variables; not the address it was sent to."""
    found = []
    for call in calls:
        for key, value in call.params.items():
            if key not in ("chat_id", "To", "From", "reply_markup"):
                found.append(str(value))
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict):
            found += [b[0]["text"] for b in markup.get("inline_keyboard", [])]
    return found


def everything_to(app: Served, identity: str) -> list[Call]:
    channel, _, address = identity.partition(":")
    if channel == "telegram":
        return [c for c in app.telegram.calls if str(c.params.get("chat_id")) == address]
    return [c for c in app.twilio.calls if c.params.get("To") == identity]


@pytest.mark.parametrize("language", ["fr", "ar", "zgh", "en"])
def test_an_expert_and_an_organisation_say_yes_and_talk_across_apps(
        app: Served, language: str) -> None:
    t, ar = Translator(language), Translator("ar")
    _ = t.gettext
    water_need(app)
    expert = Chat(app, CHANNELS[language], language)
    register(expert, language)  # saving the profile runs matching for the expert

    # The proposal, with its reasons in plain words.
    proposal = expert.expect_reply(_("A project needs you!"))
    assert t.iso(TITLE) in proposal
    assert t.iso("تافراوت" if language == "ar" else "Tafraout") in proposal
    reasons = proposal.split(_("Why you: {reasons}.").split("{reasons}")[0])[1]
    assert reasons.startswith(t.iso(_skill(language)))
    assert _("in Morocco in {month}").format(month=t.iso(_august(language))) in reasons
    assert _("you come from this area") in reasons

    turn(expert, "menu")
    turn(expert, _("Proposals for you ({count})").format(count=t.iso(1)))
    card = turn(expert, "1")
    assert _("Would you like to help?") in card
    turn(expert, _("I am interested"), _(
        "Thank you! I have told the organisation. You will hear from me as soon as they "
        "answer; until then, nothing of yours is shown to them but your first name, skills, "
        "languages and country."))

    # The representative sees an anonymised summary and accepts.
    rep = Chat(app, REPRESENTATIVE, "ar")
    summary = rep.expect_reply(ar.gettext("To accept or decline, open the menu and choose "
                                          "“Experts interested”."))
    name = "Amina" if expert.channel == "telegram" else "Youssef"
    assert ar.iso(name) in summary
    turn(rep, "menu")
    turn(rep, ar.gettext("Experts interested ({count})").format(count=ar.iso(1)))
    turn(rep, "1")
    accepted = turn(rep, ar.gettext("Accept"))
    assert contact_question(ar) in accepted
    turn(rep, ar.gettext("Talk through the assistant (my number stays hidden)"),
         ar.gettext("Your number stays hidden: the team talks through me."))
    with app.container.uow() as uow:
        need = uow.session.exec(select(Need).where(Need.kind == "skill")).one()
        assert need.committed == need.requested  # an accepted expert counts as committed
        assert uow.session.exec(select(Proposal.status)).one() == "accepted"

    # The expert is told, joins the team through the relay, and writes with a photo.
    expert.expect_reply(_(
        "Good news: the organisation of “{title}” accepted your help! You are now in the "
        "project's team. Open the menu and choose “Project teams” to say how you want to "
        "talk with them, and to write to them.").format(title=t.iso(TITLE)))
    turn(expert, "menu")
    turn(expert, _("Project teams"))
    turn(expert, "1", contact_question(t))
    turn(expert, _("Talk through the assistant (my number stays hidden)"))
    turn(expert, _("Write to the team"))
    turn(expert, "Bonjour, je regarde le puits", _("✓ Sent to the team."))
    relayed = rep.expect_reply("Bonjour, je regarde le puits")
    assert ar.iso(name) in relayed
    expert.send_photo()
    expert.expect_reply(_("✓ Sent to the team."))
    _photo_reaches(app, rep, expert)

    # The representative answers, text and photo, from WhatsApp.
    turn(rep, ar.gettext("Write to the team"))
    turn(rep, "مرحبا، شكرا بزاف", ar.gettext("✓ Sent to the team."))
    back = expert.expect_reply("مرحبا، شكرا بزاف")
    assert t.iso("Youssef") in back  # the WhatsApp profile name
    rep.send_photo()
    rep.expect_reply(ar.gettext("✓ Sent to the team."))
    _photo_reaches(app, expert, rep)

    # Neither side ever saw the other's number, chat id or username.
    expert_secrets = {expert.address, "amina_tg"} if expert.channel == "telegram" else {
        expert.address, expert.address.lstrip("+")}
    rep_secrets = {"+212600000801", "212600000801", "600000801"}
    for shown in texts(everything_to(app, REPRESENTATIVE)):
        assert not any(secret in shown for secret in expert_secrets), shown
    for shown in texts(everything_to(app, expert.identity)):
        assert not any(secret in shown for secret in rep_secrets), shown


def contact_question(t: Translator) -> str:
    return t.gettext("You are in the team of “{title}”. How do you want to talk with the "
                     "team? Through the assistant, nobody sees your number or username; each "
                     "message reaches the others in their own app.").format(
                         title=t.iso(TITLE))


def _photo_reaches(app: Served, to: Chat, sender: Chat) -> None:
    """Waits for the sender's photo to reach `to` in their own app: a link to our server
    when it crosses apps, the channel's own reference when it does not."""
    head = to.expect_reply()
    assert head  # "<name> (<role>) — team of “…”:"
    if to.channel == "telegram":
        app.telegram.wait_for(lambda _c: bool(app.telegram.media_sent(int(to.address))))
        photo = app.telegram.media_sent(int(to.address))[-1].params["photo"]
    else:
        photo = _media_url(to.last())
    if to.channel == sender.channel:
        assert photo
    else:
        assert str(photo).startswith("https://comdev.test/media/"), photo


def _media_url(call: Call) -> Any:
    return call.params.get("MediaUrl")


def _skill(language: str) -> str:
    from core.skills import default_index
    skill = default_index().taxonomy.skill("water.irrigation_engineering")
    assert skill is not None
    return skill.label(language)


def _august(language: str) -> str:
    from babel.dates import format_date

    from bot.i18n import FORMAT_LOCALES
    return format_date(date(2027, 8, 1), "LLLL y", locale=FORMAT_LOCALES[language])


def test_metrics_count_proposals_and_the_wait_for_a_first_acceptance(app: Served) -> None:
    water_need(app)
    expert = Chat(app, CHANNELS["fr"], "fr")
    register(expert, "fr")
    expert.expect_reply(Translator("fr").gettext("A project needs you!"))
    with app.container.uow() as uow:
        proposal = uow.session.exec(select(Proposal)).one()
        rep = services.find_person(uow, REPRESENTATIVE)
        assert rep is not None
        expert_person = services.find_person(uow, expert.identity)
        assert expert_person is not None
        later = app.container.clock()
        services.execute(c.AnswerProposal(proposal.id or 0, "interested"), uow, expert_person,
                         later)
        services.execute(c.DecideProposal(proposal.id or 0, True), uow, rep,
                         later + timedelta(hours=5))
        uow.commit()
    text = app.http.get("/metrics").text
    assert 'comdev_proposals{status="accepted"} 1.0' in text
    assert 'comdev_proposals{status="waiting"} 0.0' in text
    assert "comdev_proposals_sent 1.0" in text
    assert "comdev_needs_with_accepted_expert 1.0" in text
    line = next(x for x in text.splitlines()
                if x.startswith('comdev_need_first_acceptance_seconds{quantile="0.5"}'))
    assert 5 * 3600 <= float(line.split()[-1]) < 5 * 3600 + 120


class Jumping:
    """A clock at real speed that a test can move forward."""

    def __init__(self, start: datetime) -> None:
        self.start, self.began, self.offset = start, time.monotonic(), timedelta(0)

    def __call__(self) -> datetime:
        return self.start + self.offset + timedelta(seconds=time.monotonic() - self.began)


def test_a_whatsapp_member_silent_for_two_days_gets_the_template_then_reads_the_team(
        fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str, tmp_path: Any) -> None:
    telegram, twilio = fakes
    templates = tmp_path / "templates.json"
    templates.write_text('{"team_message": {"fr": "HX' + "f" * 32 + '", "ar": "HX' + "a" * 32
                         + '"}}', encoding="utf-8")
    clock = Jumping(START)
    settings = settings_for(sqlite_url, telegram, twilio,
                            WHATSAPP_TEMPLATES_FILE=str(templates))
    with serve(settings, telegram, twilio, clock=clock) as app:
        with app.container.uow() as uow:
            territories.load(uow)
            uow.commit()
        water_need(app)
        expert = Chat(app, CHANNELS["fr"], "fr")
        register(expert, "fr")
        expert.expect_reply(Translator("fr").gettext("A project needs you!"))
        with app.container.uow() as uow:
            proposal = uow.session.exec(select(Proposal)).one()
            rep = services.find_person(uow, REPRESENTATIVE)
            amina = services.find_person(uow, expert.identity)
            assert rep is not None and amina is not None
            for who, command in ((amina, c.AnswerProposal(proposal.id or 0, "interested")),
                                 (rep, c.DecideProposal(proposal.id or 0, True)),
                                 (amina, c.ChooseContact(REF, "relay")),
                                 (rep, c.ChooseContact(REF, "relay"))):
                services.execute(command, uow, who, clock())
            uow.commit()
        clock.offset = timedelta(days=2)  # the representative has been silent since
        _ = Translator("fr").gettext
        for answer in ("menu", _("Project teams"), "1", _("Write to the team")):
            turn(expert, answer)
        turn(expert, "Le devis de la pompe est prêt", _("✓ Sent to the team."))

        rep_chat = Chat(app, REPRESENTATIVE, "ar")
        twilio.wait_for(lambda _c: bool(twilio.messages(REPRESENTATIVE)))
        template = twilio.messages(REPRESENTATIVE)[-1].params
        assert template["ContentSid"] == "HX" + "a" * 32
        assert json.loads(template["ContentVariables"]) == {"1": TITLE}
        assert "Body" not in template
        rep_chat.seen = len(twilio.messages(REPRESENTATIVE))

        ar = Translator("ar")
        menu = turn(rep_chat, "menu")
        assert ar.gettext("Project teams ({count} new)").format(count=ar.iso(1)) in menu
        turn(rep_chat, ar.gettext("Project teams ({count} new)").format(count=ar.iso(1)))
        team = turn(rep_chat, "1")
        assert "Le devis de la pompe est prêt" in team


def test_a_proposal_written_at_night_in_paris_waits_for_the_morning_then_expires_unanswered(
        fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> None:
    telegram, twilio = fakes
    clock = Jumping(datetime(2026, 11, 26, 22, 30, tzinfo=UTC))  # 23:30 in Paris
    with serve(settings_for(sqlite_url, telegram, twilio), telegram, twilio,
               clock=clock) as app:
        with app.container.uow() as uow:
            territories.load(uow)
            uow.commit()
        water_need(app)
        expert = Chat(app, CHANNELS["fr"], "fr")
        register(expert, "fr")
        expert.expect_silence(0.5)  # written, not sent: it is night where the expert lives
        with app.container.uow() as uow:
            (proposal,) = uow.session.exec(select(Proposal)).all()
            assert proposal.sent_at is None
            assert proposal.send_after == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # 08:00

        clock.offset = timedelta(hours=9)  # 08:30 in Paris: the worker's round sends it
        assert app.container.match_once() == 1
        expert.expect_reply(Translator("fr").gettext("A project needs you!"))
        assert app.container.match_once() == 0  # once

        clock.offset = timedelta(days=8)  # a week without an answer
        app.container.match_once()
        with app.container.uow() as uow:
            assert uow.session.exec(select(Proposal.status)).one() == "expired"
        text = app.http.get("/metrics").text
        assert 'comdev_proposals{status="expired"} 1.0' in text
