from __future__ import annotations

import re
import threading
from datetime import date, datetime

import pytest
from sqlalchemy import select

from election.audit.models import AuditEntry
from election.core.exceptions import Conflict, PermissionDenied, ServiceError
from election.directory.models import ElectionUnit
from election.elections import services as svc
from election.elections.models import Election, StageChange, StageDue

NOW = datetime(2019, 2, 1, 9, 0)
TODAY = date(2019, 2, 1)
TIMELINE = {"plan": date(2019, 2, 8), "deploy": date(2019, 2, 10), "nominate": date(2019, 2, 21),
            "shortlist": date(2019, 3, 1), "vet": date(2019, 3, 10), "preliminary": date(2019, 3, 20),
            "confirm": date(2019, 3, 31), "ballot": date(2019, 4, 10), "report": date(2019, 4, 15)}


@pytest.fixture
def office(make_user):
    return make_user("office")


@pytest.fixture
def planned(session, office, make_unit):
    election = svc.create_election(session, office, svc.ElectionSetup(title="测试区党代会代表选举", seats=16), NOW)
    units = [make_unit() for _ in range(2)]
    svc.set_allocations(session, office, election.id, [svc.AllocationRow(u.id, 11, 17, {}) for u in units], NOW)
    svc.set_timeline(session, office, election.id, TIMELINE, NOW)
    return election


def _last_audit(session):
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()


def test_create_election_records_history_and_audit(session, planned):
    assert planned.stage == "plan"
    change = session.scalars(select(StageChange).where(StageChange.election_id == planned.id)).one()
    assert change.to_stage == "plan" and change.from_stage == ""
    assert session.scalar(select(StageDue.due_date).where(StageDue.stage == "nominate",
                                                          StageDue.election_id == planned.id)) == date(2019, 2, 21)


def test_create_election_rejects_bad_setup_in_chinese(session, office):
    with pytest.raises(ServiceError, match="应选名额应为正整数"):
        svc.create_election(session, office, svc.ElectionSetup(title="x", seats=0), NOW)
    with pytest.raises(ServiceError, match="考察对象人数应多于初步人选人数"):
        svc.create_election(session, office, svc.ElectionSetup(title="x", seats=16, shortlist_count=21,
                                                              preliminary_count=21), NOW)


def test_only_staff_may_create(session, make_user):
    with pytest.raises(PermissionDenied):
        svc.create_election(session, make_user("auditor"), svc.ElectionSetup(title="x", seats=3), NOW)


def test_timeline_must_be_in_order(session, office, planned):
    with pytest.raises(ServiceError, match="不能早于"):
        svc.set_timeline(session, office, planned.id, {**TIMELINE, "deploy": date(2019, 2, 1)}, NOW)


def test_moving_the_election_day_moves_the_default_age_reference_and_says_so(session, office, planned):
    from election.elections.facts import reference_date

    assert planned.age_reference_date is None  # the 工作方案 set none: it follows the 差额选举 due date
    later = {**TIMELINE, "ballot": date(2027, 3, 5), "report": date(2027, 3, 10)}
    change = svc.set_timeline(session, office, planned.id, later, NOW)
    assert change.age_reference_moved and change.age_reference_before == date(2019, 4, 10)
    assert change.notice == "年龄计算基准日随选举日改为2027年3月5日，年龄将按新日期计算"
    entry = _last_audit(session)
    assert entry.action == "election.timeline" and change.notice in entry.summary
    assert entry.before["age_reference_date"] == "2019-04-10" and entry.after["age_reference_date"] == "2027-03-05"
    session.expire(planned)
    assert reference_date(planned, TODAY) == date(2027, 3, 5)

    same = svc.set_timeline(session, office, planned.id, {**later, "vet": date(2019, 3, 11)}, NOW)
    assert not same.age_reference_moved and same.notice == ""
    assert "age_reference_date" not in _last_audit(session).after


def test_an_explicit_age_reference_does_not_follow_the_election_day(session, office):
    setup = svc.ElectionSetup(title="设定了基准日的选举", seats=5, age_reference_date=date(2019, 4, 10))
    election = svc.create_election(session, office, setup, NOW)
    first = svc.set_timeline(session, office, election.id, TIMELINE, NOW)
    moved = svc.set_timeline(session, office, election.id, {**TIMELINE, "ballot": date(2019, 4, 12)}, NOW)
    assert not first.age_reference_moved and not moved.age_reference_moved and moved.notice == ""
    assert "age_reference_date" not in _last_audit(session).after and "年龄计算基准日" not in _last_audit(session).summary


def test_a_first_election_day_fixes_the_default_age_reference(session, office):
    election = svc.create_election(session, office, svc.ElectionSetup(title="新选举", seats=5), NOW)
    without = svc.set_timeline(session, office, election.id, {"plan": date(2019, 2, 8)}, NOW)
    assert not without.age_reference_moved  # still today's date until there is an election day
    change = svc.set_timeline(session, office, election.id, {"ballot": date(2019, 4, 10)}, NOW)
    assert change.age_reference_before is None and change.notice.startswith("年龄计算基准日随选举日改为2019年4月10日")


def test_advance_plan_to_deploy_then_blocked_without_unit_accounts(session, office, planned):
    decision = svc.advance_stage(session, planned.id, office, NOW, TODAY, expected_version=planned.version)
    assert decision.allowed and planned.stage == "deploy"
    assert _last_audit(session).action == "election.advance"
    decision = svc.advance_stage(session, planned.id, office, NOW, TODAY)
    assert not decision.allowed and planned.stage == "deploy"
    assert {b.code for b in decision.blockers} >= {"deploy.unit_without_account"} or decision.blockers


def test_leaving_nominate_blocked_until_units_submit_or_are_exempted(session, office, make_election, make_user):
    election = make_election(stage="nominate", units=2)
    eus = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).all()
    decision = svc.advance_stage(session, election.id, office, NOW, TODAY)
    codes = [b.code for b in decision.blockers]
    assert not decision.allowed and codes.count("nominate.unit_not_submitted") == 2
    for eu in eus:
        svc.exempt_unit(session, office, eu.id, "该单位本次无推荐任务", NOW)
    decision = svc.advance_stage(session, election.id, office, NOW, TODAY)
    assert decision.allowed and election.stage == "shortlist"


def test_overdue_advance_needs_a_reason(session, office, planned):
    late = date(2019, 2, 9)
    decision = svc.advance_stage(session, planned.id, office, NOW, late)
    assert not decision.allowed and "stage.overdue_reason_required" in {b.code for b in decision.blockers}
    decision = svc.advance_stage(session, planned.id, office, NOW, late, overdue_reason="春节假期顺延")
    assert decision.allowed
    change = session.scalars(select(StageChange).where(StageChange.election_id == planned.id,
                                                       StageChange.to_stage == "deploy")).one()
    assert change.overdue_reason == "春节假期顺延" and "逾期说明" in _last_audit(session).summary


def test_return_needs_reason_and_goes_back(session, office, planned):
    svc.advance_stage(session, planned.id, office, NOW, TODAY)
    refused = svc.return_stage(session, planned.id, office, "plan", "  ", NOW, TODAY)
    assert not refused.allowed and refused.blockers[0].code == "return.reason_required"
    done = svc.return_stage(session, planned.id, office, "plan", "名额分配需调整", NOW, TODAY)
    assert done.allowed and planned.stage == "plan"
    assert _last_audit(session).action == "election.return"


def test_abort_needs_reason_and_is_final(session, office, planned):
    assert not svc.abort_election(session, planned.id, office, "", NOW, TODAY).allowed
    assert svc.abort_election(session, planned.id, office, "上级通知延期", NOW, TODAY).allowed
    assert planned.stage == "aborted" and planned.abort_reason == "上级通知延期"
    assert not svc.advance_stage(session, planned.id, office, NOW, TODAY).allowed


def test_stale_version_is_a_conflict_and_writes_nothing(session, office, planned):
    version = planned.version
    svc.advance_stage(session, planned.id, office, NOW, TODAY, expected_version=version)
    before = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    with pytest.raises(Conflict, match="已被他人推进"):
        svc.advance_stage(session, planned.id, office, NOW, TODAY, expected_version=version)
    assert planned.stage == "deploy"
    assert session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) == before


def test_copy_election_takes_settings_units_and_shifted_timeline(session, office, planned):
    copy = svc.copy_election(session, office, planned.id, "复制的选举", NOW, shift_days=7)
    assert copy.stage == "plan" and copy.seats == 16 and len(copy.units) == 2
    due = session.scalar(select(StageDue.due_date).where(StageDue.election_id == copy.id, StageDue.stage == "plan"))
    assert due == date(2019, 2, 15)


def test_update_only_in_plan_stage(session, office, planned):
    setup = svc.setup_of(planned)
    setup.seats = 18
    svc.update_election(session, office, planned.id, setup, NOW)
    assert planned.seats == 18
    svc.advance_stage(session, planned.id, office, NOW, TODAY)
    with pytest.raises(ServiceError, match="已锁定"):
        svc.update_election(session, office, planned.id, setup, NOW)


def test_concurrent_advance_exactly_one_moves(engine, tmp_path):
    """Two sessions on two connections advance the same election at once: one wins, the other is told."""
    from sqlalchemy.orm import Session

    from election.accounts.models import User
    from election.core.db import transaction
    from election.directory.models import Unit

    with Session(engine) as s, transaction(s):
        user = User(username=f"racer-{engine.dialect.name}", display_name="甲", role="office", password_hash="x")
        unit = Unit(code=f"R-{engine.dialect.name}", name=f"竞速单位{engine.dialect.name}")
        election = Election(title="并发推进测试", seats=3, stage="plan")
        s.add_all([user, unit, election])
        s.flush()
        s.add(ElectionUnit(election_id=election.id, unit_id=unit.id, quota=1))
        for stage, due in TIMELINE.items():
            s.add(StageDue(election_id=election.id, stage=stage, due_date=due))
        ids = (user.id, election.id, election.version)
    results: list = []
    barrier = threading.Barrier(2)

    def racer():
        with Session(engine) as s:
            barrier.wait()  # both start together; on SQLite the second waits for the write lock (BEGIN IMMEDIATE)
            actor = s.get(User, ids[0])
            try:
                results.append(svc.advance_stage(s, ids[1], actor, NOW, TODAY, expected_version=ids[2]).allowed)
            except Conflict:
                results.append("conflict")

    threads = [threading.Thread(target=racer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert sorted(map(str, results)) == ["True", "conflict"]
        with Session(engine) as s:
            assert s.get(Election, ids[1]).stage == "deploy"
            assert len(s.scalars(select(StageChange).where(StageChange.election_id == ids[1])).all()) == 1
    finally:
        with Session(engine) as s, transaction(s):
            s.query(StageChange).filter_by(election_id=ids[1]).delete()
            s.query(AuditEntry).filter(AuditEntry.object_type == "elections",
                                       AuditEntry.object_id == str(ids[1])).delete()
            s.delete(s.get(Election, ids[1]))
            s.delete(s.get(User, ids[0]))
            s.query(Unit).filter_by(code=f"R-{engine.dialect.name}").delete()


@pytest.mark.parametrize("rule, expected", [
    ({"code": "women", "where": {"gender": "女"}, "min": 3, "max": 2}, "结构要求：第1条规则的最少人数3 大于最多人数2"),
    ({"code": "women", "where": {"gender": "x"}, "min": 1}, "性别应为“男”或“女”"),
    ({"code": "women", "where": {"gender": "女"}}, "请填写 最少人数、最多人数、最低比例 或 最高比例"),
])
def test_a_bad_structure_rule_is_told_in_the_forms_words(rule, expected):
    problems = svc.validate_setup(svc.ElectionSetup(title="选举", seats=16, quota_rules=[rule]))
    assert any(expected in p for p in problems), problems
    assert not any(re.search(r"[A-Za-z_]{3,}", p) for p in problems), problems
