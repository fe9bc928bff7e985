"""The Alembic migrations build exactly the schema the models declare, on both databases."""
from __future__ import annotations

import gzip
import sqlite3
import subprocess
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from election.core.db import make_engine
from election.core.migrate import upgrade
from election.models import Base
from tests import pg
from tests.conftest import unavailable


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


# --- a database made before the code was laid out by area ----------------------------------------------------
# tests/data/pre_areas_demo.*.sql.gz: the demo (db upgrade + seed demo) made by the last main laid out by layer
# (models/, services/, blueprints/), dumped with sqlite3's iterdump and pg_dump. The tables did not change with the
# move; these prove that such a database upgrades cleanly and that the application reads it as it is.
DATA = Path(__file__).resolve().parents[1] / "data"
DEMO_TITLE = "某区出席市第十二次党代会代表选举"


def _serves_old_data(url: str) -> None:
    from election import create_app

    app = create_app({"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    assert client.post("/login", data={"username": "admin", "password": "demo12345"}).status_code == 302
    page = client.get("/elections/")
    assert page.status_code == 200 and DEMO_TITLE in page.get_data(as_text=True)
    with app.app_context():
        from election.audit.services import verify_chain
        from election.core.db import db

        assert verify_chain(db.session).ok  # the hash chain written by the old code still verifies
        db.engine.dispose()


def test_a_database_made_before_the_areas_upgrades_on_sqlite(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(gzip.decompress((DATA / "pre_areas_demo.sqlite.sql.gz").read_bytes()).decode("utf-8"))
    url = f"sqlite:///{path}"
    assert _diff(url) == []
    _serves_old_data(url)


def test_a_database_made_before_the_areas_upgrades_on_postgresql(pg_server):
    url = pg.create_database(pg_server, "election_pre_areas")
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    psql = pg.client("psql")
    if psql is None:
        unavailable("找不到 psql，无法载入旧库的转储")
    loaded = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn],
                            input=gzip.decompress((DATA / "pre_areas_demo.postgresql.sql.gz").read_bytes()),
                            capture_output=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr.decode("utf-8", "replace")[-2000:]
    assert _diff(url) == []
    _serves_old_data(url)
