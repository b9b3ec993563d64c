"""Builds everything that connects (engine, Redis, adapters) in one place, at start-up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from sqlalchemy import Engine, text

from bot.adapters.base import Adapter
from bot.adapters.telegram import TelegramAdapter
from bot.adapters.whatsapp import WhatsAppAdapter
from bot.broadcasts import Broadcaster
from bot.dispatcher import Dispatcher
from bot.messages import Inbound
from bot.relay import Relay
from bot.runner import Runner
from core import inbox, invitations, matching, media, services, templates
from core.clock import Clock, system_clock
from core.config import Settings
from core.db import make_engine
from core.locks import LocalLocks, Locks, RedisLocks
from core.metrics import Metrics
from core.ratelimit import LocalRateLimiter, RateLimiter, RedisRateLimiter
from core.uow import UnitOfWork

logger = logging.getLogger(__name__)

SWEEP_EVERY = 5.0
BROADCAST_EVERY = 2.0  # due broadcasts: the next batches of recipients into the outbox
MATCH_EVERY = 60.0  # proposals due after quiet hours, expiries; nightly, every open need
NIGHTLY_HOUR = 2  # UTC
WORK_QUEUE = "comdev:inbound"  # identities with messages recorded by web-only processes
STRANDED_AFTER = timedelta(seconds=10)


@dataclass
class Container:
    """The running pieces of one process."""

    settings: Settings
    engine: Engine
    redis: Redis | None
    metrics: Metrics
    adapters: dict[str, Adapter]
    runner: Runner
    dispatcher: Dispatcher
    clock: Clock
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    #: Webhooks record on threads of their own, never queued behind conversation steps.
    record_pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(4, thread_name_prefix="record"))
    #: Identities with a processing pass scheduled and not yet started.
    queued: set[str] = field(default_factory=set)
    #: At most this many conversation steps run at once; the others wait their turn.
    steps: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(2))
    #: Scaled mode: a web-only process hands identities to the workers through Redis.
    hand_to_workers: bool = False
    #: Set by `close`: loops finish their round, so no thread is left holding a connection.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    cancellable: set[asyncio.Task[Any]] = field(default_factory=set)
    #: The day matching last ran for every open need (None: not yet in this process).
    matched_on: date | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def spawn(self, coro: Coroutine[Any, Any, Any], *,
              cancel_on_close: bool = False) -> asyncio.Task[Any]:
        """Starts a background task and keeps a reference until it ends.

        `close` waits for tasks to finish, unless they may be cancelled at once (a long
        poll whose database work runs on the record pool, which `close` drains)."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        if cancel_on_close:
            self.cancellable.add(task)
            task.add_done_callback(self.cancellable.discard)
        return task

    async def accept(self, channel: str, message: Inbound) -> bool:
        """Records an inbound message durably, then processes it in the background.

        Returns False for a delivery seen before (it is not processed again)."""
        loop = asyncio.get_running_loop()
        new = await loop.run_in_executor(self.record_pool, self._record, channel, message)
        if new:
            self.metrics.inbound.labels(channel).inc()
            await self.notify(message.identity)
        else:
            self.metrics.duplicates.labels(channel).inc()
        return new

    def _record(self, channel: str, message: Inbound) -> bool:
        with self.uow() as uow:
            new = inbox.record(uow, message.provider_id, message.identity, channel,
                               message.to_json(), message.received_at)
            uow.commit()
            return new

    async def notify(self, identity: str) -> None:
        """Gets a recorded message processed: here, or by a worker in scaled mode."""
        if self.redis is not None and self.hand_to_workers:
            try:
                await self.redis.rpush(WORK_QUEUE, identity)
                return
            except Exception:  # the message is recorded: process it here rather than wait
                logger.warning("could not hand over to the workers; processing here")
        self.kick(identity)

    async def take_work_forever(self) -> None:
        """Worker side of `notify`: processes the identities the web processes hand over."""
        assert self.redis is not None
        while not self.stopping.is_set():
            try:
                found = await self.redis.blpop([WORK_QUEUE], timeout=2)  # < socket_timeout
            except Exception:
                logger.exception("reading the work queue failed")
                await self._pause(1)
                continue
            if found:
                self.kick(found[1].decode())

    def kick(self, identity: str) -> None:
        """Processes what an identity sent, soon, in the background (one pass queued each)."""
        if identity not in self.queued:
            self.queued.add(identity)
            self.spawn(self._process(identity))

    async def _process(self, identity: str) -> None:
        async with self.steps:
            self.queued.discard(identity)  # what arrives from now on needs a pass of its own
            try:
                await self.runner.process(identity)
            except Exception:  # the sweeper picks the message up again
                logger.exception("processing failed; left for the sweeper")

    async def sweep_forever(self) -> None:
        """Finds messages recorded but never processed (a crash) and processes them."""
        first = True
        while not self.stopping.is_set():
            try:
                older = timedelta(0) if first else STRANDED_AFTER
                identities = await asyncio.to_thread(self._stranded, older)
                for identity in identities:
                    self.kick(identity)
                first = False
            except Exception:
                logger.exception("sweep failed")
            await self._pause(SWEEP_EVERY)

    async def match_forever(self) -> None:
        """Sends proposals whose quiet hours are over, expires those unanswered for a week,
        and once a night (and at start) runs matching for every open need."""
        while not self.stopping.is_set():
            try:
                if await asyncio.to_thread(self.match_once):
                    self.dispatcher.wake()
            except Exception:
                logger.exception("matching round failed")
            await self._pause(MATCH_EVERY)

    def match_once(self) -> int:
        """One round of `match_forever`; returns how many proposals it sent."""
        now = self.clock()
        nightly = self.matched_on is None or (now.date() > self.matched_on
                                              and now.hour >= NIGHTLY_HOUR)
        with self.uow() as uow:
            swept = matching.sweep(uow, now, nightly=nightly)
            sent = self.runner.relay.deliver_due(uow, now)
            uow.commit()
        if nightly:
            self.matched_on = now.date()
        if swept.expired or swept.withdrawn or sent:
            logger.info("matching: %s expired, %s withdrawn, %s sent", swept.expired,
                        swept.withdrawn, sent)
        return sent

    async def broadcast_forever(self) -> None:
        """Streams due broadcasts into the outbox, a batch per transaction, while the
        dispatcher sends them at each channel's rate."""
        broadcaster = Broadcaster(self.uow, self.clock, self.dispatcher.wake)
        while not self.stopping.is_set():
            try:
                queued = await asyncio.to_thread(broadcaster.run_once)
            except Exception:
                logger.exception("broadcast round failed")
                queued = 0
            if not queued:
                await self._pause(BROADCAST_EVERY)

    async def _pause(self, seconds: float) -> None:
        """Sleeps, but wakes at once when the container is closing."""
        try:
            await asyncio.wait_for(self.stopping.wait(), seconds)
        except TimeoutError:
            pass

    def _stranded(self, older: timedelta) -> list[str]:
        with self.uow() as uow:
            return inbox.stranded_identities(uow, older, self.clock())

    def seed(self) -> int:
        with self.uow() as uow:
            return services.seed_animators(uow, self.settings.animators,
                                           self.settings.DEFAULT_LANGUAGE, self.clock())

    async def healthy(self) -> dict[str, str]:
        report = {"database": "ok", "redis": "off"}
        try:
            await asyncio.to_thread(self._ping_database)
        except Exception as error:
            report["database"] = f"error: {type(error).__name__}"
        if self.redis is not None:
            try:
                await self.redis.ping()
                report["redis"] = "ok"
            except Exception as error:
                report["redis"] = f"error: {type(error).__name__}"
        return report

    def _ping_database(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        """Lets the loops and steps in progress finish (bounded), then releases everything."""
        self.stopping.set()
        self.dispatcher.stop()
        for task in list(self.cancellable):
            task.cancel()
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=15)
        for task in list(self.tasks):  # the Telegram poller, or anything stuck
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for adapter in self.adapters.values():
            await adapter.close()
        if self.redis is not None:
            await self.redis.aclose()
        self.record_pool.shutdown(wait=True)
        self.engine.dispose()


def build(settings: Settings, *, clock: Clock = system_clock,
          adapters: dict[str, Adapter] | None = None) -> Container:
    """Builds the container; nothing is started (see `start`)."""
    engine = make_engine(settings.DATABASE_URL)
    redis = _redis(settings.REDIS_URL) if settings.REDIS_URL else None
    locks: Locks = RedisLocks(redis) if redis else LocalLocks()
    limiter: RateLimiter = RedisRateLimiter(redis) if redis else LocalRateLimiter()
    metrics = Metrics()
    channels = adapters if adapters is not None else _adapters(settings)
    dispatcher = Dispatcher(lambda: UnitOfWork(engine), channels, limiter, settings, clock,
                            metrics)
    runner = Runner(lambda: UnitOfWork(engine), locks, clock, metrics,
                    settings.DEFAULT_LANGUAGE, settings.CONVERSATION_IDLE_DAYS,
                    on_outbox=dispatcher.wake,
                    media_url=lambda media_id: media.url(settings, media_id),
                    invite_links=lambda code: invite_links(settings, channels, code),
                    relay=Relay(templates.load(settings.WHATSAPP_TEMPLATES_FILE),
                                lambda media_id: media.url(settings, media_id)))
    return Container(settings, engine, redis, metrics, channels, runner, dispatcher, clock)


def invite_links(settings: Settings, channels: dict[str, Adapter], code: str
                 ) -> invitations.Links:
    """The links of an invitation, with the bot's own Telegram name once it is known."""
    return invitations.links(code, telegram_username(channels.get("telegram")),
                             settings.TWILIO_WHATSAPP_FROM if settings.whatsapp_enabled else None,
                             settings.public_url(f"/qr/{code}.png"))


def telegram_username(adapter: Adapter | None) -> str | None:
    """The bot's username, known once the adapter has started (getMe)."""
    try:
        return str(adapter.bot.username) if adapter is not None else None  # type: ignore[attr-defined]
    except Exception:  # not started, or not a Telegram adapter
        return None


def _redis(url: str) -> Redis:
    """A client whose callers wait for a free connection rather than fail under load."""
    pool = BlockingConnectionPool.from_url(url, max_connections=64, timeout=20,
                                           socket_connect_timeout=2, socket_timeout=5)
    return Redis.from_pool(pool)  # the client owns the pool and closes it


def _adapters(settings: Settings) -> dict[str, Adapter]:
    found: dict[str, Adapter] = {}
    if settings.telegram_enabled:
        found["telegram"] = TelegramAdapter(settings.TELEGRAM_BOT_TOKEN.get_secret_value(),
                                            settings.TELEGRAM_API_BASE_URL)
    if settings.whatsapp_enabled:
        found["whatsapp"] = WhatsAppAdapter(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN.get_secret_value(),
            settings.TWILIO_WHATSAPP_FROM, settings.TWILIO_API_BASE_URL)
    return found


async def start(container: Container, *, worker: bool = True) -> None:
    """Starts the adapters and, in a worker, the dispatcher and the sweeper.

    A web-only process (worker=False) with Redis leaves conversation steps to the workers,
    so its webhooks only verify and record; without Redis it runs them itself."""
    container.hand_to_workers = not worker and container.redis is not None
    telegram = container.adapters.get("telegram")
    if isinstance(telegram, TelegramAdapter):
        try:
            await telegram.start()
        except Exception as error:  # sending still works; getMe is only a courtesy check
            logger.warning("Telegram getMe failed at start-up: %s", type(error).__name__)
    if worker:
        container.spawn(container.dispatcher.run())
        container.spawn(container.sweep_forever())
        container.spawn(container.match_forever())
        container.spawn(container.broadcast_forever())
        if container.redis is not None:
            container.spawn(container.take_work_forever())
