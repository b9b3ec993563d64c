"""The dispatcher: claims outbox rows, sends them through the adapters, records the result."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from bot.adapters.base import Adapter
from bot.messages import Reply
from core import outbox
from core.clock import Clock
from core.config import Settings
from core.domain.outbox import SendOutcome, SendResult
from core.metrics import Metrics
from core.ratelimit import RateLimiter
from core.uow import UowFactory

logger = logging.getLogger(__name__)


class Dispatcher:
    """Sends what the outbox holds: replies before bulk, each person's messages in order."""

    def __init__(self, uow: UowFactory, adapters: Mapping[str, Adapter], limiter: RateLimiter,
                 settings: Settings, clock: Clock, metrics: Metrics, batch: int = 50,
                 idle_wait: float = 1.0, concurrency: int = 16) -> None:
        self.uow, self.adapters, self.limiter, self.clock = uow, adapters, limiter, clock
        self.settings, self.metrics, self.batch, self.idle_wait = (
            settings, metrics, batch, idle_wait)
        self._wake = asyncio.Event()
        self._stopping = False
        self._slots = asyncio.Semaphore(concurrency)
        self._results: list[tuple[outbox.Claimed, SendResult, asyncio.Future[str]]] = []
        self._recorder: asyncio.Future[None] | None = None

    def wake(self) -> None:
        """Tells the loop there is something new to send."""
        self._wake.set()

    def stop(self) -> None:
        """Ends `run` after the round in progress (no send is left half recorded)."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Sends until stopped."""
        while not self._stopping:
            try:
                sent = await self.run_once()
            except Exception:
                logger.exception("dispatch round failed")
                sent = 0
            if not sent:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.idle_wait)
                except TimeoutError:
                    pass

    async def run_once(self) -> int:
        """Claims one batch and sends it; returns how many rows were tried."""
        rows = await asyncio.to_thread(self._claim)
        await asyncio.gather(*(self._send(row) for row in rows))
        return len(rows)

    def _claim(self) -> list[outbox.Claimed]:
        if not self.adapters:
            return []
        with self.uow() as uow:
            return outbox.claim(uow, self.clock(), self.batch, channels=list(self.adapters))

    async def _send(self, row: outbox.Claimed) -> None:
        async with self._slots:
            adapter = self.adapters[row.channel]
            await self._pace(row)
            try:
                result = await adapter.send(row.identity, Reply.from_json(row.payload))
            except Exception as error:  # an adapter bug must not lose the row
                logger.exception("adapter failed on outbox %s", row.id)
                result = SendResult(SendOutcome.RETRY, error=type(error).__name__)
            status = await self._record(row, result)  # the slot is held until it is stored
            self.metrics.outbound.labels(row.channel, status).inc()
            logger.info("outbox %s %s (%s)", row.id, status, result.outcome)

    async def _record(self, row: outbox.Claimed, result: SendResult) -> str:
        """Stores a result with the others that came back meanwhile, in one transaction
        (group commit): a database write per message would cap the rate. Returns the row's
        new status once stored."""
        done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._results.append((row, result, done))
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.ensure_future(self._store_results())
        return await done

    async def _store_results(self) -> None:
        while self._results:
            taken, self._results = self._results, []
            try:
                statuses = await asyncio.to_thread(self._store, [(r, s) for r, s, _ in taken])
            except Exception as error:  # the rows stay 'sending' and go back after a while
                logger.exception("recording %s results failed", len(taken))
                for _row, _result, done in taken:
                    done.set_exception(error)
                continue
            for (_row, _result, done), status in zip(taken, statuses, strict=True):
                done.set_result(status)

    def _store(self, results: list[tuple[outbox.Claimed, SendResult]]) -> list[str]:
        with self.uow() as uow:
            return outbox.record_results(uow, results, self.clock())

    async def _pace(self, row: outbox.Claimed) -> None:
        if row.channel == "telegram":
            await self.limiter.acquire("telegram", self.settings.TELEGRAM_RATE_PER_SECOND)
            await self.limiter.acquire(f"telegram:{row.identity}",
                                       self.settings.TELEGRAM_RATE_PER_CHAT_PER_SECOND)
        elif row.channel == "whatsapp":
            await self.limiter.acquire("whatsapp", self.settings.WHATSAPP_RATE_PER_SECOND)
