"""The upper committee's writes under a burst, on PostgreSQL (SQLite's BEGIN IMMEDIATE serialises anyway): the same
allocation save sent 6 times at once leaves one consistent table and one pushed change in the child; the same
assignment sent 6 times at once makes exactly one 上级提名人选; six different nominees sent at once to a 选举单位
with 2 上级提名名额 fill exactly 2. No request ends in anything but success or a Chinese refusal."""
from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.models import AuditEntry
from election.core.exceptions import ServiceError
from election.directory.models import Organisation
from election.levels.models import CongressNominee, CongressUnit
from election.levels.services import nominees as nom
from election.levels.services import setup as st
from election.voting.models import HigherNominee
from tests.security import conftest as sec

NOW = datetime(2026, 12, 5, 2, 0)
K = 6


@pytest.fixture(scope="module")
def engine(request, tmp_path_factory):
    from election.core.db import make_engine

    url = sec.fresh_database("postgresql", request, tmp_path_factory.mktemp("levels"), "election_levels_race")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _burst(engine, work) -> list:
    """WORK(session, i) in K sessions at once; each outcome: the value, or the refusal's message, or the error."""
    barrier = threading.Barrier(K)
    out: list = [None] * K

    def run(i):
        with Session(engine) as s:
            barrier.wait()
            try:
                out[i] = ("ok", work(s, i))
            except ServiceError as exc:
                out[i] = ("refused", exc.message)
            except Exception as exc:  # noqa: BLE001 - any other outcome is the failure this test looks for
                out[i] = ("error", repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(K)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


@pytest.fixture(scope="module")
def world(engine):
    with Session(engine) as s:
        city = Organisation(code="R01", name="中共某市委员会", category="党委")
        s.add(city)
        s.flush()
        a = Organisation(code="R011", name="中共甲区委员会", category="党委", parent_id=city.id)
        s.add(a)
        upper = User(username="race_upper", display_name="上级", role="upper", organisation_id=city.id,
                     password_hash="x")
        s.add(upper)
        s.commit()
        ids = {"city": city.id, "a": a.id, "upper": upper.id}
    with Session(engine) as s:
        upper = s.get(User, ids["upper"])
        congress = st.create_congress(s, upper, st.CongressInput(title="出席市第十二次党代会代表选举",
                                                                 organisation_id=ids["city"], seats=30), NOW)
        ids["congress"] = congress.id
        st.save_allocations(s, upper, congress.id, [st.AllocationInput(ids["a"], 10, 2)], NOW)
        child, = st.create_children(s, upper, congress.id, NOW)
        ids["child"] = child.id
        ids["unit"] = s.scalar(select(CongressUnit.id).where(CongressUnit.congress_id == congress.id))
    return ids


def test_the_same_allocation_save_six_times_at_once(engine, world):
    def save(s, i):
        return st.save_allocations(s, s.get(User, world["upper"]), world["congress"],
                                   [st.AllocationInput(world["a"], 12, 2)], NOW)["pushed"]

    out = _burst(engine, save)
    assert all(kind == "ok" for kind, _ in out), out
    assert sorted(len(pushed) for _, pushed in out) == [0] * (K - 1) + [1]  # one pushed the change, the rest saw it
    with Session(engine) as s:
        assert s.scalars(select(CongressUnit.seats).where(CongressUnit.congress_id == world["congress"])).all() == [12]
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "levels.child_update", AuditEntry.object_id == str(world["child"]))) == 1


def test_the_same_assignment_six_times_at_once_and_six_into_two_seats(engine, world):
    with Session(engine) as s:
        upper = s.get(User, world["upper"])
        people = [nom.register_nominee(s, upper, world["congress"], nom.NomineeInput(
            name=f"竞速{i}", gender="男", birth_date=date(1970, 1, 1 + i), category="局级领导干部"), NOW).id
            for i in range(K + 1)]
    same = _burst(engine, lambda s, i: nom.assign_nominee(s, s.get(User, world["upper"]), people[0], world["unit"],
                                                          NOW).id)
    assert all(kind == "ok" for kind, _ in same), same
    others = _burst(engine, lambda s, i: nom.assign_nominee(s, s.get(User, world["upper"]), people[i + 1],
                                                            world["unit"], NOW).id)
    assert not [o for o in others if o[0] == "error"], others
    assert sum(kind == "ok" for kind, _ in others) == 1  # 2 seats: the one above took the first
    assert all("上级提名名额为2名" in msg for kind, msg in others if kind == "refused")
    with Session(engine) as s:
        assigned = s.scalar(select(func.count()).select_from(CongressNominee).where(
            CongressNominee.congress_unit_id == world["unit"]))
        highers = s.scalars(select(HigherNominee.name).where(HigherNominee.election_id == world["child"])).all()
        assert assigned == 2 and len(highers) == 2 and "竞速0" in highers
