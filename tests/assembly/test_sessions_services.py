"""The session's use cases (docs/rules.md §7): creating it (meeting number unique per congress), the agenda, 列席,
the notice (delegates told once), opening for sign-in (from the day before), sign-in on the real roll (12 in
office → 10 needed; the vacated and the suspended not counted), holding refused below quorum, frozen after."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from election.assembly.models import AgendaItem, AssemblySession, Attendance
from election.assembly.services import attendance as att
from election.assembly.services import sessions as svc
from election.audit.models import AuditEntry
from election.core.exceptions import Conflict, NotFound, PermissionDenied, ServiceError
from election.duties.models import TermDelegate
from election.notifications.models import Notification

NOW = datetime(2026, 12, 14, 1, 0)


def _open(session, w):
    svc.add_agenda_item(session, w.office, w.session.id, "report", "", "", NOW)
    svc.open_session(session, w.office, w.session.id, w.session.opens_on, NOW)


def _data(w, **kw):
    base = {"congress": w.congress, "meeting_no": 6, "title": "", "opens_on": date(2027, 12, 1),
            "closes_on": date(2027, 12, 2), "place": "区委礼堂"}
    base.update(kw)
    return svc.SessionInput(**base)


def test_create_takes_the_office_organisation_and_a_default_title(session, assembly_world):
    w = assembly_world
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        svc.create_session(session, w.office, _data(w, organisation_id=w.other_district.id), NOW)
    s = svc.create_session(session, w.office, _data(w), NOW)
    assert s.organisation_id == w.district.id
    assert s.title == f"中国共产党{w.congress}第6次会议"
    assert (s.quorum_num, s.quorum_den, s.quorum_inclusive) == (4, 5, True)
    assert svc.rule_of(s).settled
    assert session.scalar(select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(1)) == "assembly.session.create"


def test_meeting_number_is_unique_per_congress(session, assembly_world):
    w = assembly_world
    with pytest.raises(Conflict, match="第5次会议已经登记"):
        svc.create_session(session, w.office, _data(w, meeting_no=5), NOW)


def test_a_roll_must_exist_and_dates_be_ordered(session, assembly_world):
    w = assembly_world
    with pytest.raises(ServiceError) as e:
        svc.create_session(session, w.office, _data(w, congress="没有代表的党代会", opens_on=date(2027, 12, 3)), NOW)
    assert "代表名册中没有" in e.value.message and "闭幕日期" in e.value.message


def test_a_preset_not_settled_and_an_override(session, assembly_world):
    w = assembly_world
    s = svc.create_session(session, w.office, _data(w, quorum_preset="yantian"), NOW)
    assert not svc.rule_of(s).settled
    s2 = svc.create_session(session, w.office, _data(w, meeting_no=7, quorum_num=2, quorum_den=3,
                                                     quorum_inclusive=False), NOW)
    assert svc.rule_of(s2).wording == "三分之二以上（不含本数）"


def test_other_district_and_auditor_are_refused(session, assembly_world, make_user):
    w = assembly_world
    with pytest.raises(NotFound):
        svc.add_agenda_item(session, w.other_office, w.session.id, "report", "", "", NOW)
    with pytest.raises(PermissionDenied):
        svc.create_session(session, make_user("auditor"), _data(w), NOW)


def test_another_districts_congress_is_neither_offered_nor_taken(session, assembly_world, make_unit):
    """A limited 选举办 chooses among the congresses elected in its part (or already held there): another
    district's reads like a congress without a roll."""
    w = assembly_world
    unit = make_unit()
    unit.organisation_id = w.other_district.id
    theirs = TermDelegate(name="外区代表", gender="男", level="区", congress="外区第九次党代会", electing_unit_id=unit.id,
                          term_start=date(2022, 1, 1), term_end=date(2026, 12, 31))
    session.add(theirs)
    session.commit()
    assert w.congress in svc.congress_choices(session, w.office)  # its session is there already
    assert "外区第九次党代会" not in svc.congress_choices(session, w.office)
    assert "外区第九次党代会" in svc.congress_choices(session, w.other_office)
    assert w.congress not in svc.congress_choices(session, w.other_office)
    assert {"外区第九次党代会", w.congress} <= set(svc.congress_choices(session, w.admin))
    with pytest.raises(ServiceError, match="代表名册中没有“外区第九次党代会”"):
        svc.create_session(session, w.office, _data(w, congress="外区第九次党代会"), NOW)
    with pytest.raises(ServiceError, match="代表名册中没有"):
        svc.create_session(session, w.other_office, _data(w, meeting_no=9), NOW)
    mine = svc.create_session(session, w.other_office, _data(w, congress="外区第九次党代会", meeting_no=2), NOW)
    assert mine.organisation_id == w.other_district.id


def test_agenda_add_move_delete_keeps_order(session, assembly_world):
    w = assembly_world
    a = svc.add_agenda_item(session, w.office, w.session.id, "report", "", "", NOW)
    b = svc.add_agenda_item(session, w.office, w.session.id, "followup", "", "", NOW)
    c = svc.add_agenda_item(session, w.office, w.session.id, "other", "表彰", "", NOW)
    assert a.title == "审议工作报告" and (a.seq, b.seq, c.seq) == (1, 2, 3)
    svc.move_agenda_item(session, w.office, w.session.id, c.id, "up", NOW)
    with pytest.raises(ServiceError, match="已是第一项"):
        svc.move_agenda_item(session, w.office, w.session.id, a.id, "up", NOW)
    svc.delete_agenda_item(session, w.office, w.session.id, a.id, NOW)
    titles = session.scalars(select(AgendaItem.title).where(AgendaItem.session_id == w.session.id)
                             .order_by(AgendaItem.seq)).all()
    assert titles == ["表彰", "上次会议决议落实和整改情况"]


def test_an_item_of_another_session_is_not_found(session, assembly_world):
    w = assembly_world
    other = svc.create_session(session, w.office, _data(w), NOW)
    item = svc.add_agenda_item(session, w.office, other.id, "report", "", "", NOW)
    with pytest.raises(ServiceError, match="不存在"):
        svc.delete_agenda_item(session, w.office, w.session.id, item.id, NOW)


def test_guests(session, assembly_world):
    w = assembly_world
    g = svc.add_guest(session, w.office, w.session.id, "周列席", "区人大副主任", "区领导", NOW)
    with pytest.raises(ServiceError, match="姓名"):
        svc.add_guest(session, w.office, w.session.id, " ", "", "", NOW)
    svc.remove_guest(session, w.office, w.session.id, g.id, NOW)
    assert session.get(AssemblySession, w.session.id).guests == []


def test_notice_needs_an_agenda_tells_the_delegates_once(session, assembly_world):
    w = assembly_world
    with pytest.raises(ServiceError, match="议程"):
        svc.send_notice(session, w.office, w.session.id, NOW)
    svc.add_agenda_item(session, w.office, w.session.id, "report", "", "", NOW)
    assert svc.send_notice(session, w.office, w.session.id, NOW) == 1  # one delegate has an account
    note = session.scalar(select(Notification).where(Notification.user_id == w.delegate_user.id))
    assert "区委党校礼堂" in note.message and note.link == f"/assembly/sessions/{w.session.id}"
    with pytest.raises(Conflict, match="不能重复发送"):
        svc.send_notice(session, w.office, w.session.id, NOW)


def test_open_from_the_day_before(session, assembly_world):
    w = assembly_world
    opens = w.session.opens_on
    with pytest.raises(ServiceError, match="最早于"):
        svc.open_session(session, w.office, w.session.id, opens - timedelta(days=2), NOW)
    svc.open_session(session, w.office, w.session.id, opens - timedelta(days=1), NOW)
    assert session.get(AssemblySession, w.session.id).status == "open"


def test_quorum_on_the_real_roll_9_refused_10_held(session, assembly_world):
    w = assembly_world
    _open(session, w)
    ids = [d.id for d in w.delegates]
    att.sign_in(session, w.office, w.session.id, ids[:9], NOW)
    view = att.roll_view(session, session.get(AssemblySession, w.session.id))
    assert (len(view.on_roll), view.quorum.needed, view.quorum.short, len(view.apart)) == (12, 10, 1, 2)
    with pytest.raises(ServiceError) as e:
        svc.hold_session(session, w.office, w.session.id, NOW)
    assert "应到12人，实到9人" in e.value.message and "还差1人" in e.value.message
    att.sign_in(session, w.office, w.session.id, [ids[9]], NOW)
    held = svc.hold_session(session, w.office, w.session.id, NOW)
    assert (held.status, held.roll_count, held.present_count, held.held_by_id) == ("held", 12, 10, w.office.id)
    with pytest.raises(Conflict, match="已固定"):
        att.sign_in(session, w.office, w.session.id, [ids[10]], NOW)
    with pytest.raises(Conflict):
        att.undo_attendance(session, w.office, w.session.id, ids[0], NOW)


def test_exactly_the_fraction_held_only_when_inclusive(session, assembly_world):
    w = assembly_world
    w.session.quorum_num, w.session.quorum_den, w.session.quorum_inclusive = 5, 6, False  # 5/6 of 12 = exactly 10
    session.commit()
    _open(session, w)
    att.sign_in(session, w.office, w.session.id, [d.id for d in w.delegates[:10]], NOW)
    with pytest.raises(ServiceError, match="实到10人.*至少11人.*还差1人"):
        svc.hold_session(session, w.office, w.session.id, NOW)
    w.session.quorum_inclusive = True
    session.commit()
    assert svc.hold_session(session, w.office, w.session.id, NOW).present_count == 10


def test_bulk_sign_in_is_all_or_nothing_with_per_item_errors(session, assembly_world):
    w = assembly_world
    _open(session, w)
    with pytest.raises(ServiceError) as e:
        att.sign_in(session, w.office, w.session.id, [w.delegates[0].id, w.vacated.id, w.suspended.id, 987654], NOW)
    parts = e.value.message.split("；")
    assert parts[0].startswith("第2项：钱进资格已终止") and "第3项：郑安已停止执行代表职务" in parts[1]
    assert "第4项" in parts[2] and "不在本次会议的代表名册中" in parts[2]
    assert session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_leave_then_sign_in_and_undo(session, assembly_world):
    w = assembly_world
    _open(session, w)
    d = w.delegates[1].id
    with pytest.raises(ServiceError, match="请假理由"):
        att.record_leave(session, w.office, w.session.id, d, " ", NOW)
    att.record_leave(session, w.office, w.session.id, d, "出差", NOW)
    assert att.roll_view(session, w.session).on_leave == 1
    assert att.sign_in(session, w.office, w.session.id, [d], NOW) == 1
    assert att.sign_in(session, w.office, w.session.id, [d], NOW) == 0  # already in: nothing new
    att.undo_attendance(session, w.office, w.session.id, d, NOW)
    assert att.roll_view(session, w.session).absent == 12


def test_self_sign_in_allowed_only_where_the_session_says(session, assembly_world):
    w = assembly_world
    _open(session, w)
    with pytest.raises(ServiceError, match="统一签到"):
        att.self_sign_in(session, w.delegate_user, w.session.id, NOW)
    w.session.self_sign_in = True
    session.commit()
    a = att.self_sign_in(session, w.delegate_user, w.session.id, NOW)
    assert a.by_self and a.status == "present"
    with pytest.raises(Conflict, match="已签到"):
        att.self_sign_in(session, w.delegate_user, w.session.id, NOW)


def test_self_sign_in_refused_before_open(session, assembly_world):
    w = assembly_world
    w.session.self_sign_in = True
    session.commit()
    with pytest.raises(ServiceError, match="请先开始签到"):
        att.self_sign_in(session, w.delegate_user, w.session.id, NOW)
