"""Broadcasts and calls for experts: an audience, a preview, and sending streamed through
the outbox in batches.

Sending walks the people in id order, a batch per transaction: the batch's recipients
(unique per broadcast and person), their outbox rows and the broadcast's cursor are written
together, so a crash loses nothing and repeats nothing: the next batch starts after the
cursor, and memory holds one batch whatever the audience. The dispatcher then sends the
rows at each channel's rate, replies to people before bulk. Quiet hours where a person lives
defer their row to the morning; WhatsApp beyond 24 hours gets the broadcast's approved
template; people who sent STOP get nothing (checked again when the row is claimed).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlmodel import col

from core.domain.audience import Audience, Exclusion, Kind, Someone, exclusion, pick_text, selects
from core.domain.experts import FollowKind
from core.domain.outbox import Priority
from core.domain.people import parse_roles
from core.domain.projects import NeedKind
from core.domain.proposals import CAP_WINDOW, allowed_at, zone
from core.models import (
    Broadcast,
    BroadcastRecipient,
    ChannelIdentity,
    ExpertProfile,
    ExpertSkill,
    Follow,
    Need,
    OrganisationMember,
    OutboxMessage,
    Person,
    Project,
    Proposal,
)
from core.templates import FALLBACK, window_closed
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

LANGUAGES = ("ar", "zgh", "fr", "en")
BATCH = 500
MAX_TEXT = 3500  # under Telegram's 4096 characters once the call's need is added


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # waits for its time (now, for "send now")
    SENDING = "sending"  # recipients are being written to the outbox
    DONE = "done"  # every recipient's message is in the outbox
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Recipient:
    """One person a batch reaches, as the renderer needs them."""

    person_id: int
    identity: str
    channel: str
    reader: str  # the language they read: theirs, or French
    text_language: str | None  # the language of the text chosen for them (news)
    text: str  # the broadcast's words for them (news), or the animator's note (calls)
    template: dict[str, Any] | None  # {"content_sid", "variables"} beyond WhatsApp's 24 h
    send_at: datetime  # now, or the end of their quiet hours


#: Turns a recipient into the outbox payload (a rendered bot.messages.Reply, as JSON).
Render = Callable[[Broadcast, Recipient], str]


@dataclass
class Preview:
    """Who a broadcast would reach now, and who not and why."""

    reached: int = 0
    deferred: int = 0  # reached, but in their quiet hours: in the morning
    templates: int = 0  # reached on WhatsApp through the approved template
    by_channel: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    excluded: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"reached": self.reached, "deferred": self.deferred,
                "templates": self.templates, "by_channel": dict(self.by_channel),
                "by_language": dict(self.by_language), "excluded": dict(self.excluded)}


@dataclass(frozen=True)
class Batch:
    queued: int
    skipped: int
    finished: bool


@dataclass(frozen=True)
class Progress:
    """Where a broadcast's sending stands, counted from its recipients' outbox rows."""

    status: str
    recipients: int
    waiting: int  # in the outbox, due now
    deferred: int  # in the outbox, waiting for the end of quiet hours
    sent: int
    failed: int  # failed, or dropped at sending (STOP sent meanwhile, unreachable)
    skipped: Counter[str]  # written down but not sent: no template...
    delivered: int  # confirmed by the provider (Twilio status callbacks)
    read: int
    templates: int

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "recipients": self.recipients,
                "waiting": self.waiting, "deferred": self.deferred, "sent": self.sent,
                "failed": self.failed, "skipped": dict(self.skipped),
                "delivered": self.delivered, "read": self.read, "templates": self.templates}


# --- composing -------------------------------------------------------------------------------

def create(uow: UnitOfWork, *, kind: Kind, audience: Audience, texts: dict[str, str],
           created_by: int | None, now: datetime, need_id: int | None = None,
           image: str | None = None, templates: dict[str, dict[str, Any]] | None = None
           ) -> Broadcast:
    """Writes a draft; raises ValueError for what cannot be sent."""
    texts = {code: text.strip()[:MAX_TEXT] for code, text in texts.items() if text.strip()}
    if set(texts) - set(LANGUAGES):
        raise ValueError(f"texts must be in {', '.join(LANGUAGES)}")
    if kind is Kind.NEWS and not texts:
        raise ValueError("a broadcast needs a text in at least one language")
    if kind is Kind.CALL:
        need = uow.session.get(Need, need_id) if need_id else None
        if need is None or need.kind != NeedKind.SKILL or need.status != "open":
            raise ValueError("a call for experts is about an open skill need")
    if audience.channel not in (None, "telegram", "whatsapp"):
        raise ValueError("the channel is telegram or whatsapp")
    broadcast = Broadcast(kind=kind.value, texts=json.dumps(texts, ensure_ascii=False),
                          image=image or None, audience=audience.to_json(), need_id=need_id,
                          templates=json.dumps(_checked_templates(templates or {})),
                          created_by=created_by, created_at=now)
    uow.session.add(broadcast)
    uow.session.flush()
    logger.info("broadcast %s created (%s)", broadcast.id, kind.value)
    return broadcast


def schedule(uow: UnitOfWork, broadcast_id: int, at: datetime | None, now: datetime
             ) -> Broadcast:
    """Sends a draft at a time (None: now); raises ValueError if it is not a draft."""
    broadcast = _locked(uow, broadcast_id)
    if broadcast is None or broadcast.status not in (Status.DRAFT, Status.SCHEDULED):
        raise ValueError("only a draft or a scheduled broadcast can be (re)scheduled")
    broadcast.status, broadcast.scheduled_at = Status.SCHEDULED, _utc(at or now)
    logger.info("broadcast %s scheduled", broadcast_id)
    return broadcast


def cancel(uow: UnitOfWork, broadcast_id: int) -> Broadcast:
    """Stops a broadcast that has not finished queuing; what is queued still goes."""
    broadcast = _locked(uow, broadcast_id)
    if broadcast is None or broadcast.status in (Status.DONE, Status.CANCELLED):
        raise ValueError("this broadcast is already done")
    broadcast.status = Status.CANCELLED
    return broadcast


def texts_of(broadcast: Broadcast) -> dict[str, str]:
    return dict(json.loads(broadcast.texts or "{}"))


def audience_of(broadcast: Broadcast) -> Audience:
    return Audience.from_json(broadcast.audience)


# --- who ---------------------------------------------------------------------------------------

def preview(uow: UnitOfWork, kind: Kind, audience: Audience, now: datetime,
            need_id: int | None = None, texts: dict[str, str] | None = None,
            templates: dict[str, dict[str, Any]] | None = None) -> Preview:
    """Counts who the audience reaches now, by channel and language, and who is left out
    and why; streams the people, as sending does."""
    found = Preview()
    chooser = _Chooser(texts or {}, templates or {}, now)
    for seen in _walk(uow, kind, audience, need_id, now, after=0):
        if not seen.selected:
            continue
        reason, recipient = seen.reason, None
        if reason is None:
            reason, recipient = chooser.recipient(seen.who, seen.link)
        if reason is not None or recipient is None:
            found.excluded[(reason or Exclusion.UNREACHABLE).value] += 1
            continue
        found.reached += 1
        found.by_channel[recipient.channel] += 1
        found.by_language[recipient.text_language or recipient.reader] += 1
        found.deferred += recipient.send_at > now
        found.templates += recipient.template is not None
    return found


# --- sending -----------------------------------------------------------------------------------

def due(uow: UnitOfWork, now: datetime) -> list[int]:
    """The broadcasts to work on: scheduled for now or before, or halfway through."""
    stmt = select(Broadcast.id).where(or_(
        Broadcast.status == Status.SENDING,
        and_(Broadcast.status == Status.SCHEDULED, Broadcast.scheduled_at <= now))
    ).order_by(Broadcast.id)
    return list(uow.session.scalars(stmt))


def send_batch(uow: UnitOfWork, broadcast_id: int, render: Render, now: datetime,
               size: int = BATCH) -> Batch:
    """Queues the next batch of recipients and commits; `finished` once all are queued.
    Two workers on one broadcast take turns on its row lock (FOR UPDATE)."""
    broadcast = _locked(uow, broadcast_id)
    if broadcast is None or broadcast.status not in (Status.SCHEDULED, Status.SENDING):
        uow.rollback()
        return Batch(0, 0, True)
    if broadcast.status == Status.SCHEDULED:
        broadcast.status, broadcast.started_at = Status.SENDING, now
    chooser = _Chooser(texts_of(broadcast), json.loads(broadcast.templates or "{}"), now)
    queued = skipped = 0
    last = broadcast.cursor
    walked = _walk(uow, Kind(broadcast.kind), audience_of(broadcast), broadcast.need_id, now,
                   after=broadcast.cursor, limit=size)
    for seen in walked:
        last = seen.who.person_id
        if not seen.selected or seen.reason is not None:
            continue  # left out by the filters or for a reason the preview counted
        reason, recipient = chooser.recipient(seen.who, seen.link)
        if recipient is None:
            continue  # no address after all: exclusion() counted them unreachable
        row = BroadcastRecipient(broadcast_id=broadcast_id, person_id=last,
                                 language=recipient.text_language or recipient.reader,
                                 created_at=now)
        if reason is not None:
            row.skipped = reason.value  # written down: the progress counts it
            skipped += 1
        else:
            message = OutboxMessage(
                identity=recipient.identity, channel=recipient.channel, person_id=last,
                priority=int(Priority.BULK), payload=render(broadcast, recipient),
                next_attempt_at=recipient.send_at, created_at=now)
            uow.session.add(message)
            uow.session.flush()
            row.outbox_id, row.template = message.id, recipient.template is not None
            row.deferred = recipient.send_at > now
            queued += 1
        uow.session.add(row)
    finished = walked.count < size
    broadcast.cursor = last
    if finished:
        broadcast.status, broadcast.finished_at = Status.DONE, now
    uow.commit()
    logger.info("broadcast %s: %s queued, %s skipped, cursor %s%s", broadcast_id, queued,
                skipped, last, " (all queued)" if finished else "")
    return Batch(queued, skipped, finished)


def progress(uow: UnitOfWork, broadcast_id: int, now: datetime) -> Progress | None:
    """Counts the broadcast's recipients by what became of their message."""
    broadcast = uow.session.get(Broadcast, broadcast_id)
    if broadcast is None:
        return None
    rows = uow.session.execute(
        select(OutboxMessage.status, OutboxMessage.delivery_status,
               OutboxMessage.next_attempt_at > now, BroadcastRecipient.skipped,
               BroadcastRecipient.template, func.count())
        .select_from(BroadcastRecipient)
        .outerjoin(OutboxMessage, OutboxMessage.id == BroadcastRecipient.outbox_id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id)
        .group_by(OutboxMessage.status, OutboxMessage.delivery_status,
                  OutboxMessage.next_attempt_at > now, BroadcastRecipient.skipped,
                  BroadcastRecipient.template)).all()
    counts: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    total = delivered = read = templates = 0
    for status, delivery, later, skip, template, n in rows:
        total += n
        templates += n if template else 0
        if skip:
            skipped[skip] += n
        elif status is None:
            counts["failed"] += n  # the outbox row went (erased person): not delivered
        elif status in ("pending", "sending"):
            counts["deferred" if later and status == "pending" else "waiting"] += n
        elif status == "sent":
            counts["sent"] += n
            delivered += n if delivery in ("delivered", "read") else 0
            read += n if delivery == "read" else 0
            counts["failed"] += n if delivery in ("undelivered", "failed") else 0
            counts["sent"] -= n if delivery in ("undelivered", "failed") else 0
        else:
            counts["failed"] += n
    return Progress(broadcast.status, total, counts["waiting"], counts["deferred"],
                    counts["sent"], counts["failed"], skipped, delivered, read, templates)


# --- internals ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Seen:
    """One person read by a walk: whether the filters select them, and if so why they are
    left out (None: reached)."""

    who: Someone
    link: ChannelIdentity | None
    selected: bool
    reason: Exclusion | None


class _Walk:
    """The people after a cursor, a batch at a time; counts those read, so that a short
    batch tells the end of the walk."""

    def __init__(self) -> None:
        self.count = 0
        self.rows: Iterator[_Seen] = iter(())

    def __iter__(self) -> Iterator[_Seen]:
        return self.rows


def _walk(uow: UnitOfWork, kind: Kind, audience: Audience, need_id: int | None,
          now: datetime, after: int, limit: int | None = None) -> _Walk:
    walk = _Walk()
    context = _CallContext.of(uow, need_id, now) if kind is Kind.CALL else None

    def rows() -> Iterator[_Seen]:
        cursor, left = after, limit
        while left is None or left > 0:
            size = BATCH if left is None else min(BATCH, left)
            people = list(uow.session.scalars(
                _candidates(kind, audience).where(col(Person.id) > cursor)
                .order_by(col(Person.id)).limit(size)))
            walk.count += len(people)
            if left is not None:
                left -= len(people)
            for who, link in _someone(uow, people, audience, context, now):
                chosen = selects(audience, kind, who)
                yield _Seen(who, link, chosen,
                            exclusion(audience, kind, who, now.date()) if chosen else None)
            if len(people) < size:
                return
            cursor = people[-1].id or cursor

    walk.rows = rows()
    return walk


def _candidates(kind: Kind, audience: Audience) -> Any:
    """The people worth reading: SQL narrows, core.domain.audience decides."""
    stmt = select(Person)
    if kind is Kind.CALL:
        stmt = stmt.where(exists().where(ExpertProfile.person_id == Person.id))
    if audience.project:
        stmt = stmt.where(exists().where(Follow.person_id == Person.id,
                                         Follow.kind == FollowKind.PROJECT,
                                         Follow.key == audience.project))
    if audience.skills:
        stmt = stmt.where(exists().where(ExpertSkill.person_id == Person.id, or_(*(
            ExpertSkill.skill_code == code if "." in code
            else col(ExpertSkill.skill_code).startswith(f"{code}.")
            for code in audience.skills))))
    return stmt


@dataclass(frozen=True)
class _CallContext:
    """What a call's exclusions read once: who is already asked about the need or stands on
    the project's side."""

    need_id: int
    already: frozenset[int]

    @classmethod
    def of(cls, uow: UnitOfWork, need_id: int | None, now: datetime) -> _CallContext:
        need = uow.session.get(Need, need_id) if need_id else None
        if need is None:
            return cls(0, frozenset())
        project = uow.session.get(Project, need.project_id)
        asked = set(uow.session.scalars(select(Proposal.expert_id).where(
            Proposal.need_id == need.id)))
        if project is not None:
            asked |= set(uow.session.scalars(select(OrganisationMember.person_id).where(
                OrganisationMember.organisation_id == project.organisation_id)))
        return cls(need.id or 0, frozenset(asked))


def _someone(uow: UnitOfWork, people: list[Person], audience: Audience,
             call: _CallContext | None, now: datetime
             ) -> Iterable[tuple[Someone, ChannelIdentity | None]]:
    """Reads what the filters need of a batch of people, each table once."""
    ids = [p.id for p in people if p.id is not None]
    if not ids:
        return
    links: dict[int, list[ChannelIdentity]] = {}
    for link in uow.session.scalars(select(ChannelIdentity).where(
            col(ChannelIdentity.person_id).in_(ids),
            col(ChannelIdentity.unreachable).is_(False))):
        links.setdefault(link.person_id, []).append(link)
    profiles = {p.person_id: p for p in uow.session.scalars(
        select(ExpertProfile).where(col(ExpertProfile.person_id).in_(ids)))}
    skills: dict[int, set[str]] = {}
    for pid, code in uow.session.execute(select(ExpertSkill.person_id, ExpertSkill.skill_code)
                                         .where(col(ExpertSkill.person_id).in_(ids))):
        if code:
            skills.setdefault(pid, set()).add(code)
    themes: dict[int, set[str]] = {}
    for pid, key in uow.session.execute(select(Follow.person_id, Follow.key).where(
            col(Follow.person_id).in_(ids), Follow.kind == FollowKind.THEME)):
        themes.setdefault(pid, set()).add(key)
    following: set[int] = set()
    if audience.project:
        following = set(uow.session.scalars(select(Follow.person_id).where(
            col(Follow.person_id).in_(ids), Follow.kind == FollowKind.PROJECT,
            Follow.key == audience.project)))
    received = _received(uow, ids, now) if call is not None else {}
    for person in people:
        pid = person.id or 0
        profile = profiles.get(pid)
        reachable = [link for link in links.get(pid, ())
                     if audience.channel in (None, link.channel)]
        yield Someone(
            person_id=pid, language=person.language,
            roles=frozenset(r.value for r in parse_roles(person.roles)),
            consented=person.consent_at is not None, opted_out=person.opted_out,
            skills=frozenset(skills.get(pid, ())),
            spoken=frozenset(filter(None, (profile.languages if profile else "").split(","))),
            country=profile.country if profile else None,
            timezone=profile.timezone if profile else None,
            origin=profile.origin_code if profile else None,
            themes=frozenset(themes.get(pid, ())), follows_project=pid in following,
            has_profile=profile is not None,
            accepts_proposals=bool(profile and profile.accepts_proposals),
            paused_until=profile.paused_until if profile else None,
            received_this_month=received.get(pid, 0),
            proposals_per_month=profile.proposals_per_month if profile else 0,
            already_asked=call is not None and pid in call.already,
            channels=frozenset(link.channel for link in reachable)), _latest(reachable)


def _received(uow: UnitOfWork, ids: list[int], now: datetime) -> dict[int, int]:
    """Proposals and calls each expert received in the cap's window."""
    since = now - CAP_WINDOW
    counts: Counter[int] = Counter(dict(uow.session.execute(
        select(Proposal.expert_id, func.count()).where(
            col(Proposal.expert_id).in_(ids), Proposal.created_at >= since)
        .group_by(Proposal.expert_id)).all()))
    counts.update(dict(uow.session.execute(
        select(BroadcastRecipient.person_id, func.count())
        .join(Broadcast, Broadcast.id == BroadcastRecipient.broadcast_id)
        .where(col(BroadcastRecipient.person_id).in_(ids), Broadcast.kind == Kind.CALL,
               col(BroadcastRecipient.outbox_id).is_not(None),
               BroadcastRecipient.created_at >= since)
        .group_by(BroadcastRecipient.person_id)).all()))
    return dict(counts)


def _latest(links: list[ChannelIdentity]) -> ChannelIdentity | None:
    """The channel the person wrote from last (as the relay chooses)."""
    if not links:
        return None
    return max(links, key=lambda link: (
        link.last_inbound_at.timestamp() if link.last_inbound_at else 0.0, link.id))


class _Chooser:
    """Picks, for one reached person, the channel, the text, the template and the hour."""

    def __init__(self, texts: dict[str, str], templates: dict[str, Any], now: datetime
                 ) -> None:
        self.texts, self.templates, self.now = texts, templates, now
        self._zones: dict[tuple[str | None, str | None], datetime] = {}

    def recipient(self, who: Someone, link: ChannelIdentity | None
                  ) -> tuple[Exclusion | None, Recipient | None]:
        if link is None:
            return Exclusion.UNREACHABLE, None
        reader = who.language if who.language in LANGUAGES else "fr"
        picked = pick_text(self.texts, reader)
        template = None
        if window_closed(link.channel, link.last_inbound_at, self.now):
            template = self._template(reader)
        recipient = Recipient(who.person_id, link.id, link.channel, reader,
                              picked[0] if picked else None, picked[1] if picked else "",
                              template, self._send_at(who))
        if window_closed(link.channel, link.last_inbound_at, self.now) and template is None:
            return Exclusion.NO_TEMPLATE, recipient
        return None, recipient

    def _template(self, reader: str) -> dict[str, Any] | None:
        for code in (reader, *FALLBACK):
            found = self.templates.get(code)
            if found and found.get("sid"):
                return {"content_sid": found["sid"],
                        "variables": dict(found.get("variables") or {})}
        return None

    def _send_at(self, who: Someone) -> datetime:
        key = (who.timezone, who.country)
        if key not in self._zones:
            self._zones[key] = allowed_at(self.now, zone(who.timezone, who.country))
        return self._zones[key]


def _checked_templates(templates: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    checked: dict[str, dict[str, Any]] = {}
    for language, template in templates.items():
        if language not in LANGUAGES or not isinstance(template, dict) or not str(
                template.get("sid", "")).startswith("HX"):
            raise ValueError(f"template for {language!r}: give a Content SID (HX…)")
        variables = template.get("variables") or {}
        if not isinstance(variables, dict):
            raise ValueError(f"template for {language!r}: variables are an object")
        checked[language] = {"sid": str(template["sid"]),
                             "variables": {str(k): str(v) for k, v in variables.items()}}
    return checked


def _locked(uow: UnitOfWork, broadcast_id: int) -> Broadcast | None:
    return uow.session.scalars(select(Broadcast).where(Broadcast.id == broadcast_id)
                               .with_for_update()).first()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

