"""Resolutions and follow-up (election.assembly.services.followup): when a resolution may be recorded, the report of
its implementation, a follow-up's source checked against the session, its progress to 已完成, the scope of the
directory, the list with the overdue first, and the daily reminder's boundary (the deadline day is not late)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from election.assembly.models import Appraisal, AppraisalObject, AssemblySession, FollowUp
from election.assembly.services import followup as svc
from election.audit.models import AuditEntry
from election.core.exceptions import NotFound, ServiceError
from election.notifications.models import Notification
from tests.assembly.conftest import DAY

NOW = datetime(2026, 12, 15, 2, 0)
OPENS = DAY + timedelta(days=14)


def _open(session, world) -> AssemblySession:
    world.session.status = "open"
    world.session.opened_at = NOW
    session.commit()
    return world.session


def _held_session(session, world, meeting_no: int, opens: date) -> AssemblySession:
    s = AssemblySession(organisation_id=world.district.id, congress=world.congress, meeting_no=meeting_no,
                        title=f"第{meeting_no}次会议", opens_on=opens, closes_on=opens + timedelta(days=1),
                        status="held", held_at=NOW, roll_count=12, present_count=11)
    session.add(s)
    session.commit()
    return s


def test_a_resolution_waits_for_the_opening_and_is_dated_within_the_session(session, assembly_world):
    w = assembly_world
    with pytest.raises(ServiceError, match="开幕后"):
        svc.add_resolution(session, w.office, w.session.id, "关于批准工作报告的决议", "会议同意……", OPENS, NOW)
    _open(session, w)
    for day in (OPENS - timedelta(days=1), OPENS + timedelta(days=2)):
        with pytest.raises(ServiceError, match="会期内"):
            svc.add_resolution(session, w.office, w.session.id, "关于批准工作报告的决议", "会议同意……", day, NOW)
    last_day = OPENS + timedelta(days=1)
    r = svc.add_resolution(session, w.office, w.session.id, "关于批准工作报告的决议", "会议同意……", last_day, NOW)
    assert r.adopted_on == last_day and r.implementation == ""
    with pytest.raises(ServiceError, match="不能早于决议通过日期"):
        svc.report_implementation(session, w.office, r.id, "已落实", last_day - timedelta(days=1), NOW)
    svc.report_implementation(session, w.office, r.id, "已落实到位", last_day, NOW)
    assert r.implementation_reported_on == last_day
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "assembly.resolution.report"))
    assert entry.before["implementation"] == "" and entry.after["implementation"] == "已落实到位"


def test_another_district_reaches_no_resolution_nor_follow_up(session, assembly_world):
    w = assembly_world
    _open(session, w)
    r = svc.add_resolution(session, w.office, w.session.id, "关于某事的决议", "正文", OPENS, NOW)
    f = svc.create_followup(session, w.office, w.session.id, "resolution", "问题", "区委办", OPENS, NOW,
                            resolution_id=r.id)
    with pytest.raises(NotFound):
        svc.edit_resolution(session, w.other_office, r.id, "改名", "正文", OPENS, NOW)
    with pytest.raises(NotFound):
        svc.update_followup(session, w.other_office, f.id, "in_progress", "进行中", None, NOW)
    with pytest.raises(NotFound):
        svc.create_followup(session, w.other_office, w.session.id, "other", "问题", "区委办", OPENS, NOW)
    assert svc.followups_in_scope(session, w.other_office, OPENS) == []
    assert [row.item.id for row in svc.followups_in_scope(session, w.office, OPENS)] == [f.id]


def test_a_follow_up_names_only_its_own_sessions_appraisal_object_and_resolution(session, assembly_world):
    w = assembly_world
    earlier = _held_session(session, w, 4, DAY - timedelta(days=300))
    mine = Appraisal(session_id=w.session.id, kind="rating", title="民主测评", grades=["好", "较好", "一般", "差"])
    theirs = Appraisal(session_id=earlier.id, kind="rating", title="民主测评", grades=["好", "较好", "一般", "差"])
    session.add_all([mine, theirs])
    session.flush()
    own_obj, other_obj = AppraisalObject(appraisal_id=mine.id, seq=1, name="区委"), \
        AppraisalObject(appraisal_id=theirs.id, seq=1, name="区委")
    session.add_all([own_obj, other_obj])
    session.commit()
    with pytest.raises(ServiceError, match="不属于本次会议"):
        svc.create_followup(session, w.office, w.session.id, "appraisal", "群众反映作风问题", "区委办", OPENS, NOW,
                            appraisal_object_id=other_obj.id)
    with pytest.raises(ServiceError, match="问题来源"):
        svc.create_followup(session, w.office, w.session.id, "gossip", "问题", "区委办", OPENS, NOW)
    with pytest.raises(ServiceError, match="不能早于会议开幕日"):
        svc.create_followup(session, w.office, w.session.id, "other", "问题", "区委办", OPENS - timedelta(days=1), NOW)
    f = svc.create_followup(session, w.office, w.session.id, "appraisal", "群众反映作风问题", "区委办", OPENS, NOW,
                            appraisal_object_id=own_obj.id)
    assert f.appraisal_object_id == own_obj.id and f.status == "open"


def test_progress_to_done_needs_a_note_and_a_day_and_edits_keep_before_and_after(session, assembly_world):
    w = assembly_world
    f = svc.create_followup(session, w.office, w.session.id, "other", "道路整修", "区住建局", OPENS + timedelta(days=30),
                            NOW)
    svc.update_followup(session, w.office, f.id, "in_progress", "", None, NOW)
    assert f.status == "in_progress"
    with pytest.raises(ServiceError, match="整改措施与进展"):
        svc.update_followup(session, w.office, f.id, "done", "", OPENS + timedelta(days=3), NOW)
    with pytest.raises(ServiceError, match="完成日期"):
        svc.update_followup(session, w.office, f.id, "done", "已整修", None, NOW)
    svc.update_followup(session, w.office, f.id, "done", "已整修完毕", OPENS + timedelta(days=3), NOW)
    assert (f.status, f.done_on) == ("done", OPENS + timedelta(days=3))
    svc.update_followup(session, w.office, f.id, "in_progress", "返工", None, NOW)
    assert f.done_on is None
    svc.edit_followup(session, w.office, f.id, "区交通局", OPENS + timedelta(days=60), NOW)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "assembly.followup.edit"))
    assert entry.before == {"owner": "区住建局", "due_on": (OPENS + timedelta(days=30)).isoformat()}
    assert entry.after == {"owner": "区交通局", "due_on": (OPENS + timedelta(days=60)).isoformat()}


def test_the_list_puts_the_overdue_first_and_filters_by_status(session, assembly_world):
    w = assembly_world
    later = svc.create_followup(session, w.office, w.session.id, "other", "甲", "单位甲", OPENS + timedelta(days=9), NOW)
    late = svc.create_followup(session, w.office, w.session.id, "other", "乙", "单位乙", OPENS + timedelta(days=20), NOW)
    done = svc.create_followup(session, w.office, w.session.id, "other", "丙", "单位丙", OPENS, NOW)
    svc.update_followup(session, w.office, done.id, "done", "完成", OPENS, NOW)
    today = OPENS + timedelta(days=10)  # 甲 is past its deadline, 乙 is not
    rows = svc.followups_in_scope(session, w.office, today)
    assert [r.item.id for r in rows] == [later.id, late.id, done.id]
    assert [r.overdue for r in rows] == [True, False, False]
    assert [r.item.id for r in svc.followups_in_scope(session, w.office, today, "done")] == [done.id]


def _reminders(session, today):
    existing = set(session.execute(select(Notification.user_id, Notification.dedup_key)).all())
    new = svc.overdue_reminders(session, today, NOW, existing)
    session.add_all(new)
    session.commit()
    return new


def test_the_daily_reminder_starts_the_day_after_the_deadline_once_a_day_for_the_managers_in_scope(
        session, assembly_world):
    w = assembly_world
    f = svc.create_followup(session, w.office, w.session.id, "other", "整改甲", "单位甲", OPENS + timedelta(days=5), NOW)
    assert [n for n in _reminders(session, f.due_on) if n.dedup_key.startswith(f"followup_overdue:{f.id}:")] == []
    sent = [n for n in _reminders(session, f.due_on + timedelta(days=1)) if f"followup_overdue:{f.id}:" in n.dedup_key]
    users = {n.user_id for n in sent}
    assert w.office.id in users and w.admin.id in users and w.other_office.id not in users
    assert "已过整改期限" in sent[0].message
    again = [n for n in _reminders(session, f.due_on + timedelta(days=1)) if f"followup_overdue:{f.id}:" in n.dedup_key]
    assert again == []
    svc.update_followup(session, w.office, f.id, "done", "完成", f.due_on + timedelta(days=2), NOW)
    gone = [n for n in _reminders(session, f.due_on + timedelta(days=3)) if f"followup_overdue:{f.id}:" in n.dedup_key]
    assert gone == []


def test_a_follow_up_raised_at_session_4_is_reported_at_session_5(session, assembly_world):
    from election.assembly.services.followup_report import followup_report

    w = assembly_world
    fourth = _held_session(session, w, 4, DAY - timedelta(days=300))
    item = FollowUp(session_id=fourth.id, source="appraisal", problem="服务群众不够到位", owner="区委组织部",
                    due_on=DAY - timedelta(days=100))
    session.add(item)
    session.commit()
    report = followup_report(session, w.session, OPENS)
    assert [line.item.problem for line in report.followups] == ["服务群众不够到位"]
    assert "已逾期" in report.followups[0].text


def test_the_daily_run_sends_the_overdue_follow_up(session, assembly_world):
    from election.notifications.services import run_daily_reminders

    w = assembly_world
    f = svc.create_followup(session, w.office, w.session.id, "other", "整改乙", "单位乙", OPENS, NOW)
    run_daily_reminders(session, OPENS + timedelta(days=1), NOW)
    keys = set(session.scalars(select(Notification.dedup_key).where(Notification.user_id == w.office.id)))
    assert f"followup_overdue:{f.id}:{(OPENS + timedelta(days=1)).isoformat()}" in keys
