"""Database tables (SQLModel). Times are timezone-aware UTC (SQLModel's UTCDateTime)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Returns the current time in UTC, the way every table stores it."""
    return datetime.now(UTC)


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8)
    roles: str = Field(default="", max_length=200)
    consent_at: datetime | None = None
    opted_out: bool = False
    referral: str | None = Field(default=None, max_length=64)
    # The first name of their Telegram or WhatsApp profile: shown to a project's team.
    first_name: str | None = Field(default=None, max_length=60)
    created_at: datetime = Field(default_factory=utcnow)


class ChannelIdentity(SQLModel, table=True):
    __tablename__ = "channel_identity"

    id: str = Field(primary_key=True, max_length=64)  # telegram:<chat id> | whatsapp:+<E.164>
    person_id: int = Field(foreign_key="person.id", index=True)
    channel: str = Field(max_length=16)
    unreachable: bool = False
    last_inbound_at: datetime | None = None
    handle: str | None = Field(default=None, max_length=64)  # a Telegram username
    created_at: datetime = Field(default_factory=utcnow)


class InboundMessage(SQLModel, table=True):
    __tablename__ = "inbound_message"
    __table_args__ = (
        UniqueConstraint("provider_key", name="uq_inbound_provider_key"),
        Index("ix_inbound_pending", "identity", "processed_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider_key: str = Field(max_length=128)  # telegram:update:<id> | twilio:<MessageSid>
    identity: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    body: str = Field(sa_column=Column(Text, nullable=False))  # the parsed Inbound, as JSON
    received_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime | None = None
    attempts: int = 0


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_identity", "identity", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    identity: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    priority: int = 0
    payload: str = Field(sa_column=Column(Text, nullable=False))  # a rendered Reply, as JSON
    ephemeral: bool = False  # deleted once sent or failed (e.g. the goodbye after erasure)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    provider_id: str | None = Field(default=None, max_length=64, index=True)
    delivery_status: str | None = Field(default=None, max_length=16)
    last_error: str | None = Field(default=None, max_length=200)


class DeliveryEvent(SQLModel, table=True):
    __tablename__ = "delivery_event"
    __table_args__ = (UniqueConstraint("provider_id", "status", name="uq_delivery_event"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: str = Field(max_length=64)
    status: str = Field(max_length=16)
    error_code: str | None = Field(default=None, max_length=16)
    received_at: datetime = Field(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    person_id: int = Field(primary_key=True, foreign_key="person.id")
    state: str = Field(max_length=64)
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class HandoffRequest(SQLModel, table=True):
    __tablename__ = "handoff_request"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    state: str = Field(max_length=64)  # where the person was when they asked
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    answered_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    closed_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")


class HandoffMessage(SQLModel, table=True):
    """What a person asking for a human and the animators answering them said."""

    __tablename__ = "handoff_message"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="handoff_request.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    from_staff: bool = False
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Territory(SQLModel, table=True):
    """A region, province (or prefecture) or commune, by its HCP code."""

    __table_args__ = (Index("ix_territory_kind_parent", "kind", "parent_code"),)

    code: str = Field(primary_key=True, max_length=16)  # HCP: 09, 09.581, 09.581.01.05
    kind: str = Field(max_length=16)  # region | province | commune
    subtype: str | None = Field(default=None, max_length=32)  # urban, rural, prefecture...
    name_fr: str = Field(max_length=120)
    name_ar: str = Field(max_length=120)
    parent_code: str | None = Field(default=None, max_length=16)
    region_code: str | None = Field(default=None, max_length=16)
    province_code: str | None = Field(default=None, max_length=16, index=True)
    population: int | None = None
    # Spelling-tolerant keys from core.domain.territories, kept for SQL look-ups.
    key_latin: str = Field(default="", max_length=200, index=True)
    key_arabic: str = Field(default="", max_length=200, index=True)


class Organisation(SQLModel, table=True):
    """An association, commune, cooperative... registered by one of its representatives."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=32)  # core.organisations.KINDS
    commune_code: str = Field(foreign_key="territory.code", max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Erasing the person who registered it keeps the organisation, not who they were.
    created_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")


class OrganisationMember(SQLModel, table=True):
    __tablename__ = "organisation_member"
    __table_args__ = (
        UniqueConstraint("organisation_id", "person_id", name="uq_organisation_member"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    # Erasing a person erases their memberships with them.
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    role: str = Field(default="representative", max_length=32)
    status: str = Field(default="active", max_length=16)  # active | pending | declined
    # What a person asking to join says of themselves, shown to the representatives.
    note: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class Project(SQLModel, table=True):
    """A development action a territory wants to carry out, declared by an organisation."""

    __table_args__ = (Index("ix_project_status", "status", "submitted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=16, unique=True)  # core.domain.projects.reference
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    commune_code: str = Field(foreign_key="territory.code", max_length=16, index=True)
    title: str = Field(max_length=120)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    theme: str = Field(max_length=32)  # core.domain.projects.THEMES
    kind: str = Field(max_length=16)  # core.domain.projects.KINDS
    peer: str | None = Field(default=None, max_length=32)  # for an exchange: PEERS
    pcd: str = Field(default="unknown", max_length=16)  # yes | no | unknown
    pcd_reference: str | None = Field(default=None, max_length=120)
    diagnosis: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON
    status: str = Field(default="draft", max_length=16)
    # Where an approved project returns after a change was reviewed (open or in progress).
    resume_status: str | None = Field(default=None, max_length=16)
    reject_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The animator's question waiting for the representatives' answer, if any.
    question: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    question_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None


class ProjectMedia(SQLModel, table=True):
    """A voice note, photo or document sent with a project's description or update."""

    __tablename__ = "project_media"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    update_id: int | None = Field(default=None, foreign_key="project_update.id",
                                  ondelete="CASCADE")
    # Sent to the project's team (not part of the description): see TeamMessage.
    team_message_id: int | None = Field(default=None, foreign_key="team_message.id",
                                        ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16)  # photo | voice | audio | video | document
    channel: str = Field(max_length=16)  # where it was received: its ref is valid there
    ref: str = Field(max_length=500)  # Telegram file_id or Twilio media URL
    mime: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class ProjectEvent(SQLModel, table=True):
    """One change of a project: who made it, when, from what to what. The audit trail."""

    __tablename__ = "project_event"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    action: str = Field(max_length=32)  # created, submitted, approved, rejected, status...
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: datetime = Field(default_factory=utcnow)


class Need(SQLModel, table=True):
    """What a project still needs: a skill, money, materials or a partner."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16)  # core.domain.projects.NeedKind
    skill_code: str | None = Field(default=None, max_length=64, index=True)
    # The skill in the person's words when nothing in the taxonomy fits; money's purpose;
    # the materials wanted; the partner sought.
    label: str = Field(default="", max_length=300)
    mode: str | None = Field(default=None, max_length=16)  # remote | on_site | either
    unit: str = Field(default="", max_length=16)  # days | hours | MAD | items | partner
    requested: int = 0
    committed: int = 0
    fulfilled: int = 0
    wanted_by: date | None = None
    status: str = Field(default="open", max_length=16)  # open | fulfilled | closed
    created_at: datetime = Field(default_factory=utcnow)


class ProjectUpdate(SQLModel, table=True):
    """A progress update posted by a representative, for the project's followers."""

    __tablename__ = "project_update"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ExpertProfile(SQLModel, table=True):
    """What an expert offers: where they live, what they speak, when they are available."""

    __tablename__ = "expert_profile"

    person_id: int = Field(primary_key=True, foreign_key="person.id", ondelete="CASCADE")
    country: str | None = Field(default=None, max_length=2)  # ISO 3166 alpha-2
    city: str | None = Field(default=None, max_length=80)
    timezone: str | None = Field(default=None, max_length=64)  # IANA, e.g. Europe/Paris
    origin_code: str | None = Field(default=None, max_length=16)  # a territory, or None
    languages: str = Field(default="", max_length=120)  # core.domain.experts.SPOKEN, commas
    hours_per_month: int | None = None
    mode: str | None = Field(default=None, max_length=16)  # remote | on_site | both
    proposals_per_month: int = 2
    accepts_proposals: bool = False
    paused_until: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ExpertSkill(SQLModel, table=True):
    __tablename__ = "expert_skill"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    skill_code: str | None = Field(default=None, max_length=64, index=True)
    label: str = Field(default="", max_length=200)  # the person's words when nothing fits
    level: str = Field(default="practised", max_length=16)


class VisitPeriod(SQLModel, table=True):
    """A stay of an expert in Morocco."""

    __tablename__ = "visit_period"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    starts: date
    ends: date


class Follow(SQLModel, table=True):
    """A theme, a territory or a project a person follows (or, for experts, cares about)."""

    __table_args__ = (UniqueConstraint("person_id", "kind", "key", name="uq_follow"),
                      Index("ix_follow_key", "kind", "key"))

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)  # theme | territory | project
    key: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


class Invitation(SQLModel, table=True):
    """A link (and QR code) that brings people to a commune or a project."""

    code: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=16)  # commune | project
    target: str = Field(max_length=32)  # HCP code or project reference
    created_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    opened: int = 0
    registered: int = 0


class ExpertInvite(SQLModel, table=True):
    """A person of an existing network, imported: asked once whether they want to join."""

    __tablename__ = "expert_invite"

    id: int | None = Field(default=None, primary_key=True)
    identity: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=120)
    language: str = Field(max_length=8)
    skills: str = Field(default="", max_length=500)  # skill codes or words, ";" separated
    country: str | None = Field(default=None, max_length=2)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class Proposal(SQLModel, table=True):
    """A need proposed to an expert, until both sides said yes (core.domain.proposals)."""

    __table_args__ = (UniqueConstraint("need_id", "expert_id", name="uq_proposal"),
                      Index("ix_proposal_status", "status", "sent_at"),
                      Index("ix_proposal_expert", "expert_id", "created_at"))

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="need.id", ondelete="CASCADE", index=True)
    expert_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    status: str = Field(default="waiting", max_length=16)
    score: int = 0
    reasons: str = Field(default="", max_length=200)  # core.domain.matching.Why, commas
    created_at: datetime = Field(default_factory=utcnow)
    send_after: datetime = Field(default_factory=utcnow)  # quiet hours where the expert is
    sent_at: datetime | None = None
    answered_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    told_at: datetime | None = None  # the representatives were told the expert is interested


class TeamMember(SQLModel, table=True):
    """A member of a project's team: an accepted expert, a representative, an animator."""

    __tablename__ = "team_member"
    __table_args__ = (UniqueConstraint("project_id", "person_id", name="uq_team_member"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=16)  # core.domain.proposals.TeamRole
    contact: str | None = Field(default=None, max_length=8)  # relay | share; None: not chosen
    joined_at: datetime = Field(default_factory=utcnow)
    left_at: datetime | None = None
    last_read_id: int = 0  # the last team message they saw


class TeamMessage(SQLModel, table=True):
    """What a member said to their team: the team's history, which the animator may read."""

    __tablename__ = "team_message"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    media: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON
    created_at: datetime = Field(default_factory=utcnow)


class Broadcast(SQLModel, table=True):
    """News, an event, a training session or a call for experts, sent to an audience
    (core.domain.audience), now or at a set time, streamed through the outbox."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)  # core.domain.audience.Kind
    # The text per language (JSON {"fr": "...", "ar": "..."}); for a call, the animator's
    # own words, shown with the need in each reader's language.
    texts: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    image: str | None = Field(default=None, max_length=500)  # an image's URL
    audience: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON
    need_id: int | None = Field(default=None, foreign_key="need.id", ondelete="SET NULL")
    # The approved WhatsApp template per language, for people beyond the 24-hour window:
    # JSON {"fr": {"sid": "HX…", "variables": {"1": "…"}}}.
    templates: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    status: str = Field(default="draft", max_length=16)  # core.broadcasts.Status
    scheduled_at: datetime | None = None
    cursor: int = 0  # the last person id considered: sending resumes after it
    created_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None  # every recipient's message is in the outbox


class BroadcastRecipient(SQLModel, table=True):
    """One person a broadcast reached: once (unique), with the outbox row carrying it."""

    __tablename__ = "broadcast_recipient"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "person_id", name="uq_broadcast_recipient"),
        Index("ix_broadcast_recipient_person", "person_id", "answer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    outbox_id: int | None = Field(default=None, index=True)
    language: str = Field(max_length=8)  # the language of the text they were sent
    template: bool = False  # WhatsApp beyond 24 hours: the approved template went
    deferred: bool = False  # quiet hours where they live: it waits for the morning
    skipped: str | None = Field(default=None, max_length=16)  # Exclusion, when nothing went
    answer: str | None = Field(default=None, max_length=16)  # calls: interested | not_for_me
    answered_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
