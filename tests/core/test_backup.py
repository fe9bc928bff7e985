"""`election backup` / `election restore` round-trip, SQLite → PostgreSQL included."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from election import create_app
from election.accounts.models import User
from election.audit.models import AuditEntry
from election.audit.services import verify_chain
from election.core.backup import BackupError, backup, restore
from election.core.db import db, make_engine
from election.core.migrate import upgrade
from election.nominations.models import Nominee
from seeds.demo import load_demo
from tests import pg


@pytest.fixture(scope="module")
def demo_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("bk") / "demo.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "UPLOAD_DIR": str(path.parent / "uploads")})
    (path.parent / "uploads" / "activities").mkdir(parents=True)
    (path.parent / "uploads" / "activities" / "photo.jpg").write_bytes(b"\xff\xd8fake-jpeg")
    with app.app_context():
        load_demo(db.session)
    return app, path.parent


def _summary(engine):
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(User)).scalar(),
                conn.execute(select(func.count()).select_from(Nominee)).scalar(),
                conn.execute(select(func.max(AuditEntry.seq))).scalar(),
                sorted(conn.execute(select(Nominee.id_number)).scalars())[:5])


def test_backup_restore_sqlite_to_postgresql_round_trip(demo_sqlite, pg_server, tmp_path):
    app, folder = demo_sqlite
    target_file = tmp_path / "backup.zip"
    with app.app_context():
        manifest = backup(db.engine, target_file, app.config["UPLOAD_DIR"])
        expected = _summary(db.engine)
    assert manifest["tables"]["nominees"] == expected[1] > 0
    url = pg.create_database(pg_server, "election_restore")
    upgrade(url)
    engine = make_engine(url)
    try:
        restored_dir = tmp_path / "restored"
        restore(engine, target_file, str(restored_dir))
        assert _summary(engine) == expected
        assert (restored_dir / "activities" / "photo.jpg").read_bytes() == b"\xff\xd8fake-jpeg"
        from sqlalchemy.orm import Session

        with Session(engine) as s:
            assert verify_chain(s).ok
            s.add(User(username="after-restore", display_name="新用户", role="office", password_hash="x"))
            s.commit()  # sequences were moved past the restored ids
        with pytest.raises(BackupError, match="不是空库"):
            restore(engine, target_file)
    finally:
        engine.dispose()


def test_restore_refuses_a_foreign_file(tmp_path, engine):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BackupError, match="无法读取"):
        restore(engine, bad)
