"""The expert pool in core: profiles, pauses, follows, browsing, news, invitations."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot import news
from core import commands as c
from core import experts, invitations, services
from core.domain.experts import Period, in_morocco, may_receive_proposals
from core.experts import Filters
from core.models import (
    ExpertProfile,
    Invitation,
    Organisation,
    OrganisationMember,
    OutboxMessage,
    Person,
    Territory,
)
from core.uow import UnitOfWork
from tests.unit.support import NOW

Uow = Callable[[], UnitOfWork]
TAFRAOUT, TIZNIT, AGADIR = "09.581.01.05", "09.581", "09.001.01.01"

ENGINEER = c.SaveExpertProfile(
    skills=(c.SkillOffered("water.irrigation_engineering", "", "expert"),
            c.SkillOffered(None, "pompes solaires", "practised")),
    languages=("fr", "zgh"), country="FR", city="Paris", timezone="Europe/Paris",
    origin_code=TAFRAOUT, themes=("water", "agriculture"), hours_per_month=10,
    mode="remote", visits=((date(2027, 8, 1), date(2027, 8, 31)),), proposals_per_month=2,
    accepts_proposals=True)


class World:
    """Two communes in two provinces, an association with two approved projects, people."""

    def __init__(self, uow_factory: Uow) -> None:
        self.uow_factory = uow_factory
        with uow_factory() as uow:
            for code, kind, name, province, region in (
                    ("09", "region", "Souss-Massa", None, None),
                    (TIZNIT, "province", "Tiznit", None, "09"),
                    ("09.001", "province", "Agadir Ida-Outanane", None, "09"),
                    (TAFRAOUT, "commune", "Tafraout", TIZNIT, "09"),
                    (AGADIR, "commune", "Agadir", "09.001", "09")):
                uow.session.add(Territory(code=code, kind=kind, name_fr=name, name_ar=name,
                                          province_code=province, region_code=region))
            self.rep = self._person(uow, "whatsapp:+212600000001", "ar", "representative")
            self.animator = self._person(uow, "telegram:1", "fr", "animator")
            self.expert = self._person(uow, "telegram:2", "fr", "")
            self.fan = self._person(uow, "whatsapp:+33600000003", "en", "")
            organisation = Organisation(name="Tamount", kind="association", commune_code=TAFRAOUT)
            uow.session.add(organisation)
            uow.session.flush()
            uow.session.add(OrganisationMember(organisation_id=organisation.id or 0,
                                               person_id=self.rep))
            uow.commit()
            self.organisation = organisation.id or 0
        self.project("P-WATER2", "Water for Tafraout", "water", TAFRAOUT, need_skill=True)
        self.project("P-SCHOOL", "A school library", "education", AGADIR)
        self.project("P-DRAFT2", "Not yet", "water", TAFRAOUT, approve=False)

    @staticmethod
    def _person(uow: UnitOfWork, identity: str, language: str, roles: str) -> int:
        who = services.register_contact(uow, identity, language, NOW)
        who.roles = roles
        uow.session.flush()
        return who.id or 0

    def run(self, person_id: int, *commands: c.Command, days: int = 0) -> None:
        with self.uow_factory() as uow:
            who = uow.session.get(Person, person_id)
            assert who is not None
            for command in commands:
                services.execute(command, uow, who, NOW + timedelta(days=days))
            news.deliver(uow, list(commands), who, NOW + timedelta(days=days),
                         lambda media_id: f"https://comdev.test/media/{media_id}")
            uow.commit()

    def project(self, ref: str, title: str, theme: str, commune: str, *,
                need_skill: bool = False, approve: bool = True) -> None:
        commands: list[c.Command] = [c.CreateProject(ref, self.organisation, commune, title,
                                                     "", theme, "local", None, "no", None)]
        if need_skill:
            commands.append(c.AddNeed(ref, "skill", skill_code="water.irrigation_engineering",
                                      mode="remote", unit="days", requested=5))
        commands.append(c.SubmitProject(ref))
        self.run(self.rep, *commands)
        if approve:
            self.run(self.animator, c.ReviewProject(ref, "approve"))


def test_a_saved_profile_reads_back_whole_and_makes_the_person_an_expert(
        uow_factory: Uow) -> None:
    world = World(uow_factory)
    world.run(world.expert, ENGINEER)
    with uow_factory() as uow:
        profile = experts.profile(uow, world.expert)
        person = uow.session.get(Person, world.expert)
        roles = person.roles if person else ""
    assert profile is not None
    assert [(s.code, s.label, s.level) for s in profile.skills] == [
        ("water.irrigation_engineering", "", "expert"), (None, "pompes solaires", "practised")]
    assert (profile.languages, profile.country, profile.timezone, profile.origin_code) == (
        ("fr", "zgh"), "FR", "Europe/Paris", TAFRAOUT)
    assert (profile.themes, profile.hours_per_month, profile.mode) == (
        ("water", "agriculture"), 10, "remote")
    assert profile.visits == (Period(date(2027, 8, 1), date(2027, 8, 31)),)
    assert "expert" in roles


def test_saving_again_replaces_skills_visits_and_themes(uow_factory: Uow) -> None:
    world = World(uow_factory)
    world.run(world.expert, ENGINEER)
    from dataclasses import replace
    world.run(world.expert, replace(ENGINEER, skills=ENGINEER.skills[:1], visits=(),
                                    themes=("health",)))
    with uow_factory() as uow:
        profile = experts.profile(uow, world.expert)
    assert profile is not None
    assert (len(profile.skills), profile.visits, profile.themes) == (1, (), ("health",))


@pytest.mark.parametrize("change", [
    {"skills": ()}, {"languages": ("klingon",)}, {"country": "France"}, {"mode": "by post"},
    {"hours_per_month": 0}, {"visits": ((date(2027, 9, 1), date(2027, 8, 1)),)},
    {"proposals_per_month": -1}, {"themes": ("astrology",)},
    {"skills": (c.SkillOffered(None, "  ", "expert"),)},
    {"skills": (c.SkillOffered("x", "", "guru"),)}])
def test_a_profile_that_makes_no_sense_is_refused(uow_factory: Uow,
                                                  change: dict[str, object]) -> None:
    from dataclasses import replace
    world = World(uow_factory)
    with pytest.raises(ValueError):
        world.run(world.expert, replace(ENGINEER, **change))  # type: ignore[arg-type]


def test_a_pause_stops_proposals_until_its_date_then_ends_by_itself(uow_factory: Uow) -> None:
    world = World(uow_factory)
    world.run(world.expert, ENGINEER, c.PauseProposals(date(2027, 9, 1)))
    with uow_factory() as uow:
        profile = experts.profile(uow, world.expert)
    assert profile is not None and profile.paused_until == date(2027, 9, 1)
    assert not profile.receives_proposals(False, date(2027, 8, 31))
    assert profile.receives_proposals(False, date(2027, 9, 1))
    assert not profile.receives_proposals(True, date(2027, 9, 2))  # STOP stops them too
    world.run(world.expert, c.PauseProposals(None))
    with uow_factory() as uow:
        assert uow.session.get(ExpertProfile, world.expert).paused_until is None  # type: ignore[union-attr]


def test_pausing_without_a_profile_is_refused(uow_factory: Uow) -> None:
    world = World(uow_factory)
    with pytest.raises(c.Refused):
        world.run(world.fan, c.PauseProposals(date(2027, 9, 1)))


def test_the_proposal_rules() -> None:
    today = date(2027, 7, 1)
    assert not may_receive_proposals(False, None, False, today)  # no consent
    assert may_receive_proposals(True, None, False, today)
    assert not may_receive_proposals(True, date(2027, 7, 2), False, today)
    assert may_receive_proposals(True, today, False, today)
    august = [Period(date(2027, 8, 1), date(2027, 8, 31))]
    assert in_morocco(august, date(2027, 8, 20), date(2027, 9, 10))
    assert not in_morocco(august, date(2027, 9, 1), date(2027, 9, 10))


def test_browsing_shows_approved_projects_only_with_each_filter(uow_factory: Uow) -> None:
    World(uow_factory)
    with uow_factory() as uow:
        def refs(**filters: str) -> list[str]:
            return [p.ref for p in experts.browse(uow, Filters(**filters)).projects]

        assert refs() == ["P-SCHOOL", "P-WATER2"]
        assert refs(theme="water") == ["P-WATER2"]
        assert refs(territory=TIZNIT) == ["P-WATER2"]
        assert refs(territory="09") == ["P-SCHOOL", "P-WATER2"]
        assert refs(territory=AGADIR) == ["P-SCHOOL"]
        assert refs(skill="water.irrigation_engineering") == ["P-WATER2"]
        assert refs(kind="exchange") == []
        assert refs(text="LIBRARY") == ["P-SCHOOL"]


def test_browsing_goes_five_by_five(uow_factory: Uow) -> None:
    world = World(uow_factory)
    for n in range(6):
        world.project(f"P-MORE{n}", f"Project {n}", "youth", AGADIR)
    with uow_factory() as uow:
        first = experts.browse(uow, Filters(theme="youth"))
        second = experts.browse(uow, Filters(theme="youth"), page=1)
    assert (first.total, len(first.projects), len(second.projects)) == (6, 5, 1)
    assert second.projects[0].ref == "P-MORE0"


def test_a_follower_receives_the_next_update_in_their_language_unless_they_said_stop(
        uow_factory: Uow) -> None:
    world = World(uow_factory)
    world.run(world.fan, c.FollowThing("project", "P-WATER2"))
    world.run(world.expert, c.FollowThing("project", "P-WATER2"), c.OptOut())
    world.run(world.rep, c.PostUpdate("P-WATER2", "The well is dug!", (
        c.Attachment("photo", "whatsapp", "https://api.twilio.test/ME1", "image/jpeg"),)),
        days=1)
    with uow_factory() as uow:
        rows = [r for r in uow.session.scalars(select(OutboxMessage))
                if r.person_id in (world.fan, world.expert)]
        page = experts.browse(uow, Filters(theme="water"))
        sent = [(r.identity, r.priority, json.loads(r.payload)) for r in rows]
    assert [identity for identity, *_rest in sent] == ["whatsapp:+33600000003"]
    _identity, priority, payload = sent[0]
    assert payload["text"] == "News from “Water for Tafraout”: The well is dug!"
    assert payload["media"][0]["ref"] == "https://api.twilio.test/ME1"  # same channel
    assert priority == 1  # bulk, after replies
    assert page.latest == {"P-WATER2": "The well is dug!"}


def test_a_draft_cannot_be_followed_and_following_twice_is_once(uow_factory: Uow) -> None:
    world = World(uow_factory)
    with pytest.raises(c.Refused):
        world.run(world.fan, c.FollowThing("project", "P-DRAFT2"))
    world.run(world.fan, c.FollowThing("theme", "water"), c.FollowThing("theme", "water"))
    with uow_factory() as uow:
        assert [f.key for f in experts.follows(uow, world.fan)] == ["water"]
        assert "supporter" in (uow.session.get(Person, world.fan).roles)  # type: ignore[union-attr]
    world.run(world.fan, c.UnfollowThing("theme", "water"))
    with uow_factory() as uow:
        assert experts.follows(uow, world.fan) == []


def test_whats_new_lists_what_moved_in_followed_themes_places_and_projects(
        uow_factory: Uow) -> None:
    world = World(uow_factory)
    with uow_factory() as uow:
        assert experts.whats_new(uow, world.fan, NOW - timedelta(days=30)) == []
    world.run(world.fan, c.FollowThing("territory", TIZNIT))
    with uow_factory() as uow:
        assert [p.ref for p in experts.whats_new(uow, world.fan, NOW - timedelta(days=1))] == [
            "P-WATER2"]
        assert experts.whats_new(uow, world.fan, NOW + timedelta(days=1)) == []
    world.run(world.fan, c.FollowThing("theme", "education"))
    with uow_factory() as uow:
        assert {p.ref for p in experts.whats_new(uow, world.fan, NOW - timedelta(days=1))} == {
            "P-WATER2", "P-SCHOOL"}


def test_an_invitation_counts_who_opened_it_and_who_registered(uow_factory: Uow) -> None:
    world = World(uow_factory)
    with uow_factory() as uow:
        code = invitations.create(uow, "commune", TAFRAOUT, world.animator, NOW).code
        with pytest.raises(ValueError):
            invitations.create(uow, "commune", TIZNIT, None, NOW)  # a province
        with pytest.raises(ValueError):
            invitations.create(uow, "project", "P-DRAFT2", None, NOW)  # not approved
        uow.commit()
    with uow_factory() as uow:
        newcomer = services.register_contact(uow, "telegram:77", "fr", NOW)
        uow.commit()
        newcomer_id = newcomer.id or 0
    world.run(newcomer_id, c.KeepReferral(code))
    world.run(newcomer_id, c.KeepReferral(code), c.GiveConsent())
    world.run(newcomer_id, c.GiveConsent())
    with uow_factory() as uow:
        invitation = uow.session.get(Invitation, code)
        assert invitation is not None and (invitation.opened, invitation.registered) == (2, 1)
        assert uow.session.get(Person, newcomer_id).referral == code  # type: ignore[union-attr]
    links = invitations.links(code, "comdev_bot", "whatsapp:+14155238886")
    assert links.telegram == f"https://t.me/comdev_bot?start={code}"
    assert links.whatsapp == f"https://wa.me/14155238886?text=START%20{code}"


def test_erasing_an_expert_erases_their_profile_and_follows(uow_factory: Uow) -> None:
    world = World(uow_factory)
    world.run(world.expert, ENGINEER, c.FollowThing("project", "P-WATER2"))
    world.run(world.expert, c.ErasePerson())
    with uow_factory() as uow:
        assert experts.profile(uow, world.expert) is None
        assert experts.follows(uow, world.expert) == []
        assert experts.followers(uow, "P-WATER2") == []


def test_a_representative_invites_to_their_project_a_stranger_cannot(uow_factory: Uow) -> None:
    world = World(uow_factory)
    world.run(world.rep, c.CreateInvitation("iabc", "project", "P-WATER2"))
    world.run(world.rep, c.CreateInvitation("iabc", "project", "P-WATER2"))  # again: once
    with pytest.raises(c.Refused):
        world.run(world.fan, c.CreateInvitation("ixyz", "project", "P-WATER2"))
    with uow_factory() as uow:
        invitation = uow.session.get(Invitation, "iabc")
        assert invitation is not None
        assert (invitation.kind, invitation.target, invitation.created_by) == (
            "project", "P-WATER2", world.rep)
        assert uow.session.get(Invitation, "ixyz") is None
    assert invitations.new_code("twilio:SM1") == invitations.new_code("twilio:SM1")
    assert invitations.new_code("twilio:SM1") != invitations.new_code("twilio:SM2")
