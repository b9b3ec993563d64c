"""Real PostgreSQL and Redis for integration tests.

A fresh database is created for the session, migrated to head, and emptied before each test;
Redis db 15 is flushed before each test. When a service does not answer, the tests that need
it are skipped with the reason (and the run says so at the end), unless
COMDEV_REQUIRE_SERVICES=1 (CI), where they fail instead.

COMDEV_IT_PG_PORT and COMDEV_IT_REDIS_PORT point the tests at other ports (e.g. 1, to check
that a machine without the services skips cleanly).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from psycopg import sql
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Engine, inspect, text

from core.db import make_engine, upgrade

HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent
REDIS_DB = 15

_skipped: dict[str, int] = {}  # reason -> how many tests it skipped


def pg_port() -> int:
    return int(os.environ.get("COMDEV_IT_PG_PORT", "5432"))


def redis_port() -> int:
    return int(os.environ.get("COMDEV_IT_REDIS_PORT", "6379"))


def _services_required() -> bool:
    return os.environ.get("COMDEV_REQUIRE_SERVICES") == "1"


def unavailable(service: str, port: int) -> None:
    """Skips the test for a missing service, or fails it when services are required."""
    missing = f"{service} not reachable on {HOST}:{port}"
    if _services_required():
        pytest.fail(f"{missing}: integration tests fail (COMDEV_REQUIRE_SERVICES=1)",
                    pytrace=False)
    pytest.skip(f"{missing}: integration tests skipped")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks every test of this folder `integration`."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if " not reachable on " in reason and reason.endswith(": integration tests skipped"):
            _skipped[reason] = _skipped.get(reason, 0) + 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Says plainly, at the end of `make test`, that integration tests did not run."""
    if not _skipped:
        return
    terminalreporter.section("integration tests skipped", sep="=", yellow=True, bold=True)
    for reason, count in _skipped.items():
        terminalreporter.write_line(f"{count} skipped: {reason}", yellow=True)
    terminalreporter.write_line(
        "Start PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379, "
        "or run .ci/run, to run them.", yellow=True)


# --- PostgreSQL ----------------------------------------------------------------------------


def _admin_connection(port: int) -> psycopg.Connection:
    """Connects in autocommit to a maintenance database, to create and drop databases."""
    error: Exception | None = None
    for dbname in ("postgres", "test"):
        try:
            return psycopg.connect(host=HOST, port=port, user="postgres", dbname=dbname,
                                   connect_timeout=3, autocommit=True)
        except psycopg.Error as exc:
            error = exc
    assert error is not None
    raise error


class PgServer:
    """The machine's PostgreSQL: makes scratch databases and hands out their URLs."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.admin = _admin_connection(port)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/{database}"

    def create(self, database: str) -> str:
        self.drop(database)
        self.admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        return self.url(database)

    def drop(self, database: str) -> None:
        self.admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                           .format(sql.Identifier(database)))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    port = pg_port()
    try:
        server = PgServer(port)
    except psycopg.Error:
        server = None
    if server is None:
        unavailable("PostgreSQL", port)
    try:
        yield server
    finally:
        server.admin.close()


@pytest.fixture(scope="session")
def _pg_database(pg_server: PgServer) -> Iterator[str]:
    """Creates and migrates this session's database; drops it at the end."""
    name = f"comdev_it_{os.getpid()}"
    url = pg_server.create(name)
    try:
        upgrade(url)
        yield url
    finally:
        pg_server.drop(name)


@pytest.fixture(scope="session")
def _pg_tables(_pg_database: str) -> Iterator[tuple[Engine, list[str]]]:
    engine = make_engine(_pg_database)
    names = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    try:
        yield engine, names
    finally:
        engine.dispose()


@pytest.fixture
def pg_url(_pg_database: str, _pg_tables: tuple[Engine, list[str]]) -> str:
    """The session database's URL, every table emptied and its ids restarted."""
    engine, names = _pg_tables
    quoted = ", ".join(f'"{name}"' for name in names)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    return _pg_database


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def scratch_pg_url(pg_server: PgServer) -> Iterator[str]:
    """An empty database of its own, for tests that migrate up and down."""
    name = f"comdev_it_{os.getpid()}_scratch"
    url = pg_server.create(name)
    try:
        yield url
    finally:
        pg_server.drop(name)


# --- Redis ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _redis_server() -> str:
    port = redis_port()
    client = redis.Redis(host=HOST, port=port, db=REDIS_DB, socket_connect_timeout=3,
                         retry=Retry(NoBackoff(), 0))  # answer at once, not after retries
    try:
        answers = bool(client.ping())
    except redis.RedisError:
        answers = False
    finally:
        client.close()
    if not answers:
        unavailable("Redis", port)
    return f"redis://{HOST}:{port}/{REDIS_DB}"


@pytest.fixture
def redis_url(_redis_server: str) -> str:
    """Redis db 15, flushed."""
    client = redis.Redis.from_url(_redis_server)
    try:
        client.flushdb()
    finally:
        client.close()
    return _redis_server
