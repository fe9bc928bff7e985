"""市委提名人选: registered by the upper committee, assigned to a 选举单位 (exactly at its 上级提名名额, one over
refused), moved between 选举单位 (the 上级提名人选 follows), refused once voting started, the district no longer
adding its own, and the result read back from the child election."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.exceptions import Conflict, ServiceError
from election.directory.models import Organisation
from election.levels.services import nominees as nom
from election.levels.services import setup as st
from election.voting.models import BallotRound, Delegate, HigherNominee, VotingResult
from election.voting.services.candidates import HigherNomineeInput, add_higher_nominee

NOW = datetime(2026, 12, 5, 2, 0)


@pytest.fixture(name="linked")
def linked_fixture(session, make_user):
    city = Organisation(code="N01", name="中共某市委员会", category="党委")
    session.add(city)
    session.flush()
    a = Organisation(code="N011", name="中共甲区委员会", category="党委", parent_id=city.id)
    b = Organisation(code="N012", name="中共乙区委员会", category="党委", parent_id=city.id)
    session.add_all([a, b])
    session.flush()
    upper = make_user("upper", organisation_id=city.id)
    session.commit()
    congress = st.create_congress(session, upper, st.CongressInput(
        title="出席市第十二次党代会代表选举", organisation_id=city.id, seats=40, age_reference_date=date(2027, 4, 10)),
        NOW)
    st.save_allocations(session, upper, congress.id, [st.AllocationInput(a.id, 10, 2), st.AllocationInput(b.id, 8, 1)],
                        NOW)
    child_a, child_b = st.create_children(session, upper, congress.id, NOW)
    unit_a, unit_b = sorted(congress.units, key=lambda u: u.organisation.code)
    return {"upper": upper, "congress": congress, "units": (unit_a, unit_b), "children": (child_a, child_b)}


def _person(name: str, born: date = date(1970, 1, 1), category: str = "局级领导干部") -> nom.NomineeInput:
    return nom.NomineeInput(name=name, gender="男", birth_date=born, category=category, workplace_title="某市某局局长")


def _register(session, linked, *names):
    return [nom.register_nominee(session, linked["upper"], linked["congress"].id, _person(n), NOW) for n in names]


def test_register_checks_category_and_refuses_the_same_person_twice(session, linked):
    _register(session, linked, "丁一")
    with pytest.raises(Conflict, match="已登记为市委提名人选"):
        _register(session, linked, "丁一")
    with pytest.raises(ServiceError, match="身份类别应为"):
        nom.register_nominee(session, linked["upper"], linked["congress"].id, _person("王二", category="领导干部"), NOW)


def test_assignment_exactly_at_higher_seats_one_over_refused(session, linked):
    one, two, three = _register(session, linked, "丁一", "王二", "张三")
    unit_a = linked["units"][0]
    nom.assign_nominee(session, linked["upper"], one.id, unit_a.id, NOW)
    nom.assign_nominee(session, linked["upper"], two.id, unit_a.id, NOW)  # 2 of 2
    with pytest.raises(ServiceError, match="上级提名名额为2名，已分配2名"):
        nom.assign_nominee(session, linked["upper"], three.id, unit_a.id, NOW)
    child = linked["children"][0]
    highers = session.scalars(select(HigherNominee).where(HigherNominee.election_id == child.id)).all()
    assert sorted(h.name for h in highers) == ["丁一", "王二"]
    session.refresh(one)
    assert one.higher_nominee_id in {h.id for h in highers}
    child_audits = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "levels.child_higher", AuditEntry.object_id == str(child.id)))
    assert child_audits == 2


def test_moving_a_nominee_moves_the_higher_nominee_and_edits_follow(session, linked):
    one, = _register(session, linked, "丁一")
    unit_a, unit_b = linked["units"]
    child_a, child_b = linked["children"]
    nom.assign_nominee(session, linked["upper"], one.id, unit_a.id, NOW)
    nom.assign_nominee(session, linked["upper"], one.id, unit_b.id, NOW)
    assert session.scalars(select(HigherNominee.name).where(HigherNominee.election_id == child_a.id)).all() == []
    assert session.scalars(select(HigherNominee.name).where(HigherNominee.election_id == child_b.id)).all() == ["丁一"]
    nom.update_nominee(session, linked["upper"], one.id, _person("丁一民"), NOW)
    assert session.scalars(select(HigherNominee.name).where(HigherNominee.election_id == child_b.id)).all() == ["丁一民"]
    nom.delete_nominee(session, linked["upper"], one.id, NOW)
    assert session.scalars(select(HigherNominee.name).where(HigherNominee.election_id == child_b.id)).all() == []


def test_reassignment_after_the_ballot_started_is_refused(session, linked):
    one, = _register(session, linked, "丁一")
    unit_a, unit_b = linked["units"]
    child_a = linked["children"][0]
    nom.assign_nominee(session, linked["upper"], one.id, unit_a.id, NOW)
    child_a.stage = "ballot"
    session.add(BallotRound(election_id=child_a.id, round_no=1, seats=12, candidates=["丁一"], status="open",
                            eligible=200, present=190, ballots_issued=190, ballots_collected=190))
    session.commit()
    with pytest.raises(ServiceError, match="投票已经开始"):
        nom.assign_nominee(session, linked["upper"], one.id, unit_b.id, NOW)
    with pytest.raises(ServiceError, match="投票已经开始"):
        nom.delete_nominee(session, linked["upper"], one.id, NOW)
    session.refresh(one)
    assert one.congress_unit_id == unit_a.id


def test_the_district_may_not_add_higher_nominees_by_hand(session, linked, make_user):
    child = linked["children"][0]
    child.stage = "confirm"
    office = make_user("office")
    session.commit()
    with pytest.raises(ServiceError, match="本次选举的上级提名人选由上级组织部门登记和分配"):
        add_higher_nominee(session, office, child.id, HigherNomineeInput(
            name="李四", gender="男", birth_date=date(1970, 1, 1), category="局级领导干部"), NOW)


def test_results_come_back_from_the_child(session, linked):
    one, two = _register(session, linked, "丁一", "王二")
    unit_a = linked["units"][0]
    child = linked["children"][0]
    nom.assign_nominee(session, linked["upper"], one.id, unit_a.id, NOW)
    nom.assign_nominee(session, linked["upper"], two.id, unit_a.id, NOW)
    assert nom.nominee_results(session, linked["congress"])[one.id].status == ""
    session.refresh(one)
    session.add(Delegate(election_id=child.id, higher_nominee_id=one.higher_nominee_id, name="丁一", votes=251))
    session.add(VotingResult(election_id=child.id, elected=["丁一"], recorded_at=NOW))
    session.commit()
    results = nom.nominee_results(session, linked["congress"])
    assert (results[one.id].status, results[one.id].votes) == ("当选", 251)
    assert results[two.id].status == "未当选"
