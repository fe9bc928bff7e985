"""Materials (type, size, content checked; deleted only before distribution; a delegate downloads once
distributed), groups (one group per delegate per session, moves, convener), and the daily reminder of the notice
at its boundary (exactly N days before: reminded; the day before that: not; already notified: none; once a day)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from election.assembly.models import GroupMember
from election.assembly.services import groups as grp
from election.assembly.services import materials as mat
from election.assembly.services import sessions as svc
from election.assembly.services.reminders import notice_reminders
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.duties.services.activities import UploadedFile
from election.notifications.models import Notification
from election.notifications.services import run_daily_reminders

NOW = datetime(2026, 12, 1, 2, 0)
PDF = UploadedFile("报告.pdf", b"%PDF-1.4 report")


def test_material_checks_and_distribution(session, assembly_world, tmp_path, make_user):
    w = assembly_world
    with pytest.raises(ServiceError, match="类型不支持"):
        mat.upload_material(session, w.office, w.session.id, "", UploadedFile("a.exe", b"MZ"), tmp_path, NOW)
    with pytest.raises(ServiceError, match="内容与扩展名不符"):
        mat.upload_material(session, w.office, w.session.id, "", UploadedFile("a.xls", b"%PDF"), tmp_path, NOW)
    with pytest.raises(ServiceError, match="超过5 MB"):
        mat.upload_material(session, w.office, w.session.id, "", UploadedFile("a.pdf", b"%PDF" + b"0" * 5 * 2**20),
                            tmp_path, NOW)
    m = mat.upload_material(session, w.office, w.session.id, "", PDF, tmp_path, NOW)
    assert m.title == "报告" and m.distributed_at is None and (tmp_path / m.stored_name).read_bytes() == PDF.data
    with pytest.raises(NotFound, match="尚未分发"):
        mat.material_for_download(session, w.delegate_user, w.session.id, m.id)
    kept = mat.upload_material(session, w.office, w.session.id, "工作报告", PDF, tmp_path, NOW)
    mat.delete_material(session, w.office, w.session.id, m.id, tmp_path, NOW)
    assert not (tmp_path / m.stored_name).exists()
    svc.add_agenda_item(session, w.office, w.session.id, "report", "", "", NOW)
    svc.send_notice(session, w.office, w.session.id, NOW)
    assert mat.material_for_download(session, w.delegate_user, w.session.id, kept.id).title == "工作报告"
    with pytest.raises(Conflict, match="已随通知分发"):
        mat.delete_material(session, w.office, w.session.id, kept.id, tmp_path, NOW)
    later = mat.upload_material(session, w.office, w.session.id, "补充材料", PDF, tmp_path, NOW)
    assert later.distributed_at == NOW  # after the notice a material goes out at once
    with pytest.raises(NotFound):
        mat.material_for_download(session, w.other_office, w.session.id, kept.id)


def test_groups_one_per_delegate_moves_and_convener(session, assembly_world):
    w = assembly_world
    made = grp.generate_groups(session, w.office, w.session.id, NOW)
    assert [len(g.members) for g in made] == [4, 4, 4]
    with pytest.raises(Conflict, match="已经分组"):
        grp.generate_groups(session, w.office, w.session.id, NOW)
    extra = grp.create_group(session, w.office, w.session.id, "第四代表团", NOW)
    d = made[0].members[0].delegate_id
    grp.set_convener(session, w.office, w.session.id, made[0].id, d, NOW)
    grp.assign_member(session, w.office, w.session.id, extra.id, d, NOW)
    rows = session.scalars(select(GroupMember).where(GroupMember.delegate_id == d)).all()
    assert [r.group_id for r in rows] == [extra.id]
    session.refresh(made[0])
    assert made[0].convener_id is None  # moved away: no longer its convener
    with pytest.raises(ServiceError, match="不是在任代表"):
        grp.assign_member(session, w.office, w.session.id, extra.id, w.suspended.id, NOW)
    with pytest.raises(ServiceError, match="代表名册"):
        grp.assign_member(session, w.office, w.session.id, extra.id, 987654, NOW)
    grp.remove_member(session, w.office, w.session.id, extra.id, d, NOW)
    g = grp.save_minutes(session, w.office, w.session.id, extra.id, "讨论热烈。", NOW)
    assert (g.minutes, g.minutes_by_id, g.minutes_at) == ("讨论热烈。", w.office.id, NOW)


def test_notice_reminder_boundary(session, assembly_world):
    w = assembly_world
    due = w.session.opens_on - timedelta(days=w.session.notice_days)
    assert notice_reminders(session, due - timedelta(days=1)) == []
    rows = notice_reminders(session, due)
    assert {r.user_id for r in rows} >= {w.office.id, w.admin.id} and w.other_office.id not in {r.user_id for r in rows}
    assert "年会通知应于" in rows[0].message and f"{due.month}月{due.day}日前发出" in rows[0].message
    assert notice_reminders(session, due + timedelta(days=1))  # still not sent: reminded again the next day
    run_daily_reminders(session, due, NOW)
    run_daily_reminders(session, due, NOW)  # once a day
    mine = session.scalars(select(Notification).where(Notification.user_id == w.office.id,
                                                      Notification.kind == "assembly_notice_due")).all()
    assert len(mine) == 1 and mine[0].link == f"/assembly/sessions/{w.session.id}"
    svc.add_agenda_item(session, w.office, w.session.id, "report", "", "", NOW)
    svc.send_notice(session, w.office, w.session.id, NOW)
    assert notice_reminders(session, due + timedelta(days=1)) == []
