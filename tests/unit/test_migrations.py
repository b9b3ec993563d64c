"""The migration builds the tables the services use, on a fresh SQLite file."""

from sqlalchemy import inspect

from core import db


def test_upgrading_a_fresh_database_creates_every_table(sqlite_url: str) -> None:
    db.upgrade(sqlite_url)
    engine = db.make_engine(sqlite_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"person", "channel_identity", "inbound_message", "outbox_message", "conversation",
            "handoff_request", "delivery_event"} <= tables


def test_upgrading_twice_is_harmless(sqlite_url: str) -> None:
    db.upgrade(sqlite_url)
    db.upgrade(sqlite_url)


def test_the_migrations_match_the_models(sqlite_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import core.models  # noqa: F401  (registers the tables)

    db.upgrade(sqlite_url)
    engine = db.make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == []
