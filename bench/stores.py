"""Fresh databases for the targets, and the probe that watches inbound processing."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select

from core.db import upgrade
from core.models import InboundMessage, OutboxMessage

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
PG_DATABASE = "comdev_bench"
REDIS_URL = "redis://127.0.0.1:6379/14"
REDIS_SCALED_URL = "redis://127.0.0.1:6379/13"


class Unavailable(Exception):
    """A service the target needs does not answer."""


def sqlite_database(folder: Path) -> str:
    """Creates and migrates a fresh SQLite file; returns its URL."""
    url = f"sqlite:///{folder / 'comdev-bench.db'}"
    upgrade(url)
    return url


def postgres_database(name: str = PG_DATABASE) -> str:
    """Re-creates a bench database and migrates it; returns its URL."""
    import psycopg

    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres",
                             connect_timeout=3, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as error:
        raise Unavailable(f"PostgreSQL at 127.0.0.1:5432 does not answer "
                          f"({type(error).__name__}: {str(error).strip()[:120]})") from error
    url = PG_SERVER + name
    upgrade(url)
    return url


def flush_redis(url: str = REDIS_URL) -> str:
    """Empties a bench Redis database; returns its URL."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        with Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3) as redis:
            redis.ping()
            redis.flushdb()
    except RedisError as error:
        raise Unavailable(f"Redis at 127.0.0.1:6379 does not answer "
                          f"({type(error).__name__})") from error
    return url


@dataclass
class Processing:
    """How the app worked through the inbound messages of one phase."""

    recorded: int
    pending: int
    drained_at: float | None  # wall clock of the last processed_at, when all are done
    lags: list[float]  # processed_at - received_at, seconds
    retried: int  # messages whose step failed at least once


class Probe:
    """Reads the app's database from the outside (a separate engine, read-only use)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url, pool_size=1, max_overflow=0)

    def last_id(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(func.coalesce(func.max(InboundMessage.id), 0))))

    def pending(self, after: int) -> tuple[int, int]:
        """(recorded, unprocessed) inbound messages with id > after."""
        table = InboundMessage.__table__
        with self.engine.connect() as connection:
            row = connection.execute(select(
                func.count(), func.count().filter(table.c.processed_at.is_(None)))
                .where(table.c.id > after)).one()
        return int(row[0]), int(row[1])

    def wait_processed(self, after: int, timeout: float, poll: float = 0.1) -> Processing:
        """Polls until every message of the phase is processed, or `timeout` passes.

        Call it once the load has ended: every post answered 200 is recorded by then."""
        deadline = time.monotonic() + timeout
        recorded, pending = self.pending(after)
        while time.monotonic() < deadline and pending:
            time.sleep(poll)
            recorded, pending = self.pending(after)
        return self._processing(after, recorded, pending)

    def _processing(self, after: int, recorded: int, pending: int) -> Processing:
        table = InboundMessage.__table__
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.received_at, table.c.processed_at, table.c.attempts)
                .where(table.c.id > after)).all()
        done: list[tuple[datetime, datetime]] = [(r[0], r[1]) for r in rows if r[1] is not None]
        lags = [(p - r).total_seconds() for r, p in done]
        last = max((p for _, p in done), default=None)
        return Processing(recorded, pending,
                          last.timestamp() if last is not None and not pending else None,
                          lags, sum(1 for r in rows if r[2]))

    def outbox(self) -> dict[str, int]:
        """Outbox rows by status."""
        table = OutboxMessage.__table__
        with self.engine.connect() as connection:
            rows = connection.execute(select(table.c.status, func.count())
                                      .group_by(table.c.status)).all()
        return {str(status): int(count) for status, count in rows}

    def close(self) -> None:
        self.engine.dispose()
