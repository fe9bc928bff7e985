"""Between sessions (election.assembly.services.between): 列席 invitations checked against the roll and notified,
attendance crediting the activity the delegate's rule set scores for it (凤县 参加县委活动; 盐田 none) and undone;
询问/质询 with the default reply deadline, the credit (verified by staff, pending by the delegate himself), the
reply's date, scope, and the daily overdue reminder's boundary."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from election.assembly.models import SitInInvitee
from election.assembly.services import between as svc
from election.assembly.services.followup import overdue_reminders
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.duties.models import ActivityRecord, OfficeRuleAssignment
from election.notifications.models import Notification
from tests.assembly.conftest import DAY

NOW = datetime(2026, 12, 20, 2, 0)
HELD = date(2026, 12, 10)


def _fengxian(session):
    session.add(OfficeRuleAssignment(level="区", ruleset_code="fengxian"))
    session.commit()


def _meeting(session, w, held=HELD):
    return svc.create_sitin(session, w.office, w.congress, "plenary", "区委十二届八次全会", held, "区委小礼堂", NOW)


def test_invitations_take_serving_delegates_of_the_congress_and_notify_them(session, assembly_world):
    w = assembly_world
    m = _meeting(session, w)
    assert m.organisation_id == w.district.id
    for bad in (w.vacated.id, w.suspended.id):
        with pytest.raises(ServiceError, match="不是.*在任代表"):
            svc.invite_delegates(session, w.office, m.id, [w.delegates[0].id, bad], NOW)
    new = svc.invite_delegates(session, w.office, m.id, [w.delegates[0].id, w.delegates[1].id], NOW)
    assert len(new) == 2
    note = session.scalar(select(Notification).where(Notification.user_id == w.delegate_user.id))
    assert "列席全委会“区委十二届八次全会”" in note.message and note.link == f"/assembly/sitins/{m.id}"
    with pytest.raises(Conflict, match="都已在邀请名单中"):
        svc.invite_delegates(session, w.office, m.id, [w.delegates[0].id], NOW)
    more = svc.invite_delegates(session, w.office, m.id, [w.delegates[0].id, w.delegates[2].id], NOW)
    assert [i.delegate_id for i in more] == [w.delegates[2].id]
    with pytest.raises(NotFound):
        svc.invite_delegates(session, w.other_office, m.id, [w.delegates[3].id], NOW)
    with pytest.raises(ServiceError, match="您所在组织的党代会"):
        svc.create_sitin(session, w.other_office, w.congress, "plenary", "越界", HELD, "", NOW)


def test_attending_credits_fengxians_county_activity_and_undoing_removes_it(session, assembly_world):
    w = assembly_world
    _fengxian(session)
    m = _meeting(session, w)
    svc.invite_delegates(session, w.office, m.id, [w.delegates[0].id], NOW)
    with pytest.raises(ServiceError, match="缺席原因"):
        svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, False, "", NOW)
    inv = svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, True, "", NOW)
    rec = session.get(ActivityRecord, inv.activity_id)
    assert (rec.type_code, rec.status, rec.on, rec.verified_by_id) == ("county_activity", "verified", HELD, w.office.id)
    assert "列席全委会" in rec.description
    again = svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, True, "", NOW)
    assert again.activity_id == rec.id
    svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, False, "外出开会", NOW)
    assert inv.activity_id is None and session.get(ActivityRecord, rec.id) is None
    svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, True, "", NOW)
    svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, None, "", NOW)
    assert inv.attended is None and inv.activity_id is None
    assert session.scalar(select(func.count()).select_from(ActivityRecord).where(
        ActivityRecord.delegate_id == w.delegates[0].id)) == 0


def test_yantian_does_not_score_sit_ins(session, assembly_world):
    w = assembly_world
    m = _meeting(session, w)
    svc.invite_delegates(session, w.office, m.id, [w.delegates[0].id], NOW)
    inv = svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, True, "", NOW)
    assert inv.attended is True and inv.activity_id is None


def test_attendance_waits_for_the_meeting_day(session, assembly_world):
    w = assembly_world
    m = _meeting(session, w, held=date(2026, 12, 21))
    svc.invite_delegates(session, w.office, m.id, [w.delegates[0].id], NOW)
    with pytest.raises(ServiceError, match="会后才能登记"):
        svc.record_sitin_attendance(session, w.office, m.id, w.delegates[0].id, True, "", NOW)
    with pytest.raises(ServiceError, match="不在本次会议的邀请名单"):
        svc.record_sitin_attendance(session, w.office, m.id, w.delegates[1].id, None, "", NOW)


def test_an_inquiry_registered_by_staff_is_credited_verified_and_due_in_15_days(session, assembly_world):
    w = assembly_world
    submitted = date(2026, 12, 1)
    i = svc.register_inquiry(session, w.office, "inquiry", w.delegates[1].id, "区教育局", "学校周边交通",
                             "请说明整治计划", submitted, None, NOW)
    assert i.due_on == submitted + timedelta(days=15) and i.organisation_id == w.district.id
    rec = session.get(ActivityRecord, i.activity_id)
    assert (rec.type_code, rec.status, rec.delegate_id) == ("inquiry", "verified", w.delegates[1].id)
    with pytest.raises(ServiceError, match="不能早于提出日期"):
        svc.record_inquiry_reply(session, w.office, i.id, "已答复", submitted - timedelta(days=1), NOW)
    svc.record_inquiry_reply(session, w.office, i.id, "已制定整治计划", submitted + timedelta(days=15), NOW)
    assert not svc.is_inquiry_overdue(i, date(2027, 1, 1))
    with pytest.raises(ServiceError, match="在任代表"):
        svc.register_inquiry(session, w.office, "inquiry", w.vacated.id, "区教育局", "事由", "内容", submitted, None, NOW)
    with pytest.raises(ServiceError, match="在任代表"):
        svc.register_inquiry(session, w.other_office, "inquiry", w.delegates[1].id, "区教育局", "事由", "内容",
                             submitted, None, NOW)
    with pytest.raises(NotFound):
        svc.record_inquiry_reply(session, w.other_office, i.id, "答复", submitted, NOW)


def test_a_delegate_registers_only_his_own_and_it_waits_for_verification(session, assembly_world):
    w = assembly_world
    with pytest.raises(ServiceError, match="本人"):
        svc.register_inquiry(session, w.delegate_user, "interpellation", w.delegates[1].id, "区住建局", "事由", "内容",
                             date(2026, 12, 1), None, NOW)
    i = svc.register_inquiry(session, w.delegate_user, "interpellation", None, "区住建局", "老旧小区改造", "内容",
                             date(2026, 12, 1), date(2026, 12, 31), NOW)
    assert i.delegate_id == w.delegates[0].id and i.organisation_id == w.district.id
    assert session.get(ActivityRecord, i.activity_id).status == "pending"
    with pytest.raises(ServiceError, match="晚于今天"):
        svc.register_inquiry(session, w.delegate_user, "inquiry", None, "区住建局", "事由", "内容",
                             date(2026, 12, 21), None, NOW)


def test_an_unanswered_inquiry_is_reminded_the_day_after_its_deadline(session, assembly_world):
    w = assembly_world
    i = svc.register_inquiry(session, w.office, "inquiry", w.delegates[1].id, "区教育局", "学校周边交通", "内容",
                             date(2026, 12, 1), None, NOW)

    def sent(today):
        existing = set(session.execute(select(Notification.user_id, Notification.dedup_key)).all())
        return [n for n in overdue_reminders(session, today, NOW, existing) if f"inquiry_overdue:{i.id}:" in n.dedup_key]

    assert sent(i.due_on) == []
    late = sent(i.due_on + timedelta(days=1))
    assert {n.user_id for n in late} >= {w.office.id, w.admin.id} and w.other_office.id not in {n.user_id for n in late}
    assert svc.is_inquiry_overdue(i, i.due_on + timedelta(days=1)) and not svc.is_inquiry_overdue(i, i.due_on)


def test_scope_of_the_lists(session, assembly_world, app):
    w = assembly_world
    m = _meeting(session, w)
    svc.invite_delegates(session, w.office, m.id, [w.delegates[1].id], NOW)
    svc.register_inquiry(session, w.office, "inquiry", w.delegates[1].id, "区教育局", "事由", "内容", DAY, None, NOW)
    assert session.scalars(svc.sitins_in_scope(session, w.other_office)).all() == []
    assert session.scalars(svc.inquiries_in_scope(session, w.other_office)).all() == []
    assert session.scalars(svc.sitins_in_scope(session, w.delegate_user)).all() == []  # delegates[0] not invited
    assert session.scalars(svc.inquiries_in_scope(session, w.delegate_user)).all() == []
    assert len(session.scalars(svc.sitins_in_scope(session, w.office)).all()) == 1


def test_the_invitee_row_is_unique(session, assembly_world):
    from sqlalchemy.exc import IntegrityError

    w = assembly_world
    m = _meeting(session, w)
    session.add_all([SitInInvitee(meeting_id=m.id, delegate_id=w.delegates[0].id),
                     SitInInvitee(meeting_id=m.id, delegate_id=w.delegates[0].id)])
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
