"""Messages of the matching and of project teams to other people than the one who wrote:
proposals to experts, interested experts to representatives, decisions, introductions, and
each team message relayed to the other members, each on their own channel.

WhatsApp allows free text only within 24 hours of the person's last message; beyond, an
approved template (core.templates) invites them back, and what was said waits for them in
the team's history or their menu. Nobody's number, chat id or username is ever in these
messages, but a contact its owner chose to share with their team.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from sqlmodel import col, select

from bot.flows.cards import MediaUrl
from bot.flows.engine import Context
from bot.flows.handoff import title as handoff_title
from bot.flows.matches import candidate_text, offer_text
from bot.flows.team import who
from bot.i18n import LANGUAGES
from bot.messages import Media, Reply
from core import calls, outbox, proposals, services, teams, tickets
from core.commands import (
    AddNeed,
    AnswerCall,
    AnswerProposal,
    AnswerTicket,
    ChooseContact,
    CloseTicket,
    Command,
    DecideProposal,
    JoinTeam,
    LeaveTeam,
    MoveProject,
    PauseProposals,
    ReviewProject,
    SaveExpertProfile,
    SayToTeam,
    SayToTicket,
    SetNeedStatus,
)
from core.domain.outbox import Priority
from core.domain.proposals import SHARED, Answer
from core.matching import due
from core.models import ChannelIdentity, Person, ProjectMedia, TeamMessage
from core.templates import Templates, window_closed
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

Render = Callable[[Context], Reply]
#: Commands after which matching may have written proposals to send now.
MATCHING = (AddNeed, ReviewProject, MoveProject, SetNeedStatus, SaveExpertProfile,
            PauseProposals, AnswerProposal, DecideProposal)


class Relay:
    """Sends what matching and teams have to say, through the outbox."""

    def __init__(self, templates: Templates | None = None,
                 media_url: MediaUrl | None = None) -> None:
        self.templates, self.media_url = templates or Templates(), media_url

    def after(self, uow: UnitOfWork, commands: Iterable[Command], person: Person,
              now: datetime) -> None:
        """Tells the other people concerned by what the person just did."""
        commands = list(commands)
        for cmd in commands:
            if isinstance(cmd, AnswerProposal) and cmd.answer == Answer.INTERESTED:
                self._interested(uow, cmd.proposal_id, now)
            elif isinstance(cmd, AnswerCall) and cmd.answer == Answer.INTERESTED:
                proposal_id = calls.proposal_of(uow, cmd.broadcast_id, person.id or 0)
                if proposal_id is not None:
                    self._interested(uow, proposal_id, now)
            elif isinstance(cmd, DecideProposal):
                self._decided(uow, cmd, person, now)
            elif isinstance(cmd, SayToTeam):
                self._relay(uow, cmd.ref, person, now)
            elif isinstance(cmd, ChooseContact) and cmd.contact in SHARED:
                shown = teams.contact_of(uow, person.id or 0, cmd.contact)
                self._to_team(uow, cmd.ref, person, now, lambda ctx, n, r, s=shown: (
                    ctx.t.gettext("{member} shares their contact with the team: {contact}")
                    .format(member=who(ctx, n, r), contact=", ".join(ctx.t.iso(c) for c in s))))
            elif isinstance(cmd, LeaveTeam):
                self._to_team(uow, cmd.ref, person, now, lambda ctx, n, r: ctx.t.gettext(
                    "{member} left the team.").format(member=who(ctx, n, r)))
            elif isinstance(cmd, SayToTicket):
                self._to_animators(uow, person, now)
            elif isinstance(cmd, AnswerTicket):
                self._answered(uow, cmd, now)
            elif isinstance(cmd, CloseTicket):
                self._closed(uow, cmd.ticket_id, now)
            elif isinstance(cmd, JoinTeam):
                self._to_team(uow, cmd.ref, person, now, lambda ctx, n, r: ctx.t.gettext(
                    "{member} joined the team.").format(member=who(ctx, n, r)))
        if any(isinstance(cmd, MATCHING) for cmd in commands):
            self.deliver_due(uow, now)

    # --- proposals ---------------------------------------------------------------------------

    def deliver_due(self, uow: UnitOfWork, now: datetime) -> int:
        """Sends the proposals whose expert's quiet hours are over; returns how many."""
        sent = 0
        for proposal in due(uow, now):
            offer = proposals.offer(uow, proposal.id or 0)
            proposal.sent_at = now
            if offer is None:
                continue
            self.send(uow, proposal.expert_id, lambda ctx, o=offer: Reply(  # type: ignore[misc]
                ctx.t.gettext("A project needs you!") + "\n\n" + offer_text(ctx, o) + "\n\n"
                + ctx.t.gettext("To answer, open the menu and choose “Proposals for you”.")),
                now, "proposal", offer.title, Priority.BULK)
            sent += 1
        if sent:
            logger.info("%s proposals sent", sent)
        return sent

    def _interested(self, uow: UnitOfWork, proposal_id: int, now: datetime) -> None:
        candidate = proposals.candidate(uow, proposal_id)
        if candidate is None:
            return
        for representative in proposals.representatives_of_proposal(uow, proposal_id):
            self.send(uow, representative, lambda ctx: Reply(
                candidate_text(ctx, candidate) + "\n\n" + ctx.t.gettext(
                    "To accept or decline, open the menu and choose “Experts interested”.")),
                now, "candidate", candidate.title)

    def _decided(self, uow: UnitOfWork, cmd: DecideProposal, person: Person,
                 now: datetime) -> None:
        offer = proposals.offer(uow, cmd.proposal_id)
        if offer is None:
            return
        expert = uow.session.get(Person, proposals.expert_of(uow, cmd.proposal_id))
        if expert is None:
            return
        if not cmd.accept:
            self.send(uow, expert.id or 0, lambda ctx: Reply(ctx.t.gettext(
                "Thank you for offering your help to “{title}”. Its organisation has chosen "
                "another way this time. Other projects will need you: I will tell you.")
                .format(title=ctx.t.iso(offer.title))), now, "decision", offer.title)
            return
        self.send(uow, expert.id or 0, lambda ctx: Reply(ctx.t.gettext(
            "Good news: the organisation of “{title}” accepted your help! You are now in the "
            "project's team. Open the menu and choose “Project teams” to say how you want to "
            "talk with them, and to write to them.").format(title=ctx.t.iso(offer.title))),
            now, "decision", offer.title)
        for representative in proposals.representatives_of_proposal(uow, cmd.proposal_id):
            if representative != person.id:
                self.send(uow, representative, lambda ctx: Reply(ctx.t.gettext(
                    "{name} was accepted into the team of “{title}”. Open the menu and "
                    "choose “Project teams” to talk with them.").format(
                        name=ctx.t.iso(expert.first_name or ctx.t.gettext("An expert")),
                        title=ctx.t.iso(offer.title))), now, "decision", offer.title)

    # --- requests to talk to a person -------------------------------------------------------

    def _to_animators(self, uow: UnitOfWork, person: Person, now: datetime) -> None:
        """Passes what a person wrote on their request to the animator answering it, or to
        every animator while nobody has."""
        found = tickets.open_request(uow, person.id or 0)
        ticket = tickets.ticket(uow, found.id or 0) if found else None
        if found is None or ticket is None or not ticket.messages:
            return
        said = ticket.messages[-1].text
        staff = ([found.answered_by] if found.answered_by else
                 sorted({pid for _i, pid in services.animator_identities(uow)}))
        for animator in staff:
            self.send(uow, animator, lambda ctx: Reply(ctx.t.gettext(
                "{request}: “{text}”\nOpen the menu and choose “Requests to talk to a person” "
                "to answer.").format(request=handoff_title(ctx, ticket), text=ctx.t.iso(said))),
                now, "ticket", "")

    def _answered(self, uow: UnitOfWork, cmd: AnswerTicket, now: datetime) -> None:
        ticket = tickets.ticket(uow, cmd.ticket_id)
        if ticket is None:
            return
        self.send(uow, ticket.person_id, lambda ctx: Reply(ctx.t.gettext(
            "Answer from the team: “{text}”\nTo reply, write here; if you have left this "
            "conversation, write HUMAN first.").format(text=ctx.t.iso(cmd.text.strip()))),
            now, "ticket", "")

    def _closed(self, uow: UnitOfWork, ticket_id: int, now: datetime) -> None:
        ticket = tickets.ticket(uow, ticket_id)
        if ticket is None:
            return
        self.send(uow, ticket.person_id, lambda ctx: Reply(ctx.t.gettext(
            "Your request to talk to a person is closed. Write HUMAN whenever you need a "
            "person again.")), now, "ticket", "")

    # --- teams -------------------------------------------------------------------------------

    def _relay(self, uow: UnitOfWork, ref: str, person: Person, now: datetime) -> None:
        """Sends the sender's last team message to every other member."""
        message = uow.session.exec(select(TeamMessage).where(
            TeamMessage.person_id == person.id).order_by(col(TeamMessage.id).desc())).first()
        team = teams.team_by_ref(uow, ref, person.id or 0)
        if message is None or team is None:
            return
        sender = team.member(person.id or 0)
        role = sender.role if sender else ""
        media = [uow.session.get(ProjectMedia, i) for i in json.loads(message.media or "[]")]
        for member in teams.recipients(uow, team.project_id, person.id or 0):
            def render(ctx: Context) -> Reply:
                head = ctx.t.gettext("{member} — team of “{title}”:").format(
                    member=who(ctx, person.first_name or "", role),
                    title=ctx.t.iso(team.title))
                return Reply(head + ("\n" + message.text if message.text else ""),
                             media=tuple(m for m in (self._shown(item, ctx.identity)
                                                     for item in media if item) if m))
            if self.send(uow, member, render, now, "team_message", team.title):
                teams.mark_read(uow, team.project_id, member, message.id or 0)

    def _to_team(self, uow: UnitOfWork, ref: str, person: Person, now: datetime,
                 text: Callable[[Context, str, str], str]) -> None:
        team = teams.team_by_ref(uow, ref, person.id or 0)
        if team is None:
            return
        me = team.member(person.id or 0)
        role = me.role if me else ""
        for member in teams.recipients(uow, team.project_id, person.id or 0):
            self.send(uow, member, lambda ctx: Reply(text(ctx, person.first_name or "", role)),
                      now, "team_message", team.title)

    def _shown(self, item: ProjectMedia, identity: str) -> Media | None:
        """A media item as the member's channel can receive it: its own ref, or our link."""
        if item.channel == identity.partition(":")[0]:
            return Media(item.kind, item.ref, item.mime)
        if self.media_url is None:
            return None
        return Media(item.kind, self.media_url(item.id or 0), item.mime)

    # --- sending -----------------------------------------------------------------------------

    def send(self, uow: UnitOfWork, person_id: int, render: Render, now: datetime,
             purpose: str, title: str, priority: Priority = Priority.REPLY) -> bool:
        """Queues a message to a person on the channel they used last, in their language;
        beyond WhatsApp's 24 hours, the purpose's template instead. Returns whether the
        whole message went (False: a template, or nothing could be sent)."""
        person = uow.session.get(Person, person_id)
        link = _address(uow, person_id)
        if person is None or link is None:
            return False
        language = person.language if person.language in LANGUAGES else "fr"
        ctx = Context(replace(services.snapshot(person), language=language), link.id, now)
        reply = render(ctx)
        whole = True
        if window_closed(link.channel, link.last_inbound_at, now):
            sid = self.templates.sid(purpose, language)
            if sid is None:
                logger.info("person %s outside the WhatsApp window, no %s template: kept for "
                            "later", person_id, purpose)
                return False
            reply = Reply(reply.text, extra={"template": {"content_sid": sid,
                                                          "variables": {"1": title[:60]}}})
            whole = False
        outbox.enqueue(uow, link.id, reply.to_json(), person_id=person_id, priority=priority,
                       now=now)
        return whole


def _address(uow: UnitOfWork, person_id: int) -> ChannelIdentity | None:
    """The person's channel they wrote from last, among those that can be reached."""
    links = list(uow.session.exec(select(ChannelIdentity).where(
        ChannelIdentity.person_id == person_id, col(ChannelIdentity.unreachable).is_(False))))
    if not links:
        return None
    return max(links, key=lambda link: (
        link.last_inbound_at.timestamp() if link.last_inbound_at else 0.0, link.id))
