"""What bot/relay.py queues in the outbox, for whom: proposals to experts, interested experts
to representatives, decisions, and team messages to the other members, each on their own
channel; run as bot/runner.py does (the commands, matching.after, relay.after)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.flows.cards import skill_name
from bot.flows.engine import Context
from bot.flows.team import ROLES
from bot.i18n import Translator
from bot.messages import Media, Reply
from bot.relay import Relay
from core import commands as c
from core import matching, services, teams
from core.domain.proposals import Answer
from core.models import (
    ChannelIdentity,
    ExpertProfile,
    ExpertSkill,
    Need,
    Organisation,
    OrganisationMember,
    OutboxMessage,
    Person,
    Project,
    ProjectMedia,
    Proposal,
    TeamMember,
    Territory,
)
from core.templates import Templates
from core.uow import UnitOfWork
from tests.unit.support import person as snapshot_of

Uow = Callable[[], UnitOfWork]
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # 10:30 in Paris, 04:30 in Montréal
TAFRAOUT = "09.581.01.05"
SKILL = "water.irrigation_engineering"
REF = "P-WATER5"
TITLE = "Eau de Tazka"
EXPERT_TG, EXPERT_HANDLE, EXPERT_WA = "telegram:7001234", "amina_t", "whatsapp:+33611112222"
REP_TG, REP2_WA, PENDING_TG = "telegram:5001", "whatsapp:+212600000002", "telegram:5003"
NOT_FOR_ME = ("Thank you for offering your help to “{title}”. Its organisation has chosen "
              "another way this time. Other projects will need you: I will tell you.")
ACCEPTED = ("Good news: the organisation of “{title}” accepted your help! You are now in the "
            "project's team. Open the menu and choose “Project teams” to say how you want to "
            "talk with them, and to write to them.")
WAS_ACCEPTED = ("{name} was accepted into the team of “{title}”. Open the menu and choose "
                "“Project teams” to talk with them.")
SHARES = "{member} shares their contact with the team: {contact}"


@dataclass(frozen=True)
class Sent:
    identity: str
    person_id: int | None
    reply: Reply


class World:
    """An approved water project in Tafraout with an open need for an irrigation engineer;
    two active representatives (French on Telegram, Arabic on WhatsApp) and one pending;
    and Amina, an expert in Paris who writes from Telegram (username amina_t) and once
    wrote from WhatsApp."""

    def __init__(self, uow_factory: Uow, expert_language: str = "fr") -> None:
        self.uow_factory = uow_factory
        with uow_factory() as uow:
            uow.session.add(Territory(code="09.581", kind="province", name_fr="Tiznit",
                                      name_ar="تيزنيت"))
            uow.session.add(Territory(code=TAFRAOUT, kind="commune", name_fr="Tafraout",
                                      name_ar="تافراوت", province_code="09.581"))
            self.rep = self._person(uow, REP_TG, "fr", "representative", "Fatima")
            self.rep2 = self._person(uow, REP2_WA, "ar", "representative", "Omar")
            self.pending = self._person(uow, PENDING_TG, "fr", "representative", "Saïd")
            self.animator = self._person(uow, "telegram:5004", "en", "animator", "Nadia")
            organisation = Organisation(name="Tamount", kind="association",
                                        commune_code=TAFRAOUT)
            uow.session.add(organisation)
            uow.session.flush()
            for who, status in ((self.rep, "active"), (self.rep2, "active"),
                                (self.pending, "pending")):
                uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                                   person_id=who, status=status))
            project = Project(ref=REF, organisation_id=organisation.id or 0,
                              commune_code=TAFRAOUT, title=TITLE, theme="water", kind="local",
                              status="open")
            uow.session.add(project)
            uow.session.flush()
            self.project = project.id or 0
            uow.session.add(Need(project_id=self.project, kind="skill", skill_code=SKILL,
                                 unit="days", requested=10, mode="either", created_at=NOW))
            self.expert = self._person(uow, EXPERT_TG, expert_language, "expert", "Amina",
                                       handle=EXPERT_HANDLE)
            uow.session.add(ChannelIdentity(id=EXPERT_WA, person_id=self.expert,
                                            channel="whatsapp",
                                            last_inbound_at=NOW - timedelta(days=3)))
            self._profile(uow, self.expert, "Europe/Paris")
            uow.commit()

    @staticmethod
    def _person(uow: UnitOfWork, identity: str, language: str, roles: str, name: str,
                handle: str | None = None) -> int:
        who = services.register_contact(uow, identity, language, NOW, name, handle)
        who.roles = roles
        uow.session.flush()
        return who.id or 0

    @staticmethod
    def _profile(uow: UnitOfWork, person_id: int, timezone: str, level: str = "expert") -> None:
        uow.session.add(ExpertProfile(person_id=person_id, country="FR", timezone=timezone,
                                      languages="fr,ar", accepts_proposals=True))
        uow.session.add(ExpertSkill(person_id=person_id, skill_code=SKILL, level=level))

    def another_expert(self, identity: str, name: str, timezone: str) -> int:
        with self.uow_factory() as uow:
            found = self._person(uow, identity, "fr", "expert", name)
            self._profile(uow, found, timezone, "learning")
            uow.commit()
            return found

    def proposal(self, expert_id: int | None = None) -> int:
        with self.uow_factory() as uow:
            found = uow.session.exec(select(Proposal.id).where(
                Proposal.expert_id == (expert_id or self.expert))).one()
            return found or 0

    def silent(self, identity: str, since: datetime) -> None:
        """The person last wrote from this identity at `since`."""
        with self.uow_factory() as uow:
            link = uow.session.get(ChannelIdentity, identity)
            assert link is not None
            link.last_inbound_at = since
            uow.commit()


def step(world: World, relay: Relay, person_id: int, *commands: c.Command,
         now: datetime = NOW) -> list[Sent]:
    """Runs one step's commands as the runner does; returns what the relay queued."""
    with world.uow_factory() as uow:
        before = set(uow.session.scalars(select(OutboxMessage.id)))
        who = uow.session.get(Person, person_id)
        assert who is not None
        for command in commands:
            services.execute(command, uow, who, now)
        matching.after(uow, commands, person_id, now)
        uow.session.flush()
        relay.after(uow, commands, who, now)
        uow.commit()
        rows = uow.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        return [Sent(r.identity, r.person_id, Reply.from_json(r.payload))
                for r in rows if r.id not in before]


def deliver(world: World, relay: Relay, now: datetime) -> list[Sent]:
    """Runs the relay's periodic delivery of due proposals."""
    with world.uow_factory() as uow:
        before = set(uow.session.scalars(select(OutboxMessage.id)))
        relay.deliver_due(uow, now)
        uow.commit()
        rows = uow.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        return [Sent(r.identity, r.person_id, Reply.from_json(r.payload))
                for r in rows if r.id not in before]


def proposed(world: World, relay: Relay, now: datetime = NOW) -> list[Sent]:
    """The expert resumes proposals: matching runs for them and the relay sends."""
    return step(world, relay, world.expert, c.PauseProposals(None), now=now)


def interested(world: World, relay: Relay) -> list[Sent]:
    proposed(world, relay)
    return step(world, relay, world.expert,
                c.AnswerProposal(world.proposal(), Answer.INTERESTED), now=NOW + timedelta(hours=1))


def team(world: World, relay: Relay) -> None:
    """Amina was accepted: she and both active representatives form the team."""
    interested(world, relay)
    step(world, relay, world.rep, c.DecideProposal(world.proposal(), True),
         now=NOW + timedelta(hours=2))


def said(language: str, message: str, **values: str) -> str:
    t = Translator(language)
    return t.gettext(message).format(**{k: t.iso(v) for k, v in values.items()})


def who(language: str, name: str, role: str) -> str:
    t = Translator(language)
    return t.gettext("{name} ({role})").format(name=t.iso(name), role=t.gettext(ROLES[role]))


def head(language: str, name: str, role: str) -> str:
    t = Translator(language)
    return t.gettext("{member} — team of “{title}”:").format(member=who(language, name, role),
                                                              title=t.iso(TITLE))


def by_identity(sent: list[Sent]) -> dict[str, Reply]:
    found = {s.identity: s.reply for s in sent}
    assert len(found) == len(sent), "one message each"
    return found


# --- proposals ------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "ar", "zgh", "en"])
def test_a_proposal_is_delivered_once_with_its_reasons_in_the_experts_language(
        uow_factory: Uow, language: str) -> None:
    world, relay = World(uow_factory, language), Relay()
    t = Translator(language)
    (sent,) = proposed(world, relay)
    assert (sent.identity, sent.person_id) == (EXPERT_TG, world.expert)  # the channel used last
    text = sent.reply.text
    assert text.startswith(t.gettext("A project needs you!"))
    assert t.iso(TITLE) in text
    skill = t.iso(skill_name(Context(snapshot_of(language), EXPERT_TG, NOW), SKILL))
    why = t.gettext("Why you: {reasons}.").split("{reasons}")[0]
    assert why + skill in text  # the first reason: the very skill
    assert text.endswith(t.gettext(
        "To answer, open the menu and choose “Proposals for you”."))
    assert sent.reply.extra == {}
    assert deliver(world, relay, NOW + timedelta(hours=1)) == []
    with world.uow_factory() as uow:
        row = uow.session.get(Proposal, world.proposal())
        assert row is not None and row.sent_at is not None


def test_a_proposal_written_at_night_in_montreal_is_delivered_at_8_am_there(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    with world.uow_factory() as uow:  # Amina moved to Montréal: 04:30 there
        profile = uow.session.get(ExpertProfile, world.expert)
        assert profile is not None
        profile.timezone = "America/Montreal"
        uow.commit()
    assert proposed(world, relay) == []
    assert deliver(world, relay, datetime(2026, 3, 2, 12, 59, tzinfo=UTC)) == []
    (sent,) = deliver(world, relay, datetime(2026, 3, 2, 13, 0, tzinfo=UTC))
    assert sent.identity == EXPERT_TG
    assert deliver(world, relay, datetime(2026, 3, 2, 14, 0, tzinfo=UTC)) == []


# --- the organisation is asked --------------------------------------------------------------

def test_an_interested_expert_is_summarised_to_each_active_representative_without_contact(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    sent = by_identity(interested(world, relay))
    assert set(sent) == {REP_TG, REP2_WA}  # not the pending member, not the expert
    for identity, language in ((REP_TG, "fr"), (REP2_WA, "ar")):
        text = sent[identity].text
        t = Translator(language)
        assert t.iso("Amina") in text and t.iso(TITLE) in text
        assert text.endswith(t.gettext(
            "To accept or decline, open the menu and choose “Experts interested”."))
        for secret in ("7001234", EXPERT_HANDLE, "33611112222", EXPERT_TG, EXPERT_WA):
            assert secret not in text
        assert sent[identity].extra == {}  # both wrote within 24 hours


def test_not_for_me_tells_the_organisation_nothing(uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    proposed(world, relay)
    assert step(world, relay, world.expert,
                c.AnswerProposal(world.proposal(), Answer.NOT_FOR_ME)) == []


def test_a_declined_expert_is_told_kindly_and_nobody_else(uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    interested(world, relay)
    sent = step(world, relay, world.rep, c.DecideProposal(world.proposal(), False))
    assert [(s.identity, s.reply.text) for s in sent] == [
        (EXPERT_TG, said("fr", NOT_FOR_ME, title=TITLE))]


def test_an_accepted_expert_is_told_and_the_other_representatives_too(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory, "en"), Relay()
    interested(world, relay)
    sent = by_identity(step(world, relay, world.rep, c.DecideProposal(world.proposal(), True)))
    assert sent == {
        EXPERT_TG: Reply(said("en", ACCEPTED, title=TITLE)),
        REP2_WA: Reply(said("ar", WAS_ACCEPTED, name="Amina", title=TITLE))}


# --- team messages --------------------------------------------------------------------------

def test_a_team_message_reaches_every_other_active_member_not_the_sender_nor_one_who_left(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    team(world, relay)
    step(world, relay, world.animator, c.JoinTeam(REF))
    step(world, relay, world.rep2, c.LeaveTeam(REF))
    sent = by_identity(step(world, relay, world.expert, c.SayToTeam(REF, "Bonjour à tous")))
    assert sent == {
        REP_TG: Reply(head("fr", "Amina", "expert") + "\nBonjour à tous"),
        "telegram:5004": Reply(head("en", "Amina", "expert") + "\nBonjour à tous")}
    with world.uow_factory() as uow:  # what was relayed counts as read
        for member in (world.rep, world.animator):
            found = teams.team(uow, world.project, member)
            assert found is not None and found.unread == 0


def test_joining_and_leaving_are_told_to_the_others(uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    team(world, relay)
    joined = by_identity(step(world, relay, world.animator, c.JoinTeam(REF)))
    assert set(joined) == {EXPERT_TG, REP_TG, REP2_WA}
    assert joined[REP_TG].text == Translator("fr").gettext("{member} joined the team.").format(
        member=who("fr", "Nadia", "animator"))
    left = by_identity(step(world, relay, world.expert, c.LeaveTeam(REF)))
    assert set(left) == {REP_TG, REP2_WA, "telegram:5004"}
    assert left[REP2_WA].text == Translator("ar").gettext("{member} left the team.").format(
        member=who("ar", "Amina", "expert"))


def test_a_whatsapp_member_silent_for_more_than_24_hours_gets_the_template_with_the_title(
        uow_factory: Uow) -> None:
    world = World(uow_factory)
    relay = Relay(Templates({"team_message": {"fr": "HXteam"}}))
    team(world, relay)
    world.silent(REP2_WA, NOW - timedelta(days=2))
    sent = by_identity(step(world, relay, world.expert, c.SayToTeam(REF, "Bonjour"),
                            now=NOW + timedelta(hours=3)))
    # Arabic has no template of its own: French is its fallback
    assert sent[REP2_WA].extra == {"template": {"content_sid": "HXteam",
                                                "variables": {"1": TITLE}}}
    assert sent[REP_TG].extra == {}
    with world.uow_factory() as uow:  # what the template stands for waits in the history
        waiting = teams.team(uow, world.project, world.rep2)
        read = teams.team(uow, world.project, world.rep)
        assert waiting is not None and waiting.unread == 1
        assert read is not None and read.unread == 0


def test_a_whatsapp_member_silent_for_more_than_24_hours_gets_nothing_without_a_template(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay(Templates({"proposal": {"fr": "HXprop"}}))
    team(world, relay)
    world.silent(REP2_WA, NOW - timedelta(hours=22))
    sent = step(world, relay, world.expert, c.SayToTeam(REF, "Bonjour"),
                now=NOW + timedelta(hours=3))  # 25 hours of silence
    assert [s.identity for s in sent] == [REP_TG]


def test_a_contact_reaches_the_team_only_once_its_owner_chose_to_share_it(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    team(world, relay)
    assert step(world, relay, world.expert, c.ChooseContact(REF, "relay")) == []
    talked = step(world, relay, world.expert, c.SayToTeam(REF, "Bonjour"))
    assert talked and all(
        secret not in s.reply.text for s in talked for secret in (EXPERT_HANDLE, "33611112222"))
    sent = by_identity(step(world, relay, world.expert, c.ChooseContact(REF, "handle")))
    assert set(sent) == {REP_TG, REP2_WA}
    assert sent[REP_TG].text == Translator("fr").gettext(SHARES).format(
        member=who("fr", "Amina", "expert"), contact=f"@{EXPERT_HANDLE}")
    assert "33611112222" not in sent[REP2_WA].text  # only what she chose: not her number
    assert Translator("ar").iso(f"@{EXPERT_HANDLE}") in sent[REP2_WA].text


def test_sharing_the_whatsapp_number_shows_the_number_and_not_the_username(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    team(world, relay)
    sent = by_identity(step(world, relay, world.expert, c.ChooseContact(REF, "number")))
    assert sent[REP_TG].text == Translator("fr").gettext(SHARES).format(
        member=who("fr", "Amina", "expert"), contact="+33611112222")
    assert all(EXPERT_HANDLE not in reply.text for reply in sent.values())


def test_media_from_another_channel_reach_a_member_as_our_media_link(
        uow_factory: Uow) -> None:
    world = World(uow_factory)
    relay = Relay(media_url=lambda media_id: f"https://comdev.example/media/{media_id}")
    team(world, relay)
    photo = c.Attachment("photo", "telegram", "tg-file-1", "image/jpeg")
    sent = by_identity(step(world, relay, world.expert, c.SayToTeam(REF, "", (photo,))))
    with world.uow_factory() as uow:
        media_id = uow.session.exec(select(ProjectMedia.id)).one()
    assert sent[REP_TG] == Reply(head("fr", "Amina", "expert"),
                                 media=(Media("photo", "tg-file-1", "image/jpeg"),))
    assert sent[REP2_WA].media == (
        Media("photo", f"https://comdev.example/media/{media_id}", "image/jpeg"),)


def test_without_a_media_link_a_member_on_another_channel_gets_the_text_only(
        uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    team(world, relay)
    photo = c.Attachment("photo", "telegram", "tg-file-1", "image/jpeg")
    sent = by_identity(step(world, relay, world.expert, c.SayToTeam(REF, "Voici", (photo,))))
    assert sent[REP2_WA] == Reply(head("ar", "Amina", "expert") + "\nVoici")
    assert sent[REP_TG].media == (Media("photo", "tg-file-1", "image/jpeg"),)


def test_a_member_with_no_reachable_channel_is_skipped(uow_factory: Uow) -> None:
    world, relay = World(uow_factory), Relay()
    team(world, relay)
    with world.uow_factory() as uow:
        link = uow.session.get(ChannelIdentity, REP2_WA)
        assert link is not None
        link.unreachable = True
        uow.commit()
    sent = step(world, relay, world.expert, c.SayToTeam(REF, "Bonjour"))
    assert [s.identity for s in sent] == [REP_TG]
    with world.uow_factory() as uow:
        rows = uow.session.exec(select(TeamMember).where(TeamMember.person_id == world.rep2))
        assert [r.left_at for r in rows] == [None]  # still a member, reads it later
