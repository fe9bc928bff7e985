"""Packages up, decisions down, through the services (docs/rules.md §8.2): refusals at the boundaries, the
child's recorded decision and stage guard, both sides audited, reminders, scope."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.exceptions import Conflict, NotFound, PermissionDenied, ServiceError
from election.elections import services as elections
from election.elections.facts import build_facts
from election.elections.models import ElectionDecision
from election.levels.models import UpwardReport, UpwardReportItem
from election.levels.services import reports as svc
from election.notifications.models import Notification
from election.voting.models import VotingResult
from election.voting.services.results import record_result_report
from tests.levels.conftest import NOW, TODAY
from workflow.pipeline.transitions import check_transition


def _codes(session, election) -> list[str]:
    return [b.code for b in check_transition(build_facts(session, election, TODAY)).blockers]


def _notified(session, user) -> list[str]:
    return list(session.scalars(select(Notification.kind).where(Notification.user_id == user.id)))


# --- submit -------------------------------------------------------------------------------------------------------
def test_submit_consent_freezes_the_list_and_tells_the_upper_committee(session, levels_world):
    w = levels_world
    assert "preliminary.consent_not_submitted" in _codes(session, w.preliminary)
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "请审定", "区委组〔2026〕3号", NOW)
    assert (report.attempt, report.status, report.unit_doc_number) == (1, "submitted", "区委组〔2026〕3号")
    assert [p["name"] for p in report.people] == ["王芳", "李娜", "张伟"]
    assert report.people[0]["key"].startswith("n") and report.people[0]["birth_date"] == "1975-03-01"
    assert [d["name"] for d in report.documents] == ["初步人选名单", "初步人选情况报告"]
    assert _notified(session, w.upper) == ["package_submitted"] and _notified(session, w.other_upper) == []
    assert "preliminary.consent_waiting" in _codes(session, w.preliminary)
    sides = set(session.execute(select(AuditEntry.object_type, AuditEntry.object_id)
                                .where(AuditEntry.action == "levels.report.submit")).all())
    assert sides == {("upward_reports", str(report.id)), ("elections", str(w.preliminary.id))}


def test_submit_at_the_wrong_stage_is_refused(session, levels_world):
    with pytest.raises(ServiceError, match="只能在“确定预备人选”阶段报送"):
        svc.submit_report(session, levels_world.office, levels_world.preliminary.id, "approval", "", "", NOW)


def test_submit_before_the_list_is_decided_is_refused(session, levels_world):
    w = levels_world
    session.execute(ElectionDecision.__table__.delete().where(ElectionDecision.election_id == w.preliminary.id))
    session.commit()
    with pytest.raises(ServiceError, match="尚未登记确定初步人选的会议"):
        svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)


def test_submit_twice_is_refused_while_waiting(session, levels_world):
    w = levels_world
    svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    with pytest.raises(Conflict, match="不能重复报送"):
        svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    assert session.scalar(select(func.count()).select_from(UpwardReport)) == 1


def test_submit_after_a_return_is_the_next_attempt_and_the_returned_one_stays(session, levels_world):
    w = levels_world
    first = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    svc.return_report(session, w.upper, first.id, "结构不合要求", {}, NOW)
    assert "preliminary.consent_returned" in _codes(session, w.preliminary)
    second = svc.submit_report(session, w.office, w.preliminary.id, "consent", "已调整", "", NOW)
    assert second.attempt == 2 and session.get(UpwardReport, first.id).status == "returned"


def test_submit_after_approval_is_refused(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    svc.approve_report(session, w.upper, report.id, TODAY, "市委组〔2026〕9号", "", NOW, today=TODAY)
    with pytest.raises(Conflict, match="无需再次报送"):
        svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)


def test_a_result_package_needs_the_units_own_doc_number(session, levels_world, make_user):
    election = levels_world.make_child("report")
    office = make_user("office", organisation_id=election.organisation_id)
    session.commit()
    with pytest.raises(ServiceError, match="文号"):
        svc.submit_report(session, office, election.id, "result", "", "", NOW)


def test_an_election_without_a_congress_keeps_hand_typed_decisions(session, levels_world, make_election, make_user):
    plain, office = make_election(stage="preliminary"), make_user("office")
    session.commit()
    with pytest.raises(ServiceError, match="上级选举不在系统中"):
        svc.submit_report(session, office, plain.id, "consent", "", "", NOW)
    elections.record_decision(session, office, plain.id, "higher_consent", "市委组织部", TODAY, "1号", NOW,
                              today=TODAY)


# --- decide ---------------------------------------------------------------------------------------------------------
def test_consent_approval_writes_the_childs_decision_and_opens_the_guard(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    svc.approve_report(session, w.upper, report.id, TODAY, "市委组〔2026〕9号", "同意", NOW, today=TODAY)
    decision = svc.decision_recorded(session, w.preliminary.id, "higher_consent")
    assert (decision.body, decision.held_on, decision.doc_number) == ("某市委组织部", TODAY, "市委组〔2026〕9号")
    codes = _codes(session, w.preliminary)
    assert not [c for c in codes if "consent" in c]
    assert _notified(session, w.office) == ["package_decided"] and _notified(session, w.office_b) == []
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.object_id.in_(
        [str(report.id), str(w.preliminary.id)]))))
    assert {"levels.report.approve", "election.decision"} <= actions


def test_approval_needs_the_review_first_then_the_batch_reply(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office_b, w.confirm.id, "approval", "", "", NOW)
    assert "h" in {p["key"][0] for p in report.people}  # the 上级提名人选 go up with the 预备人选
    with pytest.raises(ServiceError, match="须先经初步审查"):
        svc.approve_report(session, w.upper, report.id, TODAY, "市委组〔2026〕10号", "", NOW, today=TODAY)
    svc.review_report(session, w.upper, report.id, "结构符合要求", NOW)
    assert "confirm.approval_waiting" in _codes(session, w.confirm)
    with pytest.raises(ServiceError, match="文号"):
        svc.approve_report(session, w.upper, report.id, TODAY, "", "", NOW, today=TODAY)
    with pytest.raises(ServiceError, match="之间"):
        svc.approve_report(session, w.upper, report.id, TODAY + timedelta(days=1), "10号", "", NOW, today=TODAY)
    svc.approve_report(session, w.upper, report.id, TODAY, "市委组〔2026〕10号", "", NOW, today=TODAY)
    assert svc.decision_recorded(session, w.confirm.id, "approval").doc_number == "市委组〔2026〕10号"
    assert not [c for c in _codes(session, w.confirm) if "approval" in c]
    with pytest.raises(Conflict, match="不能再作决定"):
        svc.return_report(session, w.upper, report.id, "晚了", {}, NOW)


def test_return_per_person_marks_the_others_approved(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    key = report.people[1]["key"]
    svc.return_report(session, w.upper, report.id, "", {key: "年龄不符合要求"}, NOW)
    items = {i.name: (i.decision, i.reason) for i in session.scalars(
        select(UpwardReportItem).where(UpwardReportItem.report_id == report.id))}
    assert items == {"王芳": ("approved", ""), "李娜": ("returned", "年龄不符合要求"), "张伟": ("approved", "")}
    stored = session.get(UpwardReport, report.id)
    assert stored.status == "returned" and "李娜（年龄不符合要求）" in stored.return_reason
    with pytest.raises(ServiceError, match="不在这份报送名单中"):
        again = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
        svc.return_report(session, w.upper, again.id, "", {"n999999": "无此人"}, NOW)


def test_return_needs_a_reason(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    with pytest.raises(ServiceError, match="退回须填写理由"):
        svc.return_report(session, w.upper, report.id, " ", {}, NOW)
    with pytest.raises(ServiceError, match="各自填写理由"):
        svc.return_report(session, w.upper, report.id, "", {report.people[0]["key"]: ""}, NOW)


def test_result_receipt_records_the_report_on_the_child(session, levels_world, make_user):
    w = levels_world
    election = w.make_child("report")
    office = make_user("office", organisation_id=election.organisation_id)
    session.commit()
    assert "report.result_not_submitted" in _codes(session, election)
    report = svc.submit_report(session, office, election.id, "result", "", "区委〔2026〕20号", NOW)
    assert [p["name"] for p in report.people] == ["王芳", "李娜"]
    svc.approve_report(session, w.upper, report.id, TODAY, "", "收到", NOW, today=TODAY)
    result = session.scalar(select(VotingResult).where(VotingResult.election_id == election.id))
    assert (result.reported_on, result.report_doc_number) == (TODAY, "区委〔2026〕20号")
    assert _codes(session, election) == []


# --- the hand-typed records of a child election ---------------------------------------------------------------------
def test_hand_typed_consent_approval_and_result_report_are_refused_for_a_child(session, levels_world):
    w = levels_world
    for kind in ("higher_consent", "approval"):
        with pytest.raises(ServiceError, match="在“上报上级”中报送"):
            elections.record_decision(session, w.office, w.preliminary.id, kind, "市委", TODAY, "1号", NOW, today=TODAY)
    elections.record_decision(session, w.office, w.preliminary.id, "preliminary", "区委常委会", TODAY, "2号", NOW,
                              today=TODAY)  # the district's own meetings stay typed in
    election = w.make_child("report")
    session.commit()
    with pytest.raises(ServiceError, match="在“上报上级”中报送"):
        record_result_report(session, w.office, election.id, TODAY, "1号", NOW)


# --- scope ----------------------------------------------------------------------------------------------------------
def test_another_citys_upper_user_cannot_decide(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    with pytest.raises(NotFound):
        svc.approve_report(session, w.other_upper, report.id, TODAY, "1号", "", NOW, today=TODAY)
    with pytest.raises(NotFound):
        svc.return_report(session, w.other_upper, report.id, "不行", {}, NOW)


def test_a_district_cannot_decide_and_the_upper_committee_cannot_submit(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    with pytest.raises(PermissionDenied):
        svc.approve_report(session, w.office, report.id, TODAY, "1号", "", NOW, today=TODAY)
    with pytest.raises(PermissionDenied):
        svc.submit_report(session, w.upper, w.confirm.id, "approval", "", "", NOW)


def test_a_district_cannot_submit_for_another_district(session, levels_world):
    w = levels_world
    with pytest.raises(NotFound):
        svc.submit_report(session, w.office, w.confirm.id, "approval", "", "", NOW)


def test_approval_date_before_submission_is_refused(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    with pytest.raises(ServiceError, match="之间"):
        svc.approve_report(session, w.upper, report.id, date(2026, 3, 1), "1号", "", NOW, today=TODAY)


def test_review_and_return_are_audited_on_both_sides(session, levels_world):
    w = levels_world
    report = svc.submit_report(session, w.office_b, w.confirm.id, "approval", "", "", NOW)
    svc.review_report(session, w.upper, report.id, "符合", NOW)
    svc.return_report(session, w.upper, report.id, "名单有误", {}, NOW)
    for action in ("levels.report.review", "levels.report.return"):
        sides = set(session.execute(select(AuditEntry.object_type, AuditEntry.object_id)
                                    .where(AuditEntry.action == action)).all())
        assert sides == {("upward_reports", str(report.id)), ("elections", str(w.confirm.id))}, action
    assert "confirm.approval_returned" in _codes(session, w.confirm)
    assert sorted(_notified(session, w.office_b)) == ["package_decided", "package_decided"]
