"""A primary of its own and a streaming replica of it (tests/pg.py start_replica_pair), once per module."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session as OrmSession

from tests import pg
from tests.conftest import unavailable


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: real servers (a streaming replica); deselect with -m 'not slow'")


@pytest.fixture(scope="module")
def replica_pair() -> Iterator[pg.ReplicaPair]:
    pair, why = pg.start_replica_pair()
    if pair is None:
        unavailable(f"无法启动 PostgreSQL 流复制副本：{why}")
    try:
        yield pair
    finally:
        pair.stop()


@pytest.fixture(scope="module")
def replica_urls(replica_pair) -> tuple[str, str]:
    """(primary, replica) URLs of a database with the schema, a 选举单位 (TOP) and two 选举办 users, 经办甲 and
    经办乙."""
    from election.accounts.models import User
    from election.directory.models import Organisation
    from election.core.db import make_engine
    from election.models import Base
    from tests.security.conftest import cheap_hash

    primary = pg.create_database(replica_pair.primary, "election_replica")
    engine = make_engine(primary)
    Base.metadata.create_all(engine)
    with OrmSession(engine) as s:
        s.add(Organisation(code="TOP", name="中共副本测试区委员会", category="党委"))
        for name in ("clerk", "reader"):
            s.add(User(username=name, display_name=f"经办{'甲' if name == 'clerk' else '乙'}", role="office",
                       password_hash=cheap_hash()))
        s.commit()
    engine.dispose()
    return primary, replica_pair.replica + "/" + primary.rsplit("/", 1)[1]   # the same database on the replica
