"""What a conversation step asks `core` to do. Plain data; services carry them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.domain.people import Role


class Refused(ValueError):
    """Core refuses a command because things changed since the step decided it (another
    representative closed the project, an animator decided first...): not a fault to retry."""


@dataclass(frozen=True)
class SetLanguage:
    language: str


@dataclass(frozen=True)
class GiveConsent:
    pass


@dataclass(frozen=True)
class ChooseRole:
    role: Role


@dataclass(frozen=True)
class KeepReferral:
    code: str


@dataclass(frozen=True)
class OptOut:
    pass


@dataclass(frozen=True)
class OptIn:
    pass


@dataclass(frozen=True)
class RequestHuman:
    state: str


@dataclass(frozen=True)
class ErasePerson:
    pass


@dataclass(frozen=True)
class RegisterOrganisation:
    name: str
    kind: str
    commune_code: str


@dataclass(frozen=True)
class RequestToJoin:
    organisation_id: int
    note: str


@dataclass(frozen=True)
class DecideMembership:
    member_id: int
    accept: bool


@dataclass(frozen=True)
class Attachment:
    """A voice note, photo or document a person sent, by its reference on their channel."""

    kind: str
    channel: str
    ref: str
    mime: str | None = None


@dataclass(frozen=True)
class CreateProject:
    """Records a new project as a draft; `ref` is chosen by the flow and names it after."""

    ref: str
    organisation_id: int
    commune_code: str
    title: str
    description: str
    theme: str
    kind: str
    peer: str | None
    pcd: str  # yes | no | unknown
    pcd_reference: str | None
    media: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class SaveDiagnosis:
    ref: str
    problem: str
    beneficiaries: str
    existing: str
    missing: tuple[str, ...]
    maintenance: str


@dataclass(frozen=True)
class AddNeed:
    ref: str
    kind: str  # core.domain.projects.NeedKind
    label: str = ""
    skill_code: str | None = None
    mode: str | None = None
    unit: str = ""
    requested: int = 1
    wanted_by: date | None = None


@dataclass(frozen=True)
class SetNeedStatus:
    """Closes a need, marks it fulfilled, or opens it again."""

    need_id: int
    status: str  # core.domain.projects.NeedStatus


@dataclass(frozen=True)
class EditProject:
    """Changes a project's title or description (None: unchanged); adds media."""

    ref: str
    title: str | None = None
    description: str | None = None
    media: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class SubmitProject:
    ref: str


@dataclass(frozen=True)
class ReviewProject:
    """An animator's decision: approve, reject with a reason, or ask a question."""

    ref: str
    decision: str  # approve | reject | question
    text: str = ""


@dataclass(frozen=True)
class AnswerQuestion:
    ref: str
    text: str


@dataclass(frozen=True)
class MoveProject:
    """A representative marks a project in progress, completed or closed."""

    ref: str
    status: str


@dataclass(frozen=True)
class PostUpdate:
    ref: str
    text: str
    media: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class SkillOffered:
    """A skill an expert offers: from the taxonomy (code), or in their words (label)."""

    code: str | None
    label: str
    level: str  # core.domain.experts.Level


@dataclass(frozen=True)
class SaveExpertProfile:
    """Registers or replaces a person's expert profile, whole (the flow edits a copy)."""

    skills: tuple[SkillOffered, ...]
    languages: tuple[str, ...]
    country: str | None
    city: str | None
    timezone: str | None
    origin_code: str | None
    themes: tuple[str, ...]
    hours_per_month: int | None
    mode: str | None
    visits: tuple[tuple[date, date], ...]
    proposals_per_month: int
    accepts_proposals: bool


@dataclass(frozen=True)
class PauseProposals:
    """Pauses proposals until a date (None: resume now)."""

    until: date | None


@dataclass(frozen=True)
class FollowThing:
    kind: str  # core.domain.experts.FollowKind
    key: str


@dataclass(frozen=True)
class UnfollowThing:
    kind: str
    key: str


@dataclass(frozen=True)
class CreateInvitation:
    """Creates an invitation link to a commune or a project; `code` chosen by the flow."""

    code: str
    kind: str  # commune | project
    target: str


@dataclass(frozen=True)
class AnswerProposal:
    """An expert's answer to a proposal: interested, not for me, not now."""

    proposal_id: int
    answer: str  # core.domain.proposals.Answer


@dataclass(frozen=True)
class AnswerCall:
    """An expert's answer to a call for experts: interested, or not for me."""

    broadcast_id: int
    answer: str  # core.domain.proposals.Answer: interested | not_for_me


@dataclass(frozen=True)
class SendCall:
    """An animator's call for experts about a need, to an audience, sent now."""

    need_id: int
    audience: str  # core.domain.audience.Audience, as JSON
    texts: tuple[tuple[str, str], ...] = ()  # the animator's words: (language, text)
    templates: str = "{}"  # WhatsApp beyond 24 hours: {language: {sid, variables}}, JSON


@dataclass(frozen=True)
class Announce:
    """An animator's news to the community, sent now."""

    texts: tuple[tuple[str, str], ...]  # (language, text)
    audience: str  # core.domain.audience.Audience, as JSON
    templates: str = "{}"  # WhatsApp beyond 24 hours: {language: {sid, variables}}, JSON


@dataclass(frozen=True)
class DecideProposal:
    """A representative accepts or declines an interested expert."""

    proposal_id: int
    accept: bool


@dataclass(frozen=True)
class ChooseContact:
    """How a team member wants to be reached: through the assistant, or by their contact."""

    ref: str
    contact: str  # core.domain.proposals.Contact


@dataclass(frozen=True)
class SayToTeam:
    """A message to a project's team, relayed to every other member."""

    ref: str
    text: str
    media: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class JoinTeam:
    """An animator joins a project's team."""

    ref: str


@dataclass(frozen=True)
class LeaveTeam:
    ref: str


@dataclass(frozen=True)
class ReadTeam:
    """A member opened their team: what was said so far counts as read."""

    ref: str


@dataclass(frozen=True)
class SayToTicket:
    """What a person who asked for a human writes to the team, on their open request."""

    text: str


@dataclass(frozen=True)
class AnswerTicket:
    """An animator's answer to a person's request, relayed to them."""

    ticket_id: int
    text: str


@dataclass(frozen=True)
class CloseTicket:
    ticket_id: int


Command = (
    SetLanguage | GiveConsent | ChooseRole | KeepReferral | OptOut | OptIn | RequestHuman
    | ErasePerson | RegisterOrganisation | RequestToJoin | DecideMembership | CreateProject
    | SaveDiagnosis | AddNeed | SetNeedStatus | EditProject | SubmitProject | ReviewProject
    | AnswerQuestion | MoveProject | PostUpdate | SaveExpertProfile | PauseProposals
    | FollowThing | UnfollowThing | CreateInvitation | AnswerProposal | DecideProposal
    | ChooseContact | SayToTeam | JoinTeam | LeaveTeam | ReadTeam | SayToTicket | AnswerTicket
    | CloseTicket | AnswerCall | SendCall | Announce
)
