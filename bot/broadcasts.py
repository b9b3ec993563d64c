"""Broadcasts as people read them: each recipient's text in their language (or the
fallback core.domain.audience.pick_text chose), the image as their channel takes it, the
call's need with the reasons it fits them; and the loop that streams due broadcasts into
the outbox (core.broadcasts), a batch per transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.flows.engine import Context
from bot.flows.matches import offer_text
from bot.i18n import Translator
from bot.messages import Media, Reply
from core import broadcasts, calls, services
from core.broadcasts import Recipient
from core.clock import Clock
from core.domain.audience import Kind
from core.models import Broadcast, Person
from core.uow import UnitOfWork, UowFactory

logger = logging.getLogger(__name__)


def renderer(uow: UnitOfWork, now: datetime) -> broadcasts.Render:
    """The function that writes one recipient's message, reading what a call needs."""

    def render(broadcast: Broadcast, recipient: Recipient) -> str:
        return message(uow, broadcast, recipient, now).to_json()

    return render


def message(uow: UnitOfWork, broadcast: Broadcast, recipient: Recipient,
            now: datetime) -> Reply:
    """One recipient's message: the template beyond WhatsApp's 24 hours, else the text."""
    t = Translator(recipient.reader)
    if broadcast.kind == Kind.CALL:
        text = call_text(uow, broadcast, recipient, now)
    else:
        text = t.iso(recipient.text) if recipient.text_language != recipient.reader \
            else recipient.text
    if recipient.template is not None:
        return Reply(text, extra={"template": recipient.template})
    media = (Media("photo", broadcast.image),) if broadcast.image else ()
    return Reply(text, media=media)


def call_text(uow: UnitOfWork, broadcast: Broadcast, recipient: Recipient,
              now: datetime) -> str:
    """A call for experts as one expert reads it: the need, why them, the animator's words,
    and how to answer."""
    person = uow.session.get(Person, recipient.person_id)
    assert person is not None  # read in this very transaction
    offer = calls.call_offer(uow, broadcast.need_id or 0, recipient.person_id, now)
    ctx = Context(replace(services.snapshot(person), language=recipient.reader),
                  recipient.identity, now)
    _ = ctx.t.gettext
    parts = [_("Call for experts!")]
    if offer is not None:
        parts.append(offer_text(ctx, offer))
    if recipient.text:
        parts.append(ctx.t.iso(recipient.text))
    parts.append(_("To answer, open the menu and choose “Calls for experts”."))
    return "\n\n".join(parts)


class Broadcaster:
    """Queues what due broadcasts have to send, a batch per transaction."""

    def __init__(self, uow: UowFactory, clock: Clock, on_outbox: Callable[[], None],
                 batch: int = broadcasts.BATCH) -> None:
        self.uow, self.clock, self.on_outbox, self.batch = uow, clock, on_outbox, batch

    def run_once(self, max_batches: int = 20) -> int:
        """Works on the due broadcasts for at most `max_batches` batches; returns how many
        messages it queued."""
        queued = 0
        with self.uow() as uow:
            due = broadcasts.due(uow, self.clock())
        for broadcast_id in due:
            while max_batches > 0:
                max_batches -= 1
                now = self.clock()
                with self.uow() as uow:
                    batch = broadcasts.send_batch(uow, broadcast_id, renderer(uow, now), now,
                                                  self.batch)
                queued += batch.queued
                if batch.queued:
                    self.on_outbox()
                if batch.finished:
                    break
        return queued
