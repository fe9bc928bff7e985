"""The Alembic migrations build exactly the schema the models declare, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from election.core.db import Base, make_engine
from election.core.migrate import upgrade
from tests import pg


def _diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            upgrade(url, connection=conn)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_migrations_match_models_on_sqlite(tmp_path):
    assert _diff(f"sqlite:///{tmp_path / 'm.db'}") == []


def test_migrations_match_models_on_postgresql(pg_server):
    assert _diff(pg.create_database(pg_server, "election_migrations")) == []
