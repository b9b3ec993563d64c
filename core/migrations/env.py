"""Alembic environment: runs the migrations on the URL given by `core.db.upgrade`."""

from alembic import context
from sqlalchemy import pool
from sqlmodel import SQLModel

import core.models  # noqa: F401  (registers the tables on the metadata)
from core.db import make_engine

target_metadata = SQLModel.metadata


def run() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url
    engine = make_engine(url, poolclass=pool.NullPool) if url.startswith("sqlite") else None
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
