"""A migrated SQLite database per test, copied from one migrated once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core import db
from core.uow import UnitOfWork


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Runs the Alembic migrations once; each test gets a copy of the result."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def engine(sqlite_url: str, migrated_template: Path) -> Iterator[Engine]:
    shutil.copyfile(migrated_template, sqlite_url.removeprefix("sqlite:///"))
    built = db.make_engine(sqlite_url)
    yield built
    built.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[[], UnitOfWork]:
    return lambda: UnitOfWork(engine)
