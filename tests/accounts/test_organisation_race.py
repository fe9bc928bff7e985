"""An account given to an organisation while another request retires it, on PostgreSQL (SQLite's BEGIN IMMEDIATE
serialises anyway): the organisation is locked while the account is checked, so every account that was made was
made before the retirement, and every one sent after it is refused in Chinese — never an account in a retired
organisation that no one checked."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.accounts.services import create_user
from election.audit.models import AuditEntry
from election.core.exceptions import ServiceError
from election.directory.models import Organisation
from election.directory.services import retire_organisation
from tests.security import conftest as sec

NOW = datetime(2026, 12, 5, 2, 0)
K = 6
STRONG = "Qiu-shui-43-Chang-tian"


@pytest.fixture(scope="module")
def engine(request, tmp_path_factory):
    from election.core.db import make_engine

    url = sec.fresh_database("postgresql", request, tmp_path_factory.mktemp("accounts"), "election_accounts_race")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_an_account_and_the_retirement_of_its_organisation_at_once(engine):
    with Session(engine) as s:
        top = Organisation(code="RACE-QW", name="中共某区委员会", category="党委")
        s.add(top)
        s.flush()
        branch = Organisation(code="RACE-01", name="某街道党工委", category="党工委", parent_id=top.id)
        admin = User(username="race_admin", display_name="管理员", role="admin", password_hash="x")
        s.add_all([branch, admin])
        s.commit()
        org_id, admin_id = branch.id, admin.id

    barrier = threading.Barrier(K)
    out: list = [None] * K

    def run(i):
        with Session(engine) as s:
            actor = s.get(User, admin_id)
            barrier.wait()
            try:
                if i == 0:
                    retire_organisation(s, actor, org_id, "机构改革撤并", NOW)
                else:
                    create_user(s, actor, username=f"race_office{i}", password=STRONG, role="office",
                                organisation_id=org_id, now=NOW)
                out[i] = "ok"
            except ServiceError as exc:
                out[i] = exc.message
            except Exception as exc:  # noqa: BLE001 - any other outcome is the failure this test looks for
                out[i] = repr(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(K)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert out[0] == "ok"
    assert all(o == "ok" or "已撤销" in o for o in out[1:]), out
    with Session(engine) as s:
        entries = {(e.action, e.object_id): e.id for e in s.scalars(select(AuditEntry))}
        retired_at = entries[("directory.retire", str(org_id))]
        made = s.scalars(select(User).where(User.username.like("race_office%"))).all()
        assert len(made) == sum(1 for o in out[1:] if o == "ok")
        for user in made:  # each account was made (its audit entry written) before the retirement
            assert entries[("user.create", str(user.id))] < retired_at
