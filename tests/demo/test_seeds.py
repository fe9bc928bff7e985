from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from election.accounts.models import User
from election.audit.models import AuditEntry
from election.core.roles import Role
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee
from seeds.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from workflow.common.idcard import check_id_number


def _counts(session):
    return {m.__name__: session.scalar(select(func.count()).select_from(m))
            for m in (Unit, User, Election, ElectionUnit, Nominee, StageDue, AuditEntry)}


@pytest.fixture
def demo(session):
    assert load_demo(session) is True
    return session


def test_demo_seed_is_idempotent(demo):
    first = _counts(demo)
    assert load_demo(demo) is False
    assert _counts(demo) == first


def test_demo_matches_domain_scenario_with_valid_people_and_logins(demo):
    session = demo
    election = session.scalar(select(Election).where(Election.title == "某区出席市第十二次党代会代表选举"))
    assert election.seats == 16 and election.voters == 308 and election.stage == "nominate"
    units = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).all()
    assert len(units) == 23 and {u.quota for u in units} == {11} and {u.report_count for u in units} == {17}
    assert dict(session.execute(select(Unit.kind, func.count()).group_by(Unit.kind)).all()) == {"党工委": 15, "直属党委": 8}
    statuses = [u.status for u in units]
    assert 0 < statuses.count("submitted") < 23
    assert {"women", "minority", "under50", "frontline", "leaders"} <= {r["code"] for r in election.quota_rules}

    people = session.scalars(select(Nominee)).all()
    assert len(people) > 100 and {p.gender for p in people} == {"男", "女"} and len({p.ethnicity for p in people}) > 1
    for p in people:
        assert check_id_number(p.id_number, date(2026, 1, 1)) == []
        assert p.id_number[6:14] == p.birth_date.strftime("%Y%m%d")
        assert (int(p.id_number[16]) % 2 == 1) == (p.gender == "男")
    assert len({p.id_number for p in people}) == len(people)

    roles = set()
    for username, _label, password in DEMO_LOGINS:
        user = session.scalar(select(User).where(User.username == username))
        assert user.check_password(password) and password == DEMO_PASSWORD
        roles.add(user.role)
    assert roles == {r.value for r in Role}
