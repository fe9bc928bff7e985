"""The replica's rules without a replica server: unset changes nothing, positions compare, a down replica is
not asked again before its retry pause."""
from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from election import create_app
from election.core.config import ConfigError
from election.core.db import RoutingSession, make_replica_engine
from election.core.replica import ReplicaHealth, parse_lsn
from tests.pg import _free_port


def test_without_the_setting_there_is_one_engine_and_a_plain_session(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    state = app.extensions["election_db"]
    assert state.replica is None and "election_replica" not in app.extensions
    with app.app_context():
        session = state.session()
        assert isinstance(session, Session) and not isinstance(session, RoutingSession)
        assert session.get_bind() is state.engine


def test_a_replica_beside_sqlite_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="只用于 PostgreSQL 流复制"):
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                    "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'y.db'}"})


def test_wal_positions_compare_as_numbers():
    assert parse_lsn("0/3420338") < parse_lsn("0/A000000") < parse_lsn("1/0") < parse_lsn("16/B374D848")
    assert parse_lsn("") is None and parse_lsn(None) is None and parse_lsn("nonsense") is None


def test_a_down_replica_is_tried_again_only_after_the_pause(caplog):
    engine = make_replica_engine(f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/nothing")
    attempts = []
    event.listen(engine, "do_connect", lambda *args: attempts.append(1))
    patient = ReplicaHealth(engine, max_lag=5, check_seconds=1, retry_seconds=3600)
    assert not patient.current().ok and "无法连接" in patient.current().why
    assert not patient.current().ok and len(attempts) == 1  # the second look took the remembered answer
    assert [r.getMessage() for r in caplog.records] == ["只读副本暂停使用，读主库：无法连接（OperationalError）"]
    eager = ReplicaHealth(engine, max_lag=5, check_seconds=1, retry_seconds=0)
    eager.current()
    eager.current()
    assert len(attempts) == 3
    engine.dispose()
