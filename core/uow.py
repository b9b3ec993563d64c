"""The unit of work: one transaction, committed explicitly, rolled back otherwise."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlmodel import Session


class UnitOfWork:
    """Opens a session on `with`; `commit()` makes the work durable."""

    session: Session

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> UnitOfWork:
        self.session = Session(self.engine, expire_on_commit=False)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"


UowFactory = Callable[[], UnitOfWork]
