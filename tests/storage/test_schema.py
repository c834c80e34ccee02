"""The migrated schema is exactly the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import engine_for, upgrade
from storage.models import Base


def test_upgrade_produces_exactly_the_models(db_url: str) -> None:
    upgrade(db_url)
    engine = engine_for(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrade_twice_is_harmless(db_url: str) -> None:
    upgrade(db_url)
    from storage import db

    db._upgraded.discard(db_url)  # force a second real run of the migrations
    upgrade(db_url)
    with engine_for(db_url).connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
