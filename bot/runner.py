"""The conversation runner: one inbound message → one step → state, effects and replies
committed together. Steps for one person run one at a time, in the order received."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot import effects
from bot.flows import Outcome, respond
from bot.flows.conversation import push_history
from bot.flows.engine import Context, LazyFacts, render
from bot.i18n import Translator
from bot.i18n.detect import detect_language
from bot.messages import Inbound, Reply
from bot.relay import Relay
from core import (
    broadcasts,
    calls,
    experts,
    inbox,
    invitations,
    organisations,
    outbox,
    projects,
    proposals,
    services,
    skills,
    teams,
    territories,
    tickets,
)
from core.clock import Clock
from core.commands import Refused
from core.domain.audience import Kind
from core.domain.outbox import Priority
from core.locks import Locks
from core.metrics import Metrics
from core.models import InboundMessage, Person, Territory
from core.uow import UnitOfWork, UowFactory

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class Runner:
    """Processes the recorded inbound messages of an identity, oldest first."""

    def __init__(self, uow: UowFactory, locks: Locks, clock: Clock, metrics: Metrics,
                 default_language: str = "ar", idle_days: int = 7,
                 on_outbox: Callable[[], None] = lambda: None,
                 media_url: Callable[[int], str] | None = None,
                 invite_links: Callable[[str], invitations.Links] | None = None,
                 relay: Relay | None = None) -> None:
        self.uow, self.locks, self.clock, self.metrics = uow, locks, clock, metrics
        self.default_language, self.idle_days, self.on_outbox = (
            default_language, idle_days, on_outbox)
        self.media_url, self.invite_links = media_url, invite_links
        self.relay = relay or Relay(media_url=media_url)

    async def process(self, identity: str) -> int:
        """Runs every pending message of `identity`; returns how many were handled."""
        handled = 0
        async with self.locks.hold(f"identity:{identity}"):
            while await asyncio.to_thread(self._process_next, identity):
                handled += 1
        if handled:
            self.on_outbox()
        return handled

    def _process_next(self, identity: str) -> bool:
        with self.uow() as uow:
            row = inbox.next_pending(uow, identity)
            if row is None:
                return False
            message_id = row.id
            assert message_id is not None
            try:
                started = time.perf_counter()
                self._step(uow, row)
                self.metrics.step_seconds.observe(time.perf_counter() - started)
                return True
            except Refused as refusal:
                logger.info("inbound %s refused: %s", message_id, refusal)
                uow.rollback()
                return self._refused(identity, message_id)
            except Exception:
                logger.exception("step failed for inbound %s", message_id)
                uow.rollback()
        return self._give_up_or_retry(identity, message_id)

    def _step(self, uow: UnitOfWork, row: InboundMessage) -> None:
        msg = Inbound.from_json(row.body)
        now = self.clock()
        guess = detect_language(msg.text, msg.language_hint) or self.default_language
        person = services.register_contact(uow, msg.identity, guess, row.received_at,
                                            msg.name, msg.handle)
        assert person.id is not None
        saved = services.load_conversation(uow, person.id)
        current = saved.state
        ctx = Context(services.snapshot(person), msg.identity, now, saved.data,
                      self._facts(uow, person), current or "")
        if services.idle_too_long(saved, now, self.idle_days):
            current = None  # greeted back at the menu; STOP and START still work
        outcome = respond(msg, ctx, current)
        person_id: int | None = person.id
        noted = effects.execute(uow, person, outcome.commands, now)
        erased = effects.erased(outcome.commands)
        if erased:
            person_id = None
        else:
            uow.session.flush()
            ctx.person = services.snapshot(person)
            if outcome.commands:  # what the next question shows is read after the change
                ctx.facts = self._facts(uow, person)
            self._save(uow, ctx, current, outcome, now)
        for reply in self._replies(outcome, ctx, msg):
            outbox.enqueue(uow, msg.identity, reply.to_json(), person_id=person_id,
                           priority=Priority.REPLY, now=now, ephemeral=erased)
        effects.tell(uow, person, outcome.commands, noted, now, self.relay, self.media_url)
        if not inbox.mark_processed(uow, row.id or 0, now):
            uow.rollback()  # someone else processed it meanwhile: their effects stand
            return
        if erased:
            inbox.forget(uow, row.id or 0)
        uow.commit()
        logger.info("inbound %s: person %s %s -> %s", row.id, person_id, current,
                    outcome.state if not erased else "erased")

    def _save(self, uow: UnitOfWork, ctx: Context, current: str | None, outcome: Outcome,
              now: datetime) -> None:
        push_history(ctx, current or "", outcome.state, outcome.back)
        services.save_conversation(uow, ctx.person.id, outcome.state, ctx.data, now)

    def _replies(self, outcome: Outcome, ctx: Context, msg: Inbound) -> list[Reply]:
        """Merges what the step said, the hint and the next question into few messages."""
        parts: list[Reply] = list(outcome.say)
        if outcome.hint:
            parts.append(Reply(outcome.hint))
        if outcome.ask:
            parts.append(render(outcome.state, ctx))
        merged: list[Reply] = []
        for part in parts:
            if merged and not merged[-1].choices and not merged[-1].media and not part.media:
                merged[-1] = replace(part, text=merged[-1].text + "\n\n" + part.text)
            else:
                merged.append(part)
        if merged and msg.callback_id:
            merged[0] = replace(merged[0], ack=msg.callback_id)
        return merged

    def _facts(self, uow: UnitOfWork, person: Person) -> LazyFacts:
        return LazyFacts({"identities": lambda: services.identities_of(uow, person.id or 0),
                          "animators": lambda: len(services.animator_identities(uow)),
                          "communes": lambda: lambda text: territories.search(uow, text, 5),
                          "memberships": lambda: organisations.memberships_of(
                              uow, person.id or 0),
                          "organisations": lambda: lambda text: (
                              organisations.find_organisations(uow, text, 5)),
                          "join_requests": lambda: organisations.pending_requests(uow, person),
                          "represented": lambda: projects.represented(uow, person.id or 0),
                          "my_projects": lambda: projects.projects_of(uow, person.id or 0),
                          "project": lambda: lambda ref: projects.card(uow, ref),
                          "review_queue": lambda: (projects.review_queue(uow)
                                                   if services.is_staff(person) else []),
                          "skills": lambda: lambda text: skills.search(text, 5),
                          "media_url": lambda: self.media_url,
                          "profile": lambda: experts.profile(uow, person.id or 0),
                          "follows": lambda: experts.follows(uow, person.id or 0),
                          "browse": lambda: lambda filters, page=0: experts.browse(
                              uow, filters, page),
                          "whats_new": lambda: lambda since: experts.whats_new(
                              uow, person.id or 0, since),
                          "invitation": lambda: invitations.of(uow, person.referral),
                          "territory": lambda: lambda code: uow.session.get(Territory, code),
                          "invite_links": lambda: self.invite_links,
                          "latest": lambda: lambda ref: experts.latest_updates(
                              uow, [ref]).get(ref),
                          "offers": lambda: proposals.offers(uow, person.id or 0),
                          "candidates": lambda: proposals.candidates(uow, person.id or 0),
                          "teams": lambda: (teams.all_teams(uow, person.id or 0)
                                            if services.is_staff(person)
                                            else teams.teams_of(uow, person.id or 0)),
                          "team": lambda: lambda ref: teams.team_by_ref(
                              uow, ref, person.id or 0),
                          "team_history": lambda: lambda project_id: teams.history(
                              uow, project_id),
                          "contact": lambda: lambda pid, kind: teams.contact_of(
                              uow, pid, kind),
                          "handle": lambda: services.handle_of(uow, person.id or 0),
                          "my_ticket": lambda: tickets.open_request(uow, person.id or 0),
                          "tickets": lambda: (tickets.open_tickets(uow)
                                              if services.is_staff(person) else []),
                          "ticket": lambda: lambda ticket_id: tickets.ticket(uow, ticket_id),
                          "calls": lambda: calls.open_calls(uow, person.id or 0, self.clock()),
                          "call_needs": lambda: (calls.open_skill_needs(uow)
                                                 if services.is_staff(person) else []),
                          "call_preview": lambda: (lambda need_id, audience, templates: (
                              broadcasts.preview(uow, Kind.CALL, audience, self.clock(),
                                                 need_id=need_id, templates=templates))
                          ) if services.is_staff(person) else None,
                          "news_preview": lambda: (lambda audience, texts, templates: (
                              broadcasts.preview(uow, Kind.NEWS, audience, self.clock(),
                                                 texts=texts, templates=templates))
                          ) if services.is_staff(person) else None,
                          "templates": lambda: self.relay.templates})

    def _refused(self, identity: str, message_id: int) -> bool:
        """Tells the person that what they asked no longer applies; moves past the message,
        leaving their conversation where it was."""
        with self.uow() as uow:
            now = self.clock()
            person = services.find_person(uow, identity)
            language = person.language if person else self.default_language
            text = Translator(language).gettext(
                "That can no longer be done: it changed meanwhile (someone else may have "
                "decided or changed it). Write MENU to see where things stand.")
            outbox.enqueue(uow, identity, Reply(text).to_json(),
                           person_id=person.id if person else None, now=now)
            inbox.mark_processed(uow, message_id, now)
            uow.commit()
            return True

    def _give_up_or_retry(self, identity: str, message_id: int) -> bool:
        """Counts a failed step; after a few, apologises and moves past the message."""
        with self.uow() as uow:
            attempts = inbox.count_failure(uow, message_id)
            if attempts < MAX_ATTEMPTS:
                uow.commit()
                return False  # left pending: the sweeper tries again later
            now = self.clock()
            person = services.find_person(uow, identity)
            language = person.language if person else self.default_language
            outbox.enqueue(uow, identity, Reply(_sorry(language)).to_json(),
                           person_id=person.id if person else None, now=now)
            inbox.mark_processed(uow, message_id, now)
            uow.commit()
            logger.error("inbound %s abandoned after %s attempts", message_id, attempts)
            return True


def _sorry(language: str) -> str:
    return Translator(language).gettext(
        "Sorry, something went wrong on my side. Please try again, or write MENU.")

